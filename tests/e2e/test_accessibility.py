"""Every page, in every state a person meets it, passes axe-core at WCAG 2.2 AA.

Each scenario builds its data, brings the page into one state through the
browser (signing in, submitting forms as a person would), checks that the
intended state is on screen, and hands the page to axe. The main pages are
checked again at a phone's width, where the navigation collapses.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import server_error
from playwright.sync_api import expect

from dz_awards.accounts.services import set_password_url
from dz_awards.agencies import services as agency_services
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind
from tests import factories
from tests.e2e.conftest import field, sign_in
from tests.files import pdf_upload

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


SCENARIOS = {}


def scenario(name, heading, *, status=200, on_phone=False, request_status=None):
    def register(visit):
        assert name not in SCENARIOS, name
        SCENARIOS[name] = Scenario(visit, heading, status, on_phone, request_status)
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


@scenario("staff agency list", "Agencies", on_phone=True)
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


@scenario("nomination files, one file", "Files and evidence", on_phone=True)
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


@scenario("staff nominations, filtered", "Nominations", on_phone=True)
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
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
