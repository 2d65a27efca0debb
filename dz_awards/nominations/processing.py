"""Background work on nominations, run by the task queue (`nominations.tasks`).

Services queue the tasks; the tasks are thin wrappers around these functions,
so this module imports neither. Every failure is either recorded on the row,
where the agency sees it, or raised to the task queue; each is logged.

Each evidence file gets a clean copy and its OCR text before it is ready:
an image is re-encoded from its pixels (that file is its clean copy, and what
the agency gets back); a PDF is rewritten by `core.pdfclean` into a second
file, the agency's upload kept as it was. OCR then reads the clean copy within
the budget in settings (`OCR_MAX_PAGES`, `OCR_MAX_SECONDS`), so the identity
check can read what a reviewer sees in pictures. The slow part (rewriting,
OCR) runs before the row is locked: a lock held for a minute of OCR would
hold up the agency deleting the file.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from dz_awards.core.ocr import OcrUnavailable, ocr_image, ocr_pdf
from dz_awards.core.pdfclean import PdfCleanError, clean_pdf, pdf_page_count
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
UNCLEANABLE_PDF = (
    "This PDF could not be rewritten into the clean copy reviewers read ({reason}). "
    "Save it again as a PDF (for example with “Print to PDF”) and upload it again."
)
OCR_UNAVAILABLE = "OCR is not available on this server"
OCR_FAILED = "OCR failed on this file"


def ocr_budget() -> tuple[int, int]:
    """(pages, seconds) OCR may spend on one file; read when used, never at import."""
    return settings.OCR_MAX_PAGES, settings.OCR_MAX_SECONDS


def pdf_clean_copy(data: bytes) -> bytes:
    """The rewritten copy of a PDF, or ValueError with a reason in plain words."""
    try:
        return clean_pdf(data)
    except PdfCleanError as error:
        raise ValueError(str(error) or "it could not be read") from error


def ocr_text(data: bytes, *, is_pdf: bool) -> dict[str, Any]:
    """What OCR found in a clean copy, as stored in `Evidence.ocr`.

    Never raises: OCR that cannot run is recorded with `error` set, which the
    identity check reports to staff (the file is held back until they look).
    A budget of no pages reads nothing and says so (`stopped`).
    """
    max_pages, max_seconds = ocr_budget()
    try:
        if max_pages <= 0:
            total = pdf_page_count(data) if is_pdf else 1
            return _ocr_record(pages_total=total, stopped=f"page budget (0 of {total} pages read)")
        if is_pdf:
            result = ocr_pdf(data, max_pages=max_pages, max_seconds=max_seconds)
        else:
            result = ocr_image(data, max_seconds=max_seconds)
    except OcrUnavailable:
        logger.exception("OCR is not available: evidence is held back from reviewers")
        return _ocr_record(error=OCR_UNAVAILABLE)
    except Exception:
        logger.exception("OCR failed on a clean copy")
        return _ocr_record(error=OCR_FAILED)
    return {**result.as_dict(), "error": ""}


def _ocr_record(*, pages_total: int = 0, stopped: str = "", error: str = "") -> dict[str, Any]:
    return {
        "texts": [],
        "pages_read": 0,
        "pages_total": pages_total,
        "seconds": 0,
        "stopped": stopped,
        "error": error,
    }


@dataclass
class Prepared:
    """What the slow part made of one stored file, to store under the row's lock."""

    clean: bytes | None = None
    width: int | None = None
    height: int | None = None
    ocr: dict[str, Any] = field(default_factory=dict)
    rejection: str = ""


def _needs_work(evidence: Evidence) -> bool:
    """Still being checked; or (after an upgrade, or staff's corrected PDF) a ready file
    without its clean copy or OCR text."""
    if evidence.status == EvidenceStatus.PROCESSING:
        return True
    return evidence.status == EvidenceStatus.READY and not (
        evidence.has_clean_copy and evidence.ocr
    )


def _prepare(evidence: Evidence) -> Prepared:
    """Read the stored file and make its clean copy and OCR text (no lock held)."""
    # A ready file with its clean copy lacks only OCR (staff's corrected PDF was cleaned
    # on upload; an image's upload is its clean copy only once re-encoded).
    cleaned = evidence.status == EvidenceStatus.READY and evidence.has_clean_copy
    source = evidence.clean_copy if cleaned else evidence.file
    try:
        # Read whole (at most the upload limit) so that a storage failure cannot pass
        # for a file that does not decode, and the other way round.
        with source.storage.open(source.name or "", "rb") as raw:
            original = raw.read()
    except OSError:
        logger.exception("Evidence %s: the stored upload could not be read", evidence.pk)
        return Prepared(rejection=UNSTORED_FILE)
    if cleaned:
        return Prepared(ocr=ocr_text(original, is_pdf=evidence.is_pdf))
    if evidence.is_pdf:
        try:
            clean = pdf_clean_copy(original)
        except ValueError as error:
            logger.warning("Evidence %s: the PDF could not be rewritten", evidence.pk)
            return Prepared(rejection=UNCLEANABLE_PDF.format(reason=error))
        return Prepared(clean=clean, ocr=ocr_text(clean, is_pdf=True))
    try:
        clean, width, height = uploads.reencode_image(
            io.BytesIO(original), max_pixels=uploads.limits().image_pixels
        )
    except Exception:
        # Pillow fails in many ways on hostile or broken files; each means the same
        # to the agency. Kept in the log for the rare picture that should have worked.
        logger.warning("Evidence %s: the image did not decode", evidence.pk, exc_info=True)
        return Prepared(rejection=UNREADABLE_IMAGE)
    return Prepared(clean=clean, width=width, height=height, ocr=ocr_text(clean, is_pdf=False))


def evidence_process(evidence_id: UUID | str) -> Evidence | None:
    """Make a file's clean copy and OCR text; a file being checked becomes ready.

    Runs in the background. An image is re-encoded from its pixels alone and
    replaces the upload; a PDF is rewritten into `clean_file` and the upload
    kept for the agency. A file that cannot be made clean is rejected and its
    upload deleted; the agency sees the reason on the page. A ready file (an
    upgrade's PDF without a clean copy) that fails stays as it was, logged:
    the identity check holds it back until staff replace its clean copy.
    Returns None when there is nothing (left) to do, or the file changed
    meanwhile (its own task does the work for the new file).
    """
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None or not _needs_work(evidence):
        return None
    prepared = _prepare(evidence)
    with transaction.atomic():
        locked = (
            Evidence.objects.select_for_update()
            .filter(
                pk=evidence.pk,
                status=evidence.status,
                file=evidence.file.name,
                clean_file=evidence.clean_file.name,
            )
            .first()
        )
        if locked is None or not _needs_work(locked):
            return None
        if prepared.rejection:
            if locked.status == EvidenceStatus.PROCESSING:
                _reject(locked)
                locked.rejection_reason = prepared.rejection
                locked.save(update_fields=["status", "rejection_reason", "size"])
                _delete_after_commit(locked.file)
            return locked
        _store(locked, prepared)
    return locked


def _store(evidence: Evidence, prepared: Prepared) -> None:
    fields = ["ocr"]
    evidence.ocr = prepared.ocr
    if prepared.clean is not None:
        clean = ContentFile(prepared.clean)
        if evidence.is_pdf:
            evidence.clean_file.save("clean", clean, save=False)
            fields.append("clean_file")
        else:
            upload = evidence.file.name
            evidence.file.save("clean", clean, save=False)
            evidence.size = len(prepared.clean)
            evidence.sha256 = uploads.sha256_of(clean)
            evidence.width, evidence.height = prepared.width, prepared.height
            fields += ["file", "size", "sha256", "width", "height"]
            if upload:
                _delete_after_commit_name(evidence.file.storage, upload)
    if evidence.status == EvidenceStatus.PROCESSING:
        evidence.status = EvidenceStatus.READY
        fields.append("status")
    evidence.save(update_fields=fields)


def evidence_process_image(evidence_id: UUID | str) -> Evidence | None:
    """The name tasks queued before PDFs were cleaned still call: `evidence_process`."""
    return evidence_process(evidence_id)


def _reject(evidence: Evidence) -> None:
    evidence.status = EvidenceStatus.REJECTED
    evidence.size = 0


def _delete_after_commit(fieldfile: Any) -> None:
    if fieldfile.name:
        _delete_after_commit_name(fieldfile.storage, fieldfile.name)


def _delete_after_commit_name(storage: Any, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))
