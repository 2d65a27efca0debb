"""Accessibility scenarios: feedback to agencies, for staff (withholding) and agencies."""

from playwright.sync_api import expect

from reviews import services as review_services
from reviews.enums import FeedbackPosition
from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import sign_in_with_session
from tests.reviews.feedback_worlds import another_nomination, build_feedback_world, release

STAFF_HEADING = "Feedback to agencies"
AGENCY_HEADING = "Reviewers' feedback"


@scenario("staff feedback to agencies, a comment withheld", STAFF_HEADING, on_phone=True)
def staff_feedback_withheld(page):
    world = build_feedback_world()
    review_services.comment_withhold(
        actor=world.staff,
        review=world.reviews[0],
        criterion_or_none=None,
        reason="It names a deputy of the agency.",
    )
    sign_in_with_session(page, world.staff)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/feedback/")
    expect(page.get_by_role("button", name="Share again")).to_be_visible()
    expect(page.get_by_text("Reason: It names a deputy of the agency.")).to_be_visible()
    # One comment's withholding form, opened as staff would.
    page.locator("#main summary").first.click()
    expect(page.get_by_label("Why withhold it? (staff only)").first).to_be_visible()


@scenario("agency reviewers' feedback, band", AGENCY_HEADING, on_phone=True)
def agency_feedback_band(page):
    world = build_feedback_world(release=False)
    another_nomination(world, (2, 2.5, 3))
    release(world)
    sign_in_with_session(page, world.owner)
    page.goto(f"/nominations/{world.nomination.pk}/feedback/")
    expect(page.get_by_text("was in the upper half of the 2 nominations")).to_be_visible()


@scenario("agency reviewers' feedback, rank", AGENCY_HEADING, on_phone=True)
def agency_feedback_rank(page):
    world = build_feedback_world(release=False, position=FeedbackPosition.RANK)
    another_nomination(world, (4.5, 5, 4.5))
    release(world)
    sign_in_with_session(page, world.owner)
    page.goto(f"/nominations/{world.nomination.pk}/feedback/")
    expect(page.get_by_text("ranked 2nd of the 2 nominations")).to_be_visible()
