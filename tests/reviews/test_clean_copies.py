"""Reviewers get clean copies, and the identity check reads what they can see.

Every hostile PDF of `tests.hostile_pdfs` goes through the real path: the agency
uploads it, the queued task makes its clean copy and OCR text, staff choose it
for reviewers, the check runs, and a reviewer downloads it. For each place the
reviewer's bytes carry none of the words, or the file is held back with a
finding that names the place.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dz_awards.core.models import AuditEvent
from dz_awards.nominations.enums import EvidenceStatus
from dz_awards.nominations.models import Evidence
from reviews import services
from reviews.models import FindingOverride
from tests import hostile_pdfs
from tests.reviews import helpers

pytestmark = pytest.mark.django_db

WORDS = hostile_pdfs.AGENCY_WORDS
NAME = "Riverton Police Department"


def _world(staff, category, reviewers, builder):
    agency = helpers.identified_agency(name=NAME, city="Lakemont", ori="OH0990011")
    upload = helpers.pdf_file("report.pdf", builder(WORDS))
    nomination = helpers.ready_nomination(
        staff, category=category, agency=agency, uploads=[(upload, "The annual report")]
    )
    return nomination, helpers.copy_of(nomination)


def _download(reviewer, row, evidence):
    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("reviews:file", kwargs={"pk": row.pk, "evidence": evidence.pk}))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    return response.status_code, body


@pytest.mark.parametrize("place", sorted(hostile_pdfs.HOSTILE_PDFS))
def test_each_hostile_place_is_cleaned_away_or_held_back(
    place, settings, staff, category, reviewers
):
    settings.OCR_MAX_PAGES = 2 if place in hostile_pdfs.PICTURE_PLACES else 0
    nomination, copy = _world(staff, category, reviewers, hostile_pdfs.HOSTILE_PDFS[place])
    (evidence,) = copy.files.all()
    assert evidence.status == EvidenceStatus.READY
    if place not in hostile_pdfs.PICTURE_PLACES:
        with evidence.file.open("rb") as original:
            assert hostile_pdfs.carries_words(original.read(), WORDS)  # the upload is hostile
    if copy.leaks:
        # Held back: the finding names the file and the place, and reviewers get nothing.
        assert {leak["what"] for leak in copy.leaks} == {"agency name"}
        assert all(leak["where"].startswith("file 1 (report.pdf): ") for leak in copy.leaks)
        assert not copy.is_cleared
        assert place in hostile_pdfs.PICTURE_PLACES | {"form field value"}
        if place in hostile_pdfs.PICTURE_PLACES:
            assert [leak["where"] for leak in copy.leaks] == ["file 1 (report.pdf): page 1 (OCR)"]
        return
    assert place not in hostile_pdfs.PICTURE_PLACES
    rows = helpers.assign(staff, nomination, reviewers[:1])
    status, body = _download(reviewers[0], rows[0], evidence)
    assert status == 200
    assert body.startswith(b"%PDF")
    assert not hostile_pdfs.carries_words(body, WORDS)


def test_the_name_as_visible_text_is_found(staff, category, reviewers):
    """The control: the same words as ordinary page text are found on page 1."""
    _nomination, copy = _world(staff, category, reviewers, hostile_pdfs.visible_text_pdf)
    assert [(leak["where"], leak["what"]) for leak in copy.leaks] == [
        ("file 1 (report.pdf): page 1", "agency name")
    ]


def test_a_scanned_page_is_found_by_ocr_and_the_budget_is_stored(
    settings, staff, category, reviewers
):
    settings.OCR_MAX_PAGES = 1
    _nomination, copy = _world(
        staff, category, reviewers, lambda words: hostile_pdfs.scanned_pdf(words, pages=2)
    )
    (evidence,) = copy.files.all()
    assert (evidence.ocr["pages_read"], evidence.ocr["pages_total"]) == (1, 2)
    assert evidence.ocr["stopped"] == "page budget (1 of 2 pages read)"
    assert [leak["where"] for leak in copy.leaks] == ["file 1 (report.pdf): page 1 (OCR)"]


def test_ocr_off_reads_nothing_and_says_so(staff, category, reviewers):
    _nomination, copy = _world(staff, category, reviewers, hostile_pdfs.letterhead_image)
    (evidence,) = copy.files.all()
    assert evidence.ocr["stopped"] == "page budget (0 of 1 pages read)"
    assert copy.leaks == []


def test_an_override_sets_findings_aside_for_that_clean_copy_only(staff, category, reviewers):
    nomination, copy = _world(staff, category, reviewers, hostile_pdfs.visible_text_pdf)
    (evidence,) = copy.files.all()
    with helpers.on_commit():
        services.review_copy_override(
            actor=staff,
            nomination=nomination,
            evidence=evidence,
            reason="  A street name.  ",
            seen=services.findings_seen(copy.leaks),
        )
    copy.refresh_from_db()
    assert copy.leaks == []
    assert [f["where"] for f in copy.overridden] == ["file 1 (report.pdf): page 1"]
    assert copy.is_cleared
    (override,) = FindingOverride.objects.all()
    assert (override.reason, override.created_by, override.clean_copy_name) == (
        "A street name.",
        staff,
        evidence.clean_file.name,
    )
    event = AuditEvent.objects.get(action="identity_finding_overridden")
    assert event.message == "report.pdf: A street name."
    # Checked again, the override still holds for the same clean copy.
    assert services.review_copy_check(copy.pk) == []
    # A corrected copy that still shows the name is checked afresh.
    with helpers.on_commit():
        services.review_copy_file_replace(
            actor=staff,
            nomination=nomination,
            evidence=evidence,
            upload=helpers.pdf_file("fixed.pdf", hostile_pdfs.visible_text_pdf(WORDS)),
        )
    copy.refresh_from_db()
    assert [f["where"] for f in copy.leaks] == ["file 1 (report.pdf): page 1"]
    assert not copy.is_cleared


def test_a_corrected_copy_clears_the_file_and_the_agency_keeps_its_own(staff, category, reviewers):
    nomination, copy = _world(staff, category, reviewers, hostile_pdfs.visible_text_pdf)
    (evidence,) = copy.files.all()
    original = evidence.file.name
    with helpers.on_commit():
        services.review_copy_file_replace(
            actor=staff,
            nomination=nomination,
            evidence=evidence,
            upload=helpers.pdf_file("fixed.pdf", hostile_pdfs.visible_text_pdf("Our department")),
        )
    copy.refresh_from_db()
    evidence.refresh_from_db()
    assert copy.is_cleared
    assert evidence.file.name == original
    assert AuditEvent.objects.filter(action="evidence_clean_copy_replaced").count() == 1
    rows = helpers.assign(staff, nomination, reviewers[:1])
    status, body = _download(reviewers[0], rows[0], evidence)
    assert status == 200
    assert not hostile_pdfs.carries_words(body, WORDS)


def test_staff_get_the_clean_copy_and_open_the_original_on_the_record(
    client, staff, category, reviewers
):
    nomination, copy = _world(staff, category, reviewers, hostile_pdfs.attachment)
    (evidence,) = copy.files.all()
    client.force_login(staff)
    kwargs = {"pk": nomination.pk, "evidence": evidence.pk}
    clean = client.get(reverse("staff:nomination-evidence-download", kwargs=kwargs))
    assert not hostile_pdfs.carries_words(b"".join(clean.streaming_content), WORDS)
    url = reverse("staff:nomination-evidence-original", kwargs=kwargs)
    assert client.get(url).status_code == 405
    assert not AuditEvent.objects.filter(action="evidence_original_opened").exists()
    response = client.post(url)
    assert response["Content-Security-Policy"] == "sandbox"
    assert hostile_pdfs.carries_words(b"".join(response.streaming_content), WORDS)
    event = AuditEvent.objects.get(action="evidence_original_opened")
    assert (event.message, event.actor) == ("report.pdf", staff)


def test_upgrade_command_makes_missing_clean_copies_and_rechecks(staff, category, reviewers):
    _nomination, copy = _world(staff, category, reviewers, hostile_pdfs.visible_text_pdf)
    (evidence,) = copy.files.all()
    Evidence.objects.filter(pk=evidence.pk).update(clean_file="", ocr={})
    with helpers.on_commit():
        call_command("evidence_clean_copies")
    evidence.refresh_from_db()
    copy.refresh_from_db()
    assert evidence.clean_file.name
    assert [f["where"] for f in copy.leaks] == ["file 1 (report.pdf): page 1"]
