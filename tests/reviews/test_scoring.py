"""Scoring: weighted totals, the scoreboard, normalisation, ranks and Krippendorff's alpha.

The worked example below is computed by hand, step by step, and every number
the scoreboard shows for it is asserted.
"""

from decimal import Decimal

import pytest

from reviews.scoring import (
    NominationStats,
    Review,
    ReviewerStats,
    krippendorff_alpha_interval,
    normalise,
    rank,
    summarise,
    units_from_reviews,
    weighted_total,
)

SCALE = {"scale_min": 1, "scale_max": 5}

# WORKED EXAMPLE: scale 1 to 5, disagreement threshold 2.0. Three reviewers,
# four nominations, two reviews missing (R2 did not review N1 or N4).
#
#               N1    N2    N3    N4
#   R1          5.0   3.4   3.8   3.8     lenient
#   R2           -    1.0   3.0    -      harsh
#   R3          2.8   3.2   3.2   2.8     steady
#
# 1. Per nomination, on the raw totals (spread = highest - lowest):
#   N1: 5.0, 2.8        count 2, mean 7.8/2 = 3.9,            median 3.9, spread 2.2
#   N2: 3.4, 1.0, 3.2   count 3, mean 7.6/3 = 2.5333...,      median 3.2, spread 2.4
#   N3: 3.8, 3.0, 3.2   count 3, mean 10.0/3 = 3.3333...,     median 3.2, spread 0.8
#   N4: 3.8, 2.8        count 2, mean 6.6/2 = 3.3,            median 3.3, spread 1.0
#   Disagreement (spread > 2.0): N1 and N2.
#
# 2. Each reviewer over their own totals (population sd: divide by n):
#   R1: mean 16.0/4 = 4.0; deviations +1.0, -0.6, -0.2, -0.2;
#       squares 1.00 + 0.36 + 0.04 + 0.04 = 1.44; sd = sqrt(1.44/4) = sqrt(0.36) = 0.6
#   R2: mean 4.0/2 = 2.0; deviations -1.0, +1.0;
#       squares 1 + 1 = 2.00;                    sd = sqrt(2.00/2) = 1.0
#   R3: mean 12.0/4 = 3.0; deviations -0.2, +0.2, +0.2, -0.2;
#       squares 4 * 0.04 = 0.16;                 sd = sqrt(0.16/4) = sqrt(0.04) = 0.2
#
# 3. z = deviation / reviewer sd:
#   R1: N1 1.0/0.6 = 5/3, N2 -0.6/0.6 = -1, N3 -0.2/0.6 = -1/3, N4 -1/3
#   R2: N2 -1, N3 +1
#   R3: N1 -1, N2 +1, N3 +1, N4 -1
#
# 4. centre = mean of all ten totals = 32.0/10 = 3.2
#    pooled sd = sqrt((1.44 + 2.00 + 0.16) / (4 + 2 + 4)) = sqrt(0.36) = 0.6
#
# 5. rescaled = 3.2 + 0.6 * z (none leaves 1 to 5, so no clipping):
#   R1: N1 3.2 + 1.0 = 4.2, N2 3.2 - 0.6 = 2.6, N3 3.2 - 0.2 = 3.0, N4 3.0
#   R2: N2 2.6, N3 3.8
#   R3: N1 2.6, N2 3.8, N3 3.8, N4 2.6
#
# 6. normalised = mean of the nomination's rescaled values:
#   N1 -> (4.2 + 2.6) / 2 = 3.4
#   N2 -> (2.6 + 2.6 + 3.8) / 3 = 9.0/3 = 3.0
#   N3 -> (3.0 + 3.8 + 3.8) / 3 = 10.6/3 = 3.5333...
#   N4 -> (3.0 + 2.6) / 2 = 2.8
#
# 7. Ranks. By raw mean: N1 (3.9), N3 (3.33), N4 (3.3), N2 (2.53).
#    By normalised: N3 (3.53), N1 (3.4), N2 (3.0), N4 (2.8). N1 led only on the
#    lenient reviewer's 5.0 (the steady reviewer put it below their own
#    average); N2 was last only because the harsh reviewer saw it.
#
# 8. Krippendorff's alpha (interval) on the raw totals, units = nominations,
#    n = 10 pairable values. Within each unit, the sum over ordered pairs of
#    (a - b)^2, divided by m_u - 1:
#   N1: 2 * 2.2^2 = 9.68, / 1 = 9.68
#   N2: 2 * (2.4^2 + 0.2^2 + 2.2^2) = 2 * (5.76 + 0.04 + 4.84) = 21.28, / 2 = 10.64
#   N3: 2 * (0.8^2 + 0.6^2 + 0.2^2) = 2 * (0.64 + 0.36 + 0.04) = 2.08, / 2 = 1.04
#   N4: 2 * 1.0^2 = 2.00, / 1 = 2.00
#   D_o = (9.68 + 10.64 + 1.04 + 2.00) / 10 = 23.36 / 10 = 2.336
#   All ten values: mean 3.2; deviations 1.8, -0.4, 0.2, -2.2, 0, 0.6, -0.2, 0,
#   0.6, -0.4; squares sum to 3.24 + 0.16 + 0.04 + 4.84 + 0.36 + 0.04 + 0.36
#   + 0.16 = 9.2. Sum over ordered pairs = 2 * n * 9.2 = 184.
#   D_e = 184 / (10 * 9) = 2.0444...
#   alpha = 1 - 2.336 / (184/90) = 1 - 210.24/184 = -26.24/184 = -82/575 = -0.14260...
#   Below zero: on raw totals the harsh and lenient reviewers disagree more
#   than chance would, which is what normalisation corrects.

WORKED_TOTALS = {
    ("R1", "N1"): 5.0,
    ("R1", "N2"): 3.4,
    ("R1", "N3"): 3.8,
    ("R1", "N4"): 3.8,
    ("R2", "N2"): 1.0,
    ("R2", "N3"): 3.0,
    ("R3", "N1"): 2.8,
    ("R3", "N2"): 3.2,
    ("R3", "N3"): 3.2,
    ("R3", "N4"): 2.8,
}


def reviews_from(totals):
    return [
        Review(reviewer=reviewer, nomination=nomination, total=total)
        for (reviewer, nomination), total in totals.items()
    ]


@pytest.fixture
def worked_reviews():
    return reviews_from(WORKED_TOTALS)


def stats_line(nomination, *, normalised=3.0, mean=3.0, median=3.0):
    return NominationStats(
        nomination=nomination,
        count=2,
        mean=mean,
        median=median,
        spread=0.0,
        normalised=normalised,
        disagreement=False,
    )


# weighted_total


def test_weighted_total_equal_weights_is_the_plain_mean():
    """With equal weights the total is the plain mean of the scores."""
    scores = {"results": 4, "integration": 3, "durability": 5}
    weights = dict.fromkeys(scores, Decimal("1.00"))
    assert weighted_total(scores, weights, **SCALE) == 4.0


def test_weighted_total_with_decimal_weights_is_exact():
    """(1.5 * 5 + 1 * 2) / 2.5 = 3.8, rounded once to the nearest float."""
    total = weighted_total(
        {"results": 5, "promotion": 2},
        {"results": Decimal("1.50"), "promotion": Decimal("1.00")},
        **SCALE,
    )
    assert total == 3.8


def test_weighted_total_heavier_criterion_counts_more():
    """Weight 2 on results: (2*4 + 3 + 5) / 4 = 4.0 but (2*3 + 4 + 5) / 4 = 3.75."""
    weights = {"results": 2, "integration": 1, "durability": 1.0}
    assert (
        weighted_total({"results": 4, "integration": 3, "durability": 5}, weights, **SCALE) == 4.0
    )
    assert (
        weighted_total({"results": 3, "integration": 4, "durability": 5}, weights, **SCALE) == 3.75
    )


@pytest.mark.parametrize(
    ("scores", "weights", "message"),
    [
        ({"results": 4}, {"results": 1, "promotion": 1}, "No score for criteria"),
        ({"results": 4, "other": 3}, {"results": 1}, "outside the rubric"),
        ({"results": 6}, {"results": 1}, "outside 1 to 5"),
        ({"results": 0}, {"results": 1}, "outside 1 to 5"),
        ({"results": 3.5}, {"results": 1}, "whole number"),
        ({"results": True}, {"results": 1}, "whole number"),
        ({"results": 3}, {"results": 0}, "above zero"),
        ({"results": 3}, {"results": Decimal("-1")}, "above zero"),
        ({"results": 3}, {"results": Decimal("NaN")}, "finite"),
        ({"results": 3}, {"results": float("inf")}, "finite"),
        ({"results": 3}, {"results": "2"}, "must be a number"),
        ({}, {}, "no criteria"),
    ],
    ids=[
        "missing",
        "extra",
        "above scale",
        "below scale",
        "fraction",
        "bool",
        "zero weight",
        "negative weight",
        "nan weight",
        "infinite weight",
        "text weight",
        "no criteria",
    ],
)
def test_weighted_total_invalid_input_raises(scores, weights, message):
    """Every missing, extra or invalid score or weight is refused."""
    with pytest.raises(ValueError, match=message):
        weighted_total(scores, weights, **SCALE)


def test_weighted_total_scale_must_go_up():
    """A scale whose lowest score is not below its highest is refused."""
    with pytest.raises(ValueError, match="scale must go up"):
        weighted_total({"results": 3}, {"results": 1}, scale_min=5, scale_max=5)


# The worked example


def test_worked_example_reviewer_means_and_sds(worked_reviews):
    """Each reviewer's mean and population sd match the hand computation (step 2)."""
    reviewers = normalise(worked_reviews, **SCALE).reviewers
    assert set(reviewers) == {"R1", "R2", "R3"}
    assert (reviewers["R1"].count, reviewers["R2"].count, reviewers["R3"].count) == (4, 2, 4)
    assert reviewers["R1"].mean == pytest.approx(4.0)
    assert reviewers["R1"].sd == pytest.approx(0.6)
    assert reviewers["R2"].mean == pytest.approx(2.0)
    assert reviewers["R2"].sd == pytest.approx(1.0)
    assert reviewers["R3"].mean == pytest.approx(3.0)
    assert reviewers["R3"].sd == pytest.approx(0.2)


def test_worked_example_centre_and_pooled_sd(worked_reviews):
    """Centre 3.2 and pooled sd sqrt(3.6 / 10) = 0.6 (step 4)."""
    normalisation = normalise(worked_reviews, **SCALE)
    assert normalisation.centre == pytest.approx(3.2)
    assert normalisation.pooled_sd == pytest.approx(0.6)


def test_worked_example_z_scores(worked_reviews):
    """Every review's z within its reviewer's reviews matches step 3."""
    reviews = normalise(worked_reviews, **SCALE).reviews
    assert {pair: normalised.z for pair, normalised in reviews.items()} == pytest.approx(
        {
            ("R1", "N1"): 5 / 3,
            ("R1", "N2"): -1.0,
            ("R1", "N3"): -1 / 3,
            ("R1", "N4"): -1 / 3,
            ("R2", "N2"): -1.0,
            ("R2", "N3"): 1.0,
            ("R3", "N1"): -1.0,
            ("R3", "N2"): 1.0,
            ("R3", "N3"): 1.0,
            ("R3", "N4"): -1.0,
        }
    )


def test_worked_example_rescaled_values(worked_reviews):
    """Every review's rescaled value 3.2 + 0.6 z matches step 5."""
    reviews = normalise(worked_reviews, **SCALE).reviews
    assert {pair: normalised.rescaled for pair, normalised in reviews.items()} == pytest.approx(
        {
            ("R1", "N1"): 4.2,
            ("R1", "N2"): 2.6,
            ("R1", "N3"): 3.0,
            ("R1", "N4"): 3.0,
            ("R2", "N2"): 2.6,
            ("R2", "N3"): 3.8,
            ("R3", "N1"): 2.6,
            ("R3", "N2"): 3.8,
            ("R3", "N3"): 3.8,
            ("R3", "N4"): 2.6,
        }
    )
    assert reviews["R2", "N3"].review == Review(reviewer="R2", nomination="N3", total=3.0)


def test_worked_example_nomination_stats(worked_reviews):
    """Counts, means, medians, spreads, normalised scores and flags match steps 1 and 6."""
    board = summarise(worked_reviews, **SCALE, disagreement_threshold=2.0)
    assert list(board) == ["N1", "N2", "N3", "N4"]
    assert {n: line.count for n, line in board.items()} == {"N1": 2, "N2": 3, "N3": 3, "N4": 2}
    assert {n: line.mean for n, line in board.items()} == pytest.approx(
        {"N1": 3.9, "N2": 7.6 / 3, "N3": 10 / 3, "N4": 3.3}
    )
    assert {n: line.median for n, line in board.items()} == pytest.approx(
        {"N1": 3.9, "N2": 3.2, "N3": 3.2, "N4": 3.3}
    )
    assert {n: line.spread for n, line in board.items()} == pytest.approx(
        {"N1": 2.2, "N2": 2.4, "N3": 0.8, "N4": 1.0}
    )
    assert {n: line.normalised for n, line in board.items()} == pytest.approx(
        {"N1": 3.4, "N2": 3.0, "N3": 10.6 / 3, "N4": 2.8}
    )
    assert {n: line.disagreement for n, line in board.items()} == {
        "N1": True,
        "N2": True,
        "N3": False,
        "N4": False,
    }
    assert all(line.nomination == n for n, line in board.items())


def test_worked_example_ranks(worked_reviews):
    """Normalisation reorders the category as in step 7."""
    board = summarise(worked_reviews, **SCALE, disagreement_threshold=2.0)
    by_normalised = rank(board.values())
    assert [(r.rank, r.stats.nomination) for r in by_normalised] == [
        (1, "N3"),
        (2, "N1"),
        (3, "N2"),
        (4, "N4"),
    ]
    by_mean = rank(board.values(), by="mean")
    assert [(r.rank, r.stats.nomination) for r in by_mean] == [
        (1, "N1"),
        (2, "N3"),
        (3, "N4"),
        (4, "N2"),
    ]
    by_median = rank(board.values(), by="median")
    assert [(r.rank, r.stats.nomination) for r in by_median] == [
        (1, "N1"),
        (2, "N4"),
        (3, "N2"),
        (3, "N3"),
    ]


def test_worked_example_alpha(worked_reviews):
    """Interval alpha on the raw totals is -82/575, as in step 8."""
    units = units_from_reviews(worked_reviews)
    assert units == {
        "N1": {"R1": 5.0, "R3": 2.8},
        "N2": {"R1": 3.4, "R2": 1.0, "R3": 3.2},
        "N3": {"R1": 3.8, "R2": 3.0, "R3": 3.2},
        "N4": {"R1": 3.8, "R3": 2.8},
    }
    assert krippendorff_alpha_interval(units) == pytest.approx(-82 / 575)


# Normalisation: harsh reviewers, lone reviews, flat reviewers, clipping


def test_summarise_harsh_reviewer_has_the_same_normalised_effect_as_a_neutral_one(worked_reviews):
    """Scoring one point lower everywhere changes no z, no rank, and shifts all scores alike.

    With R2 one point kinder (2.0 and 4.0 instead of 1.0 and 3.0) the z-scores
    and pooled sd are unchanged, the centre rises by 2 * 1.0 / 10 = 0.2, and so
    does every normalised score.
    """
    neutral = {
        pair: total + 1.0 if pair[0] == "R2" else total for pair, total in WORKED_TOTALS.items()
    }
    harsh_run = normalise(worked_reviews, **SCALE)
    neutral_run = normalise(reviews_from(neutral), **SCALE)
    assert {pair: r.z for pair, r in neutral_run.reviews.items()} == pytest.approx(
        {pair: r.z for pair, r in harsh_run.reviews.items()}
    )
    assert neutral_run.pooled_sd == pytest.approx(harsh_run.pooled_sd)
    assert neutral_run.centre == pytest.approx(harsh_run.centre + 0.2)

    harsh_board = summarise(worked_reviews, **SCALE, disagreement_threshold=2.0)
    neutral_board = summarise(reviews_from(neutral), **SCALE, disagreement_threshold=2.0)
    shifts = {n: neutral_board[n].normalised - harsh_board[n].normalised for n in harsh_board}
    assert shifts == pytest.approx(dict.fromkeys(harsh_board, 0.2))
    assert [r.stats.nomination for r in rank(neutral_board.values())] == [
        r.stats.nomination for r in rank(harsh_board.values())
    ]


def test_normalise_single_review_reviewer_gets_z_zero():
    """A reviewer with one review gets z 0, sits at the centre, and is left out of the pooled sd.

    R1: 4.0 and 2.0, mean 3.0, sd 1.0, z +1 and -1. R4: one review of 5.0.
    centre = 11.0 / 3; pooled sd over R1 alone = sqrt(2 / 2) = 1.0.
    """
    normalisation = normalise(
        reviews_from({("R1", "N1"): 4.0, ("R1", "N2"): 2.0, ("R4", "N1"): 5.0}), **SCALE
    )
    assert normalisation.reviewers["R4"] == ReviewerStats(count=1, mean=5.0, sd=0.0)
    assert normalisation.reviews["R4", "N1"].z == 0.0
    assert normalisation.reviews["R4", "N1"].rescaled == pytest.approx(11 / 3)
    assert normalisation.pooled_sd == pytest.approx(1.0)
    assert normalisation.reviews["R1", "N1"].rescaled == pytest.approx(11 / 3 + 1.0)


def test_normalise_zero_sd_reviewer_gets_z_zero_and_counts_in_the_pooled_sd():
    """A reviewer who gave every nomination the same total expresses no preference: z 0.

    R1: 4.0 and 2.0 (squares 2.0); R5: 3.0 and 3.0 (squares 0).
    pooled sd = sqrt((2.0 + 0) / 4) = sqrt(0.5).
    """
    normalisation = normalise(
        reviews_from({("R1", "N1"): 4.0, ("R1", "N2"): 2.0, ("R5", "N1"): 3.0, ("R5", "N2"): 3.0}),
        **SCALE,
    )
    assert normalisation.reviewers["R5"] == ReviewerStats(count=2, mean=3.0, sd=0.0)
    assert normalisation.reviews["R5", "N1"].z == 0.0
    assert normalisation.reviews["R5", "N2"].z == 0.0
    assert normalisation.pooled_sd == pytest.approx(0.5**0.5)


def test_normalise_clips_rescaled_values_to_the_scale():
    """centre + z * pooled sd past the top of the scale is clipped to it.

    A: 5.0 and 1.0 (z +1, -1); B: 5.0 and 5.0 (z 0). centre = 16 / 4 = 4.0;
    pooled sd = sqrt((4 + 4 + 0 + 0) / 4) = sqrt(2). A's 5.0 maps to
    4.0 + 1.414... = 5.414..., clipped to 5.0; A's 1.0 to 4.0 - 1.414...
    """
    normalisation = normalise(
        reviews_from({("A", "N1"): 5.0, ("A", "N2"): 1.0, ("B", "N3"): 5.0, ("B", "N4"): 5.0}),
        **SCALE,
    )
    assert normalisation.pooled_sd == pytest.approx(2**0.5)
    assert normalisation.reviews["A", "N1"].rescaled == 5.0
    assert normalisation.reviews["A", "N2"].rescaled == pytest.approx(4.0 - 2**0.5)
    assert normalisation.reviews["B", "N3"].rescaled == pytest.approx(4.0)


def test_normalise_without_reviews_raises():
    """There is nothing to normalise without reviews."""
    with pytest.raises(ValueError, match="no reviews"):
        normalise([], **SCALE)


# summarise: spread, disagreement, input checks


def test_summarise_single_review_has_zero_spread():
    """One review: mean, median and normalised score are that total; spread is 0."""
    board = summarise(reviews_from({("R1", "N1"): 3.6}), **SCALE, disagreement_threshold=0.0)
    assert board == {
        "N1": NominationStats(
            nomination="N1",
            count=1,
            mean=3.6,
            median=3.6,
            spread=0.0,
            normalised=3.6,
            disagreement=False,
        )
    }


@pytest.mark.parametrize(
    ("low", "high", "threshold", "flagged"),
    [
        (2.0, 4.0, 2.0, False),
        (2.0, 4.2, 2.0, True),
        (1.2, 2.7, 1.5, False),  # 2.7 - 1.2 is 1.5000000000000002 in floats
        (1.2, 2.7, 1.4, True),
    ],
)
def test_summarise_disagreement_is_strictly_above_the_threshold(low, high, threshold, flagged):
    """A spread equal to the threshold is not flagged, even through float noise."""
    board = summarise(
        reviews_from({("R1", "N1"): low, ("R2", "N1"): high}),
        **SCALE,
        disagreement_threshold=threshold,
    )
    assert board["N1"].disagreement is flagged


def test_summarise_without_reviews_is_empty():
    """No reviews, no lines."""
    assert summarise([], **SCALE, disagreement_threshold=1.0) == {}


@pytest.mark.parametrize(
    ("totals", "threshold", "message"),
    [
        ({("R1", "N1"): 5.5}, 1.0, "outside 1 to 5"),
        ({("R1", "N1"): 0.5}, 1.0, "outside 1 to 5"),
        ({("R1", "N1"): float("nan")}, 1.0, "outside 1 to 5"),
        ({("R1", "N1"): 3.0}, -0.1, "must not be negative"),
    ],
    ids=["above scale", "below scale", "nan", "negative threshold"],
)
def test_summarise_invalid_input_raises(totals, threshold, message):
    """Totals off the scale and a negative threshold are refused."""
    with pytest.raises(ValueError, match=message):
        summarise(reviews_from(totals), **SCALE, disagreement_threshold=threshold)


def test_summarise_scale_must_go_up_even_without_reviews():
    """A reversed scale is refused before anything else."""
    with pytest.raises(ValueError, match="scale must go up"):
        summarise([], scale_min=5, scale_max=1, disagreement_threshold=1.0)


def test_summarise_decimal_totals_are_read_as_floats():
    """A total read from a DecimalField becomes a float, so the arithmetic stays in floats."""
    review = Review("R1", "N1", Decimal("3.60"))
    assert review.total == 3.6
    assert isinstance(review.total, float)
    board = summarise([review, Review("R2", "N1", 4)], **SCALE, disagreement_threshold=1.0)
    assert board["N1"].mean == pytest.approx(3.8)


def test_summarise_same_reviewer_twice_raises():
    """A reviewer reviews a nomination once; a second review is refused."""
    reviews = [Review("R1", "N1", 3.0), Review("R1", "N1", 4.0)]
    with pytest.raises(ValueError, match="more than once"):
        summarise(reviews, **SCALE, disagreement_threshold=1.0)
    with pytest.raises(ValueError, match="more than once"):
        units_from_reviews(reviews)


# rank


def test_rank_ties_share_a_competition_rank_listed_by_nomination_id():
    """4.0, 3.5, 3.5, 3.0 rank 1, 2, 2, 4; the tied pair is listed by id, whatever the order."""
    lines = [
        stats_line("D", normalised=3.0),
        stats_line("C", normalised=3.5),
        stats_line("A", normalised=4.0),
        stats_line("B", normalised=3.5),
    ]
    ranked = rank(lines)
    assert [(r.rank, r.stats.nomination) for r in ranked] == [
        (1, "A"),
        (2, "B"),
        (2, "C"),
        (4, "D"),
    ]
    assert [r.stats.nomination for r in rank(reversed(lines))] == ["A", "B", "C", "D"]


def test_rank_float_noise_is_a_tie():
    """0.1 + 0.2 and 0.3 differ only in float noise and share the rank."""
    ranked = rank([stats_line("A", mean=0.1 + 0.2), stats_line("B", mean=0.3)], by="mean")
    assert [(r.rank, r.stats.nomination) for r in ranked] == [(1, "A"), (1, "B")]


def test_rank_all_tied_and_empty():
    """Everyone tied shares rank 1; nothing to rank gives an empty list."""
    assert [r.rank for r in rank([stats_line("A"), stats_line("B"), stats_line("C")])] == [1, 1, 1]
    assert rank([]) == []


def test_rank_by_unknown_key_raises():
    """Only normalised, mean and median rank nominations."""
    with pytest.raises(ValueError, match="Cannot rank by 'spread'"):
        rank([stats_line("A")], by="spread")


# Krippendorff's alpha, interval metric

# Krippendorff's published reliability data (Content Analysis, and "Computing
# Krippendorff's Alpha-Reliability", 2011): 4 observers, 12 units, missing
# values as None. Published interval alpha: 0.849.
KRIPPENDORFF_OBSERVERS = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
# By hand. Unit 12 has one value (B's 3), so it is not pairable: n = 40.
# Within units, sum over ordered pairs of (a - b)^2, divided by m_u - 1:
#   unit 2 (2, 2, 3, 2): three pairs differ by 1 -> 2 * 3 = 6, / 3 = 2
#   unit 6 (1, 2, 3, 4): 1 + 4 + 9 + 1 + 4 + 1 = 20 -> 40, / 3 = 40/3
#   unit 8 (1, 1, 2, 1): three pairs differ by 1 -> 6, / 3 = 2
#   every other unit agrees: 0
#   D_o = (2 + 40/3 + 2) / 40 = (52/3) / 40 = 13/30
# All 40 pairable values: nine 1s, thirteen 2s, ten 3s, five 4s, three 5s;
# sum 100, mean 2.5. Sum of squared deviations:
#   9 * 2.25 + 13 * 0.25 + 10 * 0.25 + 5 * 2.25 + 3 * 6.25 = 56
# Sum over ordered pairs = 2 * 40 * 56 = 4480; D_e = 4480 / (40 * 39) = 112/39
# alpha = 1 - (13/30) / (112/39) = 1 - 507/3360 = 2853/3360 = 951/1120 = 0.849107...


def krippendorff_units(observers):
    unit_count = len(next(iter(observers.values())))
    return {
        unit + 1: {observer: values[unit] for observer, values in observers.items()}
        for unit in range(unit_count)
    }


def test_krippendorff_alpha_matches_krippendorffs_published_example():
    """Krippendorff's own 4 x 12 example with missing values gives 951/1120, published as 0.849."""
    alpha = krippendorff_alpha_interval(krippendorff_units(KRIPPENDORFF_OBSERVERS))
    assert alpha == pytest.approx(951 / 1120)
    assert round(alpha, 3) == 0.849


def test_krippendorff_alpha_leaves_out_units_with_one_value():
    """Dropping unit 12, whose only value is B's, changes nothing."""
    units = krippendorff_units(KRIPPENDORFF_OBSERVERS)
    del units[12]
    assert krippendorff_alpha_interval(units) == pytest.approx(951 / 1120)


def test_krippendorff_alpha_small_hand_example():
    """Units (1, 2) and (3, 4): D_o = (2 + 2) / 4 = 1, D_e = 40 / 12, alpha = 1 - 3/10 = 0.7."""
    units = {"u1": {"a": 1, "b": 2}, "u2": {"a": 3, "b": 4}}
    assert krippendorff_alpha_interval(units) == pytest.approx(0.7)


def test_krippendorff_alpha_is_one_for_perfect_agreement():
    """Coders who agree on every unit they both coded give exactly 1.0, missing values or not."""
    units = {
        "u1": {"a": 1, "b": 1, "c": None},
        "u2": {"a": 3.6, "b": 3.6, "c": 3.6},
        "u3": {"a": 5},
    }
    assert krippendorff_alpha_interval(units) == 1.0


@pytest.mark.parametrize(
    "units",
    [
        {},
        {"u1": {"a": 2}, "u2": {"b": 4}},
        {"u1": {"a": None, "b": 4}},
        {"u1": {"a": 3, "b": 3}, "u2": {"a": 3, "b": 3, "c": 3}},
    ],
    ids=["no units", "no unit with two values", "only missing partners", "no variation"],
)
def test_krippendorff_alpha_is_none_when_undefined(units):
    """No pairable values, or nothing to disagree about (D_e = 0): alpha is undefined."""
    assert krippendorff_alpha_interval(units) is None


def test_krippendorff_alpha_refuses_values_that_are_not_finite():
    """NaN is not a missing value; None is."""
    with pytest.raises(ValueError, match="not a finite number"):
        krippendorff_alpha_interval({"u1": {"a": 1, "b": float("nan")}})
