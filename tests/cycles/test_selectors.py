"""Which cycle is current."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dz_awards.cycles.selectors import cycle_current
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
