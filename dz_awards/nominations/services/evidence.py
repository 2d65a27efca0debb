"""Evidence files: upload (checked by content and limits), removal, staff's corrected copy.

Every file is stored "being checked" until a background task
(`nominations.processing`) has made its clean copy (an image re-encoded, a PDF
rewritten) and read it by OCR; only then can anyone download it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.models import Agency
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record
from dz_awards.nominations import processing, selectors, uploads
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus
from dz_awards.nominations.models import Evidence, Nomination
from dz_awards.nominations.services.common import (
    nomination_lock,
    require_editable,
    require_member,
)
from dz_awards.nominations.tasks import process_evidence

if TYPE_CHECKING:
    from uuid import UUID

    from django.core.files.uploadedfile import UploadedFile

    from dz_awards.accounts.models import User


def evidence_usage(nomination: Nomination) -> tuple[int, int]:
    """(bytes, files) the nomination's current files use against its limits."""
    current = nomination.evidence.exclude(status=EvidenceStatus.REJECTED).filter(
        removed_at__isnull=True
    )
    totals = current.aggregate(bytes=Sum("size"), files=Count("pk"))
    return totals["bytes"] or 0, totals["files"]


def _agency_usage_locked(agency_id: UUID) -> int:
    """Bytes stored for all of an agency's nominations, with the agency row locked so
    that two uploads to two of its nominations cannot both pass the agency's quota."""
    Agency.objects.select_for_update().filter(pk=agency_id).first()
    total = (
        Evidence.objects.filter(nomination__agency_id=agency_id)
        .exclude(status=EvidenceStatus.REJECTED)
        .aggregate(bytes=Sum("size"))["bytes"]
    )
    return total or 0


@transaction.atomic
def evidence_add(
    *,
    user: User,
    nomination: Nomination,
    upload: UploadedFile,
    kind: str,
    alt_text: str = "",
    description: str = "",
) -> Evidence:
    """Check an upload by its content and limits, then store it under a server-chosen name.

    Raises ValidationError with a message for the form. The file is stored as
    "being checked"; a background task makes its clean copy and OCR text, and
    only then can anyone download it.
    """
    # The lock serialises uploads: the quota holds under concurrency.
    nomination = nomination_lock(nomination)
    require_member(user, nomination)
    require_editable(nomination)
    if kind not in EvidenceKind.values:
        raise ValidationError("Choose what kind of file this is.")
    alt_text = (alt_text or "").strip()
    if kind == EvidenceKind.IMAGE and not alt_text:
        raise ValidationError("Describe the image in a sentence for people who cannot see it.")
    used_bytes, used_files = evidence_usage(nomination)
    checked = uploads.check_upload(
        upload,
        kind,
        used_bytes=used_bytes,
        used_files=used_files,
        agency_used_bytes=_agency_usage_locked(nomination.agency_id),
    )
    evidence = Evidence(
        nomination=nomination,
        kind=kind,
        status=EvidenceStatus.PROCESSING,
        original_name=uploads.display_name(upload.name),
        content_type=checked.content_type,
        extension=checked.extension,
        size=upload.size or 0,
        sha256=uploads.sha256_of(upload),
        width=checked.width,
        height=checked.height,
        alt_text=alt_text[:300] if kind == EvidenceKind.IMAGE else "",
        description=(description or "").strip()[:300],
        uploaded_by=user,
    )
    evidence.file.save("upload", upload, save=False)
    stored_name = evidence.file.name
    try:
        evidence.save()
        audit_record(
            actor=user, obj=nomination, action="evidence_added", message=evidence.original_name
        )
    except BaseException:
        # The row is not written: neither may its file stay behind.
        if stored_name:
            evidence.file.storage.delete(stored_name)
        raise
    transaction.on_commit(lambda: process_evidence.enqueue(str(evidence.pk)))
    return evidence


@transaction.atomic
def evidence_delete(*, user: User, evidence: Evidence) -> None:
    """Remove a file from a nomination the agency can still edit (the file goes after commit)."""
    nomination = nomination_lock(evidence.nomination)
    require_member(user, nomination)
    require_editable(nomination)
    name = evidence.original_name
    if str(evidence.pk) in selectors.submitted_evidence_ids(nomination):
        # A submitted revision includes it: staff must still be able to open what was
        # submitted, so it leaves the current list but keeps its file.
        Evidence.objects.filter(pk=evidence.pk).update(removed_at=timezone.now())
    else:
        Evidence.objects.filter(pk=evidence.pk).delete()
    audit_record(actor=user, obj=nomination, action="evidence_deleted", message=name)


@transaction.atomic
def evidence_clean_copy_replace(
    *, actor: User, evidence: Evidence, upload: UploadedFile
) -> Evidence:
    """Staff's corrected PDF becomes the clean copy of a PDF file; the agency's upload stays.

    Steps: staff only; the file must be a ready PDF; the upload is checked by
    content and size like any PDF and rewritten by the same cleaning at once (a
    PDF that cannot be rewritten is refused here, not later); the row is locked
    and the new clean copy stored with its OCR text emptied (the caller queues
    `processing.evidence_process`, which reads it); the old copy goes after
    commit; recorded, naming the file.
    """
    if not is_program_staff(actor):
        raise PermissionDenied
    evidence = row_or_gone(Evidence.objects.select_for_update(), pk=evidence.pk)
    if not evidence.is_pdf or evidence.status != EvidenceStatus.READY:
        raise ValidationError("Only the clean copy of a ready PDF can be replaced.")
    size = upload.size or 0
    if size == 0:
        raise ValidationError("This file is empty.", code="empty")
    if size > uploads.limits().document_bytes:
        raise ValidationError(
            f"This file is {filesizeformat(size)}; the most for a PDF is "
            f"{filesizeformat(uploads.limits().document_bytes)}.",
            code="too_large",
        )
    uploads.check_pdf(upload)
    upload.seek(0)
    try:
        clean = processing.pdf_clean_copy(upload.read())
    except ValueError as error:
        raise ValidationError(
            f"This PDF could not be rewritten into a clean copy ({error}). Save it again as "
            "a PDF and try again.",
            code="uncleanable_pdf",
        ) from None
    old = evidence.clean_file.name
    evidence.clean_file.save("clean", ContentFile(clean), save=False)
    evidence.ocr = {}
    evidence.save(update_fields=["clean_file", "ocr"])
    if old:
        storage = evidence.clean_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit_record(
        actor=actor,
        obj=evidence.nomination,
        action="evidence_clean_copy_replaced",
        message=evidence.original_name,
    )
    return evidence


@transaction.atomic
def evidence_original_open(*, actor: User, evidence: Evidence) -> None:
    """Record that staff opened the agency's original upload (the view then serves it).

    Staff get the clean copy by default; the original can carry what the clean copy
    dropped (hidden text, attachments, scripts), so each opening is on the record.
    """
    if not is_program_staff(actor):
        raise PermissionDenied
    audit_record(
        actor=actor,
        obj=evidence.nomination,
        action="evidence_original_opened",
        message=evidence.original_name,
    )
