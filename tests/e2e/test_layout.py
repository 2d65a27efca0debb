"""Layout measured in a real browser: what must fit one line, one screen or one box.

axe-core checks what the pages say; these check where things land: the
navigation on a 1366-pixel laptop, a staff table and the reviewer's queue on a
phone, and the library's cards and filters on a phone.
"""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from dz_awards.accounts.enums import REVIEWERS_GROUP
from tests import factories
from tests.e2e.a11y.profiles import PROGRAM, library
from tests.e2e.a11y.review_worlds import review_world
from tests.e2e.conftest import sign_in_with_session
from tests.reviews import helpers as review

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def test_staff_navigation_stays_on_one_line_at_1366_px(open_page):
    """Every item of the longest navigation (staff who also review, with to-dos and a long
    name) sits on the bar's one line; the account's pages open from the keyboard."""
    page = open_page(viewport=LAPTOP)
    staff = factories.StaffFactory(full_name="Alexandra Montgomery-Villanueva")
    staff.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    factories.submitted_nomination()  # a nomination to screen: a to-do counted in the bar
    sign_in_with_session(page, staff)
    page.goto("/staff/")
    nav = main_nav(page)
    expect(nav.get_by_role("link", name="My reviews")).to_be_visible()
    expect(nav.locator(".nav-count")).to_be_visible()
    tops = nav.locator(".navbar-brand, .navbar-nav > .nav-item").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(tops) == 10  # the brand, 7 links, the account menu and sign-out
    assert max(tops) - min(tops) <= 8, tops
    bar_height = nav.evaluate("nav => nav.getBoundingClientRect().height")
    assert bar_height < 70, bar_height

    change_password = nav.get_by_role("link", name="Change password")
    expect(change_password).to_be_hidden()
    nav.get_by_text("Signed in as Alexandra Montgomery-Villanueva").focus()
    page.keyboard.press("Enter")
    expect(change_password).to_be_visible()
    expect(nav.get_by_role("link", name="Two-factor sign-in")).to_be_visible()
    page.keyboard.press("Tab")
    expect(change_password).to_be_focused()


def test_staff_table_scrolls_in_its_own_box_on_a_phone(open_page):
    """A staff table wider than a phone scrolls inside a focusable, labelled region; the
    page itself does not scroll sideways."""
    page = open_page(viewport=PHONE)
    factories.AgencyFactory(name="Harbor City Police Department of the Northern District")
    sign_in_with_session(page, factories.StaffFactory())
    page.goto("/staff/agencies/")
    region = page.get_by_role("region", name="Agencies matching the filters")
    expect(region).to_have_attribute("tabindex", "0")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = region.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert box[0] > box[1], box  # the table is wider than the screen: the box scrolls


def test_reviewer_queue_shows_the_next_step_on_a_phone(open_page):
    """On a phone, each assignment's next step shows without scrolling the table sideways."""
    page = open_page(viewport=PHONE)
    world = review_world(panel_size=1)
    me = world.wellness_panel[0]
    invited = review.ready_nomination(
        world.staff,
        category=world.wellness,
        redacted_title="Peer support within a day of every critical incident, county-wide",
    )
    review.assign(world.staff, invited, [me], accept=False)
    sign_in_with_session(page, me)
    page.goto("/review/")
    region = page.get_by_role("region", name="Nominations assigned to you")
    expect(region).to_have_attribute("tabindex", "0")
    box = region.bounding_box()
    link = page.get_by_role("link", name="Accept or decline").bounding_box()
    # Within the scrolling box's visible width (and so on screen), not off to its right.
    assert box["x"] <= link["x"] <= link["x"] + link["width"] <= box["x"] + box["width"]
    assert box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize(
    ("viewport", "query", "folded"),
    [
        pytest.param(PHONE, "", True, id="phone"),
        pytest.param(PHONE, "?state=OH", False, id="phone, a filter in use"),
        pytest.param(LAPTOP, "", False, id="laptop"),
    ],
)
def test_library_filters_fold_on_a_phone_and_cards_keep_the_picture_whole(
    open_page, viewport, query, folded
):
    """On a phone, the filters fold away (unless one is in use) and the first result starts on
    the first screen; a card's picture keeps its shape at every width."""
    page = open_page(viewport=viewport)
    library()
    page.goto(f"/programs/{query}")
    filters = page.locator("details.directory-more-filters")
    state = page.get_by_label("State", exact=True)
    if folded:
        expect(filters).not_to_have_attribute("open", "")
        expect(state).to_be_hidden()
        first_result = page.locator(".directory-result").first
        expect(first_result).to_be_in_viewport()
        page.get_by_text("More filters").click()
        expect(state).to_be_visible()
    else:
        expect(state).to_be_visible()
    picture = page.get_by_role("img", name="Peer team members outside the station")
    expect(picture).to_be_visible()
    picture.scroll_into_view_if_needed()
    expect(page.get_by_role("link", name=PROGRAM)).to_be_visible()
    # A lazy picture has no natural size until it has loaded.
    picture.evaluate("img => img.decode()")
    shape = picture.evaluate(
        """img => { const box = img.getBoundingClientRect();
                    return [box.width / box.height, img.naturalWidth / img.naturalHeight]; }"""
    )
    assert shape[0] == pytest.approx(shape[1], rel=0.02), shape
