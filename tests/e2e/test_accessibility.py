"""Every page, in every state a person meets it, passes axe-core at WCAG 2.2 AA.

Each scenario builds its data, brings the page into one state through the
browser (signing in, submitting forms as a person would), checks that the
intended state is on screen, and hands the page to axe. The main pages are
checked again at a phone's width, where the navigation collapses and the page
must fit the screen: only its scrolling boxes (wide tables) scroll sideways.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import server_error
from django_otp.oath import TOTP
from playwright.sync_api import expect

from dz_awards.accounts import two_factor
from dz_awards.accounts.services import set_password_url
from dz_awards.agencies import services as agency_services
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.nominations.models import Nomination
from dz_awards.profiles import services as profile_services
from dz_awards.profiles.enums import ProfileState
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews.models import (
    Assignment,
    Panel,
    ReviewCopy,
    ReviewerInvitation,
    ReviewerProfile,
    ReviewPhase,
)
from tests import factories
from tests.e2e.conftest import LOGIN_PATH, field, sign_in
from tests.files import pdf_upload, png_upload
from tests.profiles.factories import (
    ProfileFactory,
    ProfileImageFactory,
    ProfilePdfFactory,
    ProfileResourceFactory,
    TopicFactory,
)
from tests.reviews import helpers as review

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    # Passes and incomplete results are not used; leaving them out makes axe faster.
    "resultTypes": ["violations"],
}
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
WRONG_PASSWORD = "not-the-right-password-99"
NEW_PASSWORD = "a-long-and-memorable-phrase-2031"
LOGIN_CODE_PATH = "/accounts/login/code/"
HOME_HEADING = "Destination Zero National Officer Safety and Wellness Awards"


@dataclass(frozen=True)
class Scenario:
    visit: Callable
    heading: str
    # The HTTP status the page is served with. Chromium logs a 4xx/5xx document as
    # a console error, which is expected for these pages and nowhere else.
    status: int = 200
    on_phone: bool = False
    # The status the page's own script gets back from the page's URL (an upload it
    # sends there, refused): Chromium logs a 4xx answer as an error, expected here.
    request_status: int | None = None
    # At a phone's width the page itself may scroll sideways: a data table wider than
    # the screen and not yet held in a scrolling box (WCAG 1.4.10 allows it for data
    # tables). Every other page fits the screen; only its scrolling boxes scroll.
    wide_on_phone: bool = False


SCENARIOS = {}


def scenario(
    name, heading, *, status=200, on_phone=False, request_status=None, wide_on_phone=False
):
    def register(visit):
        assert name not in SCENARIOS, name
        SCENARIOS[name] = Scenario(visit, heading, status, on_phone, request_status, wide_on_phone)
        return visit

    return register


def error_summary(page):
    return page.get_by_role("alert").filter(has_text=re.compile("Please correct"))


def open_cycle():
    cycle = factories.CycleFactory(name="2031 Destination Zero Awards")
    factories.CategoryFactory(cycle=cycle, label="Officer Wellness", position=1)
    factories.CategoryFactory(cycle=cycle, label="Officer Safety", position=2)
    return cycle


def signed_in_owner(page, **agency_fields):
    """An agency with an approved owner, signed in on `page`; returns the agency."""
    agency = factories.AgencyFactory(**agency_fields)
    owner = factories.OwnerFactory(agency=agency).user
    sign_in(page, owner.email)
    return agency


def signed_in_staff(page):
    staff = factories.StaffFactory()
    sign_in(page, staff.email)
    return staff


# Public pages ---------------------------------------------------------------


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


@scenario("login", "Sign in", on_phone=True)
def login(page):
    page.goto("/accounts/login/")


@scenario("login, failed attempt", "Sign in", on_phone=True)
def login_failed(page):
    user = factories.UserFactory()
    page.goto("/accounts/login/")
    field(page, "Email address").fill(user.email)
    field(page, "Password").fill(WRONG_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(error_summary(page)).to_contain_text("do not match an account")


@scenario("login, locked out after five failures", "Too many sign-in attempts", status=429)
def login_locked_out(page):
    user = factories.UserFactory()
    page.goto("/accounts/login/")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        field(page, "Email address").fill(user.email)
        field(page, "Password").fill(WRONG_PASSWORD)
        # The page after a failure looks like the one before: wait for the new one.
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if attempt < settings.AXES_FAILURE_LIMIT:
            expect(error_summary(page)).to_be_visible()


@scenario("register", "Create an account", on_phone=True)
def register(page):
    page.goto("/accounts/register/")


@scenario("register, with errors", "Create an account", on_phone=True)
def register_errors(page):
    page.goto("/accounts/register/")
    # Both pass the browser's own checks and fail the server's.
    field(page, "Full name").fill("   ")
    field(page, "Work email address").fill("pat@example")
    page.get_by_role("button", name="Create account").click()
    expect(error_summary(page)).to_contain_text("Please correct these problems")


@scenario("register, email sent", "Check your email")
def register_sent(page):
    page.goto("/accounts/register/")
    field(page, "Full name").fill("Pat Lee")
    field(page, "Work email address").fill("pat.lee@example.org")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url("/accounts/register/sent/")


@scenario("password reset", "Reset your password")
def password_reset(page):
    page.goto("/accounts/password/reset/")


@scenario("password reset, email sent", "Check your email")
def password_reset_sent(page):
    page.goto("/accounts/password/reset/")
    field(page, "Email address").fill("someone@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page).to_have_url("/accounts/password/reset/sent/")


def _set_password_path(user):
    return set_password_url(user).removeprefix(settings.SITE_URL)


@scenario("set password, valid link", "Choose your password")
def set_password_valid(page):
    user = factories.UserFactory(email_verified_at=None)
    page.goto(_set_password_path(user))
    expect(field(page, "New password")).to_be_visible()


@scenario("set password, with errors", "Choose your password")
def set_password_errors(page):
    user = factories.UserFactory(email_verified_at=None)
    page.goto(_set_password_path(user))
    field(page, "New password").fill("a-long-and-memorable-phrase-2031")
    field(page, "New password confirmation").fill("a-different-phrase-entirely-2031")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(error_summary(page)).to_contain_text(
        "The two password fields didn\N{RIGHT SINGLE QUOTATION MARK}t match"
    )


@scenario("set password, invalid link", "This link no longer works")
def set_password_invalid(page):
    user = factories.UserFactory(email_verified_at=None)
    path = _set_password_path(user)
    page.goto(path.rsplit("/", 2)[0] + "/not-a-valid-token/")


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


# Signed-in pages -----------------------------------------------------------


@scenario("password change", "Change your password")
def password_change(page):
    sign_in(page, factories.UserFactory().email)
    page.goto("/accounts/password/change/")


@scenario("password change, with errors", "Change your password")
def password_change_errors(page):
    sign_in(page, factories.UserFactory().email)
    page.goto("/accounts/password/change/")
    field(page, "Old password").fill(WRONG_PASSWORD)
    field(page, "New password").fill("a-long-and-memorable-phrase-2031")
    field(page, "New password confirmation").fill("a-long-and-memorable-phrase-2031")
    page.get_by_role("button", name="Change password").click()
    expect(error_summary(page)).to_contain_text("Old password")


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


@scenario("agency create", "Create your agency")
def agency_create(page):
    sign_in(page, factories.UserFactory().email)
    page.goto("/agencies/new/")


@scenario("agency create, with errors", "Create your agency", on_phone=True)
def agency_create_errors(page):
    sign_in(page, factories.UserFactory().email)
    page.goto("/agencies/new/")
    # Every value passes the browser's checks and fails the server's.
    field(page, "Name").fill("   ")
    field(page, "Type of agency").select_option(label="Municipal police")
    field(page, "State").select_option(label="Ohio")
    field(page, "City").fill("Dayton")
    field(page, "Sworn officers").fill("0")
    field(page, "ORI").fill("OH12")
    field(page, "Website").fill("ftp://dayton.example.org")
    field(page, "Main contact name").fill("Chief Lee")
    field(page, "Main contact email").fill("chief@example")
    page.get_by_role("button", name="Create agency").click()
    expect(error_summary(page).get_by_role("listitem")).to_have_count(5)


@scenario("agency profile", "Harbor City Police Department")
def agency_detail(page):
    agency = signed_in_owner(
        page, name="Harbor City Police Department", website="https://harbor.example.org"
    )
    page.goto(f"/agencies/{agency.pk}/")
    expect(page.get_by_role("link", name="Edit profile")).to_be_visible()


@scenario("agency edit", "Edit Harbor City Police Department")
def agency_edit(page):
    agency = signed_in_owner(page, name="Harbor City Police Department")
    page.goto(f"/agencies/{agency.pk}/edit/")
    expect(field(page, "Name")).to_have_value("Harbor City Police Department")


@scenario("agency edit, not an owner", "You cannot do this", status=403)
def agency_edit_forbidden(page):
    membership = factories.MembershipFactory()
    sign_in(page, membership.user.email)
    page.goto(f"/agencies/{membership.agency.pk}/edit/")
    expect(page.get_by_text("Only the agency's owners can do this.")).to_be_visible()


@scenario("agency members, pending request", "Members of Harbor City Police Department")
def agency_members(page):
    agency = factories.AgencyFactory(name="Harbor City Police Department")
    factories.MembershipFactory(
        agency=agency,
        user__full_name="Sam Okafor",
        status=MembershipStatus.PENDING,
        message="I run our peer support team.",
    )
    owner = factories.OwnerFactory(agency=agency).user
    sign_in(page, owner.email)
    page.goto(f"/agencies/{agency.pk}/members/")
    expect(page.get_by_role("button", name="Approve Sam Okafor")).to_be_visible()
    expect(page.get_by_role("button", name="Decline Sam Okafor")).to_be_visible()


@scenario("join search", "Find your agency")
def join_search(page):
    sign_in(page, factories.UserFactory().email)
    page.goto("/agencies/join/")


@scenario("join search, with results", "Find your agency", on_phone=True)
def join_search_results(page):
    factories.AgencyFactory(name="Harbor City Police Department")
    factories.AgencyFactory(name="Harbor County Sheriff", verified_at=timezone.now())
    sign_in(page, factories.UserFactory().email)
    page.goto("/agencies/join/")
    field(page, "Agency name contains").fill("Harbor")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 agencies found")).to_be_visible()


@scenario("join search, no results", "Find your agency")
def join_search_no_results(page):
    factories.AgencyFactory(name="Harbor City Police Department")
    sign_in(page, factories.UserFactory().email)
    page.goto("/agencies/join/")
    field(page, "Agency name contains").fill("Nowhere")
    field(page, "State").select_option(label="Alaska")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No agencies found")).to_be_visible()


@scenario("join request form", "Ask to join Harbor City Police Department")
def join_request(page):
    agency = factories.AgencyFactory(name="Harbor City Police Department")
    sign_in(page, factories.UserFactory().email)
    page.goto(f"/agencies/{agency.pk}/join/")


# Program staff pages -------------------------------------------------------


@scenario("staff home", "Staff overview", on_phone=True)
def staff_home(page):
    open_cycle()
    factories.MembershipFactory(user__full_name="Sam Okafor", status=MembershipStatus.PENDING)
    signed_in_staff(page)
    expect(page).to_have_url("/staff/")
    expect(page.get_by_text("Sam Okafor asks to join")).to_be_visible()


@scenario("staff home, nothing to do", "Staff overview")
def staff_home_empty(page):
    signed_in_staff(page)
    expect(page.get_by_text("No requests are waiting.")).to_be_visible()


@scenario("staff agency list", "Agencies", on_phone=True, wide_on_phone=True)
def staff_agencies(page):
    factories.AgencyFactory(name="Harbor City Police Department")
    factories.AgencyFactory(name="Lakeside Police Department", verified_at=timezone.now())
    signed_in_staff(page)
    page.goto("/staff/agencies/")
    expect(page.get_by_text("2 agencies.")).to_be_visible()


@scenario("staff agency list, filtered", "Agencies")
def staff_agencies_filtered(page):
    factories.AgencyFactory(name="Harbor City Police Department", state="OH")
    factories.AgencyFactory(name="Lakeside Police Department", verified_at=timezone.now())
    signed_in_staff(page)
    page.goto("/staff/agencies/")
    field(page, "Name, city or ORI").fill("Harbor")
    field(page, "Verification").select_option(label="Not verified")
    field(page, "State").select_option(label="Ohio")
    field(page, "Type").select_option(label="Municipal police")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 agency.")).to_be_visible()


@scenario("staff agency list, no match", "Agencies")
def staff_agencies_no_match(page):
    factories.AgencyFactory()
    signed_in_staff(page)
    page.goto("/staff/agencies/?verified=yes")
    expect(page.get_by_text("No agency matches these filters.")).to_be_visible()


@scenario("staff agency list, several pages", "Agencies")
def staff_agencies_paginated(page):
    factories.AgencyFactory.create_batch(26)
    signed_in_staff(page)
    page.goto("/staff/agencies/?verified=no")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()


@scenario("staff agency, unverified with pending member", "Harbor City Police Department")
def staff_agency_unverified(page):
    agency = factories.AgencyFactory(name="Harbor City Police Department")
    factories.OwnerFactory(agency=agency)
    factories.MembershipFactory(
        agency=agency, user__full_name="Sam Okafor", status=MembershipStatus.PENDING
    )
    signed_in_staff(page)
    page.goto(f"/staff/agencies/{agency.pk}/")
    expect(page.get_by_role("button", name="Verify this agency")).to_be_visible()
    expect(page.get_by_role("button", name="Approve Sam Okafor")).to_be_visible()


@scenario("staff agency, verified with history", "Harbor City Police Department")
def staff_agency_verified(page):
    agency = factories.AgencyFactory(name="Harbor City Police Department")
    staff = factories.StaffFactory()
    agency_services.agency_verify(actor=staff, agency=agency)
    sign_in(page, staff.email)
    page.goto(f"/staff/agencies/{agency.pk}/")
    expect(page.get_by_text("Agency verified (unverified → verified)")).to_be_visible()


@scenario("staff cycles", "Award cycles")
def staff_cycles(page):
    open_cycle()
    factories.CycleFactory(
        year=2030,
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


# Nomination pages ----------------------------------------------------------

NOMINATION_TITLE = "Peer Support and Early Warning Program"


def member_draft(page, **nomination_fields):
    """A draft of the signed-in owner's agency in the open cycle; returns the nomination."""
    cycle = open_cycle()
    owner = factories.OwnerFactory(agency__name="Harbor City Police Department").user
    nomination = factories.NominationFactory(
        agency=owner.memberships.get().agency,
        cycle=cycle,
        category=cycle.categories.get(label="Officer Wellness"),
        **{"title": NOMINATION_TITLE, **nomination_fields},
    )
    sign_in(page, owner.email)
    return nomination


def _first_member(nomination):
    return nomination.agency.memberships.get().user


def submit(nomination):
    """Submit a complete draft as its agency's member does, with one PDF attached."""
    member = _first_member(nomination)
    nomination_services.evidence_add(
        user=member,
        nomination=nomination,
        upload=pdf_upload("general-order-3-14.pdf"),
        kind=EvidenceKind.DOCUMENT,
        description="The general order that makes a peer contact automatic.",
    )
    nomination_services.nomination_submit(user=member, nomination=nomination)
    nomination.refresh_from_db()
    return nomination


def return_with_thread(nomination):
    """Staff return the submitted nomination; the agency asks a question; staff answer."""
    staff = factories.StaffFactory()
    nomination_services.nomination_return_for_changes(
        actor=staff, nomination=nomination, message="Please add the 2024 resignation figures."
    )
    nomination_services.message_post(
        user=_first_member(nomination),
        nomination=nomination,
        body="Should the figures cover the whole year?",
    )
    nomination_services.message_post(
        user=staff, nomination=nomination, body="Yes, January to December."
    )
    nomination.refresh_from_db()
    return nomination


def badge_heading(title, state_label):
    """A nomination page's heading: its title, then its state badge (with hidden "Status:")."""
    return f"{title} Status: {state_label}"


EDIT_HEADING = badge_heading(NOMINATION_TITLE, "Draft")


@scenario("nomination start, with an earlier nomination", "Start a nomination", on_phone=True)
def nomination_start(page):
    nomination = member_draft(page)
    earlier = factories.CycleFactory(
        year=nomination.cycle.year - 1,
        opens_at=timezone.now() - timedelta(days=400),
        closes_at=timezone.now() - timedelta(days=340),
    )
    factories.NominationFactory(agency=nomination.agency, cycle=earlier, title="Peer Support")
    page.goto("/nominations/new/")
    expect(page.get_by_role("heading", name="Start from a previous nomination")).to_be_visible()


@scenario("nomination edit, fresh draft", EDIT_HEADING, on_phone=True)
def nomination_edit(page):
    nomination = member_draft(page)
    page.goto(f"/nominations/{nomination.pk}/edit/")
    expect(page.get_by_role("status").filter(has_text="Changes save automatically")).to_be_visible()


@scenario("nomination edit, answers that could not be saved", EDIT_HEADING)
def nomination_edit_errors(page):
    nomination = member_draft(page)
    page.goto(f"/nominations/{nomination.pk}/edit/")
    # A browser's date picker cannot produce a wrong date; an old browser's text box can.
    page.locator("#id_start_date").evaluate("input => { input.type = 'text'; }")
    field(page, "Program start date").fill("March 2021")
    page.get_by_role("button", name="Save draft").click()
    summary = page.get_by_role("alert").filter(has_text="These answers could not be saved")
    expect(summary).to_contain_text("Program start date: Enter a date like 2021-03-15.")


@scenario("nomination submit, answers missing", "Check and submit")
def nomination_submit_problems(page):
    nomination = member_draft(page, summary="Trained peers reach officers.")
    page.goto(f"/nominations/{nomination.pk}/submit/")
    expect(page.get_by_role("alert")).to_contain_text("to complete before you can submit")


@scenario("nomination submit, ready", "Check and submit", on_phone=True)
def nomination_submit_ready(page):
    nomination = member_draft(page, complete=True)
    page.goto(f"/nominations/{nomination.pk}/submit/")
    expect(page.get_by_role("button", name="Submit the nomination")).to_be_visible()


@scenario("nomination conflict screen", "Two versions of this nomination")
def nomination_conflict(page):
    nomination = member_draft(page, complete=True)
    member = _first_member(nomination)
    colleague = factories.MembershipFactory(agency=nomination.agency).user
    stale = nomination.version
    nomination_services.nomination_save_draft(
        user=colleague,
        nomination=nomination,
        content={"summary": "Peers reach every officer within a day."},
        version=stale,
    )
    result = nomination_services.nomination_save_draft(
        user=member,
        nomination=nomination,
        content={"summary": "A team of fourteen peers answers every call.", "goals": ""},
        version=stale,
    )
    page.goto(result.conflict.get_absolute_url())
    expect(page.get_by_role("group", name="Short summary")).to_be_visible()
    expect(page.get_by_role("group", name="Goals")).to_be_visible()


@scenario("nomination files, one file", "Files and evidence", on_phone=True, wide_on_phone=True)
def nomination_evidence(page):
    nomination = member_draft(page)
    nomination_services.evidence_add(
        user=_first_member(nomination),
        nomination=nomination,
        upload=pdf_upload("general-order-3-14.pdf"),
        kind=EvidenceKind.DOCUMENT,
    )
    page.goto(f"/nominations/{nomination.pk}/evidence/")
    expect(page.get_by_role("link", name="general-order-3-14.pdf")).to_be_visible()


@scenario(
    "nomination files, upload refused (shown by the page's script)",
    "Files and evidence",
    request_status=400,
)
def nomination_evidence_error(page):
    nomination = member_draft(page)
    page.goto(f"/nominations/{nomination.pk}/evidence/")
    choose_a_web_page_as_image(page)
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator("#upload-errors")).to_be_focused()
    expect(page.locator("#upload-errors")).to_have_text(
        "File: This file is not a JPEG, PNG or WebP image. Save it as one of those and try again."
    )


@scenario("nomination files, upload refused (without script)", "Files and evidence", status=400)
def nomination_evidence_error_no_script(page):
    nomination = member_draft(page)
    page.goto(f"/nominations/{nomination.pk}/evidence/")
    choose_a_web_page_as_image(page)
    # form.submit() skips the page's upload script: the post a browser without it sends.
    # (The form's button is named "submit", which hides the form's own method.)
    with page.expect_navigation():
        page.locator("#evidence-form").evaluate(
            "form => HTMLFormElement.prototype.submit.call(form)"
        )
    expect(error_summary(page)).to_contain_text("File: This file is not a JPEG, PNG or WebP image.")


def choose_a_web_page_as_image(page):
    """Fill the upload form with a web page named like a picture, as an image described."""
    page.get_by_label("Image (JPEG, PNG or WebP)").check()
    field(page, "File").set_input_files(
        {"name": "team.png", "mimeType": "image/png", "buffer": b"<html>a page</html>"}
    )
    field(page, "Alternative text (for images)").fill("The peer support team.")


@scenario(
    "nomination detail, returned with staff message and thread",
    badge_heading(NOMINATION_TITLE, "Returned for changes"),
    on_phone=True,
)
def nomination_detail_returned(page):
    nomination = return_with_thread(submit(member_draft(page, complete=True)))
    page.goto(f"/nominations/{nomination.pk}/")
    expect(page.get_by_role("note", name="Program staff asked for changes")).to_be_visible()
    expect(page.get_by_text("Yes, January to December.")).to_be_visible()


@scenario("nomination revision", "Revision 1")
def nomination_revision(page):
    nomination = submit(member_draft(page, complete=True))
    page.goto(f"/nominations/{nomination.pk}/revisions/1/")
    expect(page.get_by_text("Trained peers reach officers")).to_be_visible()


@scenario("nomination changes, with differences", "What changed")
def nomination_changes(page):
    nomination = return_with_thread(submit(member_draft(page, complete=True)))
    nomination_services.nomination_save_draft(
        user=_first_member(nomination),
        nomination=nomination,
        content={
            "summary": "Trained peers reach every officer within 12 hours.",
            "partners": "",
        },
        version=nomination.version,
    )
    page.goto(f"/nominations/{nomination.pk}/changes/?from=1&to=current")
    expect(page.get_by_role("region", name="Short summary").locator("ins")).not_to_have_count(0)
    expect(page.get_by_role("region", name="Partners").locator("del")).to_have_count(1)


@scenario("nomination withdraw confirmation", "Withdraw this nomination?")
def nomination_withdraw(page):
    nomination = submit(member_draft(page, complete=True))
    page.goto(f"/nominations/{nomination.pk}/withdraw/")


@scenario("nomination delete confirmation", "Delete this draft?")
def nomination_delete(page):
    nomination = member_draft(page)
    page.goto(f"/nominations/{nomination.pk}/delete/")


@scenario("dashboard, with nominations", "My dashboard", on_phone=True)
def dashboard_with_nominations(page):
    nomination = member_draft(page, title="Fitness for Duty Program")
    submitted = submit(
        factories.NominationFactory(
            agency=nomination.agency,
            cycle=nomination.cycle,
            category=nomination.category,
            complete=True,
            title=NOMINATION_TITLE,
        )
    )
    return_with_thread(submitted)
    page.reload()
    expect(
        page.get_by_role("link", name="Continue editing Fitness for Duty Program")
    ).to_be_visible()
    expect(page.get_by_text("Staff asked for changes: read their message")).to_be_visible()


def staff_world():
    """Two submitted nominations (one returned) and a draft staff cannot see."""
    returned = return_with_thread(submit(member_draft_for_staff(NOMINATION_TITLE)))
    submitted = submit(member_draft_for_staff("Fitness for Duty Program", cycle=returned.cycle))
    factories.NominationFactory(cycle=returned.cycle, title="Unsubmitted Draft")
    return returned, submitted


def member_draft_for_staff(title, cycle=None):
    cycle = cycle or open_cycle()
    owner = factories.OwnerFactory().user
    return factories.NominationFactory(
        agency=owner.memberships.get().agency,
        cycle=cycle,
        category=cycle.categories.get(label="Officer Wellness"),
        complete=True,
        title=title,
    )


@scenario("staff nominations, filtered", "Nominations", on_phone=True, wide_on_phone=True)
def staff_nominations_filtered(page):
    returned, _submitted = staff_world()
    signed_in_staff(page)
    page.goto("/staff/nominations/")
    field(page, "Title or agency").fill("Peer")
    field(page, "Cycle").select_option(label="2031 Destination Zero Awards")
    field(page, "Category").select_option(label=f"Officer Wellness ({returned.cycle.year})")
    field(page, "State").select_option(label="Returned for changes")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 nomination.")).to_be_visible()


@scenario("staff nomination detail", badge_heading("Fitness for Duty Program", "Submitted"))
def staff_nomination_detail(page):
    _returned, submitted = staff_world()
    signed_in_staff(page)
    page.goto(f"/staff/nominations/{submitted.pk}/")
    expect(page.get_by_role("link", name="Return for changes")).to_be_visible()


@scenario(
    "staff nomination detail, returned with thread",
    badge_heading(NOMINATION_TITLE, "Returned for changes"),
)
def staff_nomination_detail_returned(page):
    returned, _submitted = staff_world()
    signed_in_staff(page)
    page.goto(f"/staff/nominations/{returned.pk}/")
    expect(page.get_by_text("Yes, January to December.")).to_be_visible()


@scenario("staff return for changes, with errors", "Return for changes")
def staff_return_errors(page):
    _returned, submitted = staff_world()
    signed_in_staff(page)
    page.goto(f"/staff/nominations/{submitted.pk}/return/")
    # Spaces pass the browser's required check and fail the server's.
    field(page, "What should the agency change?").fill("   ")
    page.get_by_role("button", name="Return for changes").click()
    expect(error_summary(page)).to_contain_text(
        "What should the agency change?: This field is required."
    )


# Review pages: program staff ----------------------------------------------------

REVIEW_CYCLE = "2031 Destination Zero Awards"
REVIEW_OVERVIEW_HEADING = f"Review of {REVIEW_CYCLE}"
PEER_SUPPORT = "Peer Support After Critical Incidents"
FITNESS = "Fitness for Duty Program"


@dataclass
class ReviewWorld:
    """A cycle with the default rubric, a phase running now and two categories with panels."""

    staff: object
    cycle: object
    wellness: object
    safety: object
    wellness_panel: list
    safety_panel: list


def review_world(*, panel_size=3, **phase_fields):
    staff = factories.StaffFactory(full_name="Morgan Ellis")
    cycle = review.review_cycle(staff, name=REVIEW_CYCLE)
    review.review_phase(cycle, **phase_fields)
    wellness = factories.CategoryFactory(cycle=cycle, label="Officer Wellness", position=1)
    safety = factories.CategoryFactory(cycle=cycle, label="Officer Safety", position=2)
    names = iter(REVIEWER_NAMES)
    return ReviewWorld(
        staff=staff,
        cycle=cycle,
        wellness=wellness,
        safety=safety,
        wellness_panel=[
            review.reviewer(wellness, full_name=next(names)) for _ in range(panel_size)
        ],
        safety_panel=[review.reviewer(safety, full_name=next(names)) for _ in range(panel_size)],
    )


REVIEWER_NAMES = [
    "Dana Whitfield",
    "Luis Ortega",
    "Priya Raman",
    "Grace Holloway",
    "Tom Becker",
    "Aisha Karimi",
    "Noah Fischer",
    "Elena Petrova",
    "Marcus Boyd",
    "Hana Sato",
]


def ready(staff, category, title, **copy_fields):
    """A submitted nomination titled `title` whose review copy is written (and checked)."""
    nomination = factories.submitted_nomination(
        agency=review.identified_agency(), cycle=category.cycle, category=category, title=title
    )
    review_services.review_copy_save(
        actor=staff,
        nomination=nomination,
        **{
            "executive_summary": review.EXECUTIVE_SUMMARY,
            "redacted_title": review.REDACTED_TITLE,
            "redacted_text": review.REDACTED_TEXT,
            "files": [],
            **copy_fields,
        },
    )
    return Nomination.objects.get(pk=nomination.pk)


def reviewed(world, category, panel, title, totals, *, close=True):
    """A nomination each of `panel` reviewed with the given totals; review closed if `close`."""
    nomination = ready(world.staff, category, title)
    rows = review.open_review(world.staff, nomination, panel)
    for row, total in zip(rows, totals, strict=True):
        review.submit_review(row, total)
    if close:
        review_services.nomination_close_review(actor=world.staff, nomination=nomination)
    return Nomination.objects.get(pk=nomination.pk)


def scored_world():
    """Three nominations a category, three reviews each: the scoreboard and charts have bars.

    Each category has one nomination still in review; the others are reviewed.
    One nomination's reviewers disagree (totals 2, 4.5 and 1.5).
    """
    world = review_world()
    lines = {
        world.wellness: [
            (PEER_SUPPORT, (4.5, 4, 5), True),
            (FITNESS, (3, 3.5, 2.5), True),
            ("Early Warning System", (2, 4.5, 1.5), False),
        ],
        world.safety: [
            ("Tactical Medicine for Patrol", (4, 3.5, 5), True),
            ("Seat Belt Campaign", (2.5, 3, 2), True),
            ("Ballistic Vest Refit", (3.5, 4, 3), False),
        ],
    }
    nominations = {}
    for category, rows in lines.items():
        panel = world.wellness_panel if category == world.wellness else world.safety_panel
        for title, totals, close in rows:
            nominations[title] = reviewed(world, category, panel, title, totals, close=close)
    return world, nominations


def signed_in_review_staff(page, world):
    sign_in(page, world.staff.email)
    return world.staff


@scenario("staff reviewers list", "Reviewers", on_phone=True)
def staff_reviewers(page):
    world = review_world()
    home = factories.AgencyFactory(name="Lakeside Police Department", city="Lakeside")
    # Rows the builders cannot make through services are written directly: a profile's
    # home agency, an invitation's expiry, a due date already past.
    ReviewerProfile.objects.filter(user=world.wellness_panel[0]).update(
        home_agency=home, state="OH"
    )
    panel = Panel.objects.get(category=world.wellness)
    _pending, _token = review_services.reviewer_invite(
        actor=world.staff, email="jordan.reyes@example.org", full_name="Jordan Reyes", panel=panel
    )
    used, token = review_services.reviewer_invite(
        actor=world.staff, email="sam.okafor@example.org", full_name="Sam Okafor"
    )
    review_services.invitation_accept(
        pk=used.pk, token=token, full_name="Sam Okafor", password=NEW_PASSWORD
    )
    expired, _token = review_services.reviewer_invite(
        actor=world.staff, email="lee.chan@example.org", full_name="Lee Chan"
    )
    ReviewerInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    signed_in_review_staff(page, world)
    page.goto("/staff/reviewers/")
    expect(page.get_by_role("heading", name="Waiting to be used (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Used (1)", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Expired (1)")).to_be_visible()


@scenario("staff reviewer invite", "Invite a reviewer")
def staff_reviewer_invite(page):
    world = review_world()
    signed_in_review_staff(page, world)
    page.goto("/staff/reviewers/invite/")
    expect(field(page, "Panel (optional)")).to_be_visible()


@scenario("staff reviewer invite, with errors", "Invite a reviewer", on_phone=True)
def staff_reviewer_invite_errors(page):
    world = review_world()
    signed_in_review_staff(page, world)
    page.goto("/staff/reviewers/invite/")
    field(page, "Email address").fill("jordan@example")
    field(page, "Full name").fill("   ")
    page.get_by_role("button", name="Send the invitation").click()
    expect(error_summary(page).get_by_role("listitem")).to_have_count(2)


def overview_world():
    """Nominations in every state of preparation, and a category with nobody on its panel.

    Officer Wellness: one in review (one review in), one reviewed, one ready with too
    few reviewers, one whose copy names the agency, one with no copy. Officer Safety:
    a copy still being checked. Community Partnerships: no panel.
    """
    world = review_world()
    staff = world.staff
    in_review = ready(staff, world.wellness, PEER_SUPPORT)
    rows = review.open_review(staff, in_review, world.wellness_panel)
    review.submit_review(rows[0], 4)
    reviewed(world, world.wellness, world.wellness_panel, FITNESS, (3, 4, 3.5))
    short = ready(staff, world.wellness, "Early Warning System")
    review.assign(staff, short, world.wellness_panel[:1])
    review.assign(staff, short, world.wellness_panel[1:2], accept=False)
    leaking = factories.submitted_nomination(
        agency=review.identified_agency(), cycle=world.cycle, category=world.wellness
    )
    review_services.review_copy_save(
        actor=staff,
        nomination=leaking,
        executive_summary=f"{leaking.agency.name} trained peers.",
        redacted_title=review.REDACTED_TITLE,
        redacted_text=review.REDACTED_TEXT,
        files=[],
    )
    factories.submitted_nomination(
        cycle=world.cycle, category=world.wellness, title="Resilience Training"
    )
    checking = ready(staff, world.safety, "Tactical Medicine for Patrol")
    # The check runs at once in tests; this copy looks as if it were still queued.
    ReviewCopy.objects.filter(nomination=checking).update(checked_at=None)
    factories.CategoryFactory(cycle=world.cycle, label="Community Partnerships", position=3)
    return world


@scenario("staff review overview, nominations in every state", REVIEW_OVERVIEW_HEADING)
def staff_review_overview(page):
    world = overview_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/")
    expect(page.get_by_text("Not ready: identity found in the review copy")).to_be_visible()
    expect(page.get_by_text("Not ready: review copy not written")).to_be_visible()
    expect(page.get_by_text("1 of 3 reviewers accepted")).to_be_visible()
    expect(page.get_by_role("heading", name="Categories without reviewers")).to_be_visible()


@scenario("staff review overview, nothing submitted", REVIEW_OVERVIEW_HEADING, on_phone=True)
def staff_review_overview_empty(page):
    world = review_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/")
    expect(page.get_by_text("No submitted nominations.").first).to_be_visible()


@scenario("staff automatic assignment, with shortfalls", "Automatic assignment")
def staff_auto_assign(page):
    world = review_world(panel_size=2)
    ready(world.staff, world.wellness, PEER_SUPPORT)
    ready(world.staff, world.safety, FITNESS)
    no_panel = factories.CategoryFactory(
        cycle=world.cycle, label="Community Partnerships", position=3
    )
    ready(world.staff, no_panel, "Neighbourhood Liaison Officers")
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/")
    page.get_by_role("button", name="Assign reviewers automatically").click()
    expect(page.get_by_role("heading", name="Created")).to_be_visible()
    expect(page.get_by_role("heading", name="Categories without a panel")).to_be_visible()
    expect(
        page.get_by_role("region", name="Nominations still short of reviewers, and why")
    ).to_be_visible()


def copy_page(page, world, nomination):
    signed_in_review_staff(page, world)
    page.goto(f"/staff/nominations/{nomination.pk}/review-copy/")


@scenario("staff review copy, nothing saved yet", "Review copy")
def staff_review_copy_new(page):
    world = review_world()
    nomination = factories.submitted_nomination(
        agency=review.identified_agency(), cycle=world.cycle, category=world.wellness
    )
    copy_page(page, world, nomination)
    expect(page.get_by_text("Nothing is saved yet, so nothing has been checked.")).to_be_visible()


@scenario("staff review copy, check running", "Review copy")
def staff_review_copy_checking(page):
    world = review_world()
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    # The check runs at once in tests; this copy looks as if it were still queued.
    ReviewCopy.objects.filter(nomination=nomination).update(checked_at=None)
    copy_page(page, world, nomination)
    expect(page.get_by_role("link", name="Reload this page")).to_be_visible()


@scenario("staff review copy, identity found", "Review copy", on_phone=True)
def staff_review_copy_findings(page):
    world = review_world()
    agency = review.identified_agency()
    upload = review.pdf_file(
        "general-order.pdf", review.pdf_with_text(f"{agency.name} General Order 3-14")
    )
    nomination = review.ready_nomination(
        world.staff,
        category=world.wellness,
        agency=agency,
        redacted_title=f"The {agency.city} peer team",
        redacted_text=f"Officers of {agency.ori} are contacted within a day.",
        uploads=[(upload, "The general order.")],
    )
    copy_page(page, world, nomination)
    expect(page.get_by_role("heading", name=re.compile("identity was found in"))).to_be_visible()


@scenario("staff review copy, nothing found", "Review copy")
def staff_review_copy_clean(page):
    world = review_world()
    upload = review.pdf_file("order.pdf", review.pdf_with_text("General Order 3-14"))
    nomination = review.ready_nomination(
        world.staff, category=world.wellness, uploads=[(upload, "The general order.")]
    )
    copy_page(page, world, nomination)
    expect(page.get_by_text("Nothing found.")).to_be_visible()


@scenario("staff review copy, save refused", "Review copy")
def staff_review_copy_refused(page):
    world = review_world()
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    copy_page(page, world, nomination)
    # Staff withdraw it meanwhile, as if in another tab: the copy can no longer change.
    Nomination.objects.filter(pk=nomination.pk).update(state="withdrawn")
    field(page, "Executive summary").fill("Fourteen peers, trained over 40 hours.")
    page.get_by_role("button", name="Save the review copy").click()
    expect(error_summary(page)).to_contain_text("can no longer change")


def assignments_heading(title):
    return f"Reviewers of {title}"


@scenario("staff nomination assignments, before review opens", assignments_heading(PEER_SUPPORT))
def staff_assignments_before_review(page):
    world = review_world(panel_size=5)
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    accepted, _invited, declining, conflicted = review.assign(
        world.staff, nomination, world.wellness_panel[:4], accept=False
    )
    review_services.assignment_accept(user=accepted.reviewer, assignment=accepted)
    review_services.assignment_decline(
        user=declining.reviewer,
        assignment=declining,
        reason="conflict",
        note="I trained this department's peer team in 2022.",
    )
    review_services.conflict_declare(
        user=conflicted.reviewer, assignment=conflicted, reason="My brother works there."
    )
    # The two hand-backs were refilled from the panel; one more may still be added by hand.
    review.reviewer(world.wellness, full_name="Rosa Delgado")
    signed_in_review_staff(page, world)
    page.goto(f"/staff/nominations/{nomination.pk}/assignments/")
    expect(page.get_by_role("heading", name="Open review")).to_be_visible()
    conflicts = page.get_by_role("region", name="Declared conflicts")
    expect(conflicts.get_by_text("My brother works there.")).to_be_visible()
    expect(field(page, "Reviewer")).to_be_visible()


@scenario("staff nomination assignments, in review", assignments_heading(PEER_SUPPORT))
def staff_assignments_in_review(page):
    world = review_world(panel_size=4)
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    rows = review.open_review(world.staff, nomination, world.wellness_panel[:3])
    review.submit_review(rows[0], 4)
    Assignment.objects.filter(pk=rows[1].pk).update(due_at=timezone.now() - timedelta(days=1))
    signed_in_review_staff(page, world)
    page.goto(f"/staff/nominations/{nomination.pk}/assignments/")
    expect(page.get_by_role("button", name=re.compile("^Reopen review"))).to_be_visible()
    expect(page.get_by_text("Overdue")).to_be_visible()


@scenario("staff nomination assignments, no reviewer chosen", assignments_heading(PEER_SUPPORT))
def staff_assignments_errors(page):
    world = review_world()
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    signed_in_review_staff(page, world)
    page.goto(f"/staff/nominations/{nomination.pk}/assignments/")
    page.get_by_role("button", name="Assign this reviewer").click()
    expect(error_summary(page)).to_contain_text("Reviewer: This field is required.")


def half_reviewed(world):
    """In review with one of the three reviews in."""
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    rows = review.open_review(world.staff, nomination, world.wellness_panel)
    review.submit_review(rows[0], 4)
    return nomination


@scenario("staff close review, reviews missing", "Close review")
def staff_close_review(page):
    world = review_world()
    nomination = half_reviewed(world)
    signed_in_review_staff(page, world)
    page.goto(f"/staff/nominations/{nomination.pk}/close-review/")
    expect(page.get_by_role("heading", name="Not every review needed is in")).to_be_visible()


@scenario("staff close review, refused without a reason", "Close review", on_phone=True)
def staff_close_review_refused(page):
    world = review_world()
    nomination = half_reviewed(world)
    signed_in_review_staff(page, world)
    page.goto(f"/staff/nominations/{nomination.pk}/close-review/")
    page.get_by_role("button", name="Close review").click()
    expect(error_summary(page)).to_be_visible()


@scenario("staff reviewer progress", "Reviewer progress", on_phone=True)
def staff_progress(page):
    world = review_world(panel_size=4)
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    rows = review.open_review(world.staff, nomination, world.wellness_panel[:3])
    review.submit_review(rows[0], 4)
    Assignment.objects.filter(pk=rows[1].pk).update(due_at=timezone.now() - timedelta(days=1))
    waiting = ready(world.staff, world.wellness, FITNESS)
    _invited, declining = review.assign(
        world.staff, waiting, world.wellness_panel[2:4], accept=False
    )
    review_services.assignment_decline(
        user=declining.reviewer, assignment=declining, reason="availability"
    )
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/progress/")
    # Grace declined and has nothing waiting; Luis's accepted review is overdue.
    expect(page.get_by_role("button", name="Remind Grace Holloway")).not_to_be_attached()
    expect(page.get_by_role("button", name="Remind Luis Ortega")).to_be_attached()


@scenario("staff reviewer progress, reminders sent", "Reviewer progress")
def staff_progress_reminded(page):
    world = review_world()
    nomination = ready(world.staff, world.wellness, PEER_SUPPORT)
    review.assign(world.staff, nomination, world.wellness_panel, accept=False)
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/progress/")
    page.get_by_role("button", name="Send reminders").click()
    expect(page.get_by_text("A reminder was emailed to 3 reviewers.")).to_be_visible()


@scenario("staff scoreboard, with charts", "Scoreboard", on_phone=True)
def staff_scoreboard(page):
    world, _nominations = scored_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/scoreboard/")
    charts = page.get_by_role("img", name=re.compile("^Distribution of review totals"))
    expect(charts).to_have_count(2)
    expect(charts.first.locator("rect")).not_to_have_count(0)
    expect(page.get_by_role("img", name=re.compile("^Reviewer leniency"))).to_be_visible()
    ranking = page.get_by_role("region", name="Ranking in Officer Wellness")
    expect(ranking.get_by_text("Discuss")).to_be_visible()
    # The charts' tables, opened as a person would.
    for summary in page.locator("summary").all():
        summary.click()
    expect(page.get_by_role("table", name="Reviews per total in Officer Safety")).to_be_visible()


@scenario("staff scoreboard, no reviews yet", "Scoreboard")
def staff_scoreboard_empty(page):
    world = review_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/scoreboard/")
    expect(page.get_by_text("No nomination of this cycle has reached review yet.")).to_be_visible()


def decided_world():
    """The scored world with one finalist (released), a staged winner and a staged decline."""
    world, nominations = scored_world()
    staff = world.staff
    review_services.decision_stage(
        actor=staff, nomination=nominations[PEER_SUPPORT], outcome="finalist"
    )
    review_services.decisions_release(actor=staff, cycle=world.cycle)
    review_services.decision_stage(
        actor=staff, nomination=nominations[PEER_SUPPORT], outcome="winner"
    )
    review_services.decision_stage(
        actor=staff, nomination=nominations[FITNESS], outcome="not_selected"
    )
    return world


@scenario("staff decisions, staged and released", "Decisions", on_phone=True)
def staff_decisions(page):
    world = decided_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/decisions/")
    expect(page.get_by_role("heading", name="Staged, not released (2)")).to_be_visible()
    expect(field(page, f"Decision for {PEER_SUPPORT}")).to_have_value("winner")


@scenario("staff decisions, one just staged", "Decisions")
def staff_decisions_staged(page):
    world, _nominations = scored_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/decisions/")
    field(page, f"Decision for {FITNESS}").select_option(label="Not selected")
    page.get_by_role("button", name=f"Stage the decision for {FITNESS}").click()
    expect(page.get_by_text(f"{FITNESS} is staged as not selected.")).to_be_visible()


@scenario("staff release decisions, confirm", "Release decisions")
def staff_release(page):
    world = decided_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/decisions/release/")
    expect(
        page.get_by_role("button", name="Release 2 decisions and email the agencies")
    ).to_be_visible()


@scenario("staff release decisions, nothing staged", "Release decisions")
def staff_release_empty(page):
    world = review_world()
    signed_in_review_staff(page, world)
    page.goto(f"/staff/cycles/{world.cycle.pk}/review/decisions/release/")
    expect(page.get_by_text("nothing to release")).to_be_visible()


# Review pages: reviewers ----------------------------------------------------------

INVITATION_HEADING = "Review for the Destination Zero Awards"
INVITED_EMAIL = "jordan.reyes@example.org"


def invitation_link(**invite_fields):
    """A fresh invitation's path (with its token) and the invitation."""
    staff = factories.StaffFactory()
    invitation, token = review_services.reviewer_invite(
        actor=staff,
        **{"email": INVITED_EMAIL, "full_name": "Jordan Reyes", **invite_fields},
    )
    return review_services.invitation_path(invitation, token), invitation, token


@scenario("reviewer invitation, new account", INVITATION_HEADING, on_phone=True)
def reviewer_invitation(page):
    path, _invitation, _token = invitation_link()
    page.goto(path)
    expect(field(page, "Full name")).to_have_value("Jordan Reyes")


@scenario("reviewer invitation, with errors", INVITATION_HEADING, on_phone=True)
def reviewer_invitation_errors(page):
    path, _invitation, _token = invitation_link()
    page.goto(path)
    field(page, "Full name").fill("Jordan Reyes")
    field(page, "Password").fill(NEW_PASSWORD)
    field(page, "Password again").fill("a-different-phrase-entirely-2031")
    page.get_by_role("button", name="Create my reviewer account").click()
    expect(error_summary(page)).to_contain_text("The two passwords are not the same.")


@scenario("reviewer invitation, already used", INVITATION_HEADING, status=410)
def reviewer_invitation_used(page):
    path, invitation, token = invitation_link()
    review_services.invitation_accept(
        pk=invitation.pk, token=token, full_name="Jordan Reyes", password=NEW_PASSWORD
    )
    page.goto(path)
    expect(page.get_by_role("alert")).to_contain_text("already been used")


@scenario("reviewer invitation, expired", INVITATION_HEADING, status=410)
def reviewer_invitation_expired(page):
    path, invitation, _token = invitation_link()
    ReviewerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page.goto(path)
    expect(page.get_by_role("alert")).to_contain_text("expired")


@scenario("reviewer invitation, signed in as someone else", INVITATION_HEADING)
def reviewer_invitation_other(page):
    path, _invitation, _token = invitation_link()
    sign_in(page, factories.UserFactory().email)
    page.goto(path)
    expect(page.get_by_role("alert")).to_contain_text("different email address")


@scenario("reviewer invitation, signed in with the invited address", INVITATION_HEADING)
def reviewer_invitation_confirm(page):
    path, _invitation, _token = invitation_link()
    sign_in(page, factories.UserFactory(email=INVITED_EMAIL).email)
    page.goto(path)
    expect(page.get_by_role("button", name="Accept the invitation")).to_be_visible()


QUEUE_TITLES = [
    "Peer support within a day of every critical incident",
    "Annual fitness checks with a coach for every officer",
    "An early warning dashboard for supervisors",
    "Tactical medicine kits in every patrol car",
]


def reviewer_queue_world():
    """The first wellness reviewer's four assignments, in four different states."""
    world = review_world()
    me = world.wellness_panel[0]
    not_started, submitted, draft, invited = (
        review.ready_nomination(world.staff, category=world.wellness, redacted_title=title)
        for title in QUEUE_TITLES
    )
    for nomination in (not_started, submitted, draft):
        review.open_review(world.staff, nomination, world.wellness_panel)
    review.submit_review(assignment_of(me, submitted), 4)
    review_services.review_save(
        user=me,
        assignment=assignment_of(me, draft),
        data=review.review_input(draft, scores={}, overall_comment="Strong figures."),
        submit=False,
    )
    review.assign(world.staff, invited, [me], accept=False)
    return world, me


def assignment_of(person, nomination):
    return Assignment.objects.get(reviewer=person, nomination=nomination)


@scenario("reviewer queue, assignments in every state", "My reviews", on_phone=True)
def reviewer_queue(page):
    _world, me = reviewer_queue_world()
    sign_in(page, me.email)
    page.goto("/review/")
    expect(page.get_by_role("link", name="Accept or decline")).to_be_visible()
    expect(page.get_by_role("link", name="Write your review")).to_be_visible()
    expect(page.get_by_role("link", name="Finish and submit your review")).to_be_visible()
    expect(page.get_by_role("link", name="Revise")).to_be_visible()


@scenario("reviewer queue, empty", "My reviews")
def reviewer_queue_empty(page):
    world = review_world()
    sign_in(page, world.wellness_panel[0].email)
    page.goto("/review/")
    expect(page.get_by_text("No nominations are assigned to you")).to_be_visible()


def reviewer_nomination(world, *, open_review=True, accept=True):
    """A nomination with one PDF for reviewers, assigned to the wellness panel."""
    upload = review.pdf_file("general-order.pdf", review.pdf_with_text("General Order 3-14"))
    nomination = review.ready_nomination(
        world.staff, category=world.wellness, uploads=[(upload, "The general order.")]
    )
    if open_review:
        rows = review.open_review(world.staff, nomination, world.wellness_panel)
    else:
        rows = review.assign(world.staff, nomination, world.wellness_panel, accept=accept)
    return Nomination.objects.get(pk=nomination.pk), rows


def open_assignment(page, row):
    sign_in(page, row.reviewer.email)
    page.goto(f"/review/assignments/{row.pk}/")


@scenario("reviewer assignment, invited", review.REDACTED_TITLE, on_phone=True)
def reviewer_assignment_invited(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world, open_review=False, accept=False)
    open_assignment(page, rows[0])
    expect(page.get_by_role("button", name="Accept the assignment")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"\.pdf$"))).to_be_visible()


@scenario("reviewer assignment, decline with errors", review.REDACTED_TITLE)
def reviewer_assignment_decline_errors(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world, open_review=False, accept=False)
    open_assignment(page, rows[0])
    page.get_by_label("I have a conflict of interest").check()
    page.get_by_role("button", name="Decline the assignment").click()
    expect(error_summary(page)).to_contain_text("Say briefly what the conflict is")


@scenario("reviewer assignment, accepted, review not open", review.REDACTED_TITLE)
def reviewer_assignment_waiting(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world, open_review=False)
    open_assignment(page, rows[0])
    expect(page.get_by_text("Scoring opens when program staff open review")).to_be_visible()


@scenario("reviewer assignment, accepted, in review", review.REDACTED_TITLE)
def reviewer_assignment_accepted(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world)
    open_assignment(page, rows[0])
    expect(page.get_by_role("link", name="Write your review")).to_be_visible()
    expect(page.get_by_role("heading", name="Hand back the assignment")).to_be_visible()


@scenario("reviewer assignment, others' reviews shown", review.REDACTED_TITLE, on_phone=True)
def reviewer_assignment_others(page):
    world = review_world(show_others=True)
    _nomination, rows = reviewer_nomination(world)
    for row, total in zip(rows, (4, 3.5, 2.5), strict=True):
        review.submit_review(row, total)
    open_assignment(page, rows[0])
    expect(page.get_by_role("heading", name="Reviewer 2")).to_be_visible()


@scenario("reviewer assignment, conflict refused", review.REDACTED_TITLE)
def reviewer_assignment_conflict_errors(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world)
    open_assignment(page, rows[0])
    page.get_by_role("button", name="Declare a conflict of interest").click()
    expect(error_summary(page)).to_contain_text("Say briefly what the conflict is")


REVIEW_FORM_HEADING = f"Your review: {review.REDACTED_TITLE}"


def open_review_form(page, row):
    sign_in(page, row.reviewer.email)
    page.goto(f"/review/assignments/{row.pk}/review/")


@scenario("reviewer review form, empty", REVIEW_FORM_HEADING, on_phone=True)
def reviewer_review_form(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world)
    open_review_form(page, rows[0])
    expect(page.get_by_role("button", name="Submit review")).to_be_visible()


@scenario("reviewer review form, submit refused", REVIEW_FORM_HEADING, on_phone=True)
def reviewer_review_form_errors(page):
    world = review_world()
    nomination, rows = reviewer_nomination(world)
    open_review_form(page, rows[0])
    _rubric, criteria = review_selectors.criteria_for(nomination)
    first = criteria[0]
    # One criterion scored and justified, the rest left empty: submitting is refused,
    # the answers are kept as a draft and every missing one is listed and marked.
    page.get_by_role("group", name=f"Score for {first.name}").get_by_role("radio").nth(3).check()
    field(page, f"Why this score for {first.name}").fill(review.JUSTIFICATION)
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your answers are saved as a draft.")).to_be_visible()
    expect(error_summary(page).get_by_role("link")).not_to_have_count(0)
    expect(page.locator("[aria-invalid=true]")).not_to_have_count(0)


@scenario("reviewer review form, submitted and open to revision", REVIEW_FORM_HEADING)
def reviewer_review_form_submitted(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world)
    review.submit_review(rows[0], 4)
    open_review_form(page, rows[0])
    expect(page.get_by_role("button", name="Update submitted review")).to_be_visible()


@scenario("reviewer review form, phase closed (read only)", REVIEW_FORM_HEADING)
def reviewer_review_form_closed(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world)
    review.submit_review(rows[0], 3.5)
    # Staff close the phase to reviews (in the admin).
    ReviewPhase.objects.filter(cycle=world.cycle).update(reviews_open=False)
    open_review_form(page, rows[0])
    expect(page.get_by_role("note")).to_contain_text("The review phase is closed")
    expect(page.get_by_role("heading", name="Your scores")).to_be_visible()


# Two-factor sign-in ----------------------------------------------------------------


def code_at(device, steps_ahead=0):
    """The code the person's authenticator app shows now (or that many steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device):
    """A well-formed code the device does not accept now (none of the steps it tolerates)."""
    accepted = {code_at(device, steps) for steps in (-1, 0, 1)}
    return next(c for c in ("123456", "654321", "111111", "222222") if c not in accepted)


def signed_in_reviewer(page):
    person = review.reviewer(email="dana.whitfield@example.org", full_name="Dana Whitfield")
    sign_in(page, person.email)
    return person


TWO_FACTOR_HEADING = "Two-factor sign-in"
CODE_HEADING = "Enter your sign-in code"


@scenario("two-factor set-up, off", TWO_FACTOR_HEADING)
def two_factor_off(page):
    signed_in_reviewer(page)
    page.goto("/accounts/two-factor/")
    expect(page.get_by_role("button", name="Set up two-factor sign-in")).to_be_visible()


def start_two_factor(page):
    person = signed_in_reviewer(page)
    page.goto("/accounts/two-factor/")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    return person


@scenario("two-factor set-up, QR code and code form", TWO_FACTOR_HEADING, on_phone=True)
def two_factor_setup(page):
    start_two_factor(page)
    expect(field(page, "6-digit code")).to_be_visible()


@scenario("two-factor set-up, wrong code", TWO_FACTOR_HEADING)
def two_factor_setup_wrong(page):
    person = start_two_factor(page)
    field(page, "6-digit code").fill(wrong_code(two_factor.unconfirmed_device(person)))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(error_summary(page)).to_contain_text("That code is not right.")


@scenario("two-factor set-up, on", TWO_FACTOR_HEADING)
def two_factor_on(page):
    person = start_two_factor(page)
    field(page, "6-digit code").fill(code_at(two_factor.unconfirmed_device(person)))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in is on. From now on")).to_be_visible()
    expect(page.get_by_role("button", name="Turn off two-factor sign-in")).to_be_visible()


def password_step(page):
    """A reviewer with two-factor sign-in on gets past the password, onto the code page."""
    person = review.reviewer(email="dana.whitfield@example.org")
    device = two_factor.two_factor_start(user=person)
    two_factor.two_factor_confirm(user=person, code=code_at(device))
    page.goto(LOGIN_PATH)
    field(page, "Email address").fill(person.email)
    field(page, "Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{LOGIN_CODE_PATH}")
    return device


@scenario("two-factor sign-in code", CODE_HEADING, on_phone=True)
def two_factor_login_code(page):
    password_step(page)
    expect(field(page, "6-digit code")).to_be_focused()


@scenario("two-factor sign-in code, wrong code", CODE_HEADING)
def two_factor_login_wrong(page):
    device = password_step(page)
    field(page, "6-digit code").fill(wrong_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(error_summary(page)).to_contain_text("4 tries left.")


# The public library ------------------------------------------------------------------

DIRECTORY_HEADING = "Model programs"
PROGRAM = "Peer Support Within a Day of Every Critical Incident"
PROOF_AGENCY = "Harbor City Police Department"


def topic(name):
    return TopicFactory(slug=name.lower().replace(" ", "-"), name=name)


def library():
    """Published profiles across states, years, awards, categories and topics; some with a
    photo (thumbnails in the directory), one draft and one retracted (never listed)."""
    peer, fitness = topic("Peer support"), topic("Physical fitness")
    lines = [
        (PROGRAM, "OH", 2031, "winner", "officer-wellness", "Officer Wellness", 180, [peer]),
        (
            "Peer Check-ins After Every Shooting",
            "OH",
            2030,
            "finalist",
            "officer-wellness",
            "Comprehensive Officer Wellness",
            35,
            [peer],
        ),
        (
            "Annual Fitness Coaching",
            "WY",
            2031,
            "winner",
            "officer-wellness",
            "Officer Wellness",
            12,
            [fitness],
        ),
        (
            "Tactical Medicine Kits in Every Patrol Car",
            "TX",
            2029,
            "finalist",
            "officer-safety",
            "Officer Safety",
            1400,
            [],
        ),
        (
            "Seat Belts, Every Time",
            "CA",
            2030,
            "winner",
            "traffic-safety",
            "Traffic Safety",
            650,
            [],
        ),
    ]
    profiles = {}
    for title, state, year, award, code, label, sworn, topics in lines:
        profiles[title] = ProfileFactory(
            title=title,
            state_code=state,
            year=year,
            award=award,
            category_code=code,
            category_label=label,
            sworn_officers=sworn,
            topics=topics,
        )
    ProfileImageFactory(profile=profiles[PROGRAM], alt_text="Peer team members outside the station")
    ProfileImageFactory(
        profile=profiles["Annual Fitness Coaching"], alt_text="An officer with a fitness coach"
    )
    ProfileFactory(state=ProfileState.DRAFT, title="A Draft Nobody Sees")
    ProfileFactory(state=ProfileState.RETRACTED, title="A Retracted Program")
    return profiles


@scenario("profiles directory", DIRECTORY_HEADING, on_phone=True)
def profiles_directory(page):
    library()
    page.goto("/programs/")
    expect(page.get_by_role("heading", name="5 programs", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Peer team members outside the station")).to_be_visible()


@scenario("profiles directory, keyword and filters", DIRECTORY_HEADING, on_phone=True)
def profiles_directory_filtered(page):
    library()
    page.goto("/programs/")
    field(page, "Keywords").fill("peer")
    field(page, "Award").select_option(label="Winner")
    field(page, "State").select_option(label="Ohio")
    field(page, "Agency size").select_option(label="100 to 499 sworn officers")
    field(page, "Topic").select_option(label="Peer support")
    page.get_by_role("button", name="Show programs").click()
    expect(page.get_by_role("heading", name="1 program matches")).to_be_visible()
    expect(page.get_by_role("link", name=PROGRAM)).to_be_visible()
    expect(page.get_by_role("link", name="Remove the filter State: Ohio")).to_be_visible()


@scenario("profiles directory, no results", DIRECTORY_HEADING)
def profiles_directory_empty(page):
    library()
    page.goto("/programs/")
    field(page, "Keywords").fill("helicopter")
    field(page, "Category").select_option(label="Traffic Safety")
    page.get_by_role("button", name="Show programs").click()
    expect(page.get_by_role("heading", name="No programs match")).to_be_visible()
    expect(page.get_by_role("link", name="see every program")).to_be_visible()


@scenario("profiles directory, nothing published yet", DIRECTORY_HEADING)
def profiles_directory_nothing(page):
    page.goto("/programs/")
    expect(page.get_by_text("No programs have been published yet.")).to_be_visible()


@scenario("profiles directory, several pages", DIRECTORY_HEADING)
def profiles_directory_paginated(page):
    ProfileFactory.create_batch(23)
    page.goto("/programs/?sort=agency")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()


def full_profile(**fields):
    """A published profile with everything its page can show, and a current PDF."""
    profile = ProfileFactory(
        **{
            "title": PROGRAM,
            "agency_name": PROOF_AGENCY,
            "city": "Harbor City",
            "state_code": "OH",
            "sworn_officers": 180,
            "results": "Resignations fell from **11 to 2**.\n\n- 92% met a peer\n- [The "
            "report](https://example.org/report)",
            "key_figures": [
                {"figure": "82%", "label": "fewer stress-related resignations"},
                {"figure": "24 h", "label": "to reach every officer after an incident"},
                {"figure": "14", "label": "trained peers"},
            ],
            "video_url": "https://video.example.org/peer-support",
            "topics": [topic("Peer support"), topic("Critical incidents")],
            **fields,
        }
    )
    ProfileImageFactory(profile=profile, alt_text="Fourteen peer support officers", position=0)
    ProfileImageFactory(profile=profile, alt_text="A peer check-in in a patrol car", position=1)
    ProfileImageFactory(
        profile=profile, alt_text="Training day in the briefing room", caption="", position=2
    )
    ProfileResourceFactory(profile=profile, title="Peer support general order")
    ProfileResourceFactory(
        profile=profile,
        title="The state's peer support toolkit",
        file="",
        extension="",
        size=None,
        url="https://example.org/toolkit",
    )
    if profile.state == ProfileState.PUBLISHED:
        ProfilePdfFactory(profile=profile)
    return profile


@scenario("profile page, images, figures, resources, video and topics", PROGRAM, on_phone=True)
def profile_page(page):
    profile = full_profile()
    page.goto(profile.get_absolute_url())
    expect(page.get_by_role("img", name="Fourteen peer support officers")).to_be_visible()
    expect(page.get_by_role("img", name="Training day in the briefing room")).to_be_visible()
    expect(page.get_by_role("link", name="PDF summary")).to_be_visible()
    expect(page.get_by_role("link", name="Peer support general order")).to_be_visible()
    expect(page.get_by_role("link", name="Watch the video about this program")).to_be_visible()
    expect(page.get_by_role("link", name="Critical incidents")).to_be_visible()
    expect(page.get_by_text("82%", exact=True)).to_be_visible()


@scenario("profile PDF summary, being prepared", "The PDF summary is being prepared", status=503)
def profile_pdf_pending(page):
    profile = ProfileFactory(title=PROGRAM)
    page.goto(f"{profile.get_absolute_url()}summary.pdf")


def proof_world():
    """A draft with photos and figures for the agency's member; the proof, once sent."""
    agency = factories.AgencyFactory(name=PROOF_AGENCY, city="Harbor City", state="OH")
    member = factories.OwnerFactory(agency=agency).user
    profile = full_profile(state=ProfileState.DRAFT, agency=agency)
    profile_services.profile_send_proof(actor=factories.StaffFactory(), profile=profile)
    return member, profile


def open_proof(page):
    member, profile = proof_world()
    sign_in(page, member.email)
    page.goto(f"/profiles/{profile.pk}/proof/")
    return profile


@scenario("profile proof, sent to the agency", PROGRAM, on_phone=True)
def profile_proof(page):
    open_proof(page)
    expect(page.get_by_text("Proof: this page is not public yet")).to_be_visible()
    expect(page.get_by_role("button", name="Approve this profile")).to_be_visible()
    expect(page.get_by_role("img", name="Fourteen peer support officers")).to_be_visible()


@scenario("profile proof, approved", PROGRAM)
def profile_proof_approved(page):
    open_proof(page)
    page.get_by_role("button", name="Approve this profile").click()
    expect(page.get_by_text("Approved — program staff will publish it.").first).to_be_visible()
    expect(page.get_by_role("button", name="Approve this profile")).to_have_count(0)


@scenario("profile proof, changes asked without a comment", PROGRAM, status=400)
def profile_proof_errors(page):
    open_proof(page)
    field(page, "What should change?").fill("   ")
    page.get_by_role("button", name="Ask for changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Your comments were not sent")


# Profile pages: program staff ------------------------------------------------------


def staff_profile(**fields):
    """A draft of an agency with a member, with figures and topics."""
    agency = factories.AgencyFactory(name=PROOF_AGENCY, city="Harbor City", state="OH")
    factories.OwnerFactory(agency=agency)
    return ProfileFactory(
        **{
            "state": ProfileState.DRAFT,
            "agency": agency,
            "title": PROGRAM,
            "agency_name": PROOF_AGENCY,
            "state_code": "OH",
            "video_url": "https://video.example.org/peer-support",
            "topics": [topic("Peer support")],
            **fields,
        }
    )


def editor_heading(title=PROGRAM):
    return f"Profile: {title}"


@scenario("staff profiles list", "Profiles")
def staff_profiles_list(page):
    cycle = open_cycle()
    factories.NominationFactory(
        cycle=cycle,
        category=cycle.categories.first(),
        complete=True,
        state="winner",
        submitted_at=timezone.now(),
    )
    for state in ProfileState.values:
        ProfileFactory(state=state, title=f"A profile in state {state}")
    ProfilePdfFactory(profile=ProfileFactory(title="A published profile with its PDF"))
    signed_in_staff(page)
    page.goto("/staff/profiles/")
    expect(
        page.get_by_role("button", name=re.compile("^Create profiles for this cycle's"))
    ).to_be_visible()
    expect(page.get_by_text("6 profiles.")).to_be_visible()


@scenario("staff profiles list, filtered, none", "Profiles")
def staff_profiles_list_empty(page):
    ProfileFactory(year=2030)
    signed_in_staff(page)
    page.goto("/staff/profiles/")
    field(page, "Status").select_option(label="Retracted")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No profile matches these filters.")).to_be_visible()


@scenario("staff profile editor, changes asked by the agency", editor_heading(), on_phone=True)
def staff_profile_editor(page):
    profile = staff_profile()
    member = profile.agency.memberships.get().user
    profile_services.profile_send_proof(actor=factories.StaffFactory(), profile=profile)
    profile_services.profile_request_changes(
        user=member, profile=profile, comment="Please name our peer team's coordinator."
    )
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/")
    expect(page.get_by_role("heading", name="The agency asked for changes")).to_be_visible()
    expect(page.get_by_role("button", name="Send the proof to the agency")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Peer support")).to_be_checked()


@scenario("staff profile editor, with errors", editor_heading(), on_phone=True)
def staff_profile_editor_errors(page):
    profile = staff_profile()
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/")
    field(page, "Figure 1").fill("82%")
    field(page, "What figure 1 measures").fill("")
    field(page, "Video link").fill("http://video.example.org/peer-support")
    page.get_by_role("button", name="Save the profile").click()
    expect(error_summary(page).first).to_contain_text("Say what this figure measures.")
    expect(page.locator("[aria-invalid=true]")).not_to_have_count(0)


@scenario("staff profile editor, publishing barred (two-person rule)", editor_heading())
def staff_profile_editor_barred(page):
    profile = staff_profile()
    member = profile.agency.memberships.get().user
    staff = factories.StaffFactory()
    profile_services.profile_send_proof(actor=staff, profile=profile)
    profile_services.profile_approve(user=member, profile=profile)
    sign_in(page, staff.email)
    page.goto(f"/staff/profiles/{profile.pk}/")
    expect(page.get_by_role("button", name="Publish")).to_be_disabled()
    expect(page.get_by_text("another staff member must publish it")).to_be_visible()


@scenario("staff profile editor, published", editor_heading())
def staff_profile_editor_published(page):
    profile = staff_profile(state=ProfileState.PUBLISHED)
    ProfilePdfFactory(profile=profile)
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/")
    expect(page.get_by_role("button", name="Retract the profile")).to_be_visible()
    expect(page.get_by_text("Current: shows version 1.")).to_be_visible()


def winner_with_files():
    """A winner's draft profile whose nomination was submitted with a photo and a PDF."""
    cycle = open_cycle()
    owner = factories.OwnerFactory(agency__name=PROOF_AGENCY).user
    nomination = factories.NominationFactory(
        agency=owner.memberships.get().agency,
        cycle=cycle,
        category=cycle.categories.get(label="Officer Wellness"),
        complete=True,
        title=PROGRAM,
    )
    nomination_services.evidence_add(
        user=owner,
        nomination=nomination,
        upload=png_upload("peer-team.png", size=(800, 600)),
        kind=EvidenceKind.IMAGE,
        alt_text="The peer team.",
    )
    nomination = submit(nomination)
    # Its review and decision, as their result.
    Nomination.objects.filter(pk=nomination.pk).update(state="winner")
    nomination.refresh_from_db()
    return profile_services.profile_create_for(
        actor=factories.StaffFactory(), nomination=nomination
    )


@scenario("staff profile media", "Images and resources")
def staff_profile_media(page):
    profile = winner_with_files()
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/media/")
    expect(page.get_by_role("group", name="peer-team.png")).to_be_visible()
    expect(page.get_by_role("group", name="general-order-3-14.pdf")).to_be_visible()


@scenario("staff profile media, image without alternative text", "Images and resources")
def staff_profile_media_errors(page):
    profile = winner_with_files()
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/media/")
    photo = page.get_by_role("group", name="peer-team.png")
    photo.get_by_label("Make public").check()
    field(photo, "Alternative text").fill("")
    page.get_by_role("button", name="Save the images").click()
    expect(page.get_by_role("alert")).to_contain_text("Write what this image shows")


@scenario("staff profile preview", PROGRAM)
def staff_profile_preview(page):
    profile = full_profile(state=ProfileState.DRAFT)
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/preview/")
    expect(page.get_by_text("Preview for staff")).to_be_visible()
    expect(page.get_by_role("img", name="Fourteen peer support officers")).to_be_visible()


@scenario("staff profile retract", "Retract this profile")
def staff_profile_retract(page):
    profile = staff_profile(state=ProfileState.PUBLISHED)
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/retract/")
    expect(field(page, "Why is this profile retracted?")).to_be_visible()


@scenario("staff profile retract, without a reason", "Retract this profile")
def staff_profile_retract_errors(page):
    profile = staff_profile(state=ProfileState.PUBLISHED)
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/retract/")
    page.get_by_role("button", name="Retract the profile").click()
    expect(error_summary(page).first).to_contain_text("Give the reason for retracting.")


def page_width(page):
    """How wide the page's content is, in CSS pixels (wider than the window: it scrolls)."""
    return page.evaluate("document.documentElement.scrollWidth")


CASES = [
    pytest.param(name, viewport, id=f"{name} [{viewport}]")
    for viewport in VIEWPORTS
    for name, case in SCENARIOS.items()
    if viewport == "desktop" or case.on_phone
]


@pytest.mark.parametrize(("name", "viewport"), CASES)
def test_page_has_no_axe_violations(open_page, browser_errors, name, viewport):
    """axe-core finds no WCAG 2.0, 2.1 or 2.2 A/AA violation on the page in this state."""
    case = SCENARIOS[name]
    page = open_page(viewport=VIEWPORTS[viewport])
    statuses = []

    def record_document_status(response):
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            statuses.append(response.status)

    page.on("response", record_document_status)

    case.visit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(case.heading)
    assert statuses[-1] == case.status
    if case.status != 200:
        browser_errors.allow_error_status(page.url, case.status)
    if case.request_status:
        browser_errors.allow_error_status(page.url, case.request_status)
    if viewport == "phone" and not case.wide_on_phone:
        assert page_width(page) <= VIEWPORTS["phone"]["width"], "The page scrolls sideways"
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
