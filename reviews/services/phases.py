"""Review of one nomination opens (submitted -> in review) and closes (-> reviewed)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dz_awards.core.services import audit_record
from dz_awards.nominations.models import Nomination
from reviews import rules, selectors
from reviews.enums import AssignmentState
from reviews.models import ReviewCopy
from reviews.services.common import (
    ReviewError,
    email_reviewer,
    lock_nomination,
    staff_transition,
)

A = AssignmentState


def open_review_problems(nomination: Nomination) -> list[str]:
    """What keeps review of `nomination` from opening, in full sentences (see
    `rules.open_review_blockers`, which the review overview asks too)."""
    copy = ReviewCopy.objects.filter(nomination=nomination).first()
    blockers = rules.open_review_blockers(
        rules.copy_status(copy),
        selectors.accepted_count(nomination),
        nomination.cycle.reviewers_per_nomination,
    )
    return [blocker.text for blocker in blockers]


@transaction.atomic
def nomination_open_review(*, actor: Any, nomination: Nomination) -> Nomination:
    """Open review: submitted -> in review, then tell the accepted reviewers.

    Steps: lock the nomination; check permission and state; refuse while
    anything keeps review from opening (`open_review_problems`); save; record
    the transition; email each accepted reviewer.
    """
    nomination = lock_nomination(nomination)
    from_state = staff_transition(
        actor, nomination, "open_review", busy="This nomination is {state}: review cannot open."
    )
    problems = open_review_problems(nomination)
    if problems:
        raise ReviewError(" ".join(problems))
    nomination.save(update_fields=["state"])
    audit_record(
        actor=actor,
        obj=nomination,
        action="review_opened",
        from_state=from_state,
        to_state=nomination.state,
    )
    for row in nomination.assignments.filter(state=A.ACCEPTED).select_related("reviewer"):
        email_reviewer(
            row,
            nomination,
            key="review-open",
            subject="A nomination is ready for your scores",
            template="reviews/email/review_open.txt",
        )
    return nomination


def close_review_problems(nomination: Nomination) -> list[str]:
    """What is missing before review of `nomination` closes without a reason given."""
    active = nomination.assignments.filter(state__in=[A.INVITED, A.ACCEPTED])
    waiting = selectors.exclude_conflicted(active).count()
    counted = selectors.counting_reviews_qs().filter(assignment__nomination=nomination).count()
    needed = nomination.cycle.reviewers_per_nomination
    problems = []
    if waiting:
        problems.append(f"{waiting} assigned review{'s are' if waiting != 1 else ' is'} not in.")
    if counted < needed:
        problems.append(f"{counted} of the {needed} reviews needed count.")
    return problems


@transaction.atomic
def nomination_close_review(
    *, actor: Any, nomination: Nomination, override_reason: str = ""
) -> Nomination:
    """Close review when every required review is in, or with a reason given by staff."""
    nomination = lock_nomination(nomination)
    from_state = staff_transition(
        actor, nomination, "close_review", busy="This nomination is {state}: review is not open."
    )
    problems = close_review_problems(nomination)
    override_reason = override_reason.strip()
    if problems and not override_reason:
        raise ReviewError(" ".join(problems) + " Give a reason to close review anyway.")
    nomination.save(update_fields=["state"])
    audit_record(
        actor=actor,
        obj=nomination,
        action="review_closed",
        from_state=from_state,
        to_state=nomination.state,
        message=f"Closed early: {override_reason}" if problems else "",
    )
    return nomination
