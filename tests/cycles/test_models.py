"""Cycles and categories: the open window, the date constraint, unique categories."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dz_awards.cycles.models import Category, Cycle
from tests.factories import CategoryFactory, CycleFactory

EASTERN = ZoneInfo("America/New_York")
OPENS = datetime(2026, 9, 1, 0, 0, tzinfo=EASTERN)
CLOSES = datetime(2027, 1, 31, 23, 59, tzinfo=EASTERN)
TICK = timedelta(microseconds=1)


@pytest.fixture
def cycle(db):
    return CycleFactory(year=2027, opens_at=OPENS, closes_at=CLOSES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (OPENS - TICK, False),
        (OPENS, True),
        (OPENS + TICK, True),
        (CLOSES - TICK, True),
        (CLOSES, False),
        (CLOSES + TICK, False),
        (datetime(2027, 2, 1, 4, 58, 59, tzinfo=ZoneInfo("UTC")), True),
        (datetime(2027, 2, 1, 4, 59, tzinfo=ZoneInfo("UTC")), False),
    ],
    ids=[
        "before-opening",
        "at-opening",
        "after-opening",
        "just-before-deadline",
        "at-deadline",
        "after-deadline",
        "utc-just-before",
        "utc-at-deadline",
    ],
)
def test_cycle_open_at_opening_inclusive_deadline_exclusive(cycle, moment, is_open):
    """A cycle is open from opens_at (included) to closes_at (excluded), in the DB and in Python."""
    assert list(Cycle.objects.open_at(moment)) == ([cycle] if is_open else [])
    assert cycle.is_open(moment) is is_open


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "closed"),
    [(OPENS - TICK, False), (OPENS, False), (CLOSES - TICK, False), (CLOSES, True)],
    ids=["before-opening", "at-opening", "just-before-deadline", "at-deadline"],
)
def test_cycle_has_closed_from_the_deadline_on_in_python_and_the_db(cycle, moment, closed):
    """The deadline is the one line: `has_closed` and `taking_drafts_at` agree on it, and a
    cycle not yet open still takes drafts."""
    assert cycle.has_closed(moment) is closed
    assert list(Cycle.objects.taking_drafts_at(moment)) == ([] if closed else [cycle])


@pytest.mark.django_db
def test_cycle_upcoming_at_orders_by_opening(cycle):
    """Upcoming cycles are those not yet open, soonest first."""
    later = CycleFactory(
        year=2029,
        opens_at=datetime(2028, 9, 1, tzinfo=EASTERN),
        closes_at=datetime(2029, 1, 31, tzinfo=EASTERN),
    )
    sooner = CycleFactory(
        year=2028,
        opens_at=datetime(2027, 9, 1, tzinfo=EASTERN),
        closes_at=datetime(2028, 1, 31, tzinfo=EASTERN),
    )
    assert list(Cycle.objects.upcoming_at(OPENS)) == [sooner, later]
    assert list(Cycle.objects.upcoming_at(OPENS - TICK)) == [cycle, sooner, later]


@pytest.mark.django_db
@pytest.mark.parametrize("closes_at", [OPENS, OPENS - timedelta(days=1)], ids=["equal", "before"])
def test_cycle_constraint_rejects_deadline_not_after_opening(closes_at):
    """The database refuses a cycle whose deadline is not after its opening."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(name="Bad", year=2027, opens_at=OPENS, closes_at=closes_at)
    assert Cycle.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("closes_at", [OPENS, OPENS - timedelta(days=1)], ids=["equal", "before"])
def test_cycle_full_clean_deadline_not_after_opening_message(closes_at):
    """Validation explains the problem in words (as the admin form shows it)."""
    cycle = Cycle(name="Bad", year=2027, opens_at=OPENS, closes_at=closes_at)
    with pytest.raises(ValidationError) as raised:
        cycle.full_clean()
    assert raised.value.message_dict == {
        "__all__": ["The deadline must be after the opening time."]
    }


@pytest.mark.django_db
def test_cycle_full_clean_valid_dates_pass():
    """A deadline one minute after opening is valid."""
    Cycle(name="Ok", year=2027, opens_at=OPENS, closes_at=OPENS + timedelta(minutes=1)).full_clean()


@pytest.mark.django_db
def test_cycle_year_unique():
    """There is one cycle per award year."""
    CycleFactory(year=2027, opens_at=OPENS, closes_at=CLOSES)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(name="Again", year=2027, opens_at=OPENS, closes_at=CLOSES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "duplicate",
    [
        {"code": "officer-wellness", "label": "Another label"},
        {"code": "another-code", "label": "Officer Wellness"},
    ],
    ids=["code", "label"],
)
def test_category_code_and_label_unique_per_cycle(cycle, duplicate):
    """Within one cycle no two categories share a code or a label."""
    CategoryFactory(cycle=cycle, code="officer-wellness", label="Officer Wellness")
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(cycle=cycle, **duplicate)
    assert cycle.categories.count() == 1


@pytest.mark.django_db
def test_category_same_code_and_label_in_another_cycle_allowed(cycle):
    """The same category code and label recur across years."""
    CategoryFactory(cycle=cycle, code="officer-wellness", label="Officer Wellness")
    other = CycleFactory(
        year=2028,
        opens_at=datetime(2027, 9, 1, tzinfo=EASTERN),
        closes_at=datetime(2028, 1, 31, tzinfo=EASTERN),
    )
    CategoryFactory(cycle=other, code="officer-wellness", label="Officer Wellness")
    assert Category.objects.filter(code="officer-wellness").count() == 2


@pytest.mark.django_db
def test_category_full_clean_duplicate_code_message(cycle):
    """Validation names the duplicate before the database has to refuse it."""
    CategoryFactory(cycle=cycle, code="officer-wellness", label="Officer Wellness")
    category = Category(cycle=cycle, code="officer-wellness", label="Wellness")
    with pytest.raises(ValidationError) as raised:
        category.full_clean()
    assert raised.value.message_dict == {
        "__all__": ["Category with this Cycle and Code already exists."]
    }


@pytest.mark.django_db
def test_cycle_and_category_text(cycle):
    """A category reads with its year; a cycle by its name."""
    category = CategoryFactory(cycle=cycle, label="Officer Wellness")
    assert (str(cycle), str(category)) == (
        "2027 Destination Zero Awards",
        "Officer Wellness (2027)",
    )
