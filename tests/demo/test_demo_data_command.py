"""The demo_data command from an empty database: refused without DEBUG, any day of the year.

Each test here builds its own world (or none), unlike the other modules of
this package, which share one: these need an empty database or another clock.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError
from django.db import connection
from django.utils import timezone

from dz_awards.cycles.models import Cycle
from dz_awards.demo.content.bulk import BULK_RETURNED
from dz_awards.demo.content.world import CEDAR, RIVERTON
from dz_awards.demo.loaders.world import demo_cycle_dates
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews.models import ReviewPhase
from tests.demo.worlds import ON_SQLITE_ONLY, counts, run_demo_data

S = NominationState
EASTERN = ZoneInfo("America/New_York")


def eastern(*args):
    return datetime(*args, tzinfo=EASTERN)


@pytest.mark.django_db
def test_demo_data_debug_off_refused(settings):
    """Without DEBUG the command refuses, explains why, and creates nothing."""
    settings.DEBUG = False
    with pytest.raises(CommandError) as raised:
        run_demo_data()
    assert "Refusing to create demo accounts with a published password" in str(raised.value)
    assert "--allow-production" in str(raised.value)
    assert set(counts().values()) == {0}


@pytest.mark.django_db
def test_demo_data_debug_off_allow_production_loads(settings):
    """--allow-production loads the demo world even with DEBUG off."""
    settings.DEBUG = False
    output = run_demo_data("--allow-production")
    assert output.count("demo login: ") == 4
    assert counts()["agencies"] == 12


@ON_SQLITE_ONLY
@pytest.mark.django_db
def test_demo_data_cycle_not_open_loads_without_nominations(settings, caplog):
    """If the demo cycle already exists and is closed now, the rest loads and no nomination;
    the log says why."""
    settings.DEBUG = True
    _opens, closes = demo_cycle_dates(timezone.now())
    Cycle.objects.create(
        year=closes.year,
        name="Not yet open",
        opens_at=timezone.now() + timedelta(days=30),
        closes_at=timezone.now() + timedelta(days=60),
    )
    with caplog.at_level(logging.WARNING, logger="dz_awards.demo"):
        output = run_demo_data()
    assert output.count("demo login: ") == 4
    assert counts()["categories"] == 10
    assert not Nomination.objects.filter(cycle__year=closes.year).exists()
    cycle = Cycle.objects.get(year=closes.year)
    warning = (
        f"The demo cycle {closes.year} is not open now ({cycle.opens_at} to "
        f"{cycle.closes_at}): its nominations are left out."
    )
    assert [r.getMessage() for r in caplog.records if r.name.startswith("dz_awards.demo")] == [
        warning
    ]


# The dates are worked out the same way on every database: these four loads run
# on SQLite, the database `make run` uses. On PostgreSQL the demo is loaded by the
# production-settings test above and by the modules that share a demo world.
@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the demo's dates are database-independent"
)
@pytest.mark.parametrize(
    ("moment", "opens"),
    [
        # The two ends of the year, where last year's phases and this year's dates are
        # closest to the moment (days in between: test_demo_cycle_dates_any_day_open,
        # and the demo worlds of the other tests, loaded today). Half an hour after last
        # year's deadline: this year's cycle has just opened (in spring).
        (eastern(2027, 2, 1, 0, 30), eastern(2027, 2, 1)),
        # An hour before this year's deadline (the cycle opened in autumn).
        (eastern(2028, 1, 31, 23, 0), eastern(2027, 9, 1)),
    ],
)
@pytest.mark.django_db
def test_demo_data_loads_any_day(settings, moment, opens):
    """Whatever the day, this year's cycle is open and takes every demo nomination (the two
    demo agencies' stories and the bulk-returned set), and last year's review loads with
    its scoring phase over and the late phase running."""
    settings.DEBUG = True
    with time_machine.travel(moment, tick=False):
        run_demo_data()
        current = Cycle.objects.get(year=2028)
        past = Cycle.objects.get(year=2027)
        assert current.is_open()
        assert not past.is_open()
        scoring = ReviewPhase.objects.get(cycle=past, name="Scoring")
        late = ReviewPhase.objects.get(cycle=past, name="Late reviews")
        assert scoring.starts_at < scoring.ends_at <= late.starts_at < moment < late.ends_at
    assert current.opens_at == opens
    stories = current.nominations.filter(agency__name__in=[RIVERTON, CEDAR])
    assert Counter(stories.values_list("state", flat=True)) == {
        S.DRAFT: 2,
        S.SUBMITTED: 3,
        S.RETURNED: 1,
        S.WITHDRAWN: 1,
        S.INELIGIBLE: 1,
    }
    bulk_set = current.nominations.exclude(agency__name__in=[RIVERTON, CEDAR])
    assert sorted(bulk_set.values_list("title", "state")) == sorted(
        (title, S.RETURNED) for _agency, title, _code in BULK_RETURNED
    )
    assert past.nominations.filter(state=S.WINNER).count() == 5
