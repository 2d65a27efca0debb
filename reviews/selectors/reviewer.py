"""Reads for reviewers, and the scope and counting rules every review read shares.

Reviewers reach assignments only through `assignments_for_reviewer`, which
leaves out declined assignments, nominations outside review and every conflict
(declared or by rule), so a conflicted reviewer gets a 404 everywhere. The
same conflict rule decides which reviews count (`counting_reviews_qs`).
Everything a reviewer reads about a nomination is a `ReviewerCopy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.content import LABELS, SNAPSHOT_ORDER
from dz_awards.nominations.enums import (
    ASSIGNABLE_STATES,
    REVIEWABLE_STATES,
    EvidenceStatus,
    NominationState,
)
from dz_awards.nominations.models import Evidence, Nomination
from dz_awards.nominations.snapshots import readable_items
from reviews import rules
from reviews.enums import AssignmentState
from reviews.models import (
    Assignment,
    Criterion,
    Review,
    ReviewCopy,
    ReviewPhase,
    Rubric,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User

A = AssignmentState


@dataclass(frozen=True)
class PhaseRules:
    """What reviewers may do now. Outside every phase: nothing, and blind."""

    phase: ReviewPhase | None
    reviews_open: bool
    blind: bool
    show_others: bool


def phase_rules(cycle: Cycle, moment: datetime | None = None) -> PhaseRules:
    """The rules of the phase running at `moment` (now by default)."""
    moment = moment or timezone.now()
    phase = (
        ReviewPhase.objects.filter(cycle=cycle, starts_at__lte=moment, ends_at__gt=moment)
        .order_by("-starts_at")
        .first()
    )
    if phase is None:
        return PhaseRules(phase=None, reviews_open=False, blind=True, show_others=False)
    return PhaseRules(
        phase=phase,
        reviews_open=phase.reviews_open,
        blind=phase.blind,
        show_others=phase.show_others,
    )


def review_due_at(cycle: Cycle, moment: datetime | None = None) -> datetime | None:
    """The end of the last phase in which reviews can be written, if one is ahead."""
    moment = moment or timezone.now()
    last = (
        ReviewPhase.objects.filter(cycle=cycle, reviews_open=True, ends_at__gt=moment)
        .order_by("-ends_at")
        .first()
    )
    return last.ends_at if last else None


def exclude_conflicted(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """`assignments` without those whose reviewer is conflicted with the nomination.

    The rule itself is `AssignmentQuerySet.without_conflicts`; see there.
    """
    return assignments.without_conflicts()  # type: ignore[attr-defined]


def assignments_for_reviewer(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """The reviewer's scope: their assignments, not declined, of nominations still under
    review, never one they are conflicted with. Everything else is a 404 to them."""
    if not rules.is_reviewer(user):
        return Assignment.objects.none()
    reviewer = cast("User", user)  # a reviewer is signed in
    return exclude_conflicted(
        Assignment.objects.filter(reviewer=reviewer, nomination__state__in=REVIEWABLE_STATES)
        .exclude(state=A.DECLINED)
        .select_related(
            "nomination__cycle", "nomination__category", "nomination__review_copy", "review"
        )
    )


def assignment_get_for_reviewer(user: User | AnonymousUser, pk: int) -> Assignment:
    return get_object_or_404(assignments_for_reviewer(user), pk=pk)


class PhaseRulesByCycle:
    """The phase rules of each cycle met, read once per cycle however many rows share it."""

    def __init__(self) -> None:
        self._rules: dict[int, PhaseRules] = {}

    def __call__(self, cycle: Cycle) -> PhaseRules:
        if cycle.pk not in self._rules:
            self._rules[cycle.pk] = phase_rules(cycle)
        return self._rules[cycle.pk]


def own_review(assignment: Assignment) -> Review | None:
    """The assignment's review, if one was started."""
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def review_status(review: Review | None) -> str:
    """Not started, draft saved or submitted, as the reviewer's lists say it."""
    if review is None:
        return "Not started"
    return "Submitted" if review.submitted_at else "Draft saved"


def listed_title(nomination: Nomination, phase: PhaseRules) -> str:
    """A nomination's title in a reviewer's list or export, as the phase allows (the same
    title `reviewer_copy` gives its page)."""
    return blind_title(nomination) if phase.blind else str(nomination)


def reviewer_queue(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """The reviewer's assignments, newest cycle first, with their review (if any)."""
    return assignments_for_reviewer(user).order_by(
        "-nomination__cycle__year", "nomination__category__position", "created_at", "pk"
    )


def review_copy_of(nomination: Nomination) -> ReviewCopy:
    """The nomination's review copy, or an unsaved empty one."""
    copy = ReviewCopy.objects.filter(nomination=nomination).prefetch_related("files").first()
    return copy or ReviewCopy(nomination=nomination)


def reviewer_files(assignment: Assignment) -> QuerySet[Evidence]:
    """The files staff chose for reviewers, ready ones only, in upload order; none while
    the review copy is not cleared (see `cleared_copy`)."""
    copy = cleared_copy(assignment.nomination)
    if copy is None:
        return Evidence.objects.none()
    return copy.files.filter(status=EvidenceStatus.READY, removed_at__isnull=True).order_by(
        "created_at", "pk"
    )


def reviewer_file_get(assignment: Assignment, pk: Any) -> Evidence:
    return get_object_or_404(reviewer_files(assignment), pk=pk)


def criteria_for(nomination: Nomination) -> tuple[Rubric | None, list[Criterion]]:
    """The cycle's rubric and the criteria the nomination is scored on, in order."""
    rubric = Rubric.objects.filter(cycle_id=nomination.cycle_id).first()
    if rubric is None:
        return None, []
    criteria = list(
        Criterion.objects.filter(rubric=rubric)
        .for_category(nomination.category_id)
        .prefetch_related("levels")
    )
    return rubric, criteria


def others_reviews(assignment: Assignment) -> QuerySet[Review]:
    """Other counting, submitted reviews of the same nomination (after one's own)."""
    return (
        counting_reviews_qs()
        .filter(assignment__nomination_id=assignment.nomination_id)
        .exclude(assignment=assignment)
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "pk")
    )


def counting_reviews_qs() -> QuerySet[Review]:
    """Submitted reviews that count: assignment submitted and no conflict of any kind."""
    assignments = exclude_conflicted(Assignment.objects.filter(state=A.SUBMITTED))
    return Review.objects.filter(
        submitted_at__isnull=False, total__isnull=False, assignment__in=assignments
    )


@dataclass(frozen=True)
class ReviewerFile:
    evidence: Evidence
    name: str  # what the reviewer sees, and the download's file name


@dataclass(frozen=True)
class ReviewerCopy:
    """Everything a reviewer may read about a nomination, and nothing else.

    Reviewer pages, emails and exports render this, never the nomination: in a
    blind phase it holds no agency identity (the redacted copy, neutral file
    names); otherwise the agency's submitted text as well.
    """

    blind: bool
    title: str
    executive_summary: str
    sections: list[tuple[str, str]]  # (label, text)
    agency: Any | None
    category: Category | None
    cycle: Cycle
    files: list[ReviewerFile]


# Never shown to reviewers, blind or not, nor prefilled into the copy staff redact:
# who submitted and who attested (personal contact details, all identity), the
# category (reviewers see it anyway) and the file list (files are chosen
# separately, under neutral names).
NOT_FOR_REVIEWERS = frozenset(
    {
        *(LABELS[name] for name in SNAPSHOT_ORDER if name.startswith(("submitter_", "head_"))),
        LABELS["category"],
        "Files",
    }
)


def neutral_file_name(number: int, evidence: Evidence) -> str:
    return f"file-{number}{evidence.extension}"


def reviewer_copy(assignment: Assignment, phase: PhaseRules | None = None) -> ReviewerCopy:
    """What the assignment's reviewer may read, as the phase (running now by default) allows."""
    nomination = assignment.nomination
    phase = phase or phase_rules(nomination.cycle)
    copy = cleared_copy(nomination)
    evidence = list(reviewer_files(assignment))
    if phase.blind:
        files = [
            ReviewerFile(e, neutral_file_name(number, e)) for number, e in enumerate(evidence, 1)
        ]
        return ReviewerCopy(
            blind=True,
            title=(copy.redacted_title if copy else "") or blind_title(nomination),
            executive_summary=copy.executive_summary if copy else "",
            sections=[("Nomination (redacted for blind review)", copy.redacted_text)]
            if copy
            else [],
            agency=None,
            category=nomination.category,
            cycle=nomination.cycle,
            files=files,
        )
    latest = nomination.revisions.order_by("-number").first()
    items = readable_items(latest.content) if latest else []
    return ReviewerCopy(
        blind=False,
        title=str(nomination),
        executive_summary=copy.executive_summary if copy else "",
        sections=[(label, text) for label, text in items if label not in NOT_FOR_REVIEWERS],
        agency=nomination.agency,
        category=nomination.category,
        cycle=nomination.cycle,
        files=[ReviewerFile(e, e.original_name) for e in evidence],
    )


def cleared_copy(nomination: Nomination) -> ReviewCopy | None:
    """The nomination's review copy if reviewers may read it, else None.

    Cleared means written, checked since its last edit, and nothing found: while
    a check runs, or after it found the agency, reviewers see no copy, no files
    and a neutral title (nothing ever falls back to the agency's own text).
    """
    copy = getattr(nomination, "review_copy", None)
    return copy if copy is not None and copy.is_cleared else None


def blind_title(nomination: Nomination) -> str:
    """The title a reviewer sees in a list or email: the redacted one, or a neutral label."""
    copy = cleared_copy(nomination)
    if copy is not None and copy.redacted_title.strip():
        return copy.redacted_title.strip()
    return f"Nomination {str(nomination.pk)[:8]}"


# --- What needs the reviewer now, and what they have done ----------------------------


def _scoring_open_now(moment: datetime) -> Subquery:
    """Whether the phase running at `moment` in the assignment's cycle lets reviews be
    written (the phase `phase_rules` picks: the latest started), as a column."""
    return Subquery(
        ReviewPhase.objects.filter(
            cycle=OuterRef("nomination__cycle"), starts_at__lte=moment, ends_at__gt=moment
        )
        .order_by("-starts_at")
        .values("reviews_open")[:1]
    )


def _to_accept() -> Q:
    return Q(state=A.INVITED, nomination__state__in=ASSIGNABLE_STATES)


def _draft_due() -> Q:
    return Q(state=A.ACCEPTED, nomination__state=NominationState.IN_REVIEW, scoring_open=True)


def assignments_to_accept(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """Assignments waiting for the reviewer's answer, of nominations still taking reviewers."""
    return assignments_for_reviewer(user).filter(_to_accept()).order_by("due_at", "created_at")


def reviews_due(user: User | AnonymousUser, moment: datetime | None = None) -> QuerySet[Assignment]:
    """Accepted assignments whose review is not submitted while it can be written now."""
    moment = moment or timezone.now()
    return (
        assignments_for_reviewer(user)
        .alias(scoring_open=_scoring_open_now(moment))
        .filter(_draft_due())
        .order_by("due_at", "created_at")
    )


def reviewer_todo_counts(
    user: User | AnonymousUser, moment: datetime | None = None
) -> dict[str, int]:
    """How many assignments wait for an answer and how many reviews are due: one query."""
    moment = moment or timezone.now()
    return (
        assignments_for_reviewer(user)
        .alias(scoring_open=_scoring_open_now(moment))
        .aggregate(
            accept=Count("pk", filter=_to_accept()),
            due=Count("pk", filter=_draft_due()),
        )
    )


def reviewer_history(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """The reviews the reviewer submitted of nominations whose review is over (decided,
    withdrawn or screened out since): theirs to read, for good, never to change.

    The queue (`reviewer_queue`) holds nominations still under review; once a
    decision is released a nomination leaves it, and its submitted review comes
    here. A conflict found since still hides it, as everywhere.
    """
    if not rules.is_reviewer(user):
        return Assignment.objects.none()
    reviewer = cast("User", user)
    return exclude_conflicted(
        Assignment.objects.filter(
            reviewer=reviewer, state=A.SUBMITTED, review__submitted_at__isnull=False
        )
        .exclude(nomination__state__in=REVIEWABLE_STATES)
        .select_related(
            "nomination__cycle", "nomination__category", "nomination__review_copy", "review"
        )
    ).order_by("-nomination__cycle__year", "nomination__category__position", "created_at", "pk")
