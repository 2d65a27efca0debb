"""Staff withhold a reviewer's comment from the agency, or share it again.

What agencies read, and when, is `selectors.feedback`. Staff may withhold any
comment, before release or after (withholding is always the safe direction),
with a reason; each withholding and each lifting is recorded on the
nomination's audit trail with the reason, which staff alone read (the
agency's timeline lists other actions only).

A comment is withheld at most once (the table's unique constraints): the
review's row is locked first, so two staff withholding the same comment at the
same moment run one after the other and the second is told it already is.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record
from reviews import selectors
from reviews.models import Criterion, Review, Score, WithheldComment
from reviews.services.common import ReviewError, require_staff

REASON_MAX_LENGTH = 2000


def _comment_text(review: Review, criterion: Criterion | None) -> str:
    """The text of the review's comment on `criterion` (None: overall); "" if none."""
    if criterion is None:
        return review.overall_comment
    score = Score.objects.filter(review=review, criterion=criterion).first()
    return score.justification if score is not None else ""


def _already(row: WithheldComment) -> ReviewError:
    person = row.withheld_by
    who = (person.full_name or person.email) if person is not None else "someone"
    return ReviewError(
        f"This comment is already withheld (by {who}): it is not shared with the agency."
    )


@transaction.atomic
def comment_withhold(
    *, actor: Any, review: Review, criterion_or_none: Criterion | None, reason: str
) -> WithheldComment:
    """Withhold one comment of `review` from the agency: the justification of
    `criterion_or_none`, or (None) the overall comment.

    Steps: staff only; a reason is required; lock the review (two staff pressing
    at once go one after the other); the comment must exist; record the
    withholding, which the table's unique constraint refuses for a comment
    already withheld (a clear refusal naming who did, never a crash); audit it on
    the nomination with the reason.
    """
    require_staff(actor)
    reason = reason.strip()
    if not reason:
        raise ReviewError("Say why the comment is withheld: the reason is kept for staff.")
    if len(reason) > REASON_MAX_LENGTH:
        raise ReviewError(f"Keep the reason under {REASON_MAX_LENGTH} characters.")
    review = row_or_gone(
        Review.objects.select_for_update(of=("self",)).select_related("assignment__nomination"),
        pk=review.pk,
    )
    if not _comment_text(review, criterion_or_none).strip():
        raise ReviewError("There is no such comment in this review: nothing was withheld.")
    try:
        # A savepoint: the unique constraint refuses a second withholding, and the
        # transaction goes on to say who withheld it first.
        with transaction.atomic():
            withheld = WithheldComment.objects.create(
                review=review, criterion=criterion_or_none, reason=reason, withheld_by=actor
            )
    except IntegrityError:
        first = WithheldComment.objects.select_related("withheld_by").get(
            review=review, criterion=criterion_or_none
        )
        raise _already(first) from None
    audit_record(
        actor=actor,
        obj=review.assignment.nomination,
        action="comment_withheld",
        message=(
            f"Withheld {selectors.comment_what(criterion_or_none)} of review {review.pk}: {reason}"
        ),
    )
    return withheld


@transaction.atomic
def comment_share_again(*, actor: Any, withheld: WithheldComment) -> bool:
    """Share a withheld comment with the agency again; whether it was still withheld.

    Idempotent: a second call (another tab, another staff member) finds nothing
    to lift and returns False, recording nothing. The audit entry keeps the
    reason it had been withheld for.
    """
    require_staff(actor)
    row = (
        WithheldComment.objects.select_for_update(of=("self",))
        .select_related("review__assignment__nomination", "criterion")
        .filter(pk=withheld.pk)
        .first()
    )
    if row is None:
        return False
    row.delete()
    audit_record(
        actor=actor,
        obj=row.review.assignment.nomination,
        action="comment_shared_again",
        message=(
            f"Shared {selectors.comment_what(row.criterion)} of review {row.review_id} again; "
            f"it had been withheld: {row.reason}"
        ),
    )
    return True
