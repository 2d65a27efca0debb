"""Who may do what in review, and when review may open. Pages and services ask these.

Predicates read models and enums only, never selectors or services, so that
selectors, services, forms and views can all ask them. Who may *see* an
assignment is the reviewer's scoped selector (`selectors.assignments_for_reviewer`):
outside it is a 404. The predicates here decide what may be done with what one
may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django_fsm import can_proceed

from dz_awards.accounts.rules import is_program_staff, is_reviewer
from dz_awards.nominations.enums import NominationState
from reviews.enums import AssignmentState, CopyStatus
from reviews.models import Assignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User
    from reviews.models import ReviewCopy

__all__ = [
    "OpenReviewBlocker",
    "copy_status",
    "is_own_assignment",
    "is_program_staff",
    "is_reviewer",
    "may_accept",
    "may_decline",
    "may_work_on",
    "may_write_review",
    "open_review_blockers",
]

# Roles: who is program staff and who is a reviewer is the accounts app's to say
# (`is_program_staff`, `is_reviewer`, re-exported here for review's callers).


# Assignments ---------------------------------------------------------------------


def is_own_assignment(user: User | AnonymousUser, assignment: Assignment) -> bool:
    """The assignment is `user`'s: only they accept, decline or declare a conflict."""
    return bool(user.is_authenticated and assignment.reviewer_id == user.pk)


def may_work_on(user: User | AnonymousUser, assignment: Assignment) -> bool:
    """`user` may act on the assignment: it is theirs, and they are not conflicted with
    the nomination (declared or by rule). Pages answer 404 before this is asked; the
    services ask it for every other caller too."""
    return is_own_assignment(user, assignment) and (
        Assignment.objects.filter(pk=assignment.pk).without_conflicts().exists()
    )


def may_accept(assignment: Assignment) -> bool:
    """Still waiting for an answer (the `accept` transition's own source)."""
    return can_proceed(assignment.accept)


def may_decline(assignment: Assignment) -> bool:
    """Not yet declined or submitted (the `decline` transition's own source)."""
    return can_proceed(assignment.decline)


def may_write_review(assignment: Assignment) -> bool:
    """Accepted (or submitted, to revise) while review of the nomination is open.

    Whether the current phase lets reviews be written is a separate question
    (`selectors.phase_rules(cycle).reviews_open`): a page says which one fails.
    """
    return (
        assignment.state in (AssignmentState.ACCEPTED, AssignmentState.SUBMITTED)
        and assignment.nomination.state == NominationState.IN_REVIEW
    )


# Whether review may open ---------------------------------------------------------------


def copy_status(copy: ReviewCopy | None) -> CopyStatus:
    """Where staff's review copy stands: missing, being checked, identity found, ready."""
    if copy is None or copy.pk is None or not copy.is_ready:
        return CopyStatus.MISSING
    if not copy.is_checked:
        return CopyStatus.CHECKING
    if copy.leaks:
        return CopyStatus.IDENTITY
    return CopyStatus.READY


@dataclass(frozen=True)
class OpenReviewBlocker:
    """One thing that keeps review of a nomination from opening.

    `text` is the full sentence (what the open-review service refuses with);
    `short` is the same fact in a few words, for a row of the review overview.
    """

    text: str
    short: str


_COPY_BLOCKERS = {
    CopyStatus.MISSING: OpenReviewBlocker(
        "Write the executive summary, the title for reviewers and the redacted copy.",
        "review copy not written",
    ),
    CopyStatus.CHECKING: OpenReviewBlocker(
        "The identity check of the review copy has not finished yet.",
        "identity check not finished",
    ),
    CopyStatus.IDENTITY: OpenReviewBlocker(
        "The identity check found the agency's identity in the review copy or its files.",
        "identity found in the review copy",
    ),
}


def open_review_blockers(status: CopyStatus, accepted: int, needed: int) -> list[OpenReviewBlocker]:
    """What keeps review from opening, in order; none means it may open.

    Review opens when the review copy is cleared (written, checked since its last
    edit, nothing found) and `needed` reviewers without a conflict have accepted.
    The caller counts `accepted` without conflicted reviewers.
    """
    blockers = []
    if status in _COPY_BLOCKERS:
        blockers.append(_COPY_BLOCKERS[status])
    if accepted < needed:
        blockers.append(
            OpenReviewBlocker(
                f"{accepted} of the {needed} reviewers needed have accepted.",
                f"{accepted} of {needed} reviewers accepted",
            )
        )
    return blockers
