"""Accessibility scenarios: the library's map, a dropped-filter notice, similar programs."""

from playwright.sync_api import expect

from tests.e2e.a11y.profiles import DIRECTORY_HEADING, PROGRAM, library
from tests.e2e.a11y.registry import scenario


@scenario("library map and its table", DIRECTORY_HEADING, on_phone=True)
def library_map(page):
    library()
    page.goto("/programs/")
    expect(page.get_by_role("link", name="Ohio: 2 programs")).to_be_visible()
    page.get_by_text("The map as a table").click()
    expect(page.get_by_role("table", name="Recognized programs per state")).to_be_visible()


@scenario("library, a filter value dropped", DIRECTORY_HEADING, on_phone=True)
def library_dropped_filter(page):
    library()
    page.goto("/programs/?state=ZZ&year=1999")
    expect(page.get_by_text("2 values were not valid and are not used:")).to_be_visible()
    expect(page.get_by_text("State: “ZZ”")).to_be_visible()


@scenario("profile page with similar programs", PROGRAM, on_phone=True)
def profile_with_similar_programs(page):
    profiles = library()
    page.goto(profiles[PROGRAM].get_absolute_url())
    expect(page.get_by_role("heading", name="Similar programs")).to_be_visible()
    expect(page.get_by_role("link", name="Peer Check-ins After Every Shooting")).to_be_visible()
