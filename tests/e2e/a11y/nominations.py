"""Accessibility scenarios: a nomination's pages for its agency and for program staff."""

import re
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind
from tests import factories
from tests.e2e.a11y.common import error_summary, open_cycle, signed_in_staff
from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import field, sign_in_with_session
from tests.files import image_bytes, pdf_upload

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
    sign_in_with_session(page, owner)
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
    "nomination files, several refused (shown by the page's script)",
    "Files and evidence",
    on_phone=True,
    request_status=400,
)
def nomination_evidence_error(page):
    """Four files chosen at once: one stored, one refused by the server, two stopped in
    the browser (a wrong type, one too big); each with its line, the summary focused."""
    nomination = member_draft(page)
    with override_settings(EVIDENCE_MAX_IMAGE_BYTES=2_000):
        page.goto(f"/nominations/{nomination.pk}/evidence/")
        choose_a_web_page_as_image(page)
        field(page, "File").set_input_files(
            [
                {"name": "team.png", "mimeType": "image/png", "buffer": b"<html>a page</html>"},
                {"name": "crew.png", "mimeType": "image/png", "buffer": image_bytes("PNG")},
                {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"notes"},
                {"name": "big.png", "mimeType": "image/png", "buffer": b"\x89PNG" * 1_000},
            ]
        )
        page.get_by_role("button", name="Upload 2 files").click()
        expect(page.locator("#upload-errors")).to_be_focused()
    expect(page.locator("#upload-errors").get_by_role("link")).to_have_text(
        [
            (
                "team.png: File: This file is not a JPEG, PNG or WebP image. Save it as one of "
                "those and try again."
            ),
            "notes.txt: This file is not a JPEG, PNG or WebP image, judging by its name and type.",
            re.compile(r"^big\.png: This file is 3\.9\xa0KB; the most"),
        ]
    )
    expect(page.get_by_role("row", name=re.compile("crew.png"))).to_be_visible()


@scenario("nomination files, one of two refused (without script)", "Files and evidence", status=400)
def nomination_evidence_error_no_script(page):
    nomination = member_draft(page)
    page.goto(f"/nominations/{nomination.pk}/evidence/")
    choose_a_web_page_as_image(page)
    field(page, "File").set_input_files(
        [
            {"name": "team.png", "mimeType": "image/png", "buffer": b"<html>a page</html>"},
            {"name": "crew.png", "mimeType": "image/png", "buffer": image_bytes("PNG")},
        ]
    )
    # form.submit() skips the page's upload script: the post a browser without it sends.
    # (The form's button is named "submit", which hides the form's own method.)
    with page.expect_navigation():
        page.locator("#evidence-form").evaluate(
            "form => HTMLFormElement.prototype.submit.call(form)"
        )
    expect(error_summary(page)).to_contain_text(
        "File: team.png: This file is not a JPEG, PNG or WebP image."
    )
    # The other file of the same post is kept, and said so.
    expect(page.get_by_text("crew.png is uploaded.")).to_be_visible()


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
    page.goto("/dashboard/")
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
    field(page, "Workflow status").select_option(label="Returned for changes")
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


@scenario(
    "nomination detail, unread messages marked",
    badge_heading(NOMINATION_TITLE, "Returned for changes"),
    on_phone=True,
)
def nomination_detail_unread(page):
    nomination = return_with_thread(submit(member_draft(page, complete=True)))
    nomination_services.message_post(
        user=factories.StaffFactory(), nomination=nomination, body="Any news on the figures?"
    )
    page.goto(f"/nominations/{nomination.pk}/")
    # The return's message, the answer and this one: the agency's own question is not unread.
    expect(page.get_by_role("heading", name="Messages 3 unread")).to_be_visible()
    expect(page.get_by_text("Unread", exact=True)).to_have_count(3)
