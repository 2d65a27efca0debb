"""Reviewers' workload: each reviewer's load, lateness and leniency in a cycle for
program staff, and a reviewer's own progress per cycle for their queue.

The numbers follow the rules of every other review read: a conflicted
assignment counts in none of them (it is shown apart), and leniency is the
scoreboard's own (`staff.scoreboard`): a reviewer's mean total over the reviews
that count, less the centre, the mean of them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from reviews import rules
from reviews.enums import AssignmentState
from reviews.models import Assignment, Review, ReviewPolicy
from reviews.selectors.guidelines import policies_for
from reviews.selectors.reviewer import exclude_conflicted, own_review
from reviews.selectors.staff import scoreboard

if TYPE_CHECKING:
    from dz_awards.cycles.models import Cycle

A = AssignmentState
PENDING_STATES = (A.INVITED, A.ACCEPTED)


@dataclass
class WorkloadRow:
    """One reviewer's assignments in a cycle, as the staff workload page shows them."""

    reviewer: Any
    assigned: int = 0  # not declined, not conflicted
    accepted: int = 0  # accepted or submitted
    drafts: int = 0  # accepted, a review started and not submitted
    submitted: int = 0
    declined: int = 0
    conflicted: int = 0  # assignments their conflict took out of every count
    pending: int = 0  # waiting on the reviewer (rules.waits_on_reviewer)
    overdue: int = 0  # pending and past its due date
    oldest_due: datetime | None = None  # the earliest due date among the overdue ones
    days_late: int | None = None  # whole days since `oldest_due`
    leniency: float | None = None  # mean total less the centre; None: no counted review
    counted_reviews: int = 0  # the reviews the leniency stands on
    last_reminded: datetime | None = None

    @property
    def name(self) -> str:
        return self.reviewer.full_name or self.reviewer.email


def reviewer_workload(cycle: Cycle, moment: datetime | None = None) -> list[WorkloadRow]:
    """A row per reviewer assigned in `cycle`, by name. A fixed number of queries."""
    moment = moment or timezone.now()
    assignments = Assignment.objects.filter(nomination__cycle=cycle)
    counted = set(exclude_conflicted(assignments).values_list("pk", flat=True))
    rows: dict[int, WorkloadRow] = {}
    listed = (
        assignments.select_related("reviewer")
        .annotate(
            started=Exists(Review.objects.filter(assignment=OuterRef("pk"))),
            nomination_state=F("nomination__state"),
        )
        .order_by("reviewer__full_name", "reviewer__email", "reviewer_id", "pk")
    )
    for assignment in listed:
        row = rows.setdefault(assignment.reviewer_id, WorkloadRow(assignment.reviewer))
        if assignment.reminded_at and (
            row.last_reminded is None or assignment.reminded_at > row.last_reminded
        ):
            row.last_reminded = assignment.reminded_at
        if assignment.state == A.DECLINED:
            row.declined += 1
        elif assignment.pk not in counted:
            # Conflicted: it holds no seat and will never count.
            row.conflicted += 1
        else:
            _count(row, assignment, moment)
    board = scoreboard(cycle)
    if board.centre is not None:
        # Every reviewer the scoreboard counts has assignments in the cycle: a row here.
        for person, numbers in board.reviewers:
            rows[person.pk].leniency = numbers.mean - board.centre
            rows[person.pk].counted_reviews = numbers.count
    return list(rows.values())


def _count(row: WorkloadRow, assignment: Assignment, moment: datetime) -> None:
    """Add one counting assignment to its reviewer's row."""
    row.assigned += 1
    state = assignment.state
    if state in (A.ACCEPTED, A.SUBMITTED):
        row.accepted += 1
    if state == A.SUBMITTED:
        row.submitted += 1
    if state == A.ACCEPTED and assignment.started:  # type: ignore[attr-defined]
        row.drafts += 1
    if rules.waits_on_reviewer(state, assignment.nomination_state):  # type: ignore[attr-defined]
        row.pending += 1
        if assignment.due_at and assignment.due_at < moment:
            row.overdue += 1
            if row.oldest_due is None or assignment.due_at < row.oldest_due:
                row.oldest_due = assignment.due_at
                row.days_late = (moment - assignment.due_at).days


# Sort keys the workload page accepts (a leading "-" reverses); anything else is the
# default order, by name. Rows without a value (no review counted, never reminded)
# come last either way.
WORKLOAD_SORTS: dict[str, Callable[[WorkloadRow], Any]] = {
    "reviewer": lambda row: row.name.casefold(),
    "assigned": lambda row: row.assigned,
    "accepted": lambda row: row.accepted,
    "drafts": lambda row: row.drafts,
    "submitted": lambda row: row.submitted,
    "overdue": lambda row: row.overdue,
    "late": lambda row: row.days_late,
    "leniency": lambda row: row.leniency,
    "reminded": lambda row: row.last_reminded,
}


def workload_order(rows: Iterable[WorkloadRow], sort: str) -> tuple[list[WorkloadRow], str]:
    """`rows` in the order `sort` names and the sort applied ("" for an unknown one).

    Ties keep the order by name, so the page reads the same on every request.
    """
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.reviewer.pk))
    value = WORKLOAD_SORTS.get(sort.removeprefix("-"))
    if value is None:
        return by_name, ""
    known = [row for row in by_name if value(row) is not None]
    unknown = [row for row in by_name if value(row) is None]
    known.sort(key=value, reverse=sort.startswith("-"))
    return known + unknown, sort


# The reviewer's own progress, per cycle ---------------------------------------------


@dataclass(frozen=True)
class DueDate:
    """Pending assignments due at one moment."""

    due_at: datetime
    count: int
    overdue: bool


@dataclass
class CycleProgress:
    """Where a reviewer stands in one cycle, from their queue's assignments."""

    cycle: Cycle
    policy: ReviewPolicy  # for the guidelines link
    to_accept: int = 0
    accepted: int = 0  # accepted or submitted
    drafts: int = 0
    submitted: int = 0
    due: list[DueDate] = field(default_factory=list)  # the next due dates, earliest first


NEXT_DUE_DATES = 3


def reviewer_cycle_progress(
    assignments: Iterable[Assignment], moment: datetime | None = None
) -> list[CycleProgress]:
    """Per cycle, in the order the assignments come (the queue's), the reviewer's counts,
    the next due dates of what they have not submitted, and the cycle's policy. One
    query (the policies): each assignment comes with its review (`reviewer_queue`)."""
    moment = moment or timezone.now()
    progress: dict[int, CycleProgress] = {}
    due: defaultdict[int, defaultdict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    for assignment in assignments:
        cycle = assignment.nomination.cycle
        if cycle.pk not in progress:
            progress[cycle.pk] = CycleProgress(cycle, ReviewPolicy(cycle=cycle))
        line = progress[cycle.pk]
        if assignment.state == A.INVITED:
            line.to_accept += 1
        else:
            line.accepted += 1
        if assignment.state == A.SUBMITTED:
            line.submitted += 1
        elif assignment.state == A.ACCEPTED and own_review(assignment) is not None:
            line.drafts += 1
        if assignment.state in PENDING_STATES and assignment.due_at:
            due[cycle.pk][assignment.due_at] += 1
    policies = policies_for(line.cycle for line in progress.values())
    for pk, line in progress.items():
        line.policy = policies[pk]
        line.due = [
            DueDate(due_at=at, count=count, overdue=at < moment)
            for at, count in sorted(due[pk].items())[:NEXT_DUE_DATES]
        ]
    return list(progress.values())
