"""Journeys through the site in a real browser, as the people who use it take them.

Each test clicks and types only what a person would, reads the emails they
would get from Django's outbox, and checks what they see; the database is read
only to confirm what the pages claim.
"""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from dz_awards.agencies.enums import AgencyType, MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from tests import factories
from tests.e2e.conftest import field, link_path, sign_in

User = get_user_model()
NEW_PASSWORD = "a-long-and-memorable-phrase-2031"


def heading(page):
    """The page's one top-level heading."""
    return page.get_by_role("heading", level=1)


def register_and_set_password(page, mailoutbox):
    """Register as Pat Lee, follow the emailed link and choose a password; returns the user."""
    page.goto("/")
    page.get_by_role("link", name="Create account").click()
    expect(heading(page)).to_have_text("Create an account")
    field(page, "Full name").fill("Pat Lee")
    field(page, "Job title").fill("Training Sergeant")
    field(page, "Work email address").fill("Pat.Lee@Example.org")
    page.get_by_role("button", name="Create account").click()

    expect(heading(page)).to_have_text("Check your email")
    assert [m.to for m in mailoutbox] == [["pat.lee@example.org"]]
    assert mailoutbox[0].subject == "Confirm your email for Destination Zero Awards"
    person = User.objects.get(email="pat.lee@example.org")
    assert person.email_verified_at is None
    assert not person.has_usable_password()

    page.goto(link_path(mailoutbox[0], "/accounts/set-password/"))
    expect(heading(page)).to_have_text("Choose your password")
    field(page, "New password").fill(NEW_PASSWORD)
    field(page, "New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    return person


def create_agency(page):
    """From the dashboard, create Riverside County Sheriff's Office through the form."""
    page.get_by_role("link", name="Create my agency").click()
    expect(heading(page)).to_have_text("Create your agency")
    field(page, "Name").fill("Riverside County Sheriff's Office")
    field(page, "Type of agency").select_option(label="Sheriff's office")
    field(page, "State").select_option(label="Virginia")
    field(page, "City").fill("Riverside")
    field(page, "Sworn officers").fill("112")
    field(page, "Main contact name").fill("Sheriff Dana Ortiz")
    field(page, "Main contact email").fill("dana.ortiz@riverside.example.org")
    page.get_by_role("button", name="Create agency").click()


def test_new_person_registers_confirms_email_creates_agency_and_sees_it_unverified(
    page, mailoutbox
):
    """Register, follow the emailed link, create an agency, find it on the dashboard."""
    person = register_and_set_password(page, mailoutbox)

    expect(page).to_have_url("/dashboard/")
    expect(heading(page)).to_have_text("My dashboard")
    expect(
        page.get_by_text("Your password is set and your email address confirmed.")
    ).to_be_visible()
    expect(page.get_by_text("Signed in as Pat Lee")).to_be_visible()
    person.refresh_from_db()
    assert person.email_verified_at is not None
    assert person.check_password(NEW_PASSWORD)

    create_agency(page)

    expect(heading(page)).to_have_text("Riverside County Sheriff's Office")
    agency = Agency.objects.get()
    expect(page).to_have_url(f"/agencies/{agency.pk}/")
    expect(page.get_by_text("is created and you are its owner")).to_be_visible()
    expect(page.get_by_text("Not yet verified")).to_be_visible()
    expect(page.get_by_text("Riverside, Virginia")).to_be_visible()

    page.get_by_role("link", name="My dashboard").click()
    expect(heading(page)).to_have_text("My dashboard")
    card = page.get_by_role("region", name=re.compile(r"^Riverside County Sheriff's Office"))
    expect(card.get_by_text("Not yet verified")).to_be_visible()
    expect(card).to_contain_text("Riverside, Virginia · Sheriff's office · You are owner")
    expect(page.get_by_role("heading", name="Get started: your agency")).to_have_count(0)

    assert (agency.agency_type, agency.state, agency.sworn_officers) == (
        AgencyType.SHERIFF,
        "VA",
        112,
    )
    assert agency.verified_at is None
    assert list(Membership.objects.values_list("user", "agency", "role", "status")) == [
        (person.pk, agency.pk, MembershipRole.OWNER, MembershipStatus.APPROVED)
    ]


def test_person_asks_to_join_agency_and_owner_approves_on_members_page(open_page, mailoutbox):
    """A colleague finds the agency, asks to join; its owner approves; the agency is theirs too."""
    agency = factories.AgencyFactory(name="Harbor City Police Department", city="Harbor City")
    owner = factories.OwnerFactory(agency=agency, user__full_name="Chief Morgan Reyes").user
    factories.AgencyFactory(name="Hillside Police Department")
    requester = factories.UserFactory(full_name="Sam Okafor")
    requester_page = open_page()
    owner_page = open_page()

    sign_in(requester_page, requester.email)
    expect(heading(requester_page)).to_have_text("My dashboard")
    requester_page.get_by_role("link", name="Find and join my agency").click()
    expect(heading(requester_page)).to_have_text("Find your agency")
    field(requester_page, "Agency name contains").fill("harbor")
    requester_page.get_by_role("button", name="Search").click()
    expect(requester_page.get_by_role("heading", level=2)).to_have_text("1 agency found")
    expect(requester_page.get_by_text("Hillside Police Department")).to_have_count(0)
    requester_page.get_by_role("link", name="Ask to join Harbor City Police Department").click()
    expect(heading(requester_page)).to_have_text("Ask to join Harbor City Police Department")
    field(requester_page, "Note to the agency").fill("I run our peer support team.")
    requester_page.get_by_role("button", name="Send request").click()

    expect(heading(requester_page)).to_have_text("My dashboard")
    expect(requester_page.get_by_text("Your request to join Harbor City")).to_be_visible()
    waiting = requester_page.get_by_role("region", name="Waiting for approval")
    expect(waiting).to_contain_text("You asked to join Harbor City Police Department")
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([owner.email], "Sam Okafor asks to join Harbor City Police Department")
    ]

    sign_in(owner_page, owner.email)
    owner_page.goto(link_path(mailoutbox[0], f"/agencies/{agency.pk}/members/"))
    expect(heading(owner_page)).to_have_text("Members of Harbor City Police Department")
    row = owner_page.get_by_role("row", name=re.compile("Sam Okafor"))
    expect(row).to_contain_text("Waiting for approval")
    expect(row).to_contain_text("I run our peer support team.")
    row.get_by_role("button", name="Approve Sam Okafor").click()

    expect(
        owner_page.get_by_text("Sam Okafor is now a member of Harbor City Police Department.")
    ).to_be_visible()
    expect(row).to_contain_text("Approved")
    expect(row.get_by_role("button")).to_have_count(0)
    assert mailoutbox[-1].to == [requester.email]
    assert "was approved" in mailoutbox[-1].body

    requester_page.reload()
    expect(heading(requester_page)).to_have_text("My dashboard")
    card = requester_page.get_by_role("region", name=re.compile("^Harbor City Police Department"))
    expect(card).to_contain_text("You are member")
    expect(requester_page.get_by_role("region", name="Waiting for approval")).to_have_count(0)
    membership = Membership.objects.get(user=requester)
    assert (membership.status, membership.role, membership.decided_by) == (
        MembershipStatus.APPROVED,
        MembershipRole.MEMBER,
        owner,
    )


def test_staff_verifies_agency_from_unverified_list_and_owner_sees_it_verified(
    open_page, mailoutbox
):
    """Staff filter their list to unverified agencies and verify one; its owner then sees it."""
    agency = factories.AgencyFactory(name="Lakeside Police Department")
    owner = factories.OwnerFactory(agency=agency).user
    factories.AgencyFactory(name="Already Verified Police Department", verified_at=timezone.now())
    staff = factories.StaffFactory(full_name="Alex Program")
    staff_page = open_page()

    sign_in(staff_page, staff.email)
    expect(staff_page).to_have_url("/staff/")
    expect(heading(staff_page)).to_have_text("Staff overview")
    to_verify = staff_page.get_by_role("region", name="Agencies to verify")
    expect(to_verify.get_by_text("1", exact=True)).to_be_visible()
    staff_page.get_by_role("link", name="Review unverified agencies").click()

    expect(staff_page).to_have_url("/staff/agencies/?verified=no")
    expect(heading(staff_page)).to_have_text("Agencies")
    expect(field(staff_page, "Verification")).to_have_value("no")
    rows = staff_page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)  # the header and one agency
    expect(rows.nth(1)).to_contain_text("Lakeside Police Department")
    staff_page.get_by_role("link", name="Lakeside Police Department").click()

    expect(heading(staff_page)).to_have_text("Lakeside Police Department")
    expect(staff_page.get_by_text("Not yet verified")).to_be_visible()
    staff_page.get_by_role("button", name="Verify this agency").click()

    expect(staff_page.get_by_text("Lakeside Police Department is verified.")).to_be_visible()
    expect(staff_page.get_by_text("Verified agency")).to_be_visible()
    expect(staff_page.get_by_role("button", name="Verify this agency")).to_have_count(0)
    agency.refresh_from_db()
    assert agency.verified_by == staff
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([owner.email], "Lakeside Police Department is verified")
    ]

    owner_page = open_page()
    sign_in(owner_page, owner.email)
    expect(heading(owner_page)).to_have_text("My dashboard")
    card = owner_page.get_by_role("region", name=re.compile("^Lakeside Police Department"))
    expect(card.get_by_text("Verified agency")).to_be_visible()
    expect(card.get_by_text("Not yet verified")).to_have_count(0)


def test_first_tab_focuses_skip_link_which_moves_focus_to_main(page):
    """Keyboard users can jump past the navigation on their first key press."""
    page.goto("/")
    skip_link = page.get_by_role("link", name="Skip to main content")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    # Visually hidden (a 1-pixel box) until focused; focused, it shows as a real link.
    assert skip_link.bounding_box()["width"] > 50

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    expect(page).to_have_url("/#main")


def test_phone_width_navigation_opens_from_its_toggle_button(open_page):
    """On a phone the navigation is folded away; its button opens it and the links work."""
    page = open_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    sign_in_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    toggle = page.get_by_role("button", name="Show or hide navigation")
    expect(sign_in_link).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()

    expect(toggle).to_have_attribute("aria-expanded", "true")
    sign_in_link.click()
    expect(heading(page)).to_have_text("Sign in")


def _cycle_closing_in_3_days_5_hours_30_minutes():
    # Half an hour from any rounding boundary: the test cannot be slow enough to cross one.
    return factories.CycleFactory(
        name="2031 Destination Zero Awards",
        closes_at=timezone.now() + timedelta(days=3, hours=5, minutes=30),
    )


def test_home_countdown_is_rendered_by_server_without_javascript(open_page):
    """With JavaScript off, the time left is already in the page (days and hours)."""
    _cycle_closing_in_3_days_5_hours_30_minutes()
    page = open_page(java_script_enabled=False)

    page.goto("/")

    expect(page.get_by_role("heading", name="2031 Destination Zero Awards")).to_be_visible()
    expect(page.locator(".countdown")).to_have_text("3 days, 5 hours left")


def test_home_countdown_is_kept_current_by_javascript(page):
    """With JavaScript on, the script takes over the same text and adds the minutes."""
    _cycle_closing_in_3_days_5_hours_30_minutes()

    page.goto("/")

    expect(page.locator(".countdown")).to_have_text(
        re.compile(r"^3 days, 5 hours, (29|30) minutes left$")
    )
