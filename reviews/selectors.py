"""Reads of review data, scoped to the person asking.

Reviewers reach assignments only through `assignments_for_reviewer`, which
leaves out declined assignments, nominations outside review and every conflict
(declared or by rule), so a conflicted reviewer gets a 404 everywhere. The
same conflict rule decides which reviews count in a nomination's numbers.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.accounts.rules import is_program_staff, is_reviewer
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.models import Membership
from dz_awards.nominations.content import LABELS, SNAPSHOT_ORDER
from dz_awards.nominations.enums import EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from dz_awards.nominations.snapshots import readable_items
from reviews import scoring
from reviews.enums import AssignmentState
from reviews.models import (
    Assignment,
    Conflict,
    Criterion,
    Panel,
    Review,
    ReviewCopy,
    ReviewerInvitation,
    ReviewPhase,
    Rubric,
)

S = NominationState
A = AssignmentState

# A reviewer sees an assigned nomination while it is being prepared, reviewed and
# closed; after decisions it leaves their queue.
REVIEWER_VISIBLE_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.REVIEWED})
# Nominations on the scoreboard: review opened, whatever was decided since.
SCOREBOARD_STATES = frozenset({S.IN_REVIEW, S.REVIEWED, S.FINALIST, S.NOT_SELECTED, S.WINNER})


@dataclass(frozen=True)
class PhaseRules:
    """What reviewers may do now. Outside every phase: nothing, and blind."""

    phase: ReviewPhase | None
    reviews_open: bool
    blind: bool
    show_others: bool


def phase_rules(cycle, moment=None):
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


def review_due_at(cycle, moment=None):
    """The end of the last phase in which reviews can be written, if one is ahead."""
    moment = moment or timezone.now()
    last = (
        ReviewPhase.objects.filter(cycle=cycle, reviews_open=True, ends_at__gt=moment)
        .order_by("-ends_at")
        .first()
    )
    return last.ends_at if last else None


def exclude_conflicted(assignments):
    """`assignments` without those whose reviewer is conflicted with the nomination.

    The rules: a declared conflict; an approved membership of the nominating
    agency; the reviewer's home agency; the same state when the cycle says so.
    """
    return (
        assignments.exclude(
            Exists(
                Conflict.objects.filter(
                    reviewer=OuterRef("reviewer"), nomination=OuterRef("nomination")
                )
            )
        )
        .exclude(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("reviewer"),
                    agency=OuterRef("nomination__agency"),
                    status=MembershipStatus.APPROVED,
                )
            )
        )
        .exclude(reviewer__reviewer_profile__home_agency=F("nomination__agency"))
        .exclude(
            Q(nomination__cycle__conflict_same_state=True)
            & Q(reviewer__reviewer_profile__state=F("nomination__agency__state"))
        )
    )


def assignments_for_reviewer(user):
    if not is_reviewer(user):
        return Assignment.objects.none()
    return exclude_conflicted(
        Assignment.objects.filter(reviewer=user, nomination__state__in=REVIEWER_VISIBLE_STATES)
        .exclude(state=A.DECLINED)
        .select_related(
            "nomination__cycle", "nomination__category", "nomination__review_copy", "review"
        )
    )


def assignment_get_for_reviewer(user, pk):
    return get_object_or_404(assignments_for_reviewer(user), pk=pk)


def reviewer_queue(user):
    """The reviewer's assignments, newest cycle first, with their review (if any)."""
    return assignments_for_reviewer(user).order_by(
        "-nomination__cycle__year", "nomination__category__position", "created_at", "pk"
    )


def review_copy_of(nomination):
    copy = ReviewCopy.objects.filter(nomination=nomination).prefetch_related("files").first()
    return copy or ReviewCopy(nomination=nomination)


def reviewer_files(assignment):
    """The files staff chose for reviewers, ready ones only, in upload order; none while
    the review copy is not cleared (see `cleared_copy`)."""
    copy = cleared_copy(assignment.nomination)
    if copy is None:
        return Evidence.objects.none()
    return copy.files.filter(status=EvidenceStatus.READY, removed_at__isnull=True).order_by(
        "created_at", "pk"
    )


def reviewer_file_get(assignment, pk):
    return get_object_or_404(reviewer_files(assignment), pk=pk)


def criteria_for(nomination):
    rubric = Rubric.objects.filter(cycle_id=nomination.cycle_id).first()
    if rubric is None:
        return None, []
    criteria = list(
        Criterion.objects.filter(rubric=rubric)
        .for_category(nomination.category_id)
        .prefetch_related("levels")
    )
    return rubric, criteria


def others_reviews(assignment):
    """Other counting, submitted reviews of the same nomination (after one's own)."""
    return (
        counting_reviews_qs()
        .filter(assignment__nomination_id=assignment.nomination_id)
        .exclude(assignment=assignment)
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "pk")
    )


def counting_reviews_qs():
    """Submitted reviews that count: assignment submitted and no conflict of any kind."""
    assignments = exclude_conflicted(Assignment.objects.filter(state=A.SUBMITTED))
    return Review.objects.filter(
        submitted_at__isnull=False, total__isnull=False, assignment__in=assignments
    )


# Staff --------------------------------------------------------------------


def staff_review_nominations(user, cycle):
    """A cycle's nominations from submission on, with what review preparation shows."""
    if not is_program_staff(user):
        return Nomination.objects.none()
    # A conflicted reviewer's assignment is in none of the counts.
    counting = Q(
        assignments__in=exclude_conflicted(Assignment.objects.filter(nomination__cycle=cycle))
    )
    active = counting & Q(assignments__state__in=[A.INVITED, A.ACCEPTED, A.SUBMITTED])
    return (
        Nomination.objects.filter(
            cycle=cycle, state__in=[S.SUBMITTED, *SCOREBOARD_STATES], submitted_at__isnull=False
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


def reviewer_progress(cycle, moment=None):
    """Per reviewer: assigned, accepted, submitted, declined and overdue counts."""
    moment = moment or timezone.now()
    assignments = Assignment.objects.filter(nomination__cycle=cycle).select_related("reviewer")
    counted = set(exclude_conflicted(assignments).values_list("pk", flat=True))
    rows = {}
    for assignment in assignments.order_by("reviewer__full_name", "reviewer__email"):
        row = rows.setdefault(
            assignment.reviewer_id,
            {
                "reviewer": assignment.reviewer,
                "assigned": 0,
                "accepted": 0,
                "submitted": 0,
                "declined": 0,
                "conflicted": 0,
                "overdue": 0,
            },
        )
        if assignment.state == A.DECLINED:
            row["declined"] += 1
            continue
        if assignment.pk not in counted:
            # Conflicted: it holds no seat and will never be written.
            row["conflicted"] += 1
            continue
        row["assigned"] += 1
        if assignment.state in (A.ACCEPTED, A.SUBMITTED):
            row["accepted"] += 1
        if assignment.state == A.SUBMITTED:
            row["submitted"] += 1
        if assignment.is_overdue(moment):
            row["overdue"] += 1
    return list(rows.values())


@dataclass
class BoardLine:
    nomination: Nomination
    rank: int | None
    stats: scoring.NominationStats | None


@dataclass
class CategoryBoard:
    category: object
    lines: list = field(default_factory=list)
    alpha: float | None = None
    review_count: int = 0


@dataclass
class Scoreboard:
    cycle: object
    rubric: Rubric | None
    categories: list
    reviewers: list  # (reviewer, ReviewerStats), most lenient first
    centre: float | None


def scoreboard(cycle):
    """Ranked numbers per category; conflicted reviews never count.

    A fixed number of queries whatever the number of nominations.
    """
    rubric = Rubric.objects.filter(cycle=cycle).first()
    nominations = list(
        Nomination.objects.filter(cycle=cycle, state__in=SCOREBOARD_STATES)
        .select_related("agency", "category", "decision")
        .order_by("category__position", "agency__name", "pk")
    )
    rows = list(
        counting_reviews_qs()
        .filter(assignment__nomination__cycle=cycle, assignment__nomination__in=nominations)
        .values_list("assignment__reviewer_id", "assignment__nomination_id", "total")
    )
    reviews = [scoring.Review(reviewer=r, nomination=n, total=t) for r, n, t in rows]
    stats = {}
    normalisation = None
    if rubric and reviews:
        threshold = float(cycle.disagreement_threshold)
        stats = scoring.summarise(
            reviews,
            scale_min=rubric.scale_min,
            scale_max=rubric.scale_max,
            disagreement_threshold=threshold,
        )
        normalisation = scoring.normalise(
            reviews, scale_min=rubric.scale_min, scale_max=rubric.scale_max
        )
    by_category = defaultdict(list)
    for nomination in nominations:
        by_category[nomination.category_id].append(nomination)
    reviews_by_nomination = defaultdict(list)
    for review in reviews:
        reviews_by_nomination[review.nomination].append(review)
    categories = []
    for category in cycle.categories.order_by("position", "label"):
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


def staged_decisions(cycle):
    return (
        Nomination.objects.filter(cycle=cycle, decision__released_at__isnull=True)
        .exclude(decision=None)
        .select_related("agency", "category", "decision")
        .order_by("category__position", "agency__name")
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
    sections: list  # (label, text)
    agency: object | None
    category: object | None
    cycle: object
    files: list


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


def neutral_file_name(number, evidence):
    return f"file-{number}{evidence.extension}"


def reviewer_copy(assignment, rules=None):
    nomination = assignment.nomination
    rules = rules or phase_rules(nomination.cycle)
    copy = cleared_copy(nomination)
    evidence = list(reviewer_files(assignment))
    if rules.blind:
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


def cleared_copy(nomination):
    """The nomination's review copy if reviewers may read it, else None.

    Cleared means written, checked since its last edit, and nothing found: while
    a check runs, or after it found the agency, reviewers see no copy, no files
    and a neutral title (nothing ever falls back to the agency's own text).
    """
    copy = getattr(nomination, "review_copy", None)
    return copy if copy is not None and copy.is_cleared else None


def blind_title(nomination):
    """The title a reviewer sees in a list or email: the redacted one, or a neutral label."""
    copy = cleared_copy(nomination)
    if copy is not None and copy.redacted_title.strip():
        return copy.redacted_title.strip()
    return f"Nomination {str(nomination.pk)[:8]}"


# Staff review pages ---------------------------------------------------------
# Reads behind the program staff pages (reviewers, review overview, assignments,
# charts and exports): each a fixed number of queries, whatever the list's length.


def reviewers_for_staff():
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


def invitations_for_staff():
    return ReviewerInvitation.objects.select_related(
        "home_agency", "panel__category__cycle", "accepted_by", "invited_by"
    ).order_by("-created_at", "pk")


def review_categories(cycle):
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


def nomination_assignments_for_staff(nomination):
    """Every assignment of `nomination` with its review; `counts` is False when conflicted."""
    rows = list(
        nomination.assignments.select_related("reviewer", "review").order_by("created_at", "pk")
    )
    counting = set(exclude_conflicted(nomination.assignments.all()).values_list("pk", flat=True))
    for row in rows:
        row.counts = row.pk in counting
    return rows


def declared_conflicts_of(nomination):
    return Conflict.objects.filter(nomination=nomination).select_related("reviewer")


def panel_candidates(nomination):
    """Active reviewers of the nomination's panel who have no assignment to it yet."""
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


def review_totals_by_category(cycle):
    """{category id: [review total, ...]} of the reviews the scoreboard counts."""
    rows = (
        counting_reviews_qs()
        .filter(
            assignment__nomination__cycle=cycle,
            assignment__nomination__state__in=SCOREBOARD_STATES,
        )
        .values_list("assignment__nomination__category_id", "total")
    )
    totals = defaultdict(list)
    for category_id, total in rows:
        totals[category_id].append(float(total))
    return dict(totals)


def cycle_criteria(cycle):
    """Every criterion of the cycle's rubric, for every category, in order."""
    return list(
        Criterion.objects.filter(rubric__cycle=cycle)
        .select_related("category")
        .order_by("position", "pk")
    )


def reviews_for_export(cycle):
    """The cycle's counting reviews with their scores; conflicted reviews are left out."""
    return (
        counting_reviews_qs()
        .filter(
            assignment__nomination__cycle=cycle,
            assignment__nomination__state__in=SCOREBOARD_STATES,
        )
        .select_related(
            "assignment__nomination__agency",
            "assignment__nomination__category",
            "assignment__reviewer",
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
