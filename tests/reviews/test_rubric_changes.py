"""A rubric changes only until its cycle's first review: then every change is refused.

Totals are derived with the rubric's weights when a review is submitted, and
stored; a rubric that could change afterwards would leave the scoreboard's
totals computed under another rubric. Each change service is refused alike,
and the scoreboard keeps agreeing with the rubric.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from dz_awards.core.models import AuditEvent
from reviews import scoring, selectors, services
from reviews.models import Criterion, LevelDescriptor, Review, Rubric
from tests.reviews import helpers


def _rubric_state(cycle):
    """Everything a change could touch: the scale, each criterion and each level."""
    rubric = Rubric.objects.get(cycle=cycle)
    return (
        (rubric.scale_min, rubric.scale_max),
        sorted(Criterion.objects.filter(rubric=rubric).values_list("code", "weight", "category")),
        sorted(
            LevelDescriptor.objects.filter(criterion__rubric=rubric).values_list(
                "criterion__code", "score", "text"
            )
        ),
    )


def _scale(staff, rubric):
    rubric.scale_max = 7
    return services.rubric_save(actor=staff, rubric=rubric)


def _weight_change(staff, rubric):
    criterion = rubric.criteria.first()
    criterion.weight = Decimal("3")
    return services.criterion_save(actor=staff, criterion=criterion)


def _new_criterion(staff, rubric):
    criterion = Criterion(rubric=rubric, code="extra", name="Extra", description="More.")
    return services.criterion_save(actor=staff, criterion=criterion)


def _criterion_removal(staff, rubric):
    return services.criterion_delete(actor=staff, criterion=rubric.criteria.last())


def _level_change(staff, rubric):
    level = LevelDescriptor.objects.filter(criterion__rubric=rubric).first()
    level.text = "Something else"
    return services.level_save(actor=staff, level=level)


def _level_removal(staff, rubric):
    level = LevelDescriptor.objects.filter(criterion__rubric=rubric).first()
    return services.level_delete(actor=staff, level=level)


def _rubric_removal(staff, rubric):
    return services.rubric_delete(actor=staff, rubric=rubric)


CHANGES = {
    "scale": _scale,
    "weight": _weight_change,
    "new criterion": _new_criterion,
    "criterion removal": _criterion_removal,
    "level text": _level_change,
    "level removal": _level_removal,
    "rubric removal": _rubric_removal,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_rubric_change_before_any_review_is_made_and_recorded(change, staff, cycle):
    before = _rubric_state(cycle)
    CHANGES[change](staff, Rubric.objects.get(cycle=cycle))
    if change == "rubric removal":
        assert not Rubric.objects.filter(cycle=cycle).exists()
    else:
        assert _rubric_state(cycle) != before
    assert AuditEvent.objects.filter(
        action__in=["rubric_changed", "rubric_deleted"], object_id=str(cycle.pk), actor=staff
    ).exists()


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_rubric_change_once_a_review_exists_is_refused(change, submitted, staff, reviewing):
    """A draft freezes the rubric as a submitted review does: its scores were given
    against these criteria."""
    row = reviewing[0]
    cycle = row.nomination.cycle
    data = helpers.review_input(row.nomination, total=4, version=1)
    services.review_save(user=row.reviewer, assignment=row, data=data, submit=submitted)
    before = _rubric_state(cycle)

    with pytest.raises(services.ReviewError) as error:
        CHANGES[change](staff, Rubric.objects.get(cycle=cycle))

    assert str(error.value) == (
        f"Reviewers of {cycle} have started scoring with this rubric: its scale, criteria "
        "and levels can no longer change."
    )
    assert _rubric_state(cycle) == before
    assert not AuditEvent.objects.filter(action__in=["rubric_changed", "rubric_deleted"]).exists()


@pytest.mark.parametrize("change", list(CHANGES))
def test_rubric_change_by_non_staff_is_denied(change, cycle, reviewers):
    before = _rubric_state(cycle)
    with pytest.raises(PermissionDenied):
        CHANGES[change](reviewers[0], Rubric.objects.get(cycle=cycle))
    assert _rubric_state(cycle) == before


def test_scoreboard_totals_are_those_of_the_rubric_it_shows(staff, cycle, nomination, reviewing):
    """After a refused weight change, each stored total is still the weighted total of
    its scores under the cycle's rubric, and the scoreboard's mean is theirs."""
    for row, total in zip(reviewing, (3, 4, 5), strict=True):
        helpers.submit_review(row, total)
    with pytest.raises(services.ReviewError):
        _weight_change(staff, Rubric.objects.get(cycle=cycle))

    rubric, criteria = selectors.criteria_for(nomination)
    weights = {c.pk: c.weight for c in criteria}
    for review in Review.objects.filter(assignment__nomination=nomination):
        scores = {s.criterion_id: s.score for s in review.scores.all()}
        expected = scoring.weighted_total(
            scores, weights, scale_min=rubric.scale_min, scale_max=rubric.scale_max
        )
        assert float(review.total) == pytest.approx(expected)
    (line,) = selectors.scoreboard(cycle).categories[0].lines
    assert line.stats.mean == pytest.approx(4)
