"""The review copy: what staff prepare for blind reviewers, and its identity check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from dz_awards.core.services import audit_record
from dz_awards.nominations import selectors as nominations_selectors
from dz_awards.nominations.enums import REVIEWABLE_STATES, EvidenceStatus
from dz_awards.nominations.models import Evidence, Nomination
from reviews.models import ReviewCopy
from reviews.services.common import ReviewError, lock_nomination, require_staff
from reviews.tasks import check_review_copy


@transaction.atomic
def review_copy_save(
    *,
    actor: Any,
    nomination: Nomination,
    executive_summary: str,
    redacted_title: str,
    redacted_text: str,
    files: Iterable[Evidence],
) -> ReviewCopy:
    """Save the executive summary and the redacted copy; the identity check reruns after.

    Steps: staff only; lock the nomination, which must still be under review;
    `files` must be files of its latest submission that are ready; store the
    copy as unchecked; record it; after commit, queue the identity check
    (`reviews.processing.review_copy_check`).
    """
    require_staff(actor)
    nomination = lock_nomination(nomination)
    if nomination.state not in REVIEWABLE_STATES:
        raise ReviewError(
            f"This nomination is {nomination.get_state_display().lower()}: its review copy "
            "can no longer change."
        )
    latest = nomination.revisions.order_by("-number").first()
    allowed = (
        set(
            nominations_selectors.evidence_of_revision(latest)
            .filter(status=EvidenceStatus.READY)
            .values_list("pk", flat=True)
        )
        if latest
        else set()
    )
    files = list(files)
    if any(f.pk not in allowed for f in files):
        raise ReviewError("Only ready files of the latest submission can be shown to reviewers.")
    copy, _ = ReviewCopy.objects.select_for_update().get_or_create(nomination=nomination)
    copy.executive_summary = executive_summary
    copy.redacted_title = " ".join(redacted_title.split())
    copy.redacted_text = redacted_text
    copy.updated_at = timezone.now()
    copy.updated_by = actor
    copy.leaks = []
    copy.save()
    copy.files.set(files)
    audit_record(actor=actor, obj=nomination, action="review_copy_saved")
    copy_pk = copy.pk
    transaction.on_commit(lambda: check_review_copy.enqueue(copy_pk))
    return copy
