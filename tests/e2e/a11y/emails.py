"""Accessibility scenarios: staff's email wording per cycle and messages to agencies."""

import uuid

from playwright.sync_api import expect

from dz_awards.mailings.services import bulk_message_send
from dz_awards.nominations.enums import NominationState
from tests import factories
from tests.e2e.a11y.common import error_summary, open_cycle, signed_in_staff
from tests.e2e.a11y.registry import scenario


def _nominating_agency(cycle):
    agency = factories.AgencyFactory(name="Riverton Police Department", state="OH")
    factories.OwnerFactory(agency=agency, user__full_name="Dana Cruz")
    factories.NominationFactory(
        agency=agency,
        cycle=cycle,
        category=cycle.categories.first(),
        title="Peer Support Program",
        state=NominationState.SUBMITTED,
    )
    return agency


@scenario("staff email wording list", "Emails to agencies")
def staff_email_list(page):
    cycle = open_cycle()
    signed_in_staff(page)
    page.goto(f"/staff/cycles/{cycle.pk}/emails/")
    expect(page.get_by_role("link", name="Returned for changes")).to_be_visible()


@scenario("staff email wording, refused", "Returned for changes", on_phone=True)
def staff_email_edit_refused(page):
    cycle = open_cycle()
    _nominating_agency(cycle)
    signed_in_staff(page)
    page.goto(f"/staff/cycles/{cycle.pk}/emails/returned/")
    expect(page.get_by_text("Peer Support Program").first).to_be_visible()
    page.locator("#id_body").fill("Dear {agency},\n\n{staff_message}")
    page.get_by_role("button", name="Save").click()
    expect(error_summary(page)).to_contain_text("Unknown placeholder {agency}.")


@scenario("staff message, confirm", "Send this message?", on_phone=True)
def staff_message_confirm(page):
    cycle = open_cycle()
    _nominating_agency(cycle)
    signed_in_staff(page)
    page.goto(f"/staff/cycles/{cycle.pk}/messages/new/")
    page.get_by_label("Agency state").select_option("OH")
    page.get_by_label("Subject").fill("Deadline for {agency_name}")
    page.locator("#id_body").fill("Hello {recipient_name}, the deadline is {deadline}.")
    page.get_by_role("button", name="Check who gets it").click()
    expect(page.get_by_text("It goes to 1 agency: 1 person, one email each.")).to_be_visible()


@scenario("staff message, sent", "Deadline for {agency_name}", on_phone=True)
def staff_message_sent(page):
    cycle = open_cycle()
    _nominating_agency(cycle)
    staff = signed_in_staff(page)
    message, _ = bulk_message_send(
        actor=staff,
        token=uuid.uuid4(),
        cycle=cycle,
        category=None,
        state="",
        subject="Deadline for {agency_name}",
        body="Hello {recipient_name}.",
    )
    page.goto(f"/staff/messages/{message.pk}/")
    expect(page.get_by_text("1 of 1 email delivered.")).to_be_visible()


@scenario("staff messages list", "Messages to agencies")
def staff_message_list(page):
    cycle = open_cycle()
    signed_in_staff(page)
    page.goto(f"/staff/cycles/{cycle.pk}/messages/")
    expect(page.get_by_text("No message has been sent")).to_be_visible()
