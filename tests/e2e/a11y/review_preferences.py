"""Accessibility scenarios: a reviewer's preferences before assignment (open, refused with
errors, read-only after the due date) and the automatic assignment that follows them."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from reviews import services as review_services
from reviews.enums import Preference
from reviews.models import ReviewPolicy
from tests import factories
from tests.e2e.a11y.common import error_summary
from tests.e2e.a11y.registry import scenario
from tests.e2e.a11y.review_worlds import (
    FITNESS,
    PEER_SUPPORT,
    REVIEW_CYCLE,
    ready,
    review_world,
    signed_in_review_staff,
)
from tests.e2e.conftest import sign_in_with_session
from tests.reviews import helpers as review

HEADING = f"Your preferences for {REVIEW_CYCLE}"
TITLES = [
    "Peer support within a day of every critical incident",
    "Annual fitness checks with a coach for every officer",
    "An early warning dashboard for supervisors",
]


def set_due(world, due):
    review_services.policy_change(actor=world.staff, cycle=world.cycle, preferences_due_at=due)


def preferences_world():
    """The wellness panel asked for preferences: three titled nominations, one the first
    reviewer declared a conflict with, and one still being prepared (counted only)."""
    world = review_world()
    nominations = [
        ready(world.staff, world.wellness, f"{PEER_SUPPORT} {number}", redacted_title=title)
        for number, title in enumerate(TITLES, 1)
    ]
    declared = ready(
        world.staff,
        world.wellness,
        FITNESS,
        redacted_title="A wellness coaching program for night shifts",
    )
    me = world.wellness_panel[0]
    factories.submitted_nomination(
        agency=review.identified_agency(), cycle=world.cycle, category=world.wellness
    )
    set_due(world, timezone.now() + timedelta(days=7))
    review_services.conflict_declare_before_assignment(
        user=me, nomination=declared, reason="I advised this agency in 2029."
    )
    return world, me, nominations


def open_preferences(page, world, me):
    sign_in_with_session(page, me)
    page.goto(f"/review/cycles/{world.cycle.pk}/preferences/")


@scenario("reviewer preferences, open", HEADING, on_phone=True)
def reviewer_preferences(page):
    world, me, _nominations = preferences_world()
    open_preferences(page, world, me)
    expect(page.get_by_role("group", name=TITLES[0])).to_be_visible()
    expect(page.get_by_role("button", name="Save my preferences")).to_be_visible()
    expect(page.get_by_text("You declared a conflict of interest")).to_be_visible()


@scenario("reviewer preferences, with errors", HEADING, on_phone=True)
def reviewer_preferences_errors(page):
    world, me, _nominations = preferences_world()
    open_preferences(page, world, me)
    group = page.get_by_role("group", name=TITLES[1])
    group.get_by_label("Eager: I would like to review this").check()
    group.get_by_label("I have a conflict of interest with this nomination").check()
    expect(group.get_by_label("What is the conflict?")).to_be_visible()
    page.get_by_role("button", name="Save my preferences").click()
    expect(error_summary(page)).to_contain_text("Say briefly what the conflict is")
    expect(page.locator("[aria-invalid=true]")).to_have_count(1)


@scenario("reviewer preferences, after the due date (read only)", HEADING, on_phone=True)
def reviewer_preferences_closed(page):
    world, me, nominations = preferences_world()
    review_services.preferences_save(
        user=me,
        cycle=world.cycle,
        answers={
            nominations[0].pk: review_services.PreferenceAnswer(Preference.EAGER),
            nominations[1].pk: review_services.PreferenceAnswer(Preference.UNWILLING),
        },
    )
    # Time passes: the due date is behind.
    ReviewPolicy.objects.filter(cycle=world.cycle).update(
        preferences_due_at=timezone.now() - timedelta(hours=1)
    )
    open_preferences(page, world, me)
    expect(page.get_by_role("note")).to_contain_text("This is what you said")
    expect(page.get_by_text("Unwilling: I would rather not")).to_be_visible()


@scenario("staff automatic assignment, with preferences", "Automatic assignment", on_phone=True)
def staff_auto_assign_preferences(page):
    world, _me, nominations = preferences_world()
    for person in world.wellness_panel:
        review_services.preferences_save(
            user=person,
            cycle=world.cycle,
            answers={
                nominations[0].pk: review_services.PreferenceAnswer(Preference.UNWILLING),
                nominations[1].pk: review_services.PreferenceAnswer(Preference.EAGER),
            },
        )
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/")
    page.get_by_role("button", name="Assign reviewers automatically").click()
    expect(
        page.get_by_role("heading", name="Nominations that could only get unwilling reviewers")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Eager").first).to_be_visible()
