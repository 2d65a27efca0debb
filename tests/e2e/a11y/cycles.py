"""Accessibility scenarios: the staff's award cycle pages."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e.a11y.common import open_cycle, signed_in_staff
from tests.e2e.a11y.registry import scenario


@scenario("staff cycles", "Award cycles")
def staff_cycles(page):
    cycle = open_cycle()
    # The year before the open cycle's: the factory's own years count up per process,
    # and a fixed year could be the open cycle's (get-or-create by year).
    factories.CycleFactory(
        year=cycle.year - 1,
        opens_at=timezone.now() - timedelta(days=400),
        closes_at=timezone.now() - timedelta(days=340),
    )
    signed_in_staff(page)
    page.goto("/staff/cycles/")
    expect(page.get_by_text("Open", exact=True)).to_be_visible()
    expect(page.get_by_text("None yet.")).to_be_visible()


@scenario("staff cycles, none", "Award cycles")
def staff_cycles_empty(page):
    signed_in_staff(page)
    page.goto("/staff/cycles/")
    expect(page.get_by_text("No cycles yet.")).to_be_visible()
