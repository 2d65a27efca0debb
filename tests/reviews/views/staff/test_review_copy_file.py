"""One file of the review copy (`views.staff.nomination.ReviewCopyFileView`), and staff
opening the agency's original (`nominations.views.shared.EvidenceOriginalView`).

The files are real PDFs from `tests.hostile_pdfs`: the agency's name as page text is
what the identity check finds (on page 1 of file 1). Staff set the finding aside with
a reason, or upload a corrected PDF that is cleaned and checked again; a refusal says
why and changes nothing. Only staff reach the page, and only for a file the review
copy shows.
"""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dz_awards.core.models import AuditEvent
from dz_awards.nominations.enums import EvidenceKind, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from reviews import services
from reviews.models import FindingOverride, ReviewCopy
from tests import factories, hostile_pdfs
from tests.files import image_bytes, pdf_upload, upload
from tests.nominations.view_helpers import submitted
from tests.reviews import helpers as review
from tests.reviews.views.staff.helpers import message_texts, page_text

pytestmark = pytest.mark.django_db

WORDS = hostile_pdfs.AGENCY_WORDS
NAME = "Riverton Police Department"
CITY = "Lakemont"
REASON = "Riverton is the river the report is about, not the department."


def _world(staff, category, *, builder=hostile_pdfs.visible_text_pdf, more=(), ori="OH0990011"):
    """A submitted nomination whose review copy shows report.pdf (and `more` uploads)."""
    agency = review.identified_agency(name=NAME, city=CITY, ori=ori)
    uploads = [(review.pdf_file("report.pdf", builder(WORDS)), "The annual report"), *more]
    nomination = review.ready_nomination(staff, category=category, agency=agency, uploads=uploads)
    copy = review.copy_of(nomination)
    return nomination, copy, copy.files.order_by("created_at")[0]


def _innocent(_words):
    return hostile_pdfs.visible_text_pdf("Our department")


def _url(nomination, evidence):
    return reverse(
        "staff:nomination-review-copy-file",
        kwargs={"pk": nomination.pk, "evidence": evidence.pk},
    )


def _copy_url(nomination):
    return reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})


def _state(copy, evidence):
    """What a refused change must leave as it was."""
    copy = ReviewCopy.objects.get(pk=copy.pk)
    evidence = Evidence.objects.get(pk=evidence.pk)
    return (
        copy.leaks,
        copy.overridden,
        copy.checked_at,
        copy.updated_at,
        evidence.clean_file.name,
        evidence.ocr,
        FindingOverride.objects.count(),
        AuditEvent.objects.filter(
            action__in=["identity_finding_overridden", "evidence_clean_copy_replaced"]
        ).count(),
    )


def _override(reason=REASON, *, seen):
    return {"action": "override", "override-reason": reason, "override-seen": seen}


def _shown_seen(response):
    """The findings digest the page's override form carries."""
    return response.context["override_form"]["seen"].value()


# The page --------------------------------------------------------------------------------


def test_file_page_shows_the_finding_the_ocr_budget_and_both_ways_out(
    staff_client, staff, category
):
    nomination, copy, evidence = _world(staff, category)

    response = staff_client.get(_url(nomination, evidence))

    assert response.status_code == 200
    row = response.context["row"]
    assert (row["number"], row["evidence"]) == (1, evidence)
    assert [(f["where"], f["what"]) for f in row["held"]] == [
        ("file 1 (report.pdf): page 1", "agency name")
    ]
    html = page_text(response)
    assert "<h1>File 1: report.pdf</h1>" in html
    assert "<li>file 1 (report.pdf): page 1: agency name</li>" in html
    assert "OCR read 0 of 1 page in 0 s; stopped by the page budget (0 of 1 pages read)." in html
    assert 'id="override-heading"' in html
    assert 'id="replace-heading"' in html
    download = reverse(
        "staff:nomination-evidence-download", kwargs={"pk": nomination.pk, "evidence": evidence.pk}
    )
    assert f'href="{download}"' in html
    assert _shown_seen(response) == services.findings_seen(copy.leaks)
    assert 'name="override-seen"' in html


def test_file_page_while_the_check_runs_offers_no_override(staff_client, staff, category):
    nomination, copy, evidence = _world(staff, category)
    ReviewCopy.objects.filter(pk=copy.pk).update(checked_at=None, leaks=[])

    html = page_text(staff_client.get(_url(nomination, evidence)))

    assert "<strong>Checking…</strong>" in html
    assert 'id="override-heading"' not in html
    assert 'id="replace-heading"' in html


def test_file_page_of_a_closed_nomination_shows_the_findings_but_no_forms(
    staff_client, staff, category
):
    nomination, _copy, evidence = _world(staff, category)
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.WITHDRAWN)

    html = page_text(staff_client.get(_url(nomination, evidence)))

    assert "<li>file 1 (report.pdf): page 1: agency name</li>" in html
    assert 'id="override-heading"' not in html
    assert 'id="replace-heading"' not in html


def test_file_page_of_an_image_offers_no_replacement(staff_client, staff, category):
    photo = upload("team.png", image_bytes("PNG"), "image/png")
    nomination, copy, _report = _world(
        staff, category, more=[(photo, "The team", EvidenceKind.IMAGE)]
    )
    image = copy.files.get(original_name="team.png")

    response = staff_client.get(_url(nomination, image))

    assert response.context["row"]["number"] == 2
    html = page_text(response)
    assert "Nothing holds this file back." in html
    assert 'id="override-heading"' not in html
    assert 'id="replace-heading"' not in html


@pytest.mark.parametrize("who", ["reviewer", "agency owner"])
def test_file_page_is_not_found_for_anyone_but_staff(client, staff, category, who):
    # A copy with nothing found, so that a reviewer can be assigned to it.
    nomination, _copy, evidence = _world(staff, category, builder=_innocent)
    if who == "reviewer":
        person = review.reviewer(category)
        review.assign(staff, nomination, [person])
    else:
        person = factories.OwnerFactory(agency=nomination.agency).user
    client.force_login(person)

    assert client.get(_url(nomination, evidence)).status_code == 404
    posted = client.post(_url(nomination, evidence), _override(seen="x"))
    assert posted.status_code == 404
    assert not FindingOverride.objects.exists()


def test_file_page_sends_strangers_to_sign_in(client, staff, category):
    nomination, _copy, evidence = _world(staff, category)

    response = client.get(_url(nomination, evidence))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_file_page_is_not_found_for_a_file_the_copy_does_not_show(staff_client, staff, category):
    nomination, copy, evidence = _world(staff, category)
    other, _other_copy, other_file = _world(staff, category, ori="OH0990012")
    unticked = Evidence.objects.create(
        nomination=nomination,
        kind=evidence.kind,
        status=evidence.status,
        file=evidence.file.name,
        original_name="budget.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=evidence.size,
    )

    # Another nomination's file under this nomination, and this file under the other.
    assert staff_client.get(_url(nomination, other_file)).status_code == 404
    assert staff_client.get(_url(other, evidence)).status_code == 404
    # A file of the nomination that staff did not choose for reviewers.
    assert staff_client.get(_url(nomination, unticked)).status_code == 404
    # A file deleted since.
    Evidence.objects.filter(pk=evidence.pk).delete()
    assert staff_client.get(_url(nomination, evidence)).status_code == 404
    assert copy.files.count() == 0


def test_file_page_is_not_found_before_the_review_copy_is_saved(
    staff_client, category, agency, django_capture_on_commit_callbacks
):
    member = factories.MembershipFactory(agency=agency).user
    with django_capture_on_commit_callbacks(execute=True):
        nomination = submitted(member, agency=agency, cycle=category.cycle, category=category)
    evidence = nomination.evidence.get()

    assert staff_client.get(_url(nomination, evidence)).status_code == 404


# Setting the findings aside --------------------------------------------------------------


def test_override_is_stored_with_who_when_why_and_clears_the_copy(staff_client, staff, category):
    nomination, copy, evidence = _world(staff, category)
    seen = _shown_seen(staff_client.get(_url(nomination, evidence)))

    response = staff_client.post(_url(nomination, evidence), _override(f"  {REASON}  ", seen=seen))

    assert response.status_code == 302
    assert response["Location"] == _copy_url(nomination)
    (override,) = FindingOverride.objects.all()
    assert (override.copy_id, override.evidence_id, override.created_by) == (
        copy.pk,
        evidence.pk,
        staff,
    )
    assert override.reason == REASON
    assert override.created_at is not None
    assert override.clean_copy_name == evidence.clean_file.name
    assert override.findings == [{"where": "file 1 (report.pdf): page 1", "what": "agency name"}]
    event = AuditEvent.objects.get(action="identity_finding_overridden")
    assert (event.actor, event.message) == (staff, f"report.pdf: {REASON}")
    copy.refresh_from_db()
    assert copy.leaks == []
    assert [f["where"] for f in copy.overridden] == ["file 1 (report.pdf): page 1"]
    assert copy.is_cleared

    page = staff_client.get(response["Location"])
    assert message_texts(page) == [
        "The findings in this file are set aside; your reason is recorded."
    ]
    assert "Findings set aside" in page_text(page)
    html = page_text(staff_client.get(_url(nomination, evidence)))
    assert "Nothing holds this file back." in html
    assert "<li>file 1 (report.pdf): page 1: agency name</li>" in html  # set aside
    assert f"<li>{REASON} ({staff.full_name}, " in html
    assert 'id="override-heading"' not in html


def test_override_that_leaves_other_findings_keeps_the_copy_held(staff_client, staff, category):
    """Set aside in one file, the copy stays held by what the other file shows."""
    second = review.pdf_file("order.pdf", hostile_pdfs.visible_text_pdf(CITY))
    nomination, copy, evidence = _world(staff, category, more=[(second, "The order")])
    assert len(copy.leaks) == 2
    seen = _shown_seen(staff_client.get(_url(nomination, evidence)))

    staff_client.post(_url(nomination, evidence), _override(seen=seen))

    copy.refresh_from_db()
    assert [(f["where"], f["what"]) for f in copy.leaks] == [("file 2 (order.pdf): page 1", "city")]
    assert not copy.is_cleared


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Why is this not the agency's identity?: This field is required."),
        ("   ", "Why is this not the agency's identity?: This field is required."),
        (
            "The river. " * 182,
            (
                "Why is this not the agency's identity?: Ensure this value has at most 2000 "
                "characters (it has 2001)."
            ),
        ),
    ],
)
def test_override_without_a_fitting_reason_shows_why_and_keeps_the_text(
    staff_client, staff, category, reason, error
):
    nomination, copy, evidence = _world(staff, category)
    before = _state(copy, evidence)
    seen = _shown_seen(staff_client.get(_url(nomination, evidence)))

    response = staff_client.post(_url(nomination, evidence), _override(reason, seen=seen))

    assert response.status_code == 200
    html = page_text(response)
    assert "Please correct this problem" in html
    assert f'<a href="#id_override-reason">{error}</a>' in html.replace("&#x27;", "'")
    form = response.context["override_form"]
    assert form["reason"].value() == reason
    if reason.strip():
        assert reason.strip() in html
    assert _shown_seen(response) == seen
    assert _state(copy, evidence) == before


def test_override_of_findings_that_changed_since_the_page_is_refused(
    staff_client, staff, category, django_capture_on_commit_callbacks
):
    nomination, copy, evidence = _world(staff, category)
    seen = _shown_seen(staff_client.get(_url(nomination, evidence)))
    # Meanwhile, in another tab: a corrected copy that still shows the city, checked.
    with django_capture_on_commit_callbacks(execute=True):
        services.review_copy_file_replace(
            actor=staff,
            nomination=nomination,
            evidence=evidence,
            upload=review.pdf_file("fixed.pdf", hostile_pdfs.visible_text_pdf(CITY)),
        )
    before = _state(copy, evidence)
    assert [f["what"] for f in before[0]] == ["city"]

    response = staff_client.post(_url(nomination, evidence), _override(seen=seen))

    assert response.status_code == 200
    html = page_text(response)
    assert (
        "What the identity check found in this file changed after you opened the page. "
        "Read the findings below again; nothing was set aside."
    ) in html
    assert "<li>file 1 (report.pdf): page 1: city</li>" in html
    assert _state(copy, evidence) == before
    # The form kept the reason and now answers what the page shows: sent again, it holds.
    assert response.context["override_form"]["reason"].value() == REASON
    fresh = _shown_seen(response)
    assert fresh != seen
    assert fresh == services.findings_seen(before[0])
    again = staff_client.post(_url(nomination, evidence), _override(seen=fresh))
    assert again.status_code == 302
    assert FindingOverride.objects.get().findings == [
        {"where": "file 1 (report.pdf): page 1", "what": "city"}
    ]


def test_override_sent_twice_is_refused_the_second_time(staff_client, staff, category):
    """The second tab's override finds nothing left to set aside: one override, one record."""
    nomination, copy, evidence = _world(staff, category)
    seen = _shown_seen(staff_client.get(_url(nomination, evidence)))
    staff_client.post(_url(nomination, evidence), _override(seen=seen))
    before = _state(copy, evidence)

    response = staff_client.post(_url(nomination, evidence), _override(seen=seen))

    assert response.status_code == 200
    assert "The identity check found nothing in this file to set aside." in page_text(response)
    assert _state(copy, evidence) == before
    assert FindingOverride.objects.count() == 1


def test_override_without_the_findings_digest_is_refused(staff_client, staff, category):
    nomination, copy, evidence = _world(staff, category)
    before = _state(copy, evidence)

    response = staff_client.post(
        _url(nomination, evidence), {"action": "override", "override-reason": REASON}
    )

    assert response.status_code == 200
    assert "changed after you opened the page" in page_text(response)
    assert _state(copy, evidence) == before


# Replacing the clean copy ----------------------------------------------------------------


def _body(response):
    """A streamed file's bytes; the file closed (not the response: that would end the
    test's database connection)."""
    body = b"".join(response.streaming_content)
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    return body


def _download(client, nomination, evidence):
    response = client.get(
        reverse(
            "staff:nomination-evidence-download",
            kwargs={"pk": nomination.pk, "evidence": evidence.pk},
        )
    )
    return response, _body(response)


def test_corrected_copy_is_cleaned_checked_and_served_while_the_agency_keeps_its_own(
    staff_client, staff, category, django_capture_on_commit_callbacks
):
    nomination, copy, evidence = _world(staff, category)
    original, old_copy = evidence.file.name, evidence.clean_file.name
    corrected = hostile_pdfs.attachment("Our department")  # carries an attachment too

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _url(nomination, evidence),
            {"action": "replace", "replace-file": pdf_upload("fixed.pdf", corrected)},
        )

    assert response.status_code == 302
    assert response["Location"] == _copy_url(nomination)
    evidence.refresh_from_db()
    copy.refresh_from_db()
    assert evidence.file.name == original
    assert evidence.clean_file.name != old_copy
    assert not evidence.clean_file.storage.exists(old_copy)
    assert evidence.ocr["stopped"] == "page budget (0 of 1 pages read)"
    assert copy.is_checked
    assert copy.leaks == []
    assert copy.is_cleared
    event = AuditEvent.objects.get(action="evidence_clean_copy_replaced")
    assert (event.actor, event.message) == (staff, "report.pdf")
    assert message_texts(staff_client.get(response["Location"])) == [
        (
            "The clean copy is replaced. OCR and the identity check run now; reload the review "
            "copy in a moment to see the result."
        )
    ]
    _response, body = _download(staff_client, nomination, evidence)
    assert "Annual community report" in PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert not hostile_pdfs.carries_words(body, "Our department")  # the attachment is gone
    assert not hostile_pdfs.carries_words(body, WORDS)


def _broken_pdf():
    """A real PDF with its middle cut out: header and end marker, no readable page."""
    data = hostile_pdfs.visible_text_pdf("Our department")
    return data[:60] + data[-40:]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            image_bytes("PNG"),
            "This file is not a PDF. Save or print it as a PDF and try again.",
        ),
        (
            _broken_pdf(),
            "This file is not a PDF. Save or print it as a PDF and try again.",
        ),
        (b"", "Corrected PDF: The submitted file is empty."),
    ],
    ids=["png", "damaged", "empty"],
)
def test_corrected_copy_that_is_not_a_readable_pdf_is_refused_and_nothing_changes(
    staff_client, staff, category, content, error
):
    nomination, copy, evidence = _world(staff, category)
    before = _state(copy, evidence)

    response = staff_client.post(
        _url(nomination, evidence),
        {"action": "replace", "replace-file": upload("fixed.pdf", content, "application/pdf")},
    )

    assert response.status_code == 200
    html = page_text(response)
    assert "Please correct this problem" in html
    assert error in html
    assert _state(copy, evidence) == before


def test_corrected_copy_without_a_file_is_refused(staff_client, staff, category):
    nomination, copy, evidence = _world(staff, category)
    before = _state(copy, evidence)

    response = staff_client.post(_url(nomination, evidence), {"action": "replace"})

    assert response.status_code == 200
    assert "Corrected PDF: This field is required." in page_text(response)
    assert _state(copy, evidence) == before


# Opening the agency's original -----------------------------------------------------------


def _original_url(nomination, evidence):
    return reverse(
        "staff:nomination-evidence-original",
        kwargs={"pk": nomination.pk, "evidence": evidence.pk},
    )


def test_staff_open_the_original_as_a_recorded_attachment(staff_client, staff, category):
    nomination, _copy, evidence = _world(staff, category, builder=hostile_pdfs.attachment)
    with evidence.file.open("rb") as stored:
        uploaded = stored.read()

    response = staff_client.post(_original_url(nomination, evidence))

    assert response.status_code == 200
    body = _body(response)
    assert body == uploaded
    assert hostile_pdfs.carries_words(body, WORDS)
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["Content-Type"] == "application/pdf"
    # The same protections as every other download of a file.
    clean, _clean_body = _download(staff_client, nomination, evidence)
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Cache-Control"):
        assert response[header] == clean[header]
    assert (response["Content-Security-Policy"], response["X-Content-Type-Options"]) == (
        "sandbox",
        "nosniff",
    )
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="evidence_original_opened")
    assert (event.actor, event.message, event.object_id) == (
        staff,
        "report.pdf",
        str(nomination.pk),
    )


def test_original_is_never_opened_by_a_get(staff_client, staff, category):
    nomination, _copy, evidence = _world(staff, category)

    assert staff_client.get(_original_url(nomination, evidence)).status_code == 405
    assert not AuditEvent.objects.filter(action="evidence_original_opened").exists()


@pytest.mark.parametrize("who", ["reviewer", "agency member"])
def test_original_is_not_found_for_anyone_but_staff(client, staff, category, who):
    nomination, _copy, evidence = _world(staff, category, builder=_innocent)
    if who == "reviewer":
        person = review.reviewer(category)
        review.assign(staff, nomination, [person])
    else:
        person = factories.MembershipFactory(agency=nomination.agency).user
    client.force_login(person)

    assert client.post(_original_url(nomination, evidence)).status_code == 404
    assert not AuditEvent.objects.filter(action="evidence_original_opened").exists()


def test_original_of_another_nominations_file_is_not_found(staff_client, staff, category):
    nomination, _copy, _evidence = _world(staff, category)
    _other, _other_copy, other_file = _world(staff, category, ori="OH0990012")

    assert staff_client.post(_original_url(nomination, other_file)).status_code == 404
    assert not AuditEvent.objects.filter(action="evidence_original_opened").exists()


def test_refusal_of_a_form_the_page_no_longer_shows_is_still_shown(staff_client, staff, category):
    """Staff withdrew the nomination in another tab: both forms are gone, the refusal is not."""
    nomination, copy, evidence = _world(staff, category)
    seen = _shown_seen(staff_client.get(_url(nomination, evidence)))
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.WITHDRAWN)
    before = _state(copy, evidence)

    response = staff_client.post(_url(nomination, evidence), _override(seen=seen))

    assert response.status_code == 200
    html = page_text(response)
    assert '<h2 class="h5">Nothing was changed</h2>' in html
    assert "<li>This nomination is withdrawn: its review copy can no longer change.</li>" in html
    assert 'id="override-heading"' not in html
    assert _state(copy, evidence) == before
