"""Accessibility scenarios: the staff list of nominations with its flags, and a bulk
action's confirmation and results pages."""

from playwright.sync_api import expect

from dz_awards.nominations.enums import NominationState
from tests import factories
from tests.e2e.a11y.common import signed_in_staff
from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import field
from tests.reviews import bulk_worlds, helpers

S = NominationState


def _world():
    """Six submitted nominations (two flagged) and two returned, in one category."""
    staff = factories.StaffFactory()
    cycle = helpers.review_cycle(staff)
    category = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    rows = bulk_worlds.nominations(6, cycle=cycle, category=category, title="Peer Support")
    bulk_worlds.flagged(rows[:2], helpers.panel(category, 3))
    bulk_worlds.nominations(
        2, cycle=cycle, category=category, state=S.RETURNED, title="Fitness for Duty"
    )
    return rows


def _choose_all_submitted(page):
    page.goto("/staff/nominations/?state=submitted")
    expect(page.get_by_text("6 nominations.")).to_be_visible()
    page.get_by_label("Choose every nomination on this page").check()
    field(page, "With the chosen nominations").select_option(label="Return for changes")
    page.get_by_role("button", name="Continue").click()


@scenario("staff nominations with flags", "Nominations", on_phone=True)
def staff_nominations_flagged(page):
    _world()
    signed_in_staff(page)
    page.goto("/staff/nominations/?sort=-flags")
    expect(page.get_by_text("Identity found").first).to_be_visible()
    expect(page.get_by_role("columnheader", name="Flags")).to_have_attribute(
        "aria-sort", "descending"
    )


@scenario("staff bulk return, confirmation", "Return 6 nominations for changes", on_phone=True)
def staff_bulk_confirm(page):
    _world()
    signed_in_staff(page)
    _choose_all_submitted(page)
    expect(page.get_by_role("button", name="Return 6 nominations for changes")).to_be_visible()


@scenario("staff bulk return, results", "Results: Return for changes", on_phone=True)
def staff_bulk_results(page):
    _world()
    signed_in_staff(page)
    page.goto("/staff/nominations/?sort=program")
    page.get_by_label("Choose every nomination on this page").check()
    field(page, "With the chosen nominations").select_option(label="Return for changes")
    page.get_by_role("button", name="Continue").click()
    field(page, "What should each agency change?").fill("Add the 2024 figures.")
    page.get_by_role("button", name="Return 8 nominations for changes").click()
    expect(page.get_by_text("6 done, 2 refused.").first).to_be_visible()
