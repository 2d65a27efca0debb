"""Accessibility scenarios: an agency's own pages and the staff's agency pages."""

from django.utils import timezone
from playwright.sync_api import expect

from dz_awards.agencies import services as agency_services
from dz_awards.agencies.enums import MembershipStatus
from tests import factories
from tests.e2e.a11y.common import error_summary, signed_in_owner, signed_in_staff
from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import field, sign_in_with_session


@scenario("agency create", "Create your agency")
def agency_create(page):
    sign_in_with_session(page, factories.UserFactory())
    page.goto("/agencies/new/")


@scenario("agency create, with errors", "Create your agency", on_phone=True)
def agency_create_errors(page):
    sign_in_with_session(page, factories.UserFactory())
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
    sign_in_with_session(page, membership.user)
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
    sign_in_with_session(page, owner)
    page.goto(f"/agencies/{agency.pk}/members/")
    expect(page.get_by_role("button", name="Approve Sam Okafor")).to_be_visible()
    expect(page.get_by_role("button", name="Decline Sam Okafor")).to_be_visible()


@scenario("join search", "Find your agency")
def join_search(page):
    sign_in_with_session(page, factories.UserFactory())
    page.goto("/agencies/join/")


@scenario("join search, with results", "Find your agency", on_phone=True)
def join_search_results(page):
    factories.AgencyFactory(name="Harbor City Police Department")
    factories.AgencyFactory(name="Harbor County Sheriff", verified_at=timezone.now())
    sign_in_with_session(page, factories.UserFactory())
    page.goto("/agencies/join/")
    field(page, "Agency name contains").fill("Harbor")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 agencies found")).to_be_visible()


@scenario("join search, no results", "Find your agency")
def join_search_no_results(page):
    factories.AgencyFactory(name="Harbor City Police Department")
    sign_in_with_session(page, factories.UserFactory())
    page.goto("/agencies/join/")
    field(page, "Agency name contains").fill("Nowhere")
    field(page, "State").select_option(label="Alaska")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No agencies found")).to_be_visible()


@scenario("join request form", "Ask to join Harbor City Police Department")
def join_request(page):
    agency = factories.AgencyFactory(name="Harbor City Police Department")
    sign_in_with_session(page, factories.UserFactory())
    page.goto(f"/agencies/{agency.pk}/join/")


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
    sign_in_with_session(page, staff)
    page.goto(f"/staff/agencies/{agency.pk}/")
    expect(page.get_by_text("Agency verified (unverified → verified)")).to_be_visible()
