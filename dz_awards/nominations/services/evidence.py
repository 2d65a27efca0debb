"""Evidence files: upload (checked by content and limits) and removal.

An image is stored "being checked" and re-encoded by a background task
(`nominations.processing`) before anyone can download it; a PDF is ready at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from dz_awards.agencies.models import Agency
from dz_awards.core.services import audit_record
from dz_awards.nominations import selectors, uploads
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus
from dz_awards.nominations.models import Evidence, Nomination
from dz_awards.nominations.services.common import (
    nomination_lock,
    require_editable,
    require_member,
)
from dz_awards.nominations.tasks import process_evidence_image

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

    Raises ValidationError with a message for the form. Images are stored as
    "being checked" and re-encoded by a background task before anyone can
    download them; PDFs are ready at once.
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
        status=EvidenceStatus.PROCESSING if kind == EvidenceKind.IMAGE else EvidenceStatus.READY,
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
    if kind == EvidenceKind.IMAGE:
        transaction.on_commit(lambda: process_evidence_image.enqueue(str(evidence.pk)))
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
