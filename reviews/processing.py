"""Background work of review, run by `reviews.tasks` (and at once by the demo data).

Services queue it after commit; nothing here imports services or tasks, so
both may import this module without a circle.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from dz_awards.nominations.enums import EvidenceStatus
from dz_awards.nominations.processing import evidence_process
from reviews import leaks
from reviews.models import ReviewCopy

if TYPE_CHECKING:
    from uuid import UUID

logger = logging.getLogger(__name__)


def review_copy_check(copy_pk: int) -> list[dict[str, str]] | None:
    """Run the identity check and store what it found, unless the copy changed meanwhile.

    Findings that an override of staff covers (same file, same clean copy, same
    place) are stored apart, in `overridden`; the rest hold review back.
    Returns those, or None when there was nothing to store (the
    copy is gone, or was saved again while the check ran: that save queued its
    own check). A check that fails is logged and raised, so the task is
    recorded as failed and the copy stays unchecked (review cannot open on it).
    """
    copy = ReviewCopy.objects.select_related("nomination__agency").filter(pk=copy_pk).first()
    if copy is None:
        logger.info("Review copy %s is gone; nothing to check.", copy_pk)
        return None
    files = list(copy.files.filter(status=EvidenceStatus.READY))
    try:
        findings = [f.as_dict() for f in leaks.copy_findings(copy, files)]
    except Exception:
        logger.exception("The identity check of review copy %s failed.", copy_pk)
        raise
    with transaction.atomic():
        # Overrides are read under the copy's lock, so one given during the check counts.
        locked = ReviewCopy.objects.select_for_update().filter(
            pk=copy_pk, updated_at=copy.updated_at
        )
        current = locked.first()
        if current is None:
            logger.info(
                "Review copy %s changed during its check; the newer check decides.", copy_pk
            )
            return None
        overrides = list(current.overrides.all())
        held = [f for f in findings if not any(o.covers(f) for o in overrides)]
        overridden = [f for f in findings if f not in held]
        locked.update(leaks=held, overridden=overridden, checked_at=timezone.now())
    return held


def review_file_prepare(evidence_id: UUID | str) -> list[dict[str, str]] | None:
    """Make a chosen file's clean copy and OCR text, then check the copy that shows it.

    For a file whose clean copy changed under a review copy: staff's corrected
    PDF (cleaned on upload, OCR still to run), or a PDF uploaded before clean
    copies existed (`manage.py evidence_clean_copies`). Returns the findings of
    the review copy's check, or None when no review copy shows the file.
    """
    evidence_process(evidence_id)
    copy_pk = ReviewCopy.objects.filter(files__pk=evidence_id).values_list("pk", flat=True).first()
    return None if copy_pk is None else review_copy_check(copy_pk)
