"""Reviewers' feedback to agencies: what is shared, in what order, and where the score fell.

A cycle shares feedback when its review policy says so (`ReviewPolicy.share_feedback`).
Then, and only after the nomination's decision is released, the agency reads, for a
nomination that reached a decision (finalist, winner, not selected):

- each criterion's justifications and the overall comments of the reviews that count
  (`counting_reviews_qs`: submitted, reviewer not conflicted), less those staff
  withheld (`WithheldComment`);
- where the nomination's normalised score fell in its category, as the scoreboard
  ranks it (`selectors.scoreboard`): a band, or the rank when the policy says so.

Never who wrote what. The comments of one criterion are sorted by their text, so
their order depends on nothing but the words: the first comment on one criterion
and the first on the next are not, as a rule, by the same reviewer, and no order
(of reviews, reviewers, assignments or submission times) can be used to line up
one reviewer's comments across criteria. A shuffle would hide that as well only
if each criterion had its own seed, and would still change whenever a comment is
withheld; sorted text is the same on every visit, in the page and in the CSV.
Agency-facing results (`AgencyFeedback`) hold texts only, never a review, an
assignment or a person.

Staff read the same comments with their reviews and withholdings
(`feedback_for_staff`), in the same order, so they see what the agency will.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.humanize.templatetags.humanize import ordinal
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from dz_awards.nominations.enums import SCORED_STATES, NominationState
from dz_awards.nominations.models import Nomination
from reviews import rules
from reviews.enums import FeedbackPosition
from reviews.models import Criterion, Review, ReviewPolicy, Score, WithheldComment
from reviews.selectors.policy import review_policy
from reviews.selectors.reviewer import counting_reviews_qs
from reviews.selectors.staff import scoreboard

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User
    from dz_awards.cycles.models import Cycle

S = NominationState

# Nominations that reached a decision: only theirs is feedback an agency may read.
DECIDED_STATES = frozenset({S.FINALIST, S.WINNER, S.NOT_SELECTED})

QUARTERS = ("the top quarter", "the second quarter", "the third quarter", "the bottom quarter")
HALVES = ("the upper half", "the lower half")
ONLY_ONE = "the only nomination scored in its category"


# Where the score fell -----------------------------------------------------------------


def band_of(rank: int, of: int) -> str:
    """The band of a nomination ranked `rank` (competition ranking, ties share the best
    rank) among `of` scored nominations of its category.

    The cut is on the share of the category that scored strictly above the
    nomination, (rank - 1) / of, so tied nominations always share a band:

    - 4 or more nominations: quarters. Below 1/4 is the top quarter, below 1/2 the
      second, below 3/4 the third, the rest the bottom quarter. With 9: ranks 1 to 3
      are the top quarter, 4 and 5 the second, 6 and 7 the third, 8 and 9 the bottom.
    - 2 or 3 nominations: quarters would be a rank in disguise (and 1 of 2 cannot sit
      in "the second quarter"), so halves: below 1/2 is the upper half. With 2: the
      first is the upper half, the second the lower; with 3, the first two are the
      upper half.
    - 1 nomination: no band says anything, so it says that: the only one scored.
    """
    if not 1 <= rank <= of:
        raise ValueError(f"A rank of {rank} among {of} nominations is not possible.")
    above = rank - 1
    if of == 1:
        return ONLY_ONE
    if of < 4:
        return HALVES[(2 * above) // of]
    return QUARTERS[(4 * above) // of]


@dataclass(frozen=True)
class ScorePosition:
    """Where a nomination's normalised score fell among the `of` scored nominations of its
    category: `rank` as the scoreboard ranks it (ties share it), and its band."""

    kind: FeedbackPosition
    rank: int
    of: int
    tied: bool
    category: str

    @property
    def band(self) -> str:
        return band_of(self.rank, self.of)

    @property
    def text(self) -> str:
        """In a few words, as the policy chose: "the top quarter" or "2nd of 9"."""
        if self.of == 1:
            return ONLY_ONE
        if self.kind == FeedbackPosition.RANK:
            return f"{ordinal(self.rank)} of {self.of}" + (" (tied)" if self.tied else "")
        return self.band

    @property
    def sentence(self) -> str:
        """What the agency reads, in a sentence."""
        if self.of == 1:
            return f"Your program was {ONLY_ONE} ({self.category})."
        if self.kind == FeedbackPosition.RANK:
            tied = ", tied with another nomination" if self.tied else ""
            return (
                f"Your program's normalised score ranked {ordinal(self.rank)} of the {self.of} "
                f"nominations scored in {self.category}{tied}."
            )
        return (
            f"Your program's normalised score was in {self.band} of the {self.of} "
            f"nominations scored in {self.category}."
        )


def score_position(nomination: Nomination, kind: FeedbackPosition | str) -> ScorePosition | None:
    """Where the nomination's normalised score fell in its category, as the scoreboard
    ranks it (`selectors.scoreboard`, the one computation of normalised scores); None
    when it has no counting review or no category."""
    board = scoreboard(nomination.cycle)
    for category_board in board.categories:
        if category_board.category.pk != nomination.category_id:
            continue
        ranks = [line.rank for line in category_board.lines if line.rank is not None]
        mine = next(
            (line.rank for line in category_board.lines if line.nomination.pk == nomination.pk),
            None,
        )
        if mine is None:
            return None
        return ScorePosition(
            kind=FeedbackPosition(kind),
            rank=mine,
            of=len(ranks),
            tied=ranks.count(mine) > 1,
            category=category_board.category.label,
        )
    return None


# The comments -------------------------------------------------------------------------


def comment_what(criterion: Criterion | None) -> str:
    """A comment in words: on `criterion`, or (None) the overall comment."""
    if criterion is None:
        return "the overall comment"
    return f"the comment on “{criterion.name}”"


@dataclass(frozen=True)
class Comment:
    """One comment of one counting review, as staff see it: `criterion` None is the
    overall comment. Never handed to an agency page (it knows its review)."""

    review: Review
    criterion: Criterion | None
    text: str
    withheld: WithheldComment | None

    @property
    def what(self) -> str:
        """The comment in words, for messages and the audit trail."""
        return comment_what(self.criterion)


@dataclass
class CriterionComments:
    criterion: Criterion
    comments: list[Comment] = field(default_factory=list)


@dataclass
class NominationComments:
    """Every comment the reviews that count wrote about one nomination, withheld or not,
    per criterion (in the rubric's order) and overall, each list sorted by text."""

    nomination: Nomination
    criteria: list[CriterionComments]
    overall: list[Comment]

    @property
    def count(self) -> int:
        return sum(len(each.comments) for each in self.criteria) + len(self.overall)

    @property
    def withheld_count(self) -> int:
        every = [c for each in self.criteria for c in each.comments] + self.overall
        return sum(1 for comment in every if comment.withheld is not None)


def _by_text(comments: Iterable[Comment]) -> list[Comment]:
    """Sorted by their words only (see the module docstring for why)."""
    return sorted(comments, key=lambda comment: (comment.text.casefold(), comment.text))


def _applies(criterion: Criterion, nomination: Nomination) -> bool:
    return criterion.category_id is None or criterion.category_id == nomination.category_id


def nomination_comments(
    nominations: Iterable[Nomination], criteria: Iterable[Criterion]
) -> dict[object, NominationComments]:
    """{nomination pk: its comments} for `nominations`, in four queries whatever their number.

    `criteria` are those of the nominations' cycle (a criterion for another
    category is left out of a nomination's list). Only the reviews that count
    (`counting_reviews_qs`).
    """
    nominations = list(nominations)
    criteria = sorted(criteria, key=lambda criterion: (criterion.position, criterion.pk))
    reviews = (
        counting_reviews_qs()
        .filter(assignment__nomination__in=[n.pk for n in nominations])
        .select_related("assignment__reviewer")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion").order_by("pk")),
            Prefetch("withheld", queryset=WithheldComment.objects.select_related("withheld_by")),
        )
        .order_by("pk")
    )
    # A submitted review has every justification and its overall comment (the review
    # services refuse to submit without them), so each is a comment.
    by_criterion: defaultdict[tuple[object, int], list[Comment]] = defaultdict(list)
    overall: defaultdict[object, list[Comment]] = defaultdict(list)
    for review in reviews:
        nomination_id = review.assignment.nomination_id
        withheld = {row.criterion_id: row for row in review.withheld.all()}
        for score in review.scores.all():
            by_criterion[nomination_id, score.criterion_id].append(
                Comment(
                    review, score.criterion, score.justification, withheld.get(score.criterion_id)
                )
            )
        overall[nomination_id].append(
            Comment(review, None, review.overall_comment, withheld.get(None))
        )
    return {
        nomination.pk: NominationComments(
            nomination=nomination,
            criteria=[
                CriterionComments(criterion, _by_text(by_criterion[nomination.pk, criterion.pk]))
                for criterion in criteria
                if _applies(criterion, nomination)
            ],
            overall=_by_text(overall[nomination.pk]),
        )
        for nomination in nominations
    }


# What the agency reads ----------------------------------------------------------------


@dataclass(frozen=True)
class CriterionFeedback:
    name: str
    description: str
    comments: list[str]


@dataclass(frozen=True)
class AgencyFeedback:
    """Everything an agency reads of its reviews, and nothing else: texts, no people."""

    nomination: Nomination
    position: ScorePosition | None
    criteria: list[CriterionFeedback]
    overall: list[str]

    @property
    def rows(self) -> list[tuple[str, str]]:
        """(part, text) in the page's order: the position, each criterion, overall."""
        rows = []
        if self.position is not None:
            rows.append(("Where your score fell", self.position.sentence))
        for criterion in self.criteria:
            rows.extend((criterion.name, text) for text in criterion.comments)
        rows.extend(("Overall comments", text) for text in self.overall)
        return rows


def feedback_shared(nomination: Nomination, policy: ReviewPolicy | None = None) -> bool:
    """Whether the agency may read feedback on `nomination` now: its cycle shares it,
    the nomination reached a decision and that decision is released.

    A finalist staged as winner is still a released finalist: staging the new
    outcome clears its decision's `released_at` until the release, but the
    finalist decision was released, and hiding the feedback meanwhile would tell
    the agency that a decision about it is staged.
    """
    if nomination.state not in DECIDED_STATES:
        return False
    decision = getattr(nomination, "decision", None)
    released = decision is not None and (
        decision.released_at is not None or nomination.state == S.FINALIST
    )
    return released and (policy or review_policy(nomination.cycle)).share_feedback


def agency_feedback(nomination: Nomination) -> AgencyFeedback | None:
    """What the agency reads about `nomination`, or None when nothing is shared.

    The caller found the nomination through the agency's own scope
    (`nominations.selectors.nominations_for_member`).
    """
    policy = review_policy(nomination.cycle)
    if not feedback_shared(nomination, policy):
        return None
    criteria = Criterion.objects.filter(rubric__cycle_id=nomination.cycle_id)
    comments = nomination_comments([nomination], criteria)[nomination.pk]
    return AgencyFeedback(
        nomination=nomination,
        position=score_position(nomination, policy.feedback_position),
        criteria=[
            CriterionFeedback(
                name=each.criterion.name,
                description=each.criterion.description,
                comments=[c.text for c in each.comments if c.withheld is None],
            )
            for each in comments.criteria
        ],
        overall=[c.text for c in comments.overall if c.withheld is None],
    )


# What staff read ----------------------------------------------------------------------


def feedback_nominations_for_staff(
    user: User | AnonymousUser, cycle: Cycle, *, category: int | None = None
) -> QuerySet[Nomination]:
    """The cycle's scored nominations with at least one counting review (so with comments
    to read), of `category` if given, in the scoreboard's order of categories."""
    if not rules.is_program_staff(user):
        return Nomination.objects.none()
    nominations = Nomination.objects.filter(cycle=cycle, state__in=SCORED_STATES).filter(
        Exists(counting_reviews_qs().filter(assignment__nomination=OuterRef("pk")))
    )
    if category is not None:
        nominations = nominations.filter(category_id=category)
    return nominations.select_related("agency", "category", "cycle", "decision").order_by(
        "category__position", "agency__name", "pk"
    )


def feedback_for_staff(cycle: Cycle, nominations: Iterable[Nomination]) -> list[NominationComments]:
    """The comments of `nominations` (of `cycle`), withheld or not, as staff review them."""
    nominations = list(nominations)
    comments = nomination_comments(nominations, Criterion.objects.filter(rubric__cycle=cycle))
    return [comments[nomination.pk] for nomination in nominations]


def feedback_review_get_for_staff(user: User | AnonymousUser, cycle: Cycle, pk: int) -> Review:
    """A counting review of `cycle` whose comments staff may withhold; otherwise 404."""
    reviews = counting_reviews_qs().filter(assignment__nomination__cycle=cycle)
    if not rules.is_program_staff(user):
        reviews = reviews.none()
    return get_object_or_404(reviews.select_related("assignment__nomination"), pk=pk)


def withheld_for_staff(user: User | AnonymousUser, cycle: Cycle, pk: int) -> WithheldComment | None:
    """A withheld comment of `cycle`, for staff; None when it is shared again already
    (or never was withheld), so that a second "Share again" is told so, not a 404."""
    if not rules.is_program_staff(user):
        return None
    return (
        WithheldComment.objects.filter(review__assignment__nomination__cycle=cycle, pk=pk)
        .select_related("review__assignment__nomination", "criterion")
        .first()
    )


def feedback_criterion_get(review: Review, pk: int) -> Criterion:
    """A criterion of the rubric `review` was written on; otherwise 404."""
    return get_object_or_404(
        Criterion.objects.filter(rubric__cycle_id=review.assignment.nomination.cycle_id), pk=pk
    )
