"""Background work on nominations, run by the task queue (`nominations.tasks`).

Services queue the tasks; the tasks are thin wrappers around these functions,
so this module imports neither. Every failure is either recorded on the row,
where the agency sees it, or raised to the task queue; each is logged.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction

from dz_awards.nominations import uploads
from dz_awards.nominations.enums import EvidenceStatus
from dz_awards.nominations.models import Evidence

if TYPE_CHECKING:
    from uuid import UUID

logger = logging.getLogger(__name__)

UNREADABLE_IMAGE = "The image could not be read. Save it again as JPEG or PNG and upload it again."
UNSTORED_FILE = (
    "The file could not be stored. Upload it again; if this happens again, write to program staff."
)


def evidence_process_image(evidence_id: UUID | str) -> Evidence | None:
    """Re-encode an uploaded image from its pixels alone and make it downloadable.

    Runs in the background. Anything Pillow cannot decode within the pixel cap
    is rejected and its file deleted; the agency sees the reason on the page.
    A stored upload that cannot be read back is our fault, not the picture's:
    it is logged as an error and the agency is asked to upload it again.
    Returns None when there is nothing (left) to process.
    """
    with transaction.atomic():
        evidence = (
            Evidence.objects.select_for_update()
            .filter(pk=evidence_id, status=EvidenceStatus.PROCESSING)
            .first()
        )
        if evidence is None:
            return None
        # Every evidence row has its stored file; an empty name reads as a storage failure.
        old_name, storage = evidence.file.name or "", evidence.file.storage
        try:
            # Read whole (at most EVIDENCE_MAX_IMAGE_BYTES) so that a storage failure
            # cannot pass for a picture that does not decode, and the other way round.
            with storage.open(old_name, "rb") as raw:
                original = raw.read()
        except OSError:
            logger.exception("Evidence %s: the stored upload could not be read", evidence.pk)
            _reject(evidence, UNSTORED_FILE)
        else:
            try:
                data, width, height = uploads.reencode_image(
                    io.BytesIO(original), max_pixels=uploads.limits().image_pixels
                )
            except Exception:
                # Pillow fails in many ways on hostile or broken files; each means the same
                # to the agency. Kept in the log for the rare picture that should have worked.
                logger.warning("Evidence %s: the image did not decode", evidence.pk, exc_info=True)
                _reject(evidence, UNREADABLE_IMAGE)
            else:
                clean = ContentFile(data)
                evidence.file.save("clean", clean, save=False)
                evidence.status = EvidenceStatus.READY
                evidence.size = len(data)
                evidence.sha256 = uploads.sha256_of(clean)
                evidence.width, evidence.height = width, height
                evidence.save(update_fields=["file", "status", "size", "sha256", "width", "height"])
        if old_name:
            transaction.on_commit(lambda: storage.delete(old_name))
    return evidence


def _reject(evidence: Evidence, reason: str) -> None:
    evidence.status = EvidenceStatus.REJECTED
    evidence.rejection_reason = reason
    evidence.size = 0
    evidence.save(update_fields=["status", "rejection_reason", "size"])
