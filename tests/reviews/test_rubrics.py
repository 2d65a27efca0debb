"""The rubric a cycle is judged on: the default set, category-specific criteria, the scale."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dz_awards.core.models import AuditEvent
from reviews import services
from reviews.models import Criterion, Rubric
from tests import factories

DEFAULT_NAMES = [
    "Effective and measurable results",
    "Integration into the agency",
    "Durability and sustainability",
    "Employee buy-in and participation",
    "Promotion of the program",
    "Replicability for other agencies",
]


@pytest.fixture
def cycle(db):
    return factories.CycleFactory()


def test_rubric_default_has_the_six_criteria_with_five_levels_each(cycle, staff):
    """The default rubric scores 1 to 5 on the published criteria plus replicability."""
    rubric = services.rubric_create_default(actor=staff, cycle=cycle)
    assert (rubric.scale_min, rubric.scale_max) == (1, 5)
    criteria = list(rubric.criteria.prefetch_related("levels"))
    assert [c.name for c in criteria] == DEFAULT_NAMES
    assert {float(c.weight) for c in criteria} == {1.0}
    for criterion in criteria:
        assert [level.score for level in criterion.levels.all()] == [1, 2, 3, 4, 5]
        assert all(level.text for level in criterion.levels.all())
    event = AuditEvent.objects.get(action="rubric_created")
    assert (event.object_id, event.actor) == (str(cycle.pk), staff)


def test_rubric_default_twice_keeps_the_existing_rubric(cycle, staff):
    """Asking again changes nothing: a rubric staff edited is not reset."""
    rubric = services.rubric_create_default(actor=staff, cycle=cycle)
    rubric.criteria.filter(code="promotion").update(weight=2)
    again = services.rubric_create_default(actor=staff, cycle=cycle)
    assert again.pk == rubric.pk
    assert Criterion.objects.count() == 6
    assert float(Criterion.objects.get(code="promotion").weight) == 2.0
    assert AuditEvent.objects.filter(action="rubric_created").count() == 1


def test_criteria_for_category_adds_that_category_only(cycle, staff):
    """A category's own criterion applies to it, after the shared ones, and to no other."""
    rubric = services.rubric_create_default(actor=staff, cycle=cycle)
    traffic = factories.CategoryFactory(cycle=cycle, label="Officer Traffic Safety")
    wellness = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    Criterion.objects.create(
        rubric=rubric,
        category=traffic,
        code="crash-data",
        name="Crash data quality",
        description="Collision figures are complete and sourced.",
        position=10,
    )
    assert [c.name for c in rubric.criteria.for_category(traffic)] == [
        *DEFAULT_NAMES,
        "Crash data quality",
    ]
    assert [c.name for c in rubric.criteria.for_category(wellness)] == DEFAULT_NAMES


def test_rubric_scale_must_increase(cycle):
    """A scale whose top is not above its bottom is refused by the database and by validation."""
    rubric = Rubric(cycle=cycle, scale_min=5, scale_max=5)
    with pytest.raises(ValidationError) as error:
        rubric.full_clean()
    assert "The highest score must be above the lowest." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        rubric.save()


def test_rubric_scale_lists_every_score(cycle):
    """`scale` gives the scores a reviewer can choose, both ends included."""
    rubric = Rubric.objects.create(cycle=cycle, scale_min=0, scale_max=4)
    assert list(rubric.scale) == [0, 1, 2, 3, 4]
