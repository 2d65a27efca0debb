"""Which cycle is current."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dz_awards.cycles.selectors import category_same_as, cycle_current, cycle_next_taking_drafts
from tests.factories import CategoryFactory, CycleFactory

EASTERN = ZoneInfo("America/New_York")
NOW = datetime(2027, 1, 15, 12, 0, tzinfo=EASTERN)


def make_cycle(year, opens, closes):
    return CycleFactory(
        year=year,
        opens_at=datetime(*opens, tzinfo=EASTERN),
        closes_at=datetime(*closes, tzinfo=EASTERN),
    )


@pytest.mark.django_db
def test_cycle_current_prefers_open_over_upcoming():
    """An open cycle wins over one that opens later."""
    make_cycle(2026, (2025, 9, 1), (2026, 1, 31))
    open_cycle = make_cycle(2027, (2026, 9, 1), (2027, 1, 31, 23, 59))
    make_cycle(2028, (2027, 1, 20), (2028, 1, 31))
    assert cycle_current(NOW) == open_cycle


@pytest.mark.django_db
def test_cycle_current_two_open_picks_earliest_deadline():
    """If two cycles overlap, the one closing first is current."""
    make_cycle(2028, (2026, 12, 1), (2028, 1, 31))
    sooner = make_cycle(2027, (2026, 9, 1), (2027, 1, 31))
    assert cycle_current(NOW) == sooner


@pytest.mark.django_db
def test_cycle_current_none_open_returns_next_upcoming():
    """Between cycles, the next to open is current (the soonest, not the latest)."""
    make_cycle(2026, (2025, 9, 1), (2026, 1, 31))
    make_cycle(2029, (2028, 9, 1), (2029, 1, 31))
    next_one = make_cycle(2028, (2027, 9, 1), (2028, 1, 31))
    assert cycle_current(NOW) == next_one


@pytest.mark.django_db
def test_cycle_current_only_past_cycles_none():
    """When every cycle has closed, there is no current cycle."""
    make_cycle(2026, (2025, 9, 1), (2026, 1, 31))
    make_cycle(2027, (2026, 9, 1), (2027, 1, 15, 12, 0))
    assert cycle_current(NOW) is None


@pytest.mark.django_db
def test_cycle_current_no_cycles_none():
    """With no cycle at all, there is no current cycle."""
    assert cycle_current(NOW) is None


@pytest.mark.django_db
def test_cycle_current_prefetches_categories_in_position_order(django_assert_num_queries):
    """The current cycle comes with its categories, in position order, in two queries."""
    cycle = make_cycle(2027, (2026, 9, 1), (2027, 1, 31))
    CategoryFactory(cycle=cycle, label="Officer Wellness", position=2)
    CategoryFactory(cycle=cycle, label="General Officer Safety", position=0)
    CategoryFactory(cycle=cycle, label="Officer Traffic Safety", position=1)
    with django_assert_num_queries(2):
        current = cycle_current(NOW)
        labels = [c.label for c in current.categories.all()]
    assert labels == ["General Officer Safety", "Officer Traffic Safety", "Officer Wellness"]


@pytest.mark.django_db
def test_cycle_next_taking_drafts_is_the_earliest_later_year_before_its_deadline():
    """Past years and closed later years are skipped; of the rest, the earliest year wins."""
    current = make_cycle(2027, (2026, 9, 1), (2027, 1, 10))
    make_cycle(2026, (2025, 9, 1), (2027, 1, 31))
    make_cycle(2028, (2027, 1, 1), (2027, 1, 14))
    later = make_cycle(2030, (2029, 9, 1), (2030, 1, 31))
    upcoming = make_cycle(2029, (2028, 9, 1), (2029, 1, 31))
    assert cycle_next_taking_drafts(current, NOW) == upcoming
    assert cycle_next_taking_drafts(upcoming, NOW) == later
    assert cycle_next_taking_drafts(later, NOW) is None


@pytest.mark.django_db
def test_category_same_as_matches_by_code_in_the_other_cycle():
    """A category follows its code into another year, whatever its label; no match is None."""
    old = make_cycle(2026, (2025, 9, 1), (2026, 1, 31))
    new = make_cycle(2027, (2026, 9, 1), (2027, 1, 31))
    wellness_then = CategoryFactory(cycle=old, code="officer-wellness", label="Wellness")
    retired = CategoryFactory(cycle=old, code="retired", label="Retired")
    wellness_now = CategoryFactory(cycle=new, code="officer-wellness", label="Officer wellness")
    CategoryFactory(cycle=old, code="other", label="Other")
    assert category_same_as(wellness_then, cycle=new) == wellness_now
    assert category_same_as(retired, cycle=new) is None
    assert category_same_as(None, cycle=new) is None
