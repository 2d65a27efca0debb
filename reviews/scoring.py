"""Scoring: review totals, the per-nomination scoreboard, ranks and agreement.

Pure functions over plain data (no models, no database), like `assignment`: the
scoreboard selector reads a cycle's submitted reviews, leaves out every
conflicted reviewer (a conflicted reviewer never counts in a nomination's
numbers), describes each review as a `Review` (reviewer id, nomination id,
weighted total) and calls the functions here. Nothing here is stored: if a
cache is kept, one service refreshes it from these functions, because derived
values are derived and never typed.

How to call it for a cycle:

1. `weighted_total` turns each review's criterion scores into its total.
2. `summarise` over **all** of the cycle's reviews at once, so that each
   reviewer's z-scores use every assignment they had in the cycle, not only
   those in one category.
3. Per category: `rank` that category's `NominationStats`, and
   `krippendorff_alpha_interval(units_from_reviews(...))` over that category's
   reviews.

Numbers are floats throughout. Weights arriving as `Decimal` are converted
exactly, and `weighted_total` is computed exactly and rounded once to the
nearest float. Nothing is rounded for presentation here: templates round when
they print. Two decisions hinge on equality, whether two scores tie and whether
a spread is above the disagreement threshold, and both compare values rounded to
`DECISION_PLACES` decimals, so binary noise (2.7 - 1.2 is 1.5000000000000002)
never decides them.

Definitions, each in one place (the tests hold a worked example of every one):

- total: a review's weighted mean of its criterion scores, on the rubric scale.
- mean, median: of a nomination's review totals.
- spread: highest total minus lowest total of a nomination (0 with one review).
  The range, not a standard deviation: with the two to four reviews a
  nomination gets, a standard deviation swings wildly, while the range reads
  straight off the scores ("one gave 2, one gave 5") in the same points as the
  threshold staff set.
- disagreement: spread above the threshold (strictly).
- reviewer mean and sd: over that reviewer's own totals. The sd is the
  population one (divides by n): it describes how this reviewer used the scale
  on the reviews they wrote, it estimates nothing beyond them, and it makes
  each reviewer's z-scores have mean 0 and sd 1.
- z: (total - reviewer mean) / reviewer sd. It is 0 for a reviewer with one
  review (one total cannot tell a harsh reviewer from a weak nomination, so it
  says nothing about standing relative to their other reviews) and for a
  reviewer whose totals are all equal, sd 0 to `DECISION_PLACES` decimals
  (they expressed no preference between their nominations).
- centre: mean of every total being summarised.
- pooled sd: sqrt(S / N), where S sums (total - its reviewer's mean) squared
  and N counts the reviews, both over the reviewers with at least two reviews
  (a lone review has no spread to pool). It is the spread left once each
  reviewer's harshness or leniency is taken out.
- rescaled: centre + z * pooled sd, clipped to [scale_min, scale_max]. This
  maps a z-score back onto the rubric scale at the panel's own level and
  spread, so a normalised score reads in the same points as a mean.
- normalised score: mean of the rescaled values of a nomination's reviews.

Invariant: moving all of one reviewer's totals by the same amount (a harsher or
more lenient reviewer) changes neither their z-scores nor the pooled sd; it
moves the centre, so every normalised score moves by the same amount (unless
clipped) and no rank changes.
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from typing import Literal, get_args

DECISION_PLACES = 9
"""Decimals kept when deciding a tie or a threshold, to ignore float noise."""

RankBy = Literal["normalised", "mean", "median"]


@dataclass(frozen=True)
class Review:
    """One submitted review by a reviewer without a conflict, as scoring sees it.

    `total` is the review's `weighted_total`, stored as a float (a `Decimal`
    read from the database is converted); a reviewer reviews a nomination at
    most once.
    """

    reviewer: Hashable
    nomination: Hashable
    total: float

    def __post_init__(self):
        object.__setattr__(self, "total", float(self.total))


@dataclass(frozen=True)
class ReviewerStats:
    """How one reviewer used the scale: count, mean and population sd of their totals."""

    count: int
    mean: float
    sd: float


@dataclass(frozen=True)
class NormalisedReview:
    """A review with its z-score within its reviewer's reviews, and that z on the scale."""

    review: Review
    z: float
    rescaled: float


@dataclass(frozen=True)
class Normalisation:
    """Everything `normalise` derives, kept so staff can see why a score moved.

    `reviews` is keyed by (reviewer, nomination).
    """

    centre: float
    pooled_sd: float
    reviewers: Mapping[Hashable, ReviewerStats]
    reviews: Mapping[tuple[Hashable, Hashable], NormalisedReview]


@dataclass(frozen=True)
class NominationStats:
    """One nomination's line on the scoreboard (see the module docstring for each term)."""

    nomination: Hashable
    count: int
    mean: float
    median: float
    spread: float
    normalised: float
    disagreement: bool


@dataclass(frozen=True)
class RankedNomination:
    """A nomination's place in its category: `rank` is shared by ties (1, 2, 2, 4)."""

    rank: int
    stats: NominationStats


def weighted_total(
    scores: Mapping[Hashable, int],
    weights: Mapping[Hashable, Decimal | float | int],
    *,
    scale_min: int,
    scale_max: int,
) -> float:
    """The weighted mean of a review's criterion scores: sum(w * s) / sum(w).

    `weights` holds every criterion the nomination is scored on; `scores` must
    hold exactly those criteria, each a whole number on the scale, and every
    weight must be above zero. The result is therefore on the scale too. It is
    computed exactly and rounded once to the nearest float. Raises ValueError
    on any missing, extra or invalid score or weight.
    """
    _check_scale(scale_min, scale_max)
    if not weights:
        raise ValueError("The rubric has no criteria to score.")
    missing = [criterion for criterion in weights if criterion not in scores]
    if missing:
        raise ValueError(f"No score for criteria {missing!r}.")
    unknown = [criterion for criterion in scores if criterion not in weights]
    if unknown:
        raise ValueError(f"Scores for criteria outside the rubric: {unknown!r}.")
    weighted_sum = Fraction(0)
    weight_sum = Fraction(0)
    for criterion, raw_weight in weights.items():
        score = scores[criterion]
        if isinstance(score, bool) or not isinstance(score, int):
            raise ValueError(f"The score for {criterion!r} must be a whole number, not {score!r}.")
        if not scale_min <= score <= scale_max:
            raise ValueError(
                f"The score for {criterion!r} is {score}, outside {scale_min} to {scale_max}."
            )
        weight = _exact_weight(criterion, raw_weight)
        weighted_sum += weight * score
        weight_sum += weight
    return float(weighted_sum / weight_sum)


def normalise(reviews: Iterable[Review], *, scale_min: int, scale_max: int) -> Normalisation:
    """Each review's z-score within its reviewer's reviews, rescaled onto the scale.

    See the module docstring for z, centre, pooled sd and rescaled. Raises
    ValueError when there are no reviews, a total is off the scale, or a
    reviewer reviews a nomination twice.
    """
    reviews = _checked(reviews, scale_min=scale_min, scale_max=scale_max)
    if not reviews:
        raise ValueError("There are no reviews to normalise.")
    totals_by_reviewer = defaultdict(list)
    for review in reviews:
        totals_by_reviewer[review.reviewer].append(review.total)
    reviewers = {
        reviewer: ReviewerStats(
            count=len(totals), mean=statistics.fmean(totals), sd=statistics.pstdev(totals)
        )
        for reviewer, totals in totals_by_reviewer.items()
    }
    centre = statistics.fmean(review.total for review in reviews)
    pooled_sd = _pooled_sd(totals_by_reviewer, reviewers)
    normalised = {}
    for review in reviews:
        z = _z(review.total, reviewers[review.reviewer])
        rescaled = min(max(centre + z * pooled_sd, scale_min), scale_max)
        normalised[review.reviewer, review.nomination] = NormalisedReview(
            review=review, z=z, rescaled=rescaled
        )
    return Normalisation(
        centre=centre, pooled_sd=pooled_sd, reviewers=reviewers, reviews=normalised
    )


def summarise(
    reviews: Iterable[Review],
    *,
    scale_min: int,
    scale_max: int,
    disagreement_threshold: float,
    normalisation: Normalisation | None = None,
) -> dict[Hashable, NominationStats]:
    """The scoreboard line of every nomination that has at least one review.

    Pass a whole cycle's reviews (see the module docstring). Nominations come
    in the order of their first review; a nomination without reviews has no
    line. Raises ValueError as `normalise` does, and for a negative threshold.
    `normalisation` is `normalise(reviews, ...)` when the caller has it already
    (the scoreboard needs both; normalising 6,000 reviews twice is a waste).
    """
    _check_scale(scale_min, scale_max)
    if disagreement_threshold < 0:
        raise ValueError("The disagreement threshold must not be negative.")
    reviews = tuple(reviews)
    if not reviews:
        return {}
    if normalisation is None:
        normalisation = normalise(reviews, scale_min=scale_min, scale_max=scale_max)
    by_nomination = defaultdict(list)
    for normalised in normalisation.reviews.values():
        by_nomination[normalised.review.nomination].append(normalised)
    board = {}
    for nomination, normalised_reviews in by_nomination.items():
        totals = [normalised.review.total for normalised in normalised_reviews]
        spread = max(totals) - min(totals)
        board[nomination] = NominationStats(
            nomination=nomination,
            count=len(totals),
            mean=statistics.fmean(totals),
            median=statistics.median(totals),
            spread=spread,
            normalised=statistics.fmean(normalised.rescaled for normalised in normalised_reviews),
            disagreement=_decided(spread) > _decided(disagreement_threshold),
        )
    return board


def rank(stats: Iterable[NominationStats], *, by: RankBy = "normalised") -> list[RankedNomination]:
    """Rank nominations by `by`, highest first, with competition ranking (1, 2, 2, 4).

    Scores equal to `DECISION_PLACES` decimals tie and share the rank. Tied
    nominations are listed by nomination id, so the page shows the same order
    every time; that order means nothing, which is why they share the rank.
    Nomination ids must be comparable with each other (ints, UUIDs or strings).
    """
    if by not in get_args(RankBy):
        raise ValueError(f"Cannot rank by {by!r}; choose one of {get_args(RankBy)}.")

    def score(line):
        return _decided(getattr(line, by))

    ordered = sorted(stats, key=lambda line: (-score(line), line.nomination))
    ranked = []
    previous_score = None
    for position, line in enumerate(ordered, start=1):
        if score(line) != previous_score:
            current_rank, previous_score = position, score(line)
        ranked.append(RankedNomination(rank=current_rank, stats=line))
    return ranked


def units_from_reviews(reviews: Iterable[Review]) -> dict[Hashable, dict[Hashable, float]]:
    """Reviews as reliability data: {nomination: {reviewer: total}} for the alpha.

    Raises ValueError when a reviewer reviews a nomination twice.
    """
    units = defaultdict(dict)
    for review in reviews:
        if review.reviewer in units[review.nomination]:
            raise ValueError(
                f"Reviewer {review.reviewer!r} reviewed {review.nomination!r} more than once."
            )
        units[review.nomination][review.reviewer] = review.total
    return dict(units)


def krippendorff_alpha_interval(
    units: Mapping[Hashable, Mapping[Hashable, float | None]],
) -> float | None:
    """Krippendorff's alpha with the interval metric, for {unit: {coder: value}}.

    alpha = 1 - D_o / D_e, over the pairable values: those in units with at
    least two values (None is a missing value; a unit with fewer than two
    values is left out, as Krippendorff defines it). With n pairable values,
    m_u values in unit u and delta(a, b) = (a - b) squared:

        D_o = (1/n) * sum over units u of
              (1 / (m_u - 1)) * sum over ordered pairs i != j in u of delta
        D_e = (1 / (n (n - 1))) * sum over ordered pairs i != j of all
              pairable values of delta

    The last sum equals 2 n * sum((v - mean) squared), which is how it is
    computed. 1 is perfect agreement, 0 agreement at chance, below 0 worse than
    chance. Returns None when alpha is undefined: no pairable values, or all
    pairable values equal (D_e is 0).
    """
    pairable = []
    for unit, values in units.items():
        present = [value for value in values.values() if value is not None]
        if any(not math.isfinite(value) for value in present):
            raise ValueError(f"Unit {unit!r} has a value that is not a finite number.")
        if len(present) >= 2:
            pairable.append(present)
    pooled = [value for values in pairable for value in values]
    if len({_decided(value) for value in pooled}) < 2:
        return None
    n = len(pooled)
    observed = (
        math.fsum(
            2 * math.fsum((a - b) ** 2 for a, b in combinations(values, 2)) / (len(values) - 1)
            for values in pairable
        )
        / n
    )
    mean = statistics.fmean(pooled)
    expected = 2 * n * math.fsum((value - mean) ** 2 for value in pooled) / (n * (n - 1))
    return 1 - observed / expected


def _check_scale(scale_min, scale_max):
    if scale_min >= scale_max:
        raise ValueError(f"The scale must go up: {scale_min} to {scale_max}.")


def _exact_weight(criterion, weight):
    if isinstance(weight, bool) or not isinstance(weight, Decimal | float | int):
        raise ValueError(f"The weight of {criterion!r} must be a number, not {weight!r}.")
    try:
        exact = Fraction(weight)
    except (ValueError, OverflowError):  # NaN, infinity
        raise ValueError(f"The weight of {criterion!r} must be a finite number.") from None
    if exact <= 0:
        raise ValueError(f"The weight of {criterion!r} must be above zero, not {weight}.")
    return exact


def _checked(reviews, *, scale_min, scale_max):
    """The reviews as a tuple, after checking totals and that no pair repeats."""
    _check_scale(scale_min, scale_max)
    reviews = tuple(reviews)
    seen = set()
    for review in reviews:
        if not (math.isfinite(review.total) and scale_min <= review.total <= scale_max):
            raise ValueError(
                f"Reviewer {review.reviewer!r} gave {review.nomination!r} a total of "
                f"{review.total}, outside {scale_min} to {scale_max}."
            )
        pair = (review.reviewer, review.nomination)
        if pair in seen:
            raise ValueError(
                f"Reviewer {review.reviewer!r} reviewed {review.nomination!r} more than once."
            )
        seen.add(pair)
    return reviews


def _pooled_sd(totals_by_reviewer, reviewers):
    spread_reviewers = [r for r, stats in reviewers.items() if stats.count >= 2]
    count = sum(reviewers[r].count for r in spread_reviewers)
    if not count:
        return 0.0
    squares = math.fsum(
        (total - reviewers[r].mean) ** 2
        for r in spread_reviewers
        for total in totals_by_reviewer[r]
    )
    return math.sqrt(squares / count)


def _z(total, reviewer):
    if reviewer.count < 2 or _decided(reviewer.sd) == 0:
        return 0.0
    return (total - reviewer.mean) / reviewer.sd


def _decided(value):
    return round(value, DECISION_PLACES)
