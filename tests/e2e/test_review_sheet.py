"""A reviewer scores with the entry beside the score sheet, in a real browser, on a wide
screen and on a phone.

The reviewer opens the assignment and its review page: on a wide screen the entry (the
blind copy, its file and the packet) and the score sheet sit side by side, each
scrolling on its own; on a phone they stack and the sticky switch brings the sheet into
view. The reviewer reads the copy, scores two criteria (one with the arrow keys) and
watches the weighted total change, writes a justification, sees it saved in the
background, leaves, comes back to find the draft as they left it, completes the review
and submits it: the total the sheet showed is the total stored.

The world is built as the other review journeys build it: a cycle with the default
rubric (its weights changed by staff before review opens, so that the total is a real
weighted mean), a blind phase running now, a category's panel, and a nomination with
one PDF whose review copy is written and checked, in review, the reviewer accepted.
"""

import re
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from playwright.sync_api import expect

from reviews import services
from reviews.models import Criterion, Review
from tests.e2e.a11y.review_worlds import review_world
from tests.e2e.conftest import DATABASE_LOCK, field, sign_in_with_session
from tests.reviews import helpers

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
# Staff's weights, set before review opens: a half to round on the way (3.375).
WEIGHTS = ("1.00", "0.60", "2.00", "1.00", "1.00", "1.00")
FIRST_SCORES = (3, 4)
LAST_SCORES = (5, 4, 2, 3)
# A copy long enough to scroll within its own pane.
REDACTED_TEXT = "\n\n".join(f"Paragraph {n}. {helpers.REDACTED_TEXT}" for n in range(1, 13))
FIRST_JUSTIFICATION = "Resignations fell from 11 to 2, by the personnel records."
COMMENT = "Well measured and easy to copy; the peer vote is the part to keep."
SAVED = re.compile(r"^Saved at \d{1,2}:\d{2} [AP]M\.$")


def heading(page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def world(db):
    """The reviewer, their accepted assignment of a nomination in review, and its criteria."""
    world = review_world()
    criteria = list(Criterion.objects.for_category(world.wellness))
    for criterion, weight in zip(criteria, WEIGHTS, strict=True):
        criterion.weight = Decimal(weight)
        services.criterion_save(actor=world.staff, criterion=criterion)
    upload = helpers.pdf_file("general-order.pdf", helpers.pdf_with_text("General Order 3-14"))
    nomination = helpers.ready_nomination(
        world.staff,
        category=world.wellness,
        redacted_text=REDACTED_TEXT,
        uploads=[(upload, "The general order.")],
    )
    row, *_others = helpers.open_review(world.staff, nomination, world.wellness_panel)
    return row.reviewer, row, criteria


def score_group(page, criterion):
    return page.get_by_role("group", name=f"Score for {criterion.name}")


def total(page):
    return page.locator("#running-total")


def total_text(figure, scored):
    return f"Weighted total so far: {figure} on 1 to 5, {scored} of 6 criteria scored."


def open_review_page(page, device, *, again=False):
    """From the assignment page to the review page; on a phone, the sheet brought into view
    (coming back, the phone shows the sheet at once: the part last chosen)."""
    page.get_by_role("link", name=re.compile("^(Write|Continue) your review$")).click()
    expect(heading(page)).to_have_text(f"Your review: {helpers.REDACTED_TITLE}")
    entry = page.get_by_role("region", name="The entry")
    sheet = page.get_by_role("region", name="Score sheet")
    switch = page.get_by_role("group", name="Show")
    if device == "desktop":
        expect(switch).to_be_hidden()
        expect(entry).to_be_in_viewport()
        expect(sheet).to_be_in_viewport()
        return entry, sheet
    expect(switch).to_be_visible()
    if again:
        expect(switch.get_by_role("button", name="Score sheet")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(entry).to_be_hidden()
        expect(sheet).to_be_visible()
        return entry, sheet
    # Stacked: the entry first, the sheet a press of the sticky switch away.
    expect(switch.get_by_role("button", name="Entry")).to_have_attribute("aria-pressed", "true")
    expect(entry.get_by_text(helpers.EXECUTIVE_SUMMARY)).to_be_visible()
    expect(sheet).to_be_hidden()
    page.mouse.wheel(0, 1500)  # well down the entry: the switch stays on screen
    expect(switch).to_be_in_viewport()
    switch.get_by_role("button", name="Score sheet").click()
    expect(switch.get_by_role("button", name="Score sheet")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(entry).to_be_hidden()
    expect(sheet.get_by_role("heading", name="Score sheet")).to_be_in_viewport()
    return entry, sheet


def read_the_entry_beside_the_sheet(page, entry, sheet):
    """Side by side, each pane scrolling on its own while the page stays put.

    Scrolled to them, the two panes fit the window together, whole.
    """
    entry.scroll_into_view_if_needed()
    expect(entry).to_be_in_viewport(ratio=0.99)
    expect(sheet).to_be_in_viewport(ratio=0.99)
    entry_box, sheet_box = entry.bounding_box(), sheet.bounding_box()
    assert entry_box["x"] + entry_box["width"] <= sheet_box["x"]
    assert entry_box["y"] == sheet_box["y"]
    expect(entry.get_by_text(helpers.EXECUTIVE_SUMMARY)).to_be_visible()
    expect(entry.get_by_role("link", name="Download the packet (PDF)")).to_be_visible()
    page_scroll = page.evaluate("window.scrollY")
    entry.evaluate("pane => { pane.scrollTop = pane.scrollHeight; }")
    expect(entry.get_by_role("link", name="file-1.pdf")).to_be_in_viewport()
    assert entry.evaluate("pane => pane.scrollTop") > 0
    assert sheet.evaluate("pane => pane.scrollTop") == 0
    assert page.evaluate("window.scrollY") == page_scroll
    expect(sheet.get_by_role("heading", name="Score sheet")).to_be_in_viewport()


def score_two_criteria(page, criteria):
    """The first with the mouse, the second with the arrow keys; the total follows."""
    first, second = criteria[:2]
    expect(total(page)).to_have_text(total_text("none yet", 0))
    score_group(page, first).get_by_label(re.compile(r"^3: ")).check()
    expect(total(page)).to_have_text(total_text("3.00", 1))
    score_group(page, second).get_by_label(re.compile(r"^1: ")).focus()
    page.keyboard.press("Space")
    for _level in range(3):
        page.keyboard.press("ArrowDown")
    expect(score_group(page, second).get_by_label(re.compile(r"^4: "))).to_be_checked()
    expect(total(page)).to_have_text(total_text("3.38", 2))
    criteria_list = page.get_by_role("navigation", name="Criteria")
    expect(criteria_list.get_by_role("listitem").nth(1)).to_have_text(f"{second.name}: scored 4")
    expect(criteria_list.get_by_role("listitem").nth(2)).to_have_text(
        f"{criteria[2].name}: not scored"
    )
    field(page, f"Why this score for {first.name}").fill(FIRST_JUSTIFICATION)
    expect(page.locator("#autosave-status")).to_have_text(SAVED)


def leave_and_come_back(page, device, criteria):
    """Nothing asks before leaving (all is saved); the draft is there on return."""
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="My reviews").click()
    expect(heading(page)).to_have_text("My reviews")
    page.get_by_role("link", name=helpers.REDACTED_TITLE).click()
    expect(heading(page)).to_have_text(helpers.REDACTED_TITLE)
    entry, sheet = open_review_page(page, device, again=True)
    first, second = criteria[:2]
    expect(score_group(page, first).get_by_label(re.compile(r"^3: "))).to_be_checked()
    expect(score_group(page, second).get_by_label(re.compile(r"^4: "))).to_be_checked()
    expect(field(page, f"Why this score for {first.name}")).to_have_value(FIRST_JUSTIFICATION)
    expect(total(page)).to_have_text(total_text("3.38", 2))
    expect(page.locator("#autosave-status")).to_have_text(
        re.compile(r"^Saved at \d{1,2}:\d{2} [AP]M\. Changes save automatically")
    )
    return entry, sheet


def complete_and_submit(page, criteria):
    """The list of criteria leads to each one; the total follows to 6 of 6; submitted."""
    criteria_list = page.get_by_role("navigation", name="Criteria")
    for criterion, score in zip(criteria[2:], LAST_SCORES, strict=True):
        criteria_list.get_by_role("link", name=criterion.name).click()
        group = score_group(page, criterion)
        expect(group).to_be_in_viewport()
        group.get_by_label(re.compile(rf"^{score}: ")).check()
    for criterion in criteria[1:]:
        field(page, f"Why this score for {criterion.name}").fill(helpers.JUSTIFICATION)
    field(page, "Overall comment").fill(COMMENT)
    page.get_by_role("group", name="How confident are you in this review?").get_by_label(
        re.compile("^High")
    ).check()
    expect(total(page)).to_have_text(total_text("3.70", 6))
    shown = total(page).locator("strong").inner_text()
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted. Thank you.")).to_be_visible()
    expect(page.get_by_text(f"Submitted: weighted total {shown}")).to_be_visible()
    return shown


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_review_sheet_beside_the_entry_totals_autosaves_and_submits(open_page, world, device):
    me, row, criteria = world
    page = open_page(viewport=VIEWPORTS[device])
    sign_in_with_session(page, me)
    page.goto(f"/review/assignments/{row.pk}/")
    entry, sheet = open_review_page(page, device)
    if device == "desktop":
        read_the_entry_beside_the_sheet(page, entry, sheet)

    score_two_criteria(page, criteria)
    with DATABASE_LOCK:
        draft = Review.objects.get(assignment=row)
        assert (draft.submitted_at, draft.total) == (None, None)
        assert draft.scores.get(criterion=criteria[0]).justification == FIRST_JUSTIFICATION

    leave_and_come_back(page, device, criteria)
    shown = complete_and_submit(page, criteria)

    with DATABASE_LOCK:
        review = Review.objects.get(assignment=row)
        assert review.submitted_at is not None
        assert floatformat(review.total, 2) == shown == "3.70"
        assert [s.score for s in review.scores.order_by("criterion__position")] == [
            *FIRST_SCORES,
            *LAST_SCORES,
        ]
        assert review.overall_comment == COMMENT
