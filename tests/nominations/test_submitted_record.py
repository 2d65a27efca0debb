"""What was submitted stays what staff see: drafts stay private, submitted files stay
readable, and later edits do not leak into the staff view until resubmitted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import DraftConflict, Evidence
from tests import factories
from tests.files import MINIMAL_PDF, pdf_upload, png_upload
from tests.nominations.view_helpers import add_pdf, submitted


def _staff_get(client, staff, name, **kwargs):
    client.force_login(staff)
    return client.get(reverse(f"staff:nomination-{name}", kwargs=kwargs))


def test_staff_withdrawn_never_submitted_draft_is_404_and_unlisted(client, staff, draft, member):
    """A draft withdrawn before its first submission stays the agency's own: staff never see it."""
    services.nomination_withdraw(user=member, nomination=draft)
    assert _staff_get(client, staff, "detail", pk=draft.pk).status_code == 404
    listing = client.get(reverse("staff:nominations")).content.decode()
    assert draft.title not in listing


def test_evidence_removed_after_submission_stays_for_staff(client, staff, member, agency):
    """A file in a submitted revision leaves the agency's list but staff can still open it."""
    nomination = submitted(member, agency=agency, evidence_name="policy.pdf")
    services.nomination_return_for_changes(actor=staff, nomination=nomination, message="Fix.")
    evidence = Evidence.objects.get(nomination=nomination)
    services.evidence_delete(user=member, evidence=evidence)

    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert evidence.file.storage.exists(evidence.file.name)
    client.force_login(member)
    agency_download = reverse(
        "nominations:evidence-download", kwargs={"pk": nomination.pk, "evidence": evidence.pk}
    )
    assert client.get(agency_download).status_code == 404
    assert "policy.pdf" not in client.get(
        reverse("nominations:evidence", kwargs={"pk": nomination.pk})
    ).content.decode("utf-8")
    response = _staff_get(
        client, staff, "evidence-download", pk=nomination.pk, evidence=evidence.pk
    )
    with evidence.clean_file.open("rb") as clean:
        assert b"".join(response.streaming_content) == clean.read()
    assert "policy.pdf" in _staff_get(client, staff, "detail", pk=nomination.pk).content.decode()


def test_evidence_never_submitted_is_deleted_with_its_file(
    member, agency, staff, django_capture_on_commit_callbacks
):
    """A file added after a return and removed before resubmitting is deleted for good."""
    nomination = submitted(member, agency=agency)
    services.nomination_return_for_changes(actor=staff, nomination=nomination, message="Fix.")
    extra = add_pdf(member, nomination, "draft-only.pdf")
    name, storage = extra.file.name, extra.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(user=member, evidence=extra)
    assert not Evidence.objects.filter(pk=extra.pk).exists()
    assert not storage.exists(name)


def test_staff_cannot_open_file_added_since_last_submission(client, staff, member, agency):
    """A file the agency added after a return is not staff's to read until it is resubmitted."""
    nomination = submitted(member, agency=agency)
    services.nomination_return_for_changes(actor=staff, nomination=nomination, message="Fix.")
    extra = add_pdf(member, nomination, "not-yet-submitted.pdf")
    response = _staff_get(client, staff, "evidence-download", pk=nomination.pk, evidence=extra.pk)
    assert response.status_code == 404
    detail = _staff_get(client, staff, "detail", pk=nomination.pk).content.decode()
    assert "not-yet-submitted.pdf" not in detail

    services.nomination_resubmit(user=member, nomination=nomination)
    response = _staff_get(client, staff, "evidence-download", pk=nomination.pk, evidence=extra.pk)
    with extra.clean_file.open("rb") as clean:
        assert b"".join(response.streaming_content) == clean.read()


def test_download_name_ends_in_the_checked_extension(
    client, member, draft, django_capture_on_commit_callbacks
):
    """A PDF uploaded as report.html downloads as report.pdf, never as an HTML file."""
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_add(
            user=member,
            nomination=draft,
            upload=pdf_upload("report.html"),
            kind=EvidenceKind.DOCUMENT,
        )
    client.force_login(member)
    response = client.get(
        reverse("nominations:evidence-download", kwargs={"pk": draft.pk, "evidence": evidence.pk})
    )
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_message_before_first_submission_is_refused(member, draft):
    """Staff cannot open a draft, so the agency cannot message them about one."""
    with pytest.raises(ValidationError) as error:
        services.message_post(user=member, nomination=draft, body="Is this eligible?")
    assert "once the nomination is submitted" in error.value.messages[0]


def test_stale_copy_saving_again_keeps_one_conflict_with_its_latest_text(member, draft):
    """A stale tab autosaving twice updates its kept copy instead of piling up copies."""
    services.nomination_save_draft(
        user=member, nomination=draft, content={"summary": "Saved first."}, version=1
    )
    for text in ("Stale one.", "Stale two."):
        result = services.nomination_save_draft(
            user=member, nomination=draft, content={"summary": text}, version=1
        )
        assert not result.saved
    assert list(DraftConflict.objects.values_list("content", flat=True)) == [
        {"summary": "Stale two."}
    ]


def test_conflicts_per_person_are_capped(member, draft):
    """Past five open copies, the newest is updated rather than a sixth added."""
    services.nomination_save_draft(
        user=member, nomination=draft, content={"summary": "Saved."}, version=1
    )
    for version in range(100, 108):
        services.nomination_save_draft(
            user=member, nomination=draft, content={"summary": f"v{version}"}, version=version
        )
    assert DraftConflict.objects.count() == services.MAX_OPEN_CONFLICTS
    newest = DraftConflict.objects.order_by("-created_at", "-pk").first()
    assert newest.content == {"summary": "v107"}


def test_submit_waits_for_images_being_checked(member, draft):
    """An image still being checked blocks submission with a plain message."""
    services.evidence_add(
        user=member,
        nomination=draft,
        upload=png_upload(),
        kind=EvidenceKind.IMAGE,
        alt_text="The team.",
    )
    assert Evidence.objects.get().status == EvidenceStatus.PROCESSING
    with pytest.raises(services.IncompleteNominationError) as error:
        services.nomination_submit(user=member, nomination=draft)
    assert [p.message for p in error.value.problems] == [
        "1 file is still being checked. Wait a moment, then try again."
    ]
    draft.refresh_from_db()
    assert draft.state == NominationState.DRAFT


def test_receipt_goes_only_to_the_submitting_account(
    member, draft, django_capture_on_commit_callbacks
):
    """The typed submitter address gets no confidential copy; the verified account does."""
    from django.core import mail

    draft.submitter_email = "typo@example.net"
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_submit(user=member, nomination=draft)
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert factories.PASSWORD not in mail.outbox[0].body
