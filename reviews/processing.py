"""Background work of review, run by `reviews.tasks` (and at once by the demo data).

Services queue it after commit; nothing here imports services or tasks, so
both may import this module without a circle.
"""

import logging

from django.db import transaction
from django.utils import timezone

from dz_awards.nominations.enums import EvidenceStatus
from reviews import leaks
from reviews.models import ReviewCopy

logger = logging.getLogger(__name__)


def review_copy_check(copy_pk: int) -> list[dict[str, str]] | None:
    """Run the identity check and store what it found, unless the copy changed meanwhile.

    Returns the findings stored, or None when there was nothing to store (the
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
        stored = ReviewCopy.objects.filter(pk=copy_pk, updated_at=copy.updated_at).update(
            leaks=findings, checked_at=timezone.now()
        )
    if not stored:
        logger.info("Review copy %s changed during its check; the newer check decides.", copy_pk)
        return None
    return findings
