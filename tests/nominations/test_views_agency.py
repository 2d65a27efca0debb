"""The agency's nomination pages: editing, autosave, conflicts, files, messages, renewal."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.core.models import AuditEvent
from dz_awards.nominations import services
from dz_awards.nominations.content import SECTIONS
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import DraftConflict, Evidence, Nomination, NominationMessage
from tests import factories
from tests.files import MINIMAL_PDF, pdf_upload, png_upload, upload
from tests.nominations.view_helpers import add_pdf, database_state, form_data, submitted

S = NominationState


def _url(name, nomination, **kwargs):
    return reverse(f"nominations:{name}", kwargs={"pk": nomination.pk, **kwargs})


def _row(nomination):
    return Nomination.objects.values().get(pk=nomination.pk)


def _events(nomination):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination),
            object_id=str(nomination.pk),
        )
        .order_by("id")
        .values_list("action", "message")
    )


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# (1) The edit form and autosave ignore what an agency must not set ----------------------


@pytest.mark.parametrize("endpoint", ["edit", "autosave"])
def test_save_posted_protected_fields_are_ignored(member_client, draft, endpoint):
    """Posted state, agency, cycle, score, publication and staff message change nothing."""
    other_agency = factories.AgencyFactory()
    other_cycle = factories.CycleFactory()
    before = _row(draft)
    response = member_client.post(
        _url(endpoint, draft),
        form_data(
            draft,
            summary="A new summary.",
            state=S.WINNER,
            agency=str(other_agency.pk),
            agency_id=str(other_agency.pk),
            cycle=str(other_cycle.pk),
            cycle_id=str(other_cycle.pk),
            score="100",
            is_published="on",
            staff_message="Approved by staff.",
            submitted_at="2020-01-01T00:00:00Z",
            previous=str(draft.pk),
        ),
    )
    assert response.status_code in {200, 302}
    after = _row(draft)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"summary", "version", "updated_at", "updated_by_id"}
    assert (after["summary"], after["version"]) == ("A new summary.", before["version"] + 1)
    assert (after["state"], after["staff_message"]) == (S.DRAFT, "")


def test_edit_post_without_version_becomes_a_conflict_not_an_overwrite(member_client, draft):
    """A post with no version is treated as stale: the text is kept aside, nothing overwritten."""
    before = _row(draft)
    response = member_client.post(
        _url("edit", draft), form_data(draft, summary="Posted without a version.", version=None)
    )
    conflict = DraftConflict.objects.get()
    assert response.url == conflict.get_absolute_url()
    assert _row(draft) == before
    assert (conflict.base_version, conflict.content["summary"]) == (0, "Posted without a version.")


def test_autosave_without_version_is_a_409_conflict_not_an_overwrite(member_client, draft):
    """Autosave with no version answers 409 conflict and keeps the text aside."""
    before = _row(draft)
    response = member_client.post(
        _url("autosave", draft), form_data(draft, summary="No version here.", version=None)
    )
    assert response.status_code == 409
    conflict = DraftConflict.objects.get()
    assert response.json()["conflict_url"] == conflict.get_absolute_url()
    assert _row(draft) == before
    assert conflict.content["summary"] == "No version here."


# (2) Autosave JSON -----------------------------------------------------------------------


def test_autosave_saved_returns_new_version_and_progress(member_client, draft, member):
    """A fresh autosave saves, bumps the version and reports per-section progress."""
    response = member_client.post(_url("autosave", draft), form_data(draft, summary=""))
    assert response.status_code == 200
    data = response.json()
    draft.refresh_from_db()
    assert (draft.summary, draft.version, draft.updated_by) == ("", 2, member)
    assert data["status"] == "saved"
    assert data["version"] == 2
    assert data["errors"] == {}
    assert re.fullmatch(r"\d{1,2}:\d\d [AP]M", data["saved_at"])
    expected = []
    for section in SECTIONS:
        total = len(section.fields) + len(section.extra)
        done = total - 1 if section.key == "overview" else total
        expected.append(
            {"key": section.key, "done": done, "total": total, "complete": done == total}
        )
    assert data["progress"] == expected


def test_autosave_stale_version_is_409_with_conflict_and_text_kept(member_client, draft, member):
    """A save from an older version answers 409 and keeps its text; nothing is overwritten."""
    stale = form_data(draft, summary="Typed in the second tab.")
    member_client.post(_url("autosave", draft), form_data(draft, summary="Saved from tab one."))
    response = member_client.post(_url("autosave", draft), stale)
    assert response.status_code == 409
    conflict = DraftConflict.objects.get()
    assert response.json() == {
        "status": "conflict",
        "message": "Someone else saved this nomination. Your text is kept: compare the versions.",
        "conflict_url": _url("conflict", draft, conflict=conflict.pk),
    }
    assert (conflict.user, conflict.base_version) == (member, 1)
    assert conflict.content["summary"] == "Typed in the second tab."
    draft.refresh_from_db()
    assert (draft.summary, draft.version) == ("Saved from tab one.", 2)


def test_autosave_on_submitted_nomination_is_409_locked(member_client, member, agency):
    """Once submitted, autosave answers 409 "locked" and changes nothing."""
    nomination = submitted(member, agency=agency)
    before = _row(nomination)
    response = member_client.post(
        _url("autosave", nomination), form_data(nomination, summary="Too late.")
    )
    assert response.status_code == 409
    assert response.json() == {
        "status": "locked",
        "message": "This nomination is submitted and can no longer be changed here.",
    }
    assert _row(nomination) == before
    assert not DraftConflict.objects.exists()


def test_autosave_anonymous_is_401_json(client, draft):
    """Signed out, autosave answers 401 JSON (never a login page) and saves nothing."""
    before = _row(draft)
    response = client.post(_url("autosave", draft), form_data(draft, summary="Signed out."))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "signed_out"
    assert _row(draft) == before


def test_autosave_get_returns_version_and_a_working_csrf_token(member, draft):
    """GET gives the saved version and a CSRF token that a following POST can use."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.get(_url("autosave", draft))
    data = response.json()
    assert set(data) == {"version", "csrf_token"}
    assert data["version"] == 1
    refused = client.post(_url("autosave", draft), form_data(draft, summary="No token."))
    assert refused.status_code == 403
    saved = client.post(
        _url("autosave", draft),
        form_data(draft, summary="With the token."),
        headers={"X-CSRFToken": data["csrf_token"]},
    )
    assert saved.json()["status"] == "saved"
    draft.refresh_from_db()
    assert draft.summary == "With the token."


# (3) The conflict screen -------------------------------------------------------------


@pytest.fixture
def conflicted(member_client, draft):
    """Tab one saved a new summary; tab two, from version 1, changed summary and goals."""
    tab_two = form_data(draft, summary="My summary.", goals="My goals.")
    member_client.post(_url("autosave", draft), form_data(draft, summary="Saved summary."))
    member_client.post(_url("autosave", draft), tab_two)
    draft.refresh_from_db()
    return draft, DraftConflict.objects.get()


def test_conflict_screen_shows_both_versions_of_differing_fields_only(member_client, conflicted):
    """Only the answers that differ are compared, each with the saved and the kept text."""
    nomination, conflict = conflicted
    html = _page(member_client, conflict.get_absolute_url())
    assert re.findall(r'id="saved-([\w-]+)"', html) == ["summary", "goals"]
    assert re.findall(r'id="mine-([\w-]+)"', html) == ["summary", "goals"]
    assert re.search(r'id="saved-summary">Saved summary\.</div>', html)
    assert re.search(r'id="mine-summary">My summary\.</div>', html)
    assert re.search(rf'id="saved-goals">{re.escape(escape(nomination.goals))}</div>', html)
    assert re.search(r'id="mine-goals">My goals\.</div>', html)
    assert sorted(set(re.findall(r'name="(take_\w+)"', html))) == ["take_goals", "take_summary"]
    assert 'name="version" value="2"' in html


def test_conflict_use_my_version_applies_exactly_that_field(member_client, conflicted, member):
    """Choosing "Use my version" for one answer takes that answer only and bumps the version."""
    nomination, conflict = conflicted
    before = _row(nomination)
    response = member_client.post(
        conflict.get_absolute_url(),
        {"version": "2", "take_summary": "mine", "take_goals": "saved"},
    )
    assert response.url == _url("edit", nomination)
    after = _row(nomination)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"summary", "version", "updated_at"}
    assert (after["summary"], after["goals"], after["version"]) == (
        "My summary.",
        before["goals"],
        3,
    )
    conflict.refresh_from_db()
    assert conflict.resolved_at is not None
    assert _events(nomination)[-1] == (
        "edit_conflict_resolved",
        "Kept from the other copy: summary",
    )


def test_conflict_resolve_with_stale_version_reshows_screen_and_changes_nothing(
    member_client, conflicted
):
    """If the draft was saved again while choosing, nothing changes and the screen comes back."""
    nomination, conflict = conflicted
    member_client.post(_url("autosave", nomination), form_data(nomination, summary="Third."))
    before = database_state()
    response = member_client.post(
        conflict.get_absolute_url(),
        {"version": "2", "take_summary": "mine", "take_goals": "mine"},
        follow=True,
    )
    assert response.redirect_chain == [(conflict.get_absolute_url(), 302)]
    assert _messages(response) == [
        "The nomination was saved again while you were choosing. Compare once more."
    ]
    html = response.content.decode()
    assert re.search(r'id="saved-summary">Third\.</div>', html)
    assert 'name="version" value="3"' in html
    assert database_state() == before


# (4) Session expiry while typing -------------------------------------------------------


def test_edit_post_after_session_expiry_keeps_text_until_sign_in(client, member, draft):
    """A signed-out save redirects to login; after sign-in the typed text is back, unsaved."""
    url = _url("edit", draft)
    before = database_state()
    response = client.post(url, form_data(draft, summary="Typed while the session ended."))
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    assert database_state() == before

    client.force_login(member)
    response = client.get(url)
    html = response.content.decode()
    assert response.context["form"]["summary"].value() == "Typed while the session ended."
    assert re.search(r">\s*Typed while the session ended\.</textarea>", html)
    assert (
        "This is the text you typed before your session ended. It is not saved yet: "
        "check it and choose Save draft."
    ) in _messages(response)
    assert "Not saved yet." in html
    assert database_state() == before

    # Shown once: the next visit shows the saved text again.
    again = client.get(url)
    assert again.context["form"]["summary"].value() == draft.summary


# (5) An invalid date keeps everything else ----------------------------------------------


def test_save_draft_with_invalid_date_saves_other_answers_and_shows_date_error(
    member_client, draft
):
    """A date that is not a date is refused; every other typed answer is saved and shown."""
    old_date = draft.start_date
    response = member_client.post(
        _url("edit", draft),
        form_data(
            draft,
            start_date="15/03/2021 maybe",
            summary="A summary typed with the bad date.",
            goals="Goals typed with the bad date.",
            next="stay",
        ),
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.summary, draft.goals, draft.start_date, draft.version) == (
        "A summary typed with the bad date.",
        "Goals typed with the bad date.",
        old_date,
        2,
    )
    html = response.content.decode()
    assert '<a href="#id_start_date">Program start date: Enter a date like 2021-03-15.</a>' in html
    assert 'value="15/03/2021 maybe"' in html
    assert re.search(r">\s*A summary typed with the bad date\.</textarea>", html)
    assert re.search(r">\s*Goals typed with the bad date\.</textarea>", html)
    # The form carries the new version, so the next save is not a conflict.
    assert re.search(r'name="version" value="2"', html)
    assert _messages(response) == [
        "Your draft is saved, except the answers marked below. Correct them and save again."
    ]


# (6) The submit page --------------------------------------------------------------------


def test_submit_page_lists_every_problem_as_link_to_its_field(member_client, draft):
    """Every missing answer is listed, each linking to its control on the edit form."""
    Nomination.objects.filter(pk=draft.pk).update(
        summary="", participation="", head_attestation=False, outcomes=[], head_email="not-email"
    )
    html = _page(member_client, _url("submit", draft))
    edit = _url("edit", draft)
    links = re.findall(rf'<a href="{re.escape(edit)}#([\w-]+)">([^<]+)</a>', html)
    assert links == [
        ("id_summary", "Short summary: Answer this question."),
        ("id_participation", "Participation: Say whether participation is mandatory."),
        (
            "id_outcomes-0-metric",
            (
                "Measured outcomes: Give at least one measured outcome with its figures before "
                "and after."
            ),
        ),
        (
            "id_head_email",
            "Agency head&#x27;s email address: Enter an email address like name@agency.gov.",
        ),
        (
            "id_head_attestation",
            (
                "Agency head&#x27;s attestation: The head of the agency must confirm the "
                "nomination before it is submitted."
            ),
        ),
    ]
    assert "5 answers to complete before you can submit" in html
    assert "Submit the nomination</button>" not in html


def test_submit_post_when_incomplete_lists_problems_and_keeps_draft(member_client, draft):
    """Submitting an incomplete draft shows the same linked problems and leaves it a draft."""
    Nomination.objects.filter(pk=draft.pk).update(summary="")
    response = member_client.post(_url("submit", draft))
    html = response.content.decode()
    assert (
        f'<a href="{_url("edit", draft)}#id_summary">Short summary: Answer this question.</a>'
        in (html)
    )
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert not draft.revisions.exists()


# (7) The evidence page ------------------------------------------------------------------


def test_evidence_page_shows_limits_and_usage_before_upload(member_client, member, draft, settings):
    """The size, count and quota limits (from settings) and what is used are shown up front."""
    settings.EVIDENCE_MAX_IMAGE_BYTES = 3 * 1024 * 1024
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = 7 * 1024 * 1024
    settings.EVIDENCE_MAX_FILES = 9
    settings.EVIDENCE_QUOTA_BYTES = 50 * 1024 * 1024
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 12_000_000
    add_pdf(member, draft)
    html = _page(member_client, _url("evidence", draft))
    assert "Images: JPEG, PNG or WebP, up to 3.0\xa0MB and 12 megapixels each." in html
    assert (
        "Documents and letters of support: PDF, up to 7.0\xa0MB each, without a password."
    ) in html
    assert "Up to 9 files and 50.0\xa0MB in all for this nomination" in html
    used = filesizeformat(len(MINIMAL_PDF))
    assert f"Used: 1 of 9 files, {used} of 50.0\xa0MB." in html
    assert (
        "Images: JPEG, PNG or WebP up to 3.0\xa0MB and 12 megapixels. Documents and letters: "
        "PDF up to 7.0\xa0MB."
    ) in html
    assert html.index("Up to 9 files") < html.index('type="file"')


def test_evidence_json_upload_of_bad_file_returns_invalid_with_errors(member_client, draft):
    """A JSON upload of a non-PDF answers {status: invalid, errors} and stores nothing."""
    response = member_client.post(
        _url("evidence", draft),
        {"kind": EvidenceKind.DOCUMENT, "file": upload("report.pdf", b"<html>not a pdf</html>")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": "invalid",
        "errors": ["File: This file is not a PDF. Save or print it as a PDF and try again."],
    }
    assert not Evidence.objects.exists()


def test_evidence_json_upload_without_alt_text_for_image_lists_that_error(member_client, draft):
    """An image without alternative text is refused in JSON with the field named."""
    response = member_client.post(
        _url("evidence", draft),
        {"kind": EvidenceKind.IMAGE, "file": png_upload()},
        headers={"Accept": "application/json"},
    )
    assert response.json() == {
        "status": "invalid",
        "errors": [
            (
                "Alternative text (for images): Describe the image in a sentence for people "
                "who cannot see it."
            )
        ],
    }
    assert not Evidence.objects.exists()


def test_evidence_json_upload_of_good_pdf_returns_uploaded_with_redirect(
    member_client, draft, member
):
    """A JSON upload of a real PDF answers {status: uploaded, redirect} and stores it ready."""
    response = member_client.post(
        _url("evidence", draft),
        {"kind": EvidenceKind.LETTER, "file": pdf_upload("Support letter.pdf")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json() == {"status": "uploaded", "redirect": _url("evidence", draft)}
    item = Evidence.objects.get()
    assert (item.nomination, item.kind, item.status, item.original_name, item.uploaded_by) == (
        draft,
        EvidenceKind.LETTER,
        EvidenceStatus.READY,
        "Support letter.pdf",
        member,
    )
    with item.file.open("rb") as handle:
        assert handle.read() == MINIMAL_PDF


# (8) Evidence download --------------------------------------------------------------------


def _download(client, nomination, item):
    response = client.get(_url("evidence-download", nomination, evidence=item.pk))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # The file only: response.close() would also close the test's database connection.
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    return response, content


def test_evidence_download_is_a_safe_attachment_with_the_stored_bytes(member_client, member, draft):
    """The file comes as an attachment with a safe name, nosniff and a sandbox CSP."""
    item = services.evidence_add(
        user=member,
        nomination=draft,
        upload=pdf_upload('../../etc/Annual\x00 "report"\r\n.pdf'),
        kind=EvidenceKind.DOCUMENT,
    )
    response, content = _download(member_client, draft, item)
    assert response.status_code == 200
    assert item.original_name == 'Annual "report".pdf'
    assert response["Content-Disposition"] == 'attachment; filename="Annual \\"report\\".pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    with item.file.open("rb") as handle:
        assert content == handle.read() == MINIMAL_PDF


def test_evidence_download_of_image_still_processing_is_404(member_client, member, draft):
    """An image not yet re-encoded cannot be downloaded: 404 until it is ready."""
    item = services.evidence_add(
        user=member,
        nomination=draft,
        upload=png_upload(),
        kind=EvidenceKind.IMAGE,
        alt_text="Officers at a training day.",
    )
    assert item.status == EvidenceStatus.PROCESSING
    response, content = _download(member_client, draft, item)
    assert response.status_code == 404
    assert not content.startswith(b"\x89PNG")


def test_evidence_download_of_processed_image_serves_the_reencoded_copy(
    member_client, member, draft, django_capture_on_commit_callbacks
):
    """Once processed, the image downloads as the stored, re-encoded bytes, without the
    text chunk the upload carried."""
    from PIL.PngImagePlugin import PngInfo

    chunk = PngInfo()
    chunk.add_text("Comment", "taken at 38.8977 N, 77.0365 W")
    original = png_upload(pnginfo=chunk)
    original_bytes = original.read()
    original.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_add(
            user=member,
            nomination=draft,
            upload=original,
            kind=EvidenceKind.IMAGE,
            alt_text="Officers at a training day.",
        )
    item.refresh_from_db()
    assert item.status == EvidenceStatus.READY
    response, content = _download(member_client, draft, item)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="photo.png"'
    with item.file.open("rb") as handle:
        assert content == handle.read()
    assert content.startswith(b"\x89PNG")
    assert b"38.8977" in original_bytes
    assert b"38.8977" not in content


# (9) Messages -----------------------------------------------------------------------------


@pytest.fixture
def with_staff(member, agency):
    nomination = submitted(member, agency=agency, title="Peer Support")
    staff = factories.StaffFactory(email="screener@example.org")
    factories.StaffFactory(email="gone@example.org", is_active=False)
    return nomination, staff


def test_message_from_member_emails_staff(
    member_client, member, with_staff, django_capture_on_commit_callbacks
):
    """A member's message is stored as theirs and emailed to active program staff."""
    nomination, _staff = with_staff
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            _url("messages", nomination), {"body": "Can we add a letter?"}
        )
    assert response.url == _url("detail", nomination) + "#messages"
    message = NominationMessage.objects.get()
    assert (message.author, message.from_staff, message.body) == (
        member,
        False,
        "Can we add a letter?",
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["screener@example.org"], f"New message from {nomination.agency.name}")
    ]
    assert "Can we add a letter?" in mail.outbox[0].body
    assert reverse("staff:nomination-detail", kwargs={"pk": nomination.pk}) in mail.outbox[0].body


def test_message_from_staff_emails_agency_members(
    client, member, agency, with_staff, django_capture_on_commit_callbacks
):
    """A staff message is stored as from staff and emailed to the agency's approved members."""
    nomination, staff = with_staff
    owner = factories.OwnerFactory(agency=agency).user
    factories.MembershipFactory(agency=agency, status=MembershipStatus.PENDING)
    mail.outbox.clear()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:nomination-messages", kwargs={"pk": nomination.pk}),
            {"body": "Yes, please add it."},
        )
    assert response.url == (
        reverse("staff:nomination-detail", kwargs={"pk": nomination.pk}) + "#messages"
    )
    message = NominationMessage.objects.get()
    assert (message.author, message.from_staff) == (staff, True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, owner.email])
    assert {m.subject for m in mail.outbox} == {f"New message about {nomination}"}
    assert all("Yes, please add it." in m.body for m in mail.outbox)
    client.force_login(member)
    html = _page(client, _url("detail", nomination))
    assert "<strong>Program staff</strong>" in html
    assert "<p>Yes, please add it.</p>" in html


def test_message_too_long_is_refused_and_text_comes_back(member_client, with_staff):
    """A message over 5000 characters is not sent; its text is back in the form next time."""
    nomination, _staff = with_staff
    text = "A" * 4990 + " the end."  # 4999
    text += "!!"  # 5001
    mail.outbox.clear()
    response = member_client.post(_url("messages", nomination), {"body": text}, follow=True)
    assert not NominationMessage.objects.exists()
    assert mail.outbox == []
    assert _messages(response) == ["Ensure this value has at most 5000 characters (it has 5001)."]
    assert response.context["message_form"]["body"].value() == text
    assert re.search(rf">\s*{text}</textarea>", response.content.decode())
    # Only once: the next visit shows an empty form.
    again = member_client.get(_url("detail", nomination))
    assert again.context["message_form"]["body"].value() is None


# (10) Withdraw ------------------------------------------------------------------------------


def test_withdraw_without_confirmation_is_refused(member_client, member, agency):
    """Withdrawing needs the confirmation box: without it nothing changes."""
    nomination = submitted(member, agency=agency)
    before = database_state()
    response = member_client.post(_url("withdraw", nomination), {"reason": "Changed our mind."})
    assert response.status_code == 200
    assert "Tick the box to confirm the withdrawal." in response.content.decode()
    assert database_state() == before


def test_withdraw_with_confirmation_withdraws(member_client, member, agency):
    """With the box ticked the nomination is withdrawn and the reason recorded."""
    nomination = submitted(member, agency=agency)
    response = member_client.post(
        _url("withdraw", nomination), {"reason": "Changed our mind.", "confirm": "on"}
    )
    assert response.url == _url("detail", nomination)
    nomination.refresh_from_db()
    assert nomination.state == S.WITHDRAWN
    assert _events(nomination)[-1] == ("nomination_withdrawn", "Changed our mind.")


# (11) Renewal ---------------------------------------------------------------------------


@pytest.fixture
def last_year(member, agency, cycle):
    """Last year's nomination of the agency: a winner with a file, in a closed cycle."""
    past = factories.CycleFactory(
        year=cycle.year - 1,
        opens_at=timezone.now() - timedelta(days=400),
        closes_at=timezone.now() - timedelta(days=330),
    )
    old_category = factories.CategoryFactory(cycle=past, code="peer-support")
    nomination = factories.NominationFactory(
        agency=agency,
        cycle=past,
        category=old_category,
        complete=True,
        title="Peer Support Team",
        summary="Last year's summary.",
        staff_message="Staff note from last year.",
    )
    add_pdf(member, nomination, "old-policy.pdf")
    Nomination.objects.filter(pk=nomination.pk).update(state=S.WINNER)
    nomination.refresh_from_db()
    return nomination


def test_start_from_previous_copies_text_only_into_current_cycle(
    member_client, member, cycle, last_year
):
    """Renewal copies the answers into a new draft of this cycle, linked and re-categorised."""
    factories.CategoryFactory(cycle=cycle, code="other")
    new_category = factories.CategoryFactory(cycle=cycle, code="peer-support")
    page = _page(member_client, reverse("nominations:start"))
    assert "Start from a previous nomination" in page
    assert (
        f'<option value="{last_year.pk}">Peer Support Team ({last_year.cycle.year})</option>'
        in (page)
    )

    response = member_client.post(
        reverse("nominations:start"), {"start": "renew", "previous": str(last_year.pk)}
    )
    renewal = Nomination.objects.exclude(pk=last_year.pk).get()
    assert response.url == _url("edit", renewal)
    assert (renewal.cycle, renewal.category, renewal.previous, renewal.agency) == (
        cycle,
        new_category,
        last_year,
        last_year.agency,
    )
    assert (renewal.state, renewal.head_attestation, renewal.staff_message) == (
        S.DRAFT,
        False,
        "",
    )
    assert renewal.evidence.count() == 0
    assert renewal.revisions.count() == 0
    for name in ("title", "summary", "problem", "goals", "outcomes", "start_date", "head_name"):
        assert getattr(renewal, name) == getattr(last_year, name)
    assert last_year.head_attestation is True
    assert [a for a, _m in _events(renewal)] == ["nomination_created", "nomination_renewed"]


def test_start_from_previous_of_another_agency_is_refused(member_client, cycle, last_year):
    """A nomination of another agency is not offered and cannot be posted."""
    foreign = factories.NominationFactory(cycle=last_year.cycle, title="Foreign Program")
    page = _page(member_client, reverse("nominations:start"))
    assert "Foreign Program" not in page
    response = member_client.post(
        reverse("nominations:start"), {"start": "renew", "previous": str(foreign.pk)}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert Nomination.objects.count() == 2


def test_start_new_with_another_agency_reshows_the_form_with_an_error(
    member_client, agency, last_year
):
    """Starting a nomination for an agency one is not a member of is refused on the form."""
    foreign = factories.AgencyFactory()
    response = member_client.post(
        reverse("nominations:start"), {"start": "new", "agency": str(foreign.pk), "title": "X"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert "Start from a previous nomination" in response.content.decode()
    assert list(Nomination.objects.all()) == [last_year]


# (12) The dashboard ---------------------------------------------------------------------


def test_dashboard_shows_each_nomination_with_badge_next_step_and_timeline(
    member_client, member, agency, cycle, category
):
    """Each nomination appears with its state badge, its next step and its timeline."""
    draft = services.nomination_create(
        user=member, agency=agency, cycle=cycle, category=category, title="Drafted Program"
    )
    sent = submitted(member, agency=agency, cycle=cycle, category=category, title="Sent Program")
    html = _page(member_client, reverse("portal:dashboard"))

    def item(nomination):
        match = re.search(
            rf'<li class="mb-3">\s*<a href="{nomination.get_absolute_url()}">'
            rf"{nomination.title}</a>(.*?)</li>\s*(?=<li class=\"mb-3\">|</ul>)",
            html,
            re.S,
        )
        assert match, nomination.title
        return match.group(1)

    drafted = item(draft)
    assert "Status: </span>Draft</span>" in drafted
    assert "text-bg-secondary" in drafted
    assert "Next: Finish the answers and submit before the deadline." in drafted
    assert f'href="{_url("edit", draft)}"' in drafted
    assert re.findall(r"· ([A-Z][\w ]+) by ", drafted) == ["Nomination created"]

    sent_item = item(sent)
    assert "Status: </span>Submitted</span>" in sent_item
    assert "text-bg-primary" in sent_item
    assert "Next: Nothing to do: program staff are reading your submission." in sent_item
    assert f'href="{_url("edit", sent)}"' not in sent_item
    assert re.findall(r"· ([A-Z][\w ]+) by ", sent_item) == [
        "Evidence added",
        "Nomination submitted",
    ]
