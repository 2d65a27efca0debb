"""When the clean copy or its OCR cannot be made, and when staff's changes are refused.

OCR that cannot run (no Tesseract) or fails (a Tesseract that errors) is never a
clean result: the file is held back with a finding that says so, and the staff
page says why. A file without a clean copy or OCR text yet is held back too.
Staff's override and corrected copy are refused, with a reason in words and
nothing changed, when the copy is not saved, the file is not shown, the check
is still running, the nomination left review, or the person is not staff.
"""

import pytesseract
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from dz_awards.core.models import AuditEvent
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from reviews import services
from reviews.models import FindingOverride, ReviewCopy
from tests import factories, hostile_pdfs
from tests.files import image_bytes, upload
from tests.reviews import helpers

pytestmark = pytest.mark.django_db

NAME = "Riverton Police Department"


def _world(staff, category, content=None, *, more=(), **agency):
    agency = helpers.identified_agency(name=NAME, **agency)
    content = content or hostile_pdfs.visible_text_pdf(hostile_pdfs.AGENCY_WORDS)
    uploads = [(helpers.pdf_file("report.pdf", content), "The annual report"), *more]
    nomination = helpers.ready_nomination(staff, category=category, agency=agency, uploads=uploads)
    copy = helpers.copy_of(nomination)
    return nomination, copy, copy.files.order_by("created_at")[0]


def _leaks(copy):
    copy = ReviewCopy.objects.get(pk=copy.pk)
    return [(leak["where"], leak["what"]) for leak in copy.leaks]


def _file_page(staff, nomination, evidence):
    client = Client()
    client.force_login(staff)
    url = reverse(
        "staff:nomination-review-copy-file",
        kwargs={"pk": nomination.pk, "evidence": evidence.pk},
    )
    return client.get(url).content.decode()


# OCR that cannot run --------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ("/nonexistent/tesseract", "OCR is not available on this server"),
        ("/bin/false", "OCR failed on this file"),
    ],
    ids=["no tesseract", "tesseract fails"],
)
def test_ocr_that_cannot_read_holds_the_file_back_and_says_why(
    monkeypatch, settings, staff, category, case
):
    command, error = case
    settings.OCR_MAX_PAGES = 1
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", command)
    innocent = hostile_pdfs.visible_text_pdf("Our department")
    nomination, copy, evidence = _world(staff, category, innocent)

    assert evidence.ocr["error"] == error
    assert evidence.ocr["texts"] == []
    assert _leaks(copy) == [
        (f"file 1 (report.pdf): {error}; look at its pictures by eye", "unknown")
    ]
    html = _file_page(staff, nomination, evidence)
    assert f"{error}: look at its pictures yourself." in html
    assert "<li>file 1 (report.pdf): " in html
    assert "could not be read</li>" in html


def test_an_image_is_read_by_ocr_and_its_time_is_shown(settings, staff, category):
    settings.OCR_MAX_PAGES = 1
    letterhead = upload(
        "letterhead.png",
        hostile_pdfs.letterhead_png(hostile_pdfs.AGENCY_WORDS),
        "image/png",
    )
    nomination, copy, _report = _world(
        staff,
        category,
        hostile_pdfs.visible_text_pdf("Our department"),
        more=[(letterhead, "Our letterhead", EvidenceKind.IMAGE)],
    )
    image = copy.files.get(original_name="letterhead.png")

    assert (image.ocr["pages_read"], image.ocr["pages_total"], image.ocr["stopped"]) == (1, 1, "")
    assert _leaks(copy) == [("file 2 (letterhead.png): image (OCR)", "agency name")]
    html = _file_page(staff, nomination, image)
    assert f"OCR read 1 of 1 page in {round(image.ocr['seconds'])} s." in html


def test_a_file_without_its_clean_copy_or_ocr_is_held_back(staff, category):
    innocent = hostile_pdfs.visible_text_pdf("Our department")
    photo = upload("team.png", image_bytes("PNG"), "image/png")
    nomination, copy, evidence = _world(
        staff, category, innocent, more=[(photo, "The team", EvidenceKind.IMAGE)]
    )
    assert _leaks(copy) == []
    Evidence.objects.filter(pk=evidence.pk).update(clean_file="", ocr={})
    image = copy.files.get(original_name="team.png")
    Evidence.objects.filter(pk=image.pk).update(ocr={})

    assert services.review_copy_check(copy.pk) == [
        {
            "where": "file 1 (report.pdf): no clean copy yet, so it can be neither checked "
            "nor shown",
            "what": "unknown",
            "file": str(evidence.pk),
            "copy": "",
        },
        {
            "where": "file 2 (team.png): OCR has not run yet",
            "what": "unknown",
            "file": str(image.pk),
            "copy": image.file.name,
        },
    ]
    assert "OCR has not run yet." in _file_page(staff, nomination, image)


# Refusals of the services ---------------------------------------------------------------


def _state(copy, evidence):
    copy = ReviewCopy.objects.get(pk=copy.pk)
    evidence = Evidence.objects.get(pk=evidence.pk)
    return (
        copy.leaks,
        copy.overridden,
        copy.checked_at,
        evidence.clean_file.name,
        FindingOverride.objects.count(),
        AuditEvent.objects.filter(
            action__in=["identity_finding_overridden", "evidence_clean_copy_replaced"]
        ).count(),
    )


def _override(staff, nomination, evidence, copy, reason="A river, not the department."):
    return services.review_copy_override(
        actor=staff,
        nomination=nomination,
        evidence=evidence,
        reason=reason,
        seen=services.findings_seen(ReviewCopy.objects.get(pk=copy.pk).leaks),
    )


def _replace(staff, nomination, evidence, content=None):
    return services.review_copy_file_replace(
        actor=staff,
        nomination=nomination,
        evidence=evidence,
        upload=helpers.pdf_file(
            "fixed.pdf", content or hostile_pdfs.visible_text_pdf("Our department")
        ),
    )


def test_override_needs_a_reason_in_words(staff, category):
    nomination, copy, evidence = _world(staff, category)
    before = _state(copy, evidence)

    with pytest.raises(services.ReviewError, match="Say why what the check found"):
        _override(staff, nomination, evidence, copy, reason=" \n ")
    assert _state(copy, evidence) == before


def test_override_while_the_check_runs_is_refused(staff, category):
    nomination, copy, evidence = _world(staff, category)
    ReviewCopy.objects.filter(pk=copy.pk).update(checked_at=None)
    before = _state(copy, evidence)

    with pytest.raises(services.ReviewError, match="The identity check is running"):
        _override(staff, nomination, evidence, copy)
    assert _state(copy, evidence) == before


def test_changes_to_a_file_the_copy_does_not_show_are_refused(staff, category):
    innocent = hostile_pdfs.visible_text_pdf("Our department")
    nomination, copy, evidence = _world(
        staff, category, more=[(helpers.pdf_file("order.pdf", innocent), "The order")]
    )
    other = copy.files.get(original_name="order.pdf")
    copy.files.remove(other)
    before = _state(copy, evidence)

    for change in (_override, lambda *args: _replace(*args[:3])):
        with pytest.raises(services.ReviewError, match="not among the files chosen"):
            change(staff, nomination, other, copy)
    assert _state(copy, evidence) == before


def test_changes_before_the_copy_is_saved_are_refused(staff, category, agency):
    member = factories.MembershipFactory(agency=agency).user
    nomination = factories.NominationFactory(
        agency=agency, cycle=category.cycle, category=category, complete=True
    )
    with helpers.on_commit():
        evidence = nomination_services.evidence_add(
            user=member,
            nomination=nomination,
            upload=helpers.pdf_file("report.pdf", hostile_pdfs.visible_text_pdf("Our unit")),
            kind=EvidenceKind.DOCUMENT,
        )
    nomination_services.nomination_submit(user=member, nomination=nomination)

    with pytest.raises(services.ReviewError, match=r"Save the review copy first\."):
        _replace(staff, nomination, evidence)
    assert not ReviewCopy.objects.exists()


def test_changes_after_the_nomination_left_review_are_refused(staff, category):
    nomination, copy, evidence = _world(staff, category)
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.WITHDRAWN)
    before = _state(copy, evidence)

    for change in (_override, lambda *args: _replace(*args[:3])):
        with pytest.raises(services.ReviewError, match="can no longer change"):
            change(staff, nomination, evidence, copy)
    assert _state(copy, evidence) == before


def test_only_staff_change_or_open_a_file(staff, category):
    nomination, copy, evidence = _world(staff, category)
    member = factories.MembershipFactory(agency=nomination.agency).user
    before = _state(copy, evidence)

    with pytest.raises(PermissionDenied):
        nomination_services.evidence_clean_copy_replace(
            actor=member,
            evidence=evidence,
            upload=helpers.pdf_file("fixed.pdf", hostile_pdfs.visible_text_pdf("Our unit")),
        )
    with pytest.raises(PermissionDenied):
        nomination_services.evidence_original_open(actor=member, evidence=evidence)
    assert _state(copy, evidence) == before
    assert not AuditEvent.objects.filter(action="evidence_original_opened").exists()


def test_only_a_ready_pdf_gets_a_corrected_copy(staff, category):
    photo = upload("team.png", image_bytes("PNG"), "image/png")
    _nomination, copy, evidence = _world(
        staff, category, more=[(photo, "The team", EvidenceKind.IMAGE)]
    )
    image = copy.files.get(original_name="team.png")
    before = _state(copy, evidence)

    with pytest.raises(ValidationError, match="Only the clean copy of a ready PDF"):
        nomination_services.evidence_clean_copy_replace(
            actor=staff,
            evidence=image,
            upload=helpers.pdf_file("fixed.pdf", hostile_pdfs.visible_text_pdf("Our unit")),
        )
    assert _state(copy, evidence) == before


def test_a_corrected_copy_over_the_size_limit_is_refused(settings, staff, category):
    nomination, copy, evidence = _world(staff, category)
    content = hostile_pdfs.visible_text_pdf("Our department")
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = len(content) - 1
    before = _state(copy, evidence)

    with pytest.raises(ValidationError, match="the most for a PDF is"):
        _replace(staff, nomination, evidence, content)
    assert _state(copy, evidence) == before


def test_an_empty_corrected_copy_is_refused(staff, category):
    _nomination, copy, evidence = _world(staff, category)
    before = _state(copy, evidence)

    with pytest.raises(ValidationError, match="This file is empty"):
        nomination_services.evidence_clean_copy_replace(
            actor=staff, evidence=evidence, upload=helpers.pdf_file("fixed.pdf", b"")
        )
    assert _state(copy, evidence) == before


def test_a_corrected_copy_stands_in_for_a_missing_clean_copy(staff, category):
    """A PDF from before clean copies existed gets its first one from staff."""
    nomination, copy, evidence = _world(staff, category)
    Evidence.objects.filter(pk=evidence.pk).update(clean_file="")

    with helpers.on_commit():
        _replace(staff, nomination, evidence)

    evidence.refresh_from_db()
    assert evidence.clean_file.name
    assert _leaks(copy) == []
