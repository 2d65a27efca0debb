"""The staff scoreboard of a cycle, end to end: reviews written through the services,
numbers read through `selectors.scoreboard`.

WORKED EXAMPLE: scale 1 to 5, six criteria of weight 1, two reviewers per
nomination, disagreement threshold 1.0. Two categories (A, B), three
reviewers with unequal leniency, each reviewing some nominations only:

                 A1    A2  |  B1    B2
   R1 lenient   5.0    -   |  4.5    -
   R2 harsh      -    2.0  |  1.5   2.5
   R3 steady    3.5   3.0  |   -    3.0

1. Per nomination (two reviews each: median = mean; spread = highest - lowest):
   A1: 5.0, 3.5   mean 4.25   spread 1.5   disagreement (1.5 > 1.0)
   A2: 2.0, 3.0   mean 2.5    spread 1.0   no disagreement (not above 1.0)
   B1: 4.5, 1.5   mean 3.0    spread 3.0   disagreement
   B2: 2.5, 3.0   mean 2.75   spread 0.5   no disagreement

2. Each reviewer over their own totals in the cycle (population sd):
   R1: mean 9.5/2 = 4.75; deviations +0.25, -0.25; squares 0.125;
       sd = sqrt(0.125/2) = 0.25
   R2: mean 6.0/3 = 2.0; deviations 0, -0.5, +0.5; squares 0.5;
       sd = sqrt(0.5/3) = sqrt(1/6) = 0.408248...
   R3: mean 9.5/3 = 3.1666...; deviations +1/3, -1/6, -1/6;
       squares 1/9 + 1/36 + 1/36 = 1/6; sd = sqrt(1/18) = 0.235702...

3. z = deviation / sd:
   R1: A1 +1, B1 -1
   R2: A2 0, B1 -0.5/sqrt(1/6) = -sqrt(1.5) = -1.224745, B2 +1.224745
   R3: A1 (1/3)/sqrt(1/18) = sqrt(2) = 1.414214, A2 -sqrt(2)/2 = -0.707107,
       B2 -0.707107

4. centre = mean of the eight totals = 25/8 = 3.125
   pooled sd = sqrt((0.125 + 0.5 + 1/6) / 8) = sqrt(19/192) = 0.314576...

5. rescaled = 3.125 + 0.314576 z (none leaves 1 to 5):
   R1: A1 3.439576, B1 2.810424
   R2: A2 3.125000, B1 2.739724, B2 3.510276
   R3: A1 3.569878, A2 2.902561, B2 2.902561

6. normalised = mean of a nomination's rescaled values:
   A1 (3.439576 + 3.569878) / 2 = 3.504727
   A2 (3.125000 + 2.902561) / 2 = 3.013780
   B1 (2.810424 + 2.739724) / 2 = 2.775074
   B2 (3.510276 + 2.902561) / 2 = 3.206418

7. Rank within each category, by normalised score:
   A: A1 1, A2 2.
   B: B2 1, B1 2. On raw means B1 (3.0) would lead B2 (2.75), but B1 was
   read by the lenient R1, who put it below their own average, and by the
   harsh R2, who put it below theirs: normalisation puts B2 first.

8. Krippendorff's alpha (interval) per category on the raw totals, n = 4:
   A: D_o = (2 * 1.5^2 + 2 * 1.0^2) / 4 = 6.5 / 4 = 1.625
      values 5.0, 3.5, 2.0, 3.0: mean 3.375, squared deviations
      2.640625 + 0.015625 + 1.890625 + 0.140625 = 4.6875
      D_e = 2 * 4 * 4.6875 / (4 * 3) = 3.125;  alpha = 1 - 1.625/3.125 = 0.48
   B: D_o = (2 * 3.0^2 + 2 * 0.5^2) / 4 = 18.5 / 4 = 4.625
      values 4.5, 1.5, 2.5, 3.0: mean 2.875, same squared deviations 4.6875
      D_e = 3.125;  alpha = 1 - 4.625/3.125 = -0.48

9. Reviewers, most lenient first: R1 (4.75), R3 (3.1667), R2 (2.0).
"""

import pytest

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import selectors, services
from tests import factories
from tests.reviews import helpers

S = NominationState
TOTALS = {
    ("R1", "A1"): 5.0,
    ("R3", "A1"): 3.5,
    ("R2", "A2"): 2.0,
    ("R3", "A2"): 3.0,
    ("R1", "B1"): 4.5,
    ("R2", "B1"): 1.5,
    ("R2", "B2"): 2.5,
    ("R3", "B2"): 3.0,
}
# (rank, count, mean, median, spread, normalised, disagreement), from steps 1, 6 and 7.
EXPECTED_LINES = {
    "A1": (1, 2, 4.25, 4.25, 1.5, 3.504727, True),
    "A2": (2, 2, 2.5, 2.5, 1.0, 3.013780, False),
    "B1": (2, 2, 3.0, 3.0, 3.0, 2.775074, True),
    "B2": (1, 2, 2.75, 2.75, 0.5, 3.206418, False),
}
APPROX = {"abs": 5e-7}


@pytest.fixture
def worked(staff, cycle, phase):
    """The worked example, written through the services: (nominations, reviewers) by name."""
    cycle.reviewers_per_nomination = 2
    cycle.save()
    first = factories.CategoryFactory(cycle=cycle, position=1, label="A")
    second = factories.CategoryFactory(cycle=cycle, position=2, label="B")
    people = {name: helpers.reviewer() for name in ("R1", "R2", "R3")}
    nominations = {}
    for name, category in [("A1", first), ("A2", first), ("B1", second), ("B2", second)]:
        readers = [people[r] for (r, n) in TOTALS if n == name]
        nominations[name], rows = helpers.in_review(staff, category, readers)
        for row in rows:
            reviewer = next(r for r, p in people.items() if p == row.reviewer)
            helpers.submit_review(row, TOTALS[reviewer, name])
    return nominations, people


def _lines(board):
    names = {}
    for category in board.categories:
        for line in category.lines:
            names[line.nomination.pk] = line
    return names


def test_worked_example_lines(cycle, worked):
    """Count, mean, median, spread, normalised score, flag and rank of every nomination."""
    nominations, _people = worked
    lines = _lines(selectors.scoreboard(cycle))
    for name, (rank, count, mean, median, spread, normalised, flag) in EXPECTED_LINES.items():
        line = lines[nominations[name].pk]
        stats = line.stats
        assert line.rank == rank, name
        assert stats.count == count, name
        assert stats.mean == pytest.approx(mean, **APPROX), name
        assert stats.median == pytest.approx(median, **APPROX), name
        assert stats.spread == pytest.approx(spread, **APPROX), name
        assert stats.normalised == pytest.approx(normalised, **APPROX), name
        assert stats.disagreement is flag, name


def test_worked_example_categories_rank_alpha_and_counts(cycle, worked):
    """Each category ranks its own nominations (B2 before B1) and has its own alpha."""
    nominations, _people = worked
    board = selectors.scoreboard(cycle)
    by_name = {n.pk: name for name, n in nominations.items()}
    assert [
        (c.category.label, [(by_name[line.nomination.pk], line.rank) for line in c.lines])
        for c in board.categories
    ] == [("A", [("A1", 1), ("A2", 2)]), ("B", [("B2", 1), ("B1", 2)])]
    assert [c.alpha for c in board.categories] == pytest.approx([0.48, -0.48], **APPROX)
    assert [c.review_count for c in board.categories] == [4, 4]


def test_worked_example_reviewers_and_centre(cycle, worked):
    """Most lenient first, with each reviewer's mean and sd (step 2); centre 3.125."""
    _nominations, people = worked
    board = selectors.scoreboard(cycle)
    assert board.centre == pytest.approx(3.125)
    assert [person for person, _stats in board.reviewers] == [
        people["R1"],
        people["R3"],
        people["R2"],
    ]
    assert [(s.count, s.mean, s.sd) for _p, s in board.reviewers] == [
        (2, pytest.approx(4.75), pytest.approx(0.25)),
        (3, pytest.approx(9.5 / 3), pytest.approx((1 / 18) ** 0.5)),
        (3, pytest.approx(2.0), pytest.approx((1 / 6) ** 0.5)),
    ]


def test_worked_example_totals_are_stored_from_the_scores(worked):
    """The stored totals are the ones in the table, derived from whole criterion scores."""
    nominations, people = worked
    stored = {}
    for reviewer, name in TOTALS:
        review = selectors.counting_reviews_qs().get(
            assignment__nomination=nominations[name], assignment__reviewer=people[reviewer]
        )
        stored[reviewer, name] = float(review.total)
    assert stored == TOTALS


def test_decided_nominations_stay_on_the_board(staff, cycle, worked):
    """Closing review and deciding change no number; the board keeps every nomination."""
    nominations, _people = worked
    before = {
        pk: (line.rank, line.stats) for pk, line in _lines(selectors.scoreboard(cycle)).items()
    }
    a1 = nominations["A1"]
    services.nomination_close_review(actor=staff, nomination=a1)
    services.nomination_advance(actor=staff, nomination=a1)
    services.nomination_award(actor=staff, nomination=a1)
    b1 = nominations["B1"]
    services.nomination_close_review(actor=staff, nomination=b1)
    services.nomination_decline(actor=staff, nomination=b1)

    after = {
        pk: (line.rank, line.stats) for pk, line in _lines(selectors.scoreboard(cycle)).items()
    }
    assert after == before


def test_a_nomination_without_reviews_is_listed_last_without_rank(staff, cycle, worked):
    nominations, people = worked
    category = nominations["A1"].category
    unread, _rows = helpers.in_review(staff, category, [people["R1"], people["R2"]])
    board = selectors.scoreboard(cycle)
    lines = board.categories[0].lines
    assert [line.nomination.pk for line in lines] == [
        nominations["A1"].pk,
        nominations["A2"].pk,
        unread.pk,
    ]
    assert (lines[-1].rank, lines[-1].stats) == (None, None)
    assert board.categories[0].review_count == 4


def test_drafts_reopened_reviews_and_withdrawn_nominations_do_not_count(staff, cycle, worked):
    """A draft, a reopened review and a withdrawn nomination add nothing to the board."""
    nominations, people = worked
    before = {
        pk: (line.rank, line.stats) for pk, line in _lines(selectors.scoreboard(cycle)).items()
    }
    category = nominations["A1"].category
    extra, rows = helpers.in_review(staff, category, [people["R1"], people["R2"]])
    draft = helpers.review_input(extra, total=1.0)
    services.review_save(user=rows[0].reviewer, assignment=rows[0], data=draft)
    helpers.submit_review(rows[1], 5.0)
    services.assignment_reopen(actor=staff, assignment=rows[1])
    gone, gone_rows = helpers.in_review(staff, category, [people["R2"], people["R3"]])
    for row in gone_rows:
        helpers.submit_review(row, 5.0)
    Nomination.objects.filter(pk=gone.pk).update(state=S.WITHDRAWN)

    board = selectors.scoreboard(cycle)
    lines = _lines(board)
    assert {pk: lines[pk].stats for pk in before} == {pk: v[1] for pk, v in before.items()}
    assert lines[extra.pk].stats is None
    assert gone.pk not in lines
    assert board.centre == pytest.approx(3.125)


def test_an_empty_cycle_has_an_empty_board(cycle):
    board = selectors.scoreboard(cycle)
    assert (board.categories, board.reviewers, board.centre) == ([], [], None)
    assert board.rubric.scale == range(1, 6)


def test_nominations_not_yet_in_review_are_not_on_the_board(staff, cycle, category, phase):
    helpers.ready_nomination(staff, category=category)
    assert selectors.scoreboard(cycle).categories == []
