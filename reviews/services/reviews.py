"""Reviews: a reviewer saves a draft, submits, revises; staff reopen a submitted one."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dz_awards.core.services import audit_record
from dz_awards.nominations.enums import NominationState
from reviews import scoring, selectors
from reviews.enums import AssignmentState, Confidence
from reviews.models import Assignment, Criterion, Review, Rubric, Score
from reviews.services.common import (
    ReviewError,
    email_reviewer,
    lock_assignment,
    lock_nomination,
    require_staff,
    require_work_on,
    reviewer_transition,
)

A = AssignmentState


@dataclass(frozen=True)
class ReviewInput:
    """What the review form posts: {criterion pk: (score or None, justification)}."""

    scores: dict[int, tuple[int | None, str]]
    overall_comment: str
    confidence: str
    version: int


class ReviewConflictError(ReviewError):
    """The review changed in another tab or window since the form was opened."""


class IncompleteReviewError(ReviewError):
    """A submit refused for missing parts; `problems` is {field name: message}."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("The review is not complete yet.")


def review_problems(
    criteria: list[Criterion], data: ReviewInput, *, scale: range
) -> dict[str, str]:
    """What stops a review from being submitted, as {field: message}."""
    problems = {}
    for criterion in criteria:
        score, justification = data.scores.get(criterion.pk, (None, ""))
        if score is None:
            problems[f"score_{criterion.pk}"] = f"Give {criterion.name} a score."
        elif score not in scale:
            problems[f"score_{criterion.pk}"] = f"Scores go from {scale.start} to {scale.stop - 1}."
        if not justification.strip():
            problems[f"justification_{criterion.pk}"] = (
                f"Say briefly why you gave {criterion.name} this score."
            )
    if not data.overall_comment.strip():
        problems["overall_comment"] = "Write an overall comment."
    if data.confidence not in Confidence.values:
        problems["confidence"] = "Say how confident you are in this review."
    return problems


@transaction.atomic
def review_save(
    *, user: Any, assignment: Assignment, data: ReviewInput, submit: bool = False
) -> Review:
    """Save a review as a draft, or submit it (also: revise a submitted one).

    Steps: lock the nomination, then the assignment; only its reviewer, while
    the nomination is in review and the phase lets reviews be written; a stale
    version is a conflict (nothing overwritten, the caller keeps the text);
    store scores; on submit lock the rubric, check completeness, derive the
    weighted total and move the assignment to submitted. A second submit of
    the same review changes it, never duplicates it.
    """
    # The nomination first, as staff services lock it: a review cannot land after
    # review closed, and the two never wait on each other in opposite orders.
    nomination = lock_nomination(assignment.nomination)
    row = lock_assignment(assignment)
    require_work_on(user, row)
    if nomination.state != NominationState.IN_REVIEW:
        raise ReviewError("Review of this nomination is not open.")
    if not selectors.phase_rules(nomination.cycle).reviews_open:
        raise ReviewError("The review phase is closed: reviews cannot be changed now.")
    if row.state == A.INVITED:
        raise ReviewError("Accept the assignment before writing the review.")
    if row.state == A.DECLINED:
        raise ReviewError("You declined this assignment.")
    if row.state == A.SUBMITTED and not submit:
        raise ReviewError(
            "This review has been submitted. Use “Update submitted review” to change it."
        )
    review, _ = Review.objects.select_for_update().get_or_create(assignment=row)
    if data.version != review.version:
        raise ReviewConflictError(
            "This review was changed in another window since you opened it. Your text is "
            "below; copy what you need, then reload the page."
        )
    if submit:
        # A total is derived under the rubric as it stands: the rubric services lock
        # the same row, so no change to it interleaves (see services.rubrics).
        list(Rubric.objects.select_for_update().filter(cycle_id=nomination.cycle_id))
    rubric, criteria = selectors.criteria_for(nomination)
    if rubric is None or not criteria:
        raise ReviewError("The rubric for this cycle is not set up yet.")
    for criterion in criteria:
        score, justification = data.scores.get(criterion.pk, (None, ""))
        Score.objects.update_or_create(
            review=review,
            criterion=criterion,
            defaults={
                "score": score if score in rubric.scale else None,
                "justification": justification,
            },
        )
    review.overall_comment = data.overall_comment
    review.confidence = data.confidence if data.confidence in Confidence.values else ""
    review.version += 1
    review.updated_at = timezone.now()
    fields = ["overall_comment", "confidence", "version", "updated_at"]
    if submit:
        problems = review_problems(criteria, data, scale=rubric.scale)
        if problems:
            raise IncompleteReviewError(problems)
        # Complete (no problems): every criterion has a score.
        given: dict[Hashable, int] = {
            c.pk: score for c in criteria if (score := data.scores[c.pk][0]) is not None
        }
        review.total = Decimal(
            str(
                scoring.weighted_total(
                    given,
                    {c.pk: c.weight for c in criteria},
                    scale_min=rubric.scale_min,
                    scale_max=rubric.scale_max,
                )
            )
        ).quantize(Decimal("0.000000001"))
        first = row.state == A.ACCEPTED
        review.submitted_at = timezone.now() if first else review.submitted_at
        fields += ["total", "submitted_at"]
        if first:
            row.submit()
            row.save(update_fields=["state"])
        audit_record(
            actor=user,
            obj=row,
            action="review_submitted" if first else "review_revised",
            from_state=A.ACCEPTED if first else A.SUBMITTED,
            to_state=A.SUBMITTED,
        )
    review.save(update_fields=fields)
    return review


@transaction.atomic
def assignment_reopen(*, actor: Any, assignment: Assignment) -> Assignment:
    """Staff reopen a submitted review so its reviewer can revise it."""
    require_staff(actor)
    nomination = lock_nomination(assignment.nomination)
    if nomination.state != NominationState.IN_REVIEW:
        raise ReviewError(
            f"This nomination is {nomination.get_state_display().lower()}: a review can be "
            "reopened only while review is open."
        )
    row = lock_assignment(assignment)
    from_state = reviewer_transition(
        row, "reopen", busy="This assignment is {state}; only a submitted review can be reopened."
    )
    row.save(update_fields=["state"])
    Review.objects.filter(assignment=row).update(submitted_at=None, total=None)
    audit_record(
        actor=actor, obj=row, action="review_reopened", from_state=from_state, to_state=row.state
    )
    email_reviewer(
        row,
        nomination,
        key=f"review-reopened:{timezone.now().timestamp()}",
        subject="A review of yours has been reopened",
        template="reviews/email/reopened.txt",
    )
    return row
