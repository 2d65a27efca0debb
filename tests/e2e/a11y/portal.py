"""Accessibility scenarios: the home page, dashboards, the staff home and the error pages.

The dashboards and the staff home are where the sign-in form leads, so these
scenarios sign in through the form (elsewhere a session cookie is enough).
"""

import re
from datetime import timedelta

from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import server_error
from playwright.sync_api import expect

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import NominationMessage
from dz_awards.profiles.enums import ProfileState
from reviews.models import Assignment
from tests import factories
from tests.e2e.a11y.common import WRONG_PASSWORD, open_cycle
from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import field, sign_in, sign_in_with_session
from tests.profiles.factories import ProfileFactory
from tests.reviews import helpers as review_helpers

HOME_HEADING = "Destination Zero National Officer Safety and Wellness Awards"


@scenario("home, open cycle with categories", HOME_HEADING, on_phone=True)
def home_open_cycle(page):
    open_cycle()
    page.goto("/")
    expect(page.get_by_role("heading", name="Officer Wellness")).to_be_visible()
    expect(page.locator(".countdown")).to_contain_text("left")


@scenario("home, upcoming cycle without categories", HOME_HEADING)
def home_upcoming_cycle(page):
    factories.CycleFactory(
        opens_at=timezone.now() + timedelta(days=10), closes_at=timezone.now() + timedelta(days=70)
    )
    page.goto("/")
    expect(
        page.get_by_text("The categories for this cycle will be announced soon.")
    ).to_be_visible()


@scenario("home, no cycle", HOME_HEADING, on_phone=True)
def home_no_cycle(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Nominations are closed")).to_be_visible()


@scenario("home, just signed out (message)", HOME_HEADING)
def home_signed_out(page):
    sign_in(page, factories.UserFactory().email)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


@scenario("page not found", "Page not found", status=404)
def not_found(page):
    page.goto("/no-such-page/")


@scenario("form expired (CSRF failure)", "This form has expired", status=403)
def csrf_failure(page):
    page.goto("/accounts/login/")
    page.context.clear_cookies()
    field(page, "Email address").fill("someone@example.org")
    field(page, "Password").fill(WRONG_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@scenario("server error", "Something went wrong", status=500)
def server_error_page(page):
    # Not reachable on purpose; serve exactly what Django's handler500 renders.
    body = server_error(RequestFactory().get("/")).content
    page.route(
        "**/server-error/",
        lambda route: route.fulfill(status=500, content_type="text/html", body=body),
    )
    page.goto("/server-error/")


@scenario("dashboard, no agency", "My dashboard", on_phone=True)
def dashboard_no_agency(page):
    open_cycle()
    sign_in(page, factories.UserFactory().email)
    expect(page.get_by_role("heading", name="Get started: your agency")).to_be_visible()


@scenario("dashboard, with an agency", "My dashboard", on_phone=True)
def dashboard_with_agency(page):
    open_cycle()
    owner = factories.OwnerFactory(agency__name="Harbor City Police Department").user
    factories.MembershipFactory(user=owner, agency__verified_at=timezone.now())
    sign_in(page, owner.email)
    expect(page.get_by_text("Not yet verified")).to_be_visible()
    expect(page.get_by_text("Verified agency")).to_be_visible()


@scenario("dashboard, pending and declined requests", "My dashboard", on_phone=True)
def dashboard_requests(page):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, status=MembershipStatus.PENDING)
    factories.MembershipFactory(user=user, status=MembershipStatus.DECLINED)
    sign_in(page, user.email)
    expect(page.get_by_role("heading", name="Waiting for approval")).to_be_visible()
    expect(page.get_by_role("heading", name="Declined requests")).to_be_visible()


@scenario("staff home", "Staff overview", on_phone=True)
def staff_home(page):
    open_cycle()
    factories.MembershipFactory(user__full_name="Sam Okafor", status=MembershipStatus.PENDING)
    sign_in(page, factories.StaffFactory().email)
    expect(page).to_have_url("/staff/")
    expect(page.get_by_text("Sam Okafor asks to join")).to_be_visible()


@scenario("staff home, nothing to do", "Staff overview")
def staff_home_empty(page):
    sign_in(page, factories.StaffFactory().email)
    expect(page.get_by_text("No requests are waiting.")).to_be_visible()


# To-dos (issue 12): each role's dashboard starts with what needs the person now.


def _returned_with_unread_message(agency, cycle):
    nomination = factories.submitted_nomination(
        agency=agency, cycle=cycle, title="Peer Support and Early Warning Program"
    )
    type(nomination).objects.filter(pk=nomination.pk).update(state=NominationState.RETURNED)
    NominationMessage.objects.create(
        nomination=nomination, from_staff=True, body="Please add the 2024 figures."
    )
    return nomination


@scenario("dashboard, agency to-dos", "My dashboard", on_phone=True)
def dashboard_agency_todos(page):
    cycle = open_cycle()
    owner = factories.OwnerFactory(agency__name="Harbor City Police Department")
    _returned_with_unread_message(owner.agency, cycle)
    factories.NominationFactory(agency=owner.agency, cycle=cycle, title="Fitness for Duty")
    type(cycle).objects.filter(pk=cycle.pk).update(closes_at=timezone.now() + timedelta(days=3))
    ProfileFactory(agency=owner.agency, state=ProfileState.PROOF_SENT, title="Peer Support")
    sign_in_with_session(page, owner.user)
    page.goto("/dashboard/")
    expect(
        page.get_by_role("link", name=re.compile(r"^My dashboard\W+4 to-dos$"), include_hidden=True)
    ).to_be_attached()
    expect(page.get_by_role("heading", name="To do now")).to_be_visible()
    expect(page.locator('[data-kind="message"]')).to_contain_text("1 unread message about")


@scenario("dashboard, reviewer to-dos (no agency)", "My dashboard", on_phone=True)
def dashboard_reviewer_todos(page):
    cycle = open_cycle()
    reviewer = review_helpers.reviewer()
    nomination = factories.submitted_nomination(cycle=cycle)
    Assignment.objects.create(nomination=nomination, reviewer=reviewer)
    sign_in_with_session(page, reviewer)
    page.goto("/dashboard/")
    expect(page.get_by_text("Accept or decline the review of")).to_be_visible()
    expect(page.get_by_role("heading", name="Get started: your agency")).to_have_count(0)


@scenario("staff home, to-dos", "Staff overview", on_phone=True)
def staff_home_todos(page):
    cycle = open_cycle()
    nomination = factories.submitted_nomination(cycle=cycle, title="Fitness for Duty")
    NominationMessage.objects.create(
        nomination=nomination, from_staff=False, body="Is the letter of support needed?"
    )
    staff = factories.StaffFactory()
    ProfileFactory(state=ProfileState.AGENCY_APPROVED, prepared_by=factories.StaffFactory())
    sign_in_with_session(page, staff)
    page.goto("/staff/")
    expect(page.get_by_text("1 nomination to screen")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"^My dashboard\W+3 to-dos$"), include_hidden=True)
    ).to_be_attached()
