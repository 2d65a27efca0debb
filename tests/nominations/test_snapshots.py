"""Revision snapshots and the word-by-word differences shown between two of them."""

import json

import pytest
from django.utils.safestring import SafeString

from dz_awards.nominations import services
from dz_awards.nominations.content import SNAPSHOT_ORDER
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus
from dz_awards.nominations.models import Evidence, Nomination
from dz_awards.nominations.snapshots import changes, readable_items, snapshot
from tests import factories
from tests.files import MINIMAL_PDF, pdf_upload

OUTCOME_TEXT = (
    "Measure: Stress-related resignations; Before: 11; After: 2; Period: 2021 vs 2024; "
    "Source of the figures: Personnel records"
)


@pytest.fixture
def nomination(agency, cycle):
    category = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    return factories.NominationFactory(agency=agency, cycle=cycle, category=category, complete=True)


def _edited(base, **changes_):
    """A snapshot of `base` with some values replaced, as a later revision would hold."""
    return {**base, **changes_}


def _table(found):
    return [(change.label, str(change.html)) for change in found]


def test_snapshot_holds_readable_values_in_reading_order(nomination):
    """Category by label, date as ISO text, participation by its words, outcomes cleaned."""
    data = snapshot(nomination)
    assert list(data) == [*SNAPSHOT_ORDER, "evidence"]
    assert data["category"] == "Officer Wellness"
    assert data["start_date"] == nomination.start_date.isoformat()
    assert data["participation"] == "Voluntary"
    assert data["head_attestation"] is True
    assert data["summary"] == (
        "Trained peers reach officers after critical incidents within 24 hours."
    )
    assert data["outcomes"] == [
        {
            "metric": "Stress-related resignations",
            "before": "11",
            "after": "2",
            "period": "2021 vs 2024",
            "source": "Personnel records",
        }
    ]
    assert data["evidence"] == []
    assert json.loads(json.dumps(data)) == data


def test_snapshot_of_empty_draft_uses_blank_text(db):
    """A draft without category, date or participation snapshots them as empty text."""
    draft = factories.NominationFactory(category=None)
    data = snapshot(draft)
    assert (data["category"], data["start_date"], data["participation"]) == ("", "", "")
    assert (data["outcomes"], data["head_attestation"]) == ([], False)


def test_snapshot_lists_files_except_rejected_ones(nomination, member):
    """Attached files are recorded by id, name, kind, size and hash; rejected ones are left out."""
    kept = services.evidence_add(
        user=member,
        nomination=nomination,
        upload=pdf_upload("policy.pdf"),
        kind=EvidenceKind.DOCUMENT,
    )
    rejected = services.evidence_add(
        user=member,
        nomination=nomination,
        upload=pdf_upload("old.pdf"),
        kind=EvidenceKind.LETTER,
    )
    Evidence.objects.filter(pk=rejected.pk).update(status=EvidenceStatus.REJECTED)
    assert snapshot(Nomination.objects.get(pk=nomination.pk))["evidence"] == [
        {
            "id": str(kept.pk),
            "name": "policy.pdf",
            "kind": "Document (PDF)",
            "size": len(MINIMAL_PDF),
            "sha256": kept.sha256,
        }
    ]
    assert len(kept.sha256) == 64


def test_changes_identical_snapshots_have_none(nomination):
    """Two equal snapshots differ in nothing."""
    assert changes(snapshot(nomination), snapshot(nomination)) == []


def test_changes_marks_words_inserted_and_deleted(nomination):
    """Only the words that changed are wrapped in <del> and <ins>; the rest is kept as is."""
    before = snapshot(nomination)
    after = _edited(
        before,
        summary="Trained peers reach every officer after critical incidents within 12 hours.",
    )
    assert _table(changes(before, after)) == [
        (
            "Short summary",
            (
                "Trained peers reach <del>officers</del><ins>every officer</ins> after critical "
                "incidents within <del>24</del><ins>12</ins> hours."
            ),
        )
    ]


def test_changes_html_is_safe_markup(nomination):
    """The diff is marked safe for templates because every piece of it was escaped."""
    before = snapshot(nomination)
    (change,) = changes(before, _edited(before, title="New title"))
    assert isinstance(change.html, SafeString)


def test_changes_escapes_html_typed_by_users(nomination):
    """Markup in the text appears as text in the diff, both removed and added."""
    before = _edited(snapshot(nomination), problem="Peers call <b>every</b> officer.")
    after = _edited(before, problem='Peers call <script>alert("x")</script> officer & chief.')
    (change,) = changes(before, after)
    assert change.label == "The problem"
    assert str(change.html) == (
        "Peers call <del>&lt;b&gt;every&lt;/b&gt;</del>"
        "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</ins> "
        "<del>officer.</del><ins>officer &amp; chief.</ins>"
    )
    assert "<script" not in str(change.html)


def test_changes_leaves_out_unchanged_fields(nomination):
    """Only fields that differ are listed, in reading order, under their labels."""
    before = snapshot(nomination)
    after = _edited(
        before,
        head_attestation=False,
        title="Peer Support Program",
        advice="Let officers choose the peers themselves.",
    )
    assert _table(changes(before, after)) == [
        ("Program title", "Peer Support <del>and Early Warning </del>Program"),
        (
            "Advice to other agencies",
            "Let officers choose the <del>peers.</del><ins>peers themselves.</ins>",
        ),
        ("Agency head's attestation", "<del>Confirmed</del><ins>Not confirmed</ins>"),
    ]


def test_changes_compares_outcomes_and_files_as_text(nomination):
    """Outcome figures and attached files are compared as the lines a reader sees."""
    before = snapshot(nomination)
    row = {**before["outcomes"][0], "after": "1"}
    after = _edited(
        before,
        outcomes=[row],
        evidence=[{"name": "<policy>.pdf", "kind": "Document (PDF)", "size": 1, "sha256": ""}],
    )
    assert _table(changes(before, after)) == [
        (
            "Measured outcomes",
            OUTCOME_TEXT.replace("After: 2;", "After: <del>2;</del><ins>1;</ins>"),
        ),
        ("Files", "<ins>&lt;policy&gt;.pdf (Document (PDF))</ins>"),
    ]


def test_changes_very_long_rewrite_is_shown_whole_and_escaped(nomination):
    """Past the matching budget a rewritten answer is the whole old and new text, escaped."""
    before = _edited(snapshot(nomination), description="<i>old</i> " * 5000)
    after = _edited(before, description="<u>new</u> " * 5000)
    (change,) = changes(before, after)
    old, new = "&lt;i&gt;old&lt;/i&gt;", "&lt;u&gt;new&lt;/u&gt;"
    # The shared final space is outside the marks; everything before it is replaced whole.
    assert str(change.html) == (
        f"<del>{(old + ' ') * 4999}{old}</del><ins>{(new + ' ') * 4999}{new}</ins> "
    )


def test_changes_local_edit_in_very_long_text_is_marked_word_by_word(nomination):
    """A one-word edit in a long answer is marked as that word, whatever the length."""
    before = _edited(snapshot(nomination), description="<i>word</i> " * 5000)
    after = _edited(before, description="<i>word</i> " * 4999 + "<u>end</u>")
    (change,) = changes(before, after)
    escaped_word = "&lt;i&gt;word&lt;/i&gt; "
    assert str(change.html) == (
        f"{escaped_word * 4999}<del>&lt;i&gt;word&lt;/i&gt; </del><ins>&lt;u&gt;end&lt;/u&gt;</ins>"
    )


def test_changes_between_a_revision_and_the_edited_nomination(nomination, member, staff):
    """After a return and an edit, the change from revision 1 is the edited sentence only."""
    services.nomination_submit(user=member, nomination=nomination)
    services.nomination_return_for_changes(
        actor=staff, nomination=nomination, message="Add the 2024 figures."
    )
    current = Nomination.objects.get(pk=nomination.pk)
    services.nomination_save_draft(
        user=member,
        nomination=current,
        content={"goals": "Contact every officer within 12 hours of a critical incident."},
        version=current.version,
    )
    revision = nomination.revisions.get(number=1)
    assert _table(
        changes(revision.content, snapshot(Nomination.objects.get(pk=nomination.pk)))
    ) == [
        (
            "Goals",
            "Contact every officer within <del>24</del><ins>12</ins> hours of a critical incident.",
        )
    ]


def test_readable_items_gives_labels_and_plain_text(nomination):
    """Pages and receipts read a snapshot as (label, text) pairs, files last."""
    items = readable_items(snapshot(nomination))
    assert items[0] == ("Program title", "Peer Support and Early Warning Program")
    assert items[1] == ("Award category", "Officer Wellness")
    assert ("Measured outcomes", OUTCOME_TEXT) in items
    assert items[-2:] == [("Agency head's attestation", "Confirmed"), ("Files", "")]
