"""Reads behind the program staff review pages: each a fixed number of queries,
whatever the list's length. Conflicted reviews count in none of their numbers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.enums import ASSIGNABLE_STATES, REVIEWABLE_STATES, SCORED_STATES
from dz_awards.nominations.models import Nomination
from reviews import rules, scoring
from reviews.enums import AssignmentState
from reviews.models import (
    Assignment,
    Conflict,
    Criterion,
    Decision,
    Panel,
    Review,
    ReviewCopy,
    ReviewerInvitation,
    Rubric,
)
from reviews.selectors.reviewer import (
    counting_reviews_qs,
    exclude_conflicted,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User

A = AssignmentState


def staff_review_nominations(user: User | AnonymousUser, cycle: Cycle) -> QuerySet[Nomination]:
    """A cycle's nominations from submission on, with what review preparation shows.

    Each carries `assigned_count`, `accepted_count` and `submitted_count`, none of
    which counts a conflicted reviewer.
    """
    if not rules.is_program_staff(user):
        return Nomination.objects.none()
    # A conflicted reviewer's assignment is in none of the counts.
    counting = Q(
        assignments__in=exclude_conflicted(Assignment.objects.filter(nomination__cycle=cycle))
    )
    active = counting & Q(assignments__state__in=[A.INVITED, A.ACCEPTED, A.SUBMITTED])
    return (
        Nomination.objects.filter(
            cycle=cycle,
            state__in=REVIEWABLE_STATES | SCORED_STATES,
            submitted_at__isnull=False,
        )
        .select_related("agency", "category", "review_copy", "decision")
        .annotate(
            assigned_count=Count("assignments", filter=active, distinct=True),
            accepted_count=Count(
                "assignments",
                filter=counting & Q(assignments__state__in=[A.ACCEPTED, A.SUBMITTED]),
                distinct=True,
            ),
            submitted_count=Count(
                "assignments", filter=counting & Q(assignments__state=A.SUBMITTED), distinct=True
            ),
        )
        .order_by("category__position", "agency__name", "pk")
    )


@dataclass
class BoardLine:
    nomination: Nomination
    rank: int | None
    stats: scoring.NominationStats | None


@dataclass
class CategoryBoard:
    category: Category
    lines: list[BoardLine] = field(default_factory=list)
    alpha: float | None = None
    review_count: int = 0
    # Every counted review's total, for the category's histogram.
    totals: list[float] = field(default_factory=list)


@dataclass
class Scoreboard:
    cycle: Cycle
    rubric: Rubric | None
    categories: list[CategoryBoard]
    reviewers: list[tuple[Any, scoring.ReviewerStats]]  # most lenient first
    centre: float | None


# The fields of a nomination (and its agency) that the scoreboard's users read; the
# decision is loaded whole, the category is the cycle's own (read once).
BOARD_NOMINATION_FIELDS = (
    "title",
    "state",
    "cycle_id",
    "category_id",
    "decision",
    "agency__name",
    "agency__city",
    "agency__state",
)


def scoreboard(cycle: Cycle) -> Scoreboard:
    """Ranked numbers per category; conflicted reviews never count.

    A fixed number of queries whatever the number of nominations.
    """
    rubric = Rubric.objects.filter(cycle=cycle).first()
    cycle_categories = list(cycle.categories.order_by("position", "label"))
    category_of = {category.pk: category for category in cycle_categories}
    nominations = list(
        Nomination.objects.filter(cycle=cycle, state__in=SCORED_STATES)
        .select_related("agency", "decision")
        # What the board shows, and no answer text: 2,000 nominations in a large year.
        .only(*BOARD_NOMINATION_FIELDS)
        .order_by("category__position", "agency__name", "pk")
    )
    for nomination in nominations:
        # The cycle's few categories, read once, rather than one copy per nomination.
        category = category_of.get(nomination.category_id or 0)
        if category is not None:
            nomination.category = category
    rows = list(
        counting_reviews_qs()
        .filter(
            assignment__nomination__cycle=cycle, assignment__nomination__state__in=SCORED_STATES
        )
        .values_list("assignment__reviewer_id", "assignment__nomination_id", "total")
    )
    reviews = [
        scoring.Review(reviewer=r, nomination=n, total=float(t))
        for r, n, t in rows
        if t is not None  # counting reviews always have a total
    ]
    stats = {}
    normalisation = None
    if rubric and reviews:
        threshold = float(cycle.disagreement_threshold)
        normalisation = scoring.normalise(
            reviews, scale_min=rubric.scale_min, scale_max=rubric.scale_max
        )
        stats = scoring.summarise(
            reviews,
            scale_min=rubric.scale_min,
            scale_max=rubric.scale_max,
            disagreement_threshold=threshold,
            normalisation=normalisation,
        )
    by_category = defaultdict(list)
    for nomination in nominations:
        by_category[nomination.category_id].append(nomination)
    reviews_by_nomination = defaultdict(list)
    for review in reviews:
        reviews_by_nomination[review.nomination].append(review)
    categories = []
    for category in cycle_categories:
        members = by_category.get(category.pk, [])
        if not members:
            continue
        ranked = {
            line.stats.nomination: line.rank
            for line in scoring.rank([stats[n.pk] for n in members if n.pk in stats])
        }
        lines = [BoardLine(n, ranked.get(n.pk), stats.get(n.pk)) for n in members]
        lines.sort(
            key=lambda line: (line.rank is None, line.rank or 0, line.nomination.agency.name)
        )
        category_reviews = [r for n in members for r in reviews_by_nomination.get(n.pk, [])]
        categories.append(
            CategoryBoard(
                category=category,
                lines=lines,
                alpha=scoring.krippendorff_alpha_interval(
                    scoring.units_from_reviews(category_reviews)
                ),
                review_count=len(category_reviews),
                totals=[review.total for review in category_reviews],
            )
        )
    reviewers = []
    if normalisation is not None:
        people = get_user_model().objects.in_bulk(list(normalisation.reviewers))
        reviewers = sorted(
            ((people[pk], numbers) for pk, numbers in normalisation.reviewers.items()),
            key=lambda pair: (-pair[1].mean, pair[0].full_name, pair[0].pk),
        )
    return Scoreboard(
        cycle=cycle,
        rubric=rubric,
        categories=categories,
        reviewers=reviewers,
        centre=normalisation.centre if normalisation else None,
    )


def staged_decisions(cycle: Cycle) -> QuerySet[Nomination]:
    """The cycle's nominations with a decision staged and not yet released."""
    return (
        Nomination.objects.filter(cycle=cycle, decision__released_at__isnull=True)
        .exclude(decision=None)
        .select_related("agency", "category", "decision")
        .order_by("category__position", "agency__name")
    )


def staged_decision(nomination: Nomination) -> Decision | None:
    """The nomination's decision while it is staged (not yet released), else None."""
    decision = getattr(nomination, "decision", None)
    if decision is None or decision.released_at is not None:
        return None
    return decision


# Reviewers, assignments, charts and exports ----------------------------------------


def reviewers_for_staff() -> QuerySet[User]:
    """Everyone in the Reviewers group, with their profile, home agency and panels."""
    return (
        get_user_model()
        .objects.filter(groups__name=REVIEWERS_GROUP)
        .distinct()
        .select_related("reviewer_profile__home_agency")
        .prefetch_related(
            Prefetch(
                "review_panels",
                queryset=Panel.objects.select_related("category__cycle").order_by(
                    "-category__cycle__year", "category__position", "category__label"
                ),
            )
        )
        .order_by("full_name", "email", "pk")
    )


def invitations_for_staff() -> QuerySet[ReviewerInvitation]:
    return ReviewerInvitation.objects.select_related(
        "home_agency", "panel__category__cycle", "accepted_by", "invited_by"
    ).order_by("-created_at", "pk")


def review_categories(cycle: Cycle) -> QuerySet[Category]:
    """The cycle's categories with their panel (if any) and how many reviewers it has."""
    return (
        cycle.categories.select_related("panel")
        .annotate(
            panel_size=Count(
                "panel__members",
                filter=Q(
                    panel__members__is_active=True, panel__members__groups__name=REVIEWERS_GROUP
                ),
                distinct=True,
            )
        )
        .order_by("position", "label")
    )


def nomination_assignments_for_staff(nomination: Nomination) -> list[Assignment]:
    """Every assignment of `nomination` with its review; `counts` is False when conflicted."""
    rows = list(
        nomination.assignments.select_related("reviewer", "review").order_by("created_at", "pk")
    )
    counting = set(exclude_conflicted(nomination.assignments.all()).values_list("pk", flat=True))
    for row in rows:
        row.counts = row.pk in counting  # type: ignore[attr-defined]
    return rows


def declared_conflicts_of(nomination: Nomination) -> QuerySet[Conflict]:
    return Conflict.objects.filter(nomination=nomination).select_related("reviewer")


def panel_candidates(nomination: Nomination) -> QuerySet[User]:
    """Active reviewers of the nomination's panel who have no assignment to it yet."""
    if nomination.category_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            review_panels__category_id=nomination.category_id,
            is_active=True,
            groups__name=REVIEWERS_GROUP,
        )
        .exclude(assignments__nomination=nomination)
        .distinct()
        .order_by("full_name", "email", "pk")
    )


def cycle_criteria(cycle: Cycle) -> list[Criterion]:
    """Every criterion of the cycle's rubric, for every category, in order."""
    return list(
        Criterion.objects.filter(rubric__cycle=cycle)
        .select_related("category")
        .order_by("position", "pk")
    )


def reviews_for_export(cycle: Cycle) -> QuerySet[Review]:
    """The cycle's counting reviews with their scores; conflicted reviews are left out."""
    return (
        counting_reviews_qs()
        .filter(
            assignment__nomination__cycle=cycle,
            assignment__nomination__state__in=SCORED_STATES,
        )
        .select_related("assignment__nomination__agency", "assignment__reviewer")
        # The columns of the export: no nomination text beyond its title (6,000 rows).
        .only(
            "overall_comment",
            "confidence",
            "total",
            "submitted_at",
            "assignment__state",
            "assignment__nomination__title",
            "assignment__nomination__state",
            "assignment__nomination__agency__name",
            "assignment__reviewer__full_name",
            "assignment__reviewer__email",
        )
        .prefetch_related("scores")
        .order_by(
            "assignment__nomination__category__position",
            "assignment__nomination__agency__name",
            "assignment__nomination_id",
            "submitted_at",
            "pk",
        )
    )


# The rubric -------------------------------------------------------------------

RUBRIC_FROZEN = (
    "Reviewers of {cycle} have started scoring with this rubric: its scale, criteria and "
    "levels can no longer change."
)


def rubric_is_frozen(rubric: Rubric) -> bool:
    """Whether any review (a draft too) of the rubric's cycle exists: then it may not change."""
    return Review.objects.filter(assignment__nomination__cycle_id=rubric.cycle_id).exists()


def accepted_count(nomination: Nomination) -> int:
    """Reviewers who accepted (or submitted) and are not conflicted: who counts to open review."""
    accepted = nomination.assignments.filter(state__in=[A.ACCEPTED, A.SUBMITTED])
    return exclude_conflicted(accepted).count()


# The staff nomination list, with the review flags ----------------------------------

# Sort keys the list accepts (a leading "-" reverses), each with its columns. Anything
# else is ignored: a sort never reaches the database as typed. Every order ends on
# the primary key, so pages never repeat or skip a row between requests.
STAFF_TABLE_SORTS: dict[str, tuple[str, ...]] = {
    "program": ("title",),
    "agency": ("agency__name",),
    "agency_state": ("agency__state", "agency__name"),
    "category": ("cycle__year", "category__position", "category__label"),
    "status": ("state",),
    "revisions": ("revision_count",),
    "files": ("evidence_count",),
    "submitted": ("submitted_at",),
    "flags": ("flag_count",),
}
STAFF_TABLE_DEFAULT_ORDER = ("-cycle__year", "category__position", "agency__name", "pk")


def staff_nomination_table(
    queryset: QuerySet[Nomination], moment: datetime | None = None
) -> QuerySet[Nomination]:
    """`queryset` (staff-scoped nominations) with the review flags the staff list shows.

    Each row carries `has_identity_finding` (its review copy's identity check found
    something not overridden), `has_disagreement` (counting review totals differ by
    more than the cycle's threshold, as the scoreboard decides it), `has_overdue` (a
    counting assignment invited or accepted and past its due date) and `flag_count`.
    All are computed in the list's one query, so the page costs the same number of
    queries whatever its length.
    """
    moment = moment or timezone.now()
    counting = counting_reviews_qs().filter(assignment__nomination=OuterRef("pk"))
    spread = Subquery(
        counting.values("assignment__nomination")
        .annotate(spread=Max("total") - Min("total"))
        .values("spread")[:1]
    )
    overdue = exclude_conflicted(
        Assignment.objects.filter(
            nomination=OuterRef("pk"), state__in=[A.INVITED, A.ACCEPTED], due_at__lt=moment
        )
    )

    def one_if(name: str) -> Case:
        return Case(
            When(**{name: True}, then=Value(1)), default=Value(0), output_field=IntegerField()
        )

    return queryset.annotate(
        has_identity_finding=Exists(
            ReviewCopy.objects.filter(nomination=OuterRef("pk")).exclude(leaks=[])
        ),
        # Rounded as scoring.summarise decides a disagreement, so both agree.
        has_disagreement=Coalesce(
            GreaterThan(
                Round(spread, scoring.DECISION_PLACES),
                Round(F("cycle__disagreement_threshold"), scoring.DECISION_PLACES),
            ),
            Value(False),
            output_field=BooleanField(),
        ),
        has_overdue=Exists(overdue),
    ).annotate(
        flag_count=one_if("has_identity_finding")
        + one_if("has_disagreement")
        + one_if("has_overdue")
    )


def staff_nomination_table_order(
    queryset: QuerySet[Nomination], sort: str
) -> tuple[QuerySet[Nomination], str]:
    """`queryset` in the order `sort` names (see STAFF_TABLE_SORTS) and the sort applied.

    An unknown sort falls back to the default order (newest cycle, category, agency)
    and is reported as "" so the page marks no column as sorted.
    """
    key = sort.removeprefix("-")
    columns = STAFF_TABLE_SORTS.get(key)
    if columns is None:
        return queryset.order_by(*STAFF_TABLE_DEFAULT_ORDER), ""
    descending = sort.startswith("-")
    ordering = [F(c).desc(nulls_last=True) if descending else F(c).asc() for c in columns]
    return queryset.order_by(*ordering, "pk"), sort


# --- What needs program staff now (the staff to-dos) --------------------------------


def copies_with_findings(user: User | AnonymousUser) -> QuerySet[ReviewCopy]:
    """Review copies of nominations still under review in which the identity check, run
    since the copy's last edit, found the agency: staff must redact them or override.

    The database's form of `rules.copy_status(copy) == CopyStatus.IDENTITY`.
    """
    if not rules.is_program_staff(user):
        return ReviewCopy.objects.none()
    return (
        ReviewCopy.objects.filter(
            nomination__state__in=REVIEWABLE_STATES,
            nomination__submitted_at__isnull=False,
            checked_at__gte=F("updated_at"),
        )
        .exclude(leaks=[])
        .select_related("nomination__cycle")
        .order_by("nomination__cycle__year", "nomination__title", "pk")
    )


def overdue_reviews_by_cycle(
    user: User | AnonymousUser, moment: datetime | None = None
) -> list[dict[str, Any]]:
    """[{cycle, name, count}]: assignments past their due date and not submitted, of
    nominations still taking reviewers, conflicted ones left out. One query."""
    if not rules.is_program_staff(user):
        return []
    moment = moment or timezone.now()
    overdue = exclude_conflicted(
        Assignment.objects.filter(
            state__in=[A.INVITED, A.ACCEPTED],
            due_at__lt=moment,
            nomination__state__in=ASSIGNABLE_STATES,
        )
    )
    rows = (
        overdue.order_by()
        .values(cycle=F("nomination__cycle"), name=F("nomination__cycle__name"))
        .annotate(count=Count("pk"))
        .order_by("-cycle")
    )
    return [dict(row) for row in rows]
