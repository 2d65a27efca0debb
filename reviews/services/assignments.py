"""Assignments: staff assign reviewers (automatically or by hand); reviewers answer.

Every assignment, planned or added by hand, keeps the planner's rules (never
conflicted, never twice, never past the reviewer's maximum), and each new one
emails its reviewer. A reviewer who declines or declares a conflict is
replaced at once when the panel allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.enums import ASSIGNABLE_STATES
from dz_awards.nominations.models import Nomination
from reviews import assignment as planner
from reviews import rules, selectors
from reviews.enums import AssignmentState, DeclineReason, Preference
from reviews.models import Assignment, Conflict, ReviewCopy, ReviewPreference
from reviews.services.common import (
    ReviewError,
    email_reviewer,
    lock_assignment,
    lock_nomination,
    require_own,
    require_staff,
    require_work_on,
    reviewer_transition,
)
from reviews.services.panels import panel_people, planner_candidates, planner_items
from reviews.services.policy import guidelines_confirmed

A = AssignmentState

CONFLICT_REASON_NEEDED = "Say briefly what the conflict is; only program staff see it."


def ready_for_assignment(cycle: Cycle) -> QuerySet[Nomination]:
    """Nominations of `cycle` that may get reviewers: submitted or in review, and a review
    copy written, checked since its last edit, with no trace of the agency found."""
    return (
        Nomination.objects.filter(
            cycle=cycle,
            state__in=ASSIGNABLE_STATES,
            category__isnull=False,
            review_copy__checked_at__gte=F("review_copy__updated_at"),
            review_copy__leaks=[],
        )
        .exclude(review_copy__executive_summary="")
        .exclude(review_copy__redacted_title="")
        .exclude(review_copy__redacted_text="")
        .select_related("agency", "category")
    )


@dataclass(frozen=True)
class AssignmentRun:
    """What an automatic run did, for staff: the assignments it created, the nominations
    it could not fill and why, the categories without a panel, and the nominations
    that could only get reviewers who said they would rather not review them.

    `preferences` holds, by (nomination id, reviewer id), what the reviewer of each
    created assignment said about its nomination before assignment, if anything.
    """

    created: list[Assignment]
    shortfalls: list[tuple[Nomination, int, str]]  # (nomination, missing, reason)
    categories_without_panel: list[Category]
    # (nomination, how many unwilling reviewers, reason)
    unwilling: list[tuple[Nomination, int, str]] = field(default_factory=list)
    preferences: dict[tuple[Any, Any], Preference] = field(default_factory=dict)

    def created_with_preferences(self) -> list[tuple[Assignment, Preference | None]]:
        """Each created assignment with its reviewer's stated preference (None: none)."""
        return [
            (row, self.preferences.get((row.nomination_id, row.reviewer_id)))
            for row in self.created
        ]


def _create_assignments(
    actor: Any, cycle: Cycle, pairs: Iterable[tuple[Any, Any]]
) -> list[Assignment]:
    pairs = list(pairs)
    due_at = selectors.review_due_at(cycle)
    created = []
    nominations = Nomination.objects.in_bulk([n for n, _r in pairs])
    people = get_user_model().objects.in_bulk([r for _n, r in pairs])
    for nomination_id, reviewer_id in pairs:
        row = Assignment.objects.create(
            nomination=nominations[nomination_id],
            reviewer=people[reviewer_id],
            assigned_by=actor,
            due_at=due_at,
        )
        audit_record(
            actor=actor,
            obj=row.nomination,
            action="reviewer_assigned",
            message=f"Reviewer {row.reviewer.email}",
        )
        email_reviewer(
            row,
            row.nomination,
            key="review-assigned",
            subject="A nomination has been assigned to you for review",
            template="reviews/email/assigned.txt",
        )
        created.append(row)
    return created


@transaction.atomic
def assignment_auto(*, actor: Any, cycle: Cycle) -> AssignmentRun:
    """Fill every ready nomination of `cycle` up to its reviewers per nomination.

    Per category: the panel's reviewers, never conflicted, balanced, capped at
    the cycle's maximum (see `reviews.assignment.plan`). Runs one at a time per cycle.
    Returns what it created and what it could not fill.
    """
    require_staff(actor)
    cycle = row_or_gone(Cycle.objects.select_for_update(), pk=cycle.pk)
    ready = list(ready_for_assignment(cycle).order_by("pk"))
    created: list[Assignment] = []
    shortfalls: list[tuple[Nomination, int, str]] = []
    unwilling: list[tuple[Nomination, int, str]] = []
    without_panel: list[Category] = []
    by_category: defaultdict[Any, list[Nomination]] = defaultdict(list)
    for nomination in ready:
        by_category[nomination.category_id].append(nomination)
    nominations: dict[Any, Nomination] = {n.pk: n for n in ready}
    for category in cycle.categories.order_by("position", "label"):
        members = by_category.get(category.pk)
        if not members:
            continue
        people = panel_people(category)
        if not people:
            without_panel.append(category)
        result = planner.plan(
            planner_items(members, cycle),
            planner_candidates(people, cycle),
            same_state_rule=cycle.conflict_same_state,
        )
        created += _create_assignments(actor, cycle, result.assignments)
        shortfalls += [
            (nominations[s.nomination_id], s.missing, s.reason) for s in result.shortfalls
        ]
        unwilling += [(nominations[u.nomination_id], u.count, u.reason) for u in result.unwilling]
    return AssignmentRun(created, shortfalls, without_panel, unwilling, _stated(created))


def _stated(rows: list[Assignment]) -> dict[tuple[Any, Any], Preference]:
    """What the reviewers of `rows` said about their nominations before assignment."""
    stated = ReviewPreference.objects.filter(
        nomination__in={row.nomination_id for row in rows},
        reviewer__in={row.reviewer_id for row in rows},
    ).values_list("nomination_id", "reviewer_id", "preference")
    return {(n, r): Preference(preference) for n, r, preference in stated}


def _not_ready_reason(nomination: Nomination) -> str:
    """Why `nomination` may not get reviewers yet, in words (it is not in
    `ready_for_assignment`)."""
    copy = ReviewCopy.objects.filter(nomination=nomination).first()
    # Not in `ready_for_assignment` means some rule fails; the fallback is never reached.
    return rules.assignment_blocker(nomination, copy) or "It cannot get reviewers now."


@transaction.atomic
def assignment_fill(*, actor: Any, nomination: Nomination) -> list[Assignment]:
    """Fill one nomination up to its reviewers per nomination, as the automatic run would.

    The same rules as `assignment_auto` (the category's panel, never conflicted,
    never past a reviewer's maximum), for one nomination: bulk assignment runs it
    per nomination, each in its own transaction. Steps: check staff; lock the
    cycle (assignment runs of one cycle go one at a time, so maximums hold) and
    the nomination; refuse, saying why, when it is not ready, has no panel, is
    already full or no reviewer can be added; otherwise create the assignments
    (each audited and emailed to its reviewer). Returns those created.
    """
    require_staff(actor)
    row_or_gone(Cycle.objects.select_for_update(), pk=nomination.cycle_id)
    nomination = lock_nomination(nomination)
    cycle = nomination.cycle
    if not ready_for_assignment(cycle).filter(pk=nomination.pk).exists():
        raise ReviewError(_not_ready_reason(nomination))
    category = cast("Category", nomination.category)  # a ready nomination has one
    people = panel_people(category)
    if not people:
        raise ReviewError(f"{category.label} has no panel of reviewers yet.")
    (item,) = planner_items([nomination], cycle)
    if item.needed == 0:
        raise ReviewError(
            f"Nothing to do: it already has its {cycle.reviewers_per_nomination} reviewers."
        )
    result = planner.plan(
        [item], planner_candidates(people, cycle), same_state_rule=cycle.conflict_same_state
    )
    if not result.assignments:
        # With seats to fill and none filled, the planner names the shortfall.
        raise ReviewError(f"No reviewer could be assigned: {result.shortfalls[0].reason}.")
    return _create_assignments(actor, cycle, result.assignments)


def _refill(actor: Any, nomination: Nomination) -> list[Assignment]:
    """After a decline: try to give the nomination a replacement at once."""
    cycle = nomination.cycle
    if not ready_for_assignment(cycle).filter(pk=nomination.pk).exists():
        return []
    people = panel_people(nomination.category)
    result = planner.plan(
        planner_items([nomination], cycle),
        planner_candidates(people, cycle),
        same_state_rule=cycle.conflict_same_state,
    )
    return _create_assignments(actor, cycle, result.assignments)


@transaction.atomic
def assignment_add(*, actor: Any, nomination: Nomination, reviewer: Any) -> Assignment:
    """Assign one reviewer by hand, under the same rules as the automatic run."""
    require_staff(actor)
    nomination = lock_nomination(nomination)
    if not ready_for_assignment(nomination.cycle).filter(pk=nomination.pk).exists():
        raise ReviewError(_not_ready_reason(nomination))
    if not rules.is_reviewer(reviewer):
        raise ReviewError(f"{reviewer} is not a reviewer.")
    (item,) = planner_items([nomination], nomination.cycle)
    (candidate,) = planner_candidates([reviewer], nomination.cycle)
    refusal = rules.assignment_refusal(
        candidate, item, same_state_rule=nomination.cycle.conflict_same_state
    )
    if refusal:
        raise ReviewError(f"{reviewer} cannot be assigned: {refusal}.")
    (row,) = _create_assignments(actor, nomination.cycle, [(nomination.pk, reviewer.pk)])
    return row


@transaction.atomic
def assignment_remove(*, actor: Any, assignment: Assignment) -> None:
    """Take an assignment away; a submitted review is kept (reopen it instead)."""
    require_staff(actor)
    row = lock_assignment(assignment)
    if row.state == A.SUBMITTED:
        raise ReviewError("This review has been submitted; it cannot be removed.")
    audit_record(
        actor=actor,
        obj=row.nomination,
        action="reviewer_removed",
        message=f"Reviewer {row.reviewer.email}",
    )
    row.delete()


@transaction.atomic
def assignment_accept(
    *, user: Any, assignment: Assignment, guidelines_version: int | None = None
) -> Assignment:
    """The reviewer accepts: invited -> accepted, saying they read the cycle's guidelines.

    `guidelines_version` is the version of the reviewer guidelines the page showed
    (None when it showed none). Steps: lock the row; only its reviewer, never
    while conflicted; when the cycle has guidelines, refuse unless that version is
    the current one (`policy.guidelines_confirmed`: changed since, the reviewer
    reads the new one first); make the transition; store the version read (None
    without guidelines); audit.
    """
    row = lock_assignment(assignment)
    require_work_on(user, row)
    version = guidelines_confirmed(row.nomination.cycle_id, guidelines_version)
    from_state = reviewer_transition(row, "accept", busy="This assignment is already {state}.")
    row.responded_at = timezone.now()
    row.guidelines_version = version
    row.save(update_fields=["state", "responded_at", "guidelines_version"])
    audit_record(
        actor=user, obj=row, action="assignment_accepted", from_state=from_state, to_state=row.state
    )
    return row


@transaction.atomic
def assignment_decline(
    *, user: Any, assignment: Assignment, reason: str, note: str = ""
) -> Assignment:
    """Decline an assignment (with a reason); a conflict is recorded as declared."""
    if reason not in DeclineReason.values:
        raise ValidationError("Choose why you are declining.")
    if reason == DeclineReason.CONFLICT and not note.strip():
        raise ValidationError(CONFLICT_REASON_NEEDED)
    row = lock_assignment(assignment)
    require_own(user, row)
    from_state = reviewer_transition(
        row, "decline", busy="This assignment is {state} and can no longer be declined."
    )
    row.decline_reason = reason
    row.decline_note = note.strip()
    row.responded_at = timezone.now()
    row.save(update_fields=["state", "decline_reason", "decline_note", "responded_at"])
    if reason == DeclineReason.CONFLICT:
        conflict_record(user=user, nomination=row.nomination, reason=note.strip())
    audit_record(
        actor=user,
        obj=row,
        action="assignment_declined",
        from_state=from_state,
        to_state=row.state,
        message=row.get_decline_reason_display(),
    )
    _refill(None, row.nomination)
    return row


def conflict_reason_checked(reason: str) -> str:
    """A conflict's reason as stored; refused when blank. Every way of declaring a
    conflict (on an assignment, or before assignment) asks this first."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(CONFLICT_REASON_NEEDED)
    return reason


def conflict_record(*, user: Any, nomination: Nomination, reason: str) -> bool:
    """Record `user`'s conflict with `nomination`: the rule every way of declaring one shares.

    The first declaration stands, with its reason; returns whether this one is
    new. Any preference the reviewer stated about the nomination goes: a
    conflicted reviewer is never assigned to it, whatever they wished. From
    here on the conflict rule (`AssignmentQuerySet.without_conflicts`,
    `planner_items`) leaves the pair out everywhere.
    """
    _conflict, created = Conflict.objects.get_or_create(
        reviewer=user, nomination=nomination, defaults={"reason": reason}
    )
    ReviewPreference.objects.filter(reviewer=user, nomination=nomination).delete()
    return created


@transaction.atomic
def conflict_declare(*, user: Any, assignment: Assignment, reason: str) -> Assignment:
    """Declare a conflict at any time: the nomination leaves the reviewer's view and
    their review (even a submitted one) stops counting."""
    reason = conflict_reason_checked(reason)
    row = lock_assignment(assignment)
    require_own(user, row)
    conflict_record(user=user, nomination=row.nomination, reason=reason)
    from_state = row.state
    if rules.may_decline(row):
        row.decline()
        row.decline_reason = DeclineReason.CONFLICT
        row.decline_note = reason
        row.responded_at = timezone.now()
        row.save(update_fields=["state", "decline_reason", "decline_note", "responded_at"])
    audit_record(
        actor=user,
        obj=row,
        action="conflict_declared",
        from_state=from_state,
        to_state=row.state,
    )
    _refill(None, row.nomination)
    return row
