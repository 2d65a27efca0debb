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

from django.db.models import Q
from django_fsm import can_proceed

from dz_awards.accounts.rules import is_program_staff, is_reviewer
from dz_awards.nominations.enums import ASSIGNABLE_STATES, NominationState
from dz_awards.nominations.models import Nomination
from reviews import assignment as planner
from reviews.enums import AssignmentState, CopyStatus, Outcome
from reviews.models import Assignment, Decision, ReviewCopy

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User
    from dz_awards.cycles.models import Category

__all__ = [
    "OpenReviewBlocker",
    "assignment_blocker",
    "assignment_refusal",
    "copy_status",
    "is_own_assignment",
    "is_program_staff",
    "is_reviewer",
    "may_accept",
    "may_decline",
    "may_work_on",
    "may_write_review",
    "open_review_blockers",
    "winner_holders",
    "winner_refusal",
    "winner_refusal_among",
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


# Assigning reviewers -----------------------------------------------------------------


def assignment_blocker(nomination: Nomination, copy: ReviewCopy | None) -> str | None:
    """Why `nomination` may not get reviewers now, in words; None when it may.

    It may while it is submitted or in review, has a category (hence a panel) and
    its review copy is cleared. `copy` is its review copy (None or unsaved: none).
    The assignment services ask this for their refusal, the page before it offers
    anyone, so a decided nomination is told it is decided, not to write a summary.
    """
    if nomination.state not in ASSIGNABLE_STATES:
        return (
            f"This nomination is {nomination.get_state_display().lower()}: reviewers are "
            "assigned only while it is submitted or in review."
        )
    if nomination.category_id is None:
        return "This nomination has no category, so it has no panel of reviewers."
    status = copy_status(copy)
    if status == CopyStatus.MISSING:
        return "Write the executive summary and the redacted copy first."
    if status == CopyStatus.CHECKING:
        return "The identity check of the review copy has not finished yet."
    if status == CopyStatus.IDENTITY:
        return "The identity check found the agency in the review copy: resolve its findings first."
    return None


# The planner's refusal codes (`reviews.assignment.add_refusal`), said to staff.
_ADD_REFUSALS = {
    f"conflict: {planner.ConflictReason.OWN_AGENCY}": "they belong to the nominating agency",
    f"conflict: {planner.ConflictReason.SAME_STATE}": (
        "they are from the nominating agency's state, which this cycle rules out"
    ),
    f"conflict: {planner.ConflictReason.DECLARED}": (
        "they declared a conflict of interest with this nomination"
    ),
    "already assigned": "they are already assigned to this nomination",
    "at their maximum": "they already hold the most assignments a reviewer may have in this cycle",
}


def assignment_refusal(
    candidate: planner.Candidate, item: planner.Item, *, same_state_rule: bool
) -> str | None:
    """Why staff may not assign `candidate` to `item` by hand, in words; None if they may.

    The rule is the planner's (`reviews.assignment.add_refusal`, the one the
    automatic run keeps); this says its answer in a sentence's second half
    ("they belong to the nominating agency").
    """
    code = planner.add_refusal(candidate, item, same_state_rule=same_state_rule)
    return None if code is None else _ADD_REFUSALS[code]


# Winners -------------------------------------------------------------------------------


def winner_holders(categories: Iterable[Category]) -> dict[int, set[UUID]]:
    """{category id: nominations holding one of its winner seats}: winners released, and
    winners staged but not yet released. Two queries, whatever the number of categories."""
    ids = [category.pk for category in categories]
    holders: dict[int, set[UUID]] = {pk: set() for pk in ids}
    released = Nomination.objects.filter(
        category_id__in=ids, state=NominationState.WINNER
    ).values_list("category_id", "pk")
    staged = Decision.objects.filter(
        nomination__category_id__in=ids, outcome=Outcome.WINNER, released_at__isnull=True
    ).values_list("nomination__category_id", "nomination_id")
    for category_id, nomination_id in (*released, *staged):
        holders[category_id].add(nomination_id)
    return holders


def winner_refusal_among(
    category: Category, holders: Collection[UUID], *, nomination_id: UUID
) -> str | None:
    """Why the nomination may not be a winner of `category`, given the seats' `holders`
    (`winner_holders`); None if it may. Its own seat does not count against it."""
    if len(set(holders) - {nomination_id}) < category.winners:
        return None
    return (
        f"{category.label} already has its {category.winners} winner"
        f"{'s' if category.winners != 1 else ''} (released or staged)."
    )


def winner_refusal(category: Category, *, nomination: Nomination) -> str | None:
    """Why `nomination` may not be a winner of `category` (staged or awarded), or None.

    A category has at most `category.winners` winners, counting those released
    and those staged but not yet released, other than `nomination` itself. A
    service asking this holds the category's row lock, so two of these never race.
    """
    return winner_refusal_among(
        category, winner_holders([category])[category.pk], nomination_id=nomination.pk
    )


def waits_on_reviewer(assignment_state: str, nomination_state: str) -> bool:
    """Whether an assignment waits on its reviewer: an invitation to answer while the
    nomination takes reviewers, or a review to write once review of it is open (an
    accepted assignment of a nomination not yet in review has nothing to do yet).

    `WAITING_ON_REVIEWER` states the same rule for the database.
    """
    if assignment_state == AssignmentState.INVITED:
        return nomination_state in ASSIGNABLE_STATES
    return (
        assignment_state == AssignmentState.ACCEPTED
        and nomination_state == NominationState.IN_REVIEW
    )


WAITING_ON_REVIEWER = Q(state=AssignmentState.INVITED, nomination__state__in=ASSIGNABLE_STATES) | Q(
    state=AssignmentState.ACCEPTED, nomination__state=NominationState.IN_REVIEW
)
