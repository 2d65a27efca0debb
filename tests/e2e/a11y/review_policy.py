"""Accessibility scenarios: the review policy and the guidelines, accepting with them read,
the reviewer's progress on their queue and the staff workload page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from reviews import services as review_services
from reviews.enums import FeedbackPosition, Outcome
from reviews.models import Assignment
from tests.e2e.a11y.common import error_summary
from tests.e2e.a11y.registry import scenario
from tests.e2e.a11y.review_worlds import (
    FITNESS,
    PEER_SUPPORT,
    ready,
    review_world,
    reviewed,
    signed_in_review_staff,
)
from tests.e2e.conftest import sign_in_with_session
from tests.reviews import helpers as review

GUIDELINES = """## Before you score

Read the executive summary, then the redacted copy and its files.

- Score what the copy **shows**, not what it promises.
- Say in one or two sentences why, for each criterion.
"""
EXAMPLE = (
    "A peer team contacted 96 % of officers within a day; resignations fell from 11 to 2. "
    "That earns a **4** on measurable results: figures from before and after, one year."
)


def with_guidelines(world, **changes):
    return review_services.policy_update(
        actor=world.staff,
        cycle=world.cycle,
        **{
            "guidelines": GUIDELINES,
            "calibration_example": EXAMPLE,
            "preferences_due_at": None,
            "share_feedback": False,
            "feedback_position": FeedbackPosition.BAND,
            **changes,
        },
    )


def policy_page(page, world):
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/policy/")


@scenario("staff review policy, empty", "Review policy", on_phone=True)
def staff_policy(page):
    world = review_world()
    policy_page(page, world)
    expect(page.get_by_text("None yet: reviewers are not asked to read any.")).to_be_visible()


@scenario("staff review policy, saved with a preview", "Review policy", on_phone=True)
def staff_policy_saved(page):
    world = review_world()
    with_guidelines(world, share_feedback=True)
    policy_page(page, world)
    expect(page.get_by_role("heading", name="Before you score")).to_be_visible()


@scenario("staff review policy, sharing fixed after release", "Review policy", on_phone=True)
def staff_policy_refused(page):
    world = review_world()
    nomination = reviewed(world, world.wellness, world.wellness_panel, PEER_SUPPORT, (4, 3, 5))
    review_services.decision_stage(
        actor=world.staff, nomination=nomination, outcome=Outcome.FINALIST
    )
    review_services.decisions_release(actor=world.staff, cycle=world.cycle)
    policy_page(page, world)
    expect(
        page.get_by_label("Share reviewers' comments with agencies after release")
    ).to_be_disabled()


def accepted_before_guidelines(world):
    """The first wellness reviewer accepted an assignment; the guidelines came after."""
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    rows = review.assign(world.staff, nomination, world.wellness_panel)
    with_guidelines(world)
    return rows[0]


@scenario("reviewer guidelines, to confirm", "Reviewer guidelines", on_phone=True)
def reviewer_guidelines(page):
    world = review_world()
    row = accepted_before_guidelines(world)
    sign_in_with_session(page, row.reviewer)
    page.goto(f"/review/cycles/{world.cycle.pk}/guidelines/")
    expect(page.get_by_role("button", name="I have read version 1")).to_be_visible()


def invited_with_guidelines(page):
    world = review_world()
    with_guidelines(world)
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    (row,) = review.assign(world.staff, nomination, world.wellness_panel[:1], accept=False)
    sign_in_with_session(page, row.reviewer)
    page.goto(f"/review/assignments/{row.pk}/")


@scenario("reviewer assignment, accept with guidelines", review.REDACTED_TITLE, on_phone=True)
def reviewer_accept_with_guidelines(page):
    invited_with_guidelines(page)
    expect(page.get_by_label("I have read the reviewer guidelines (version 1)")).to_be_visible()


@scenario(
    "reviewer assignment, accept without the box ticked", review.REDACTED_TITLE, on_phone=True
)
def reviewer_accept_unticked(page):
    invited_with_guidelines(page)
    page.get_by_role("button", name="Accept the assignment").click()
    expect(error_summary(page)).to_contain_text("Tick the box")


@scenario("reviewer queue, progress with guidelines and a late review", "My reviews", on_phone=True)
def reviewer_queue_progress(page):
    world = review_world()
    row = accepted_before_guidelines(world)
    Assignment.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(days=2))
    waiting = ready(world.staff, world.wellness, FITNESS)
    review.assign(world.staff, waiting, [row.reviewer], accept=False)
    sign_in_with_session(page, row.reviewer)
    page.goto("/review/")
    expect(page.get_by_text("Overdue:")).to_be_visible()
    expect(page.get_by_text("You have not read the guidelines yet.")).to_be_visible()


def workload_world():
    """Three reviews in with a harsh and a lenient reviewer, one review late."""
    world = review_world()
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    rows = review.open_review(world.staff, nomination, world.wellness_panel)
    for row, total in zip(rows, (4.5, 2, 3), strict=True):
        review.submit_review(row, total)
    late = ready(world.staff, world.wellness, FITNESS)
    (row, *_others) = review.assign(world.staff, late, world.wellness_panel, accept=False)
    Assignment.objects.filter(pk=row.pk).update(due_at=timezone.now() - timedelta(days=3))
    return world


@scenario("staff reviewer workload", "Reviewer workload", on_phone=True)
def staff_workload(page):
    world = workload_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/workload/?sort=-late")
    expect(page.get_by_text("3 days")).to_be_visible()
    expect(page.get_by_role("button", name="Remind every late reviewer (1)")).to_be_visible()


@scenario("staff reviewer workload, reminders sent", "Reviewer workload", on_phone=True)
def staff_workload_reminded(page):
    world = workload_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/workload/")
    page.get_by_role("button", name="Remind every late reviewer (1)").click()
    expect(page.get_by_text("A reminder was emailed to 1 late reviewer.")).to_be_visible()
