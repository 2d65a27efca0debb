"""A nomination's life in a real browser: written over two sessions, submitted with files,
returned by staff, changed and resubmitted; and two tabs saving one draft at once.

The browser does what people do (type, leave a field, upload, click); the
database and the outbox are read only to confirm what the pages say.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from dz_awards.nominations.content import ATTESTATION_TEXT, TEXT_FIELDS
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import DraftConflict, Nomination
from tests import factories
from tests.e2e.conftest import field, sign_in
from tests.files import MINIMAL_PDF, image_bytes

S = NominationState
# What the autosave says once the server has the text (the page's first status adds more).
AUTOSAVED = re.compile(r"^Saved at \d{1,2}:\d{2} [AP]M\.$")
TITLE = "Peer Support and Early Warning Program"
FIRST_SUMMARY = "Trained peers reach officers after critical incidents within 24 hours."
SECOND_SUMMARY = "Trained peers reach every officer within 12 hours of a critical incident."
STAFF_REQUEST = "Please add the 2024 resignation figures to the summary."
PROBLEM = "Officers rarely asked for help."
ALT_TEXT = "Fourteen peer support officers in front of the station."


def heading(page):
    return page.get_by_role("heading", level=1)


def autosave_status(page):
    return page.locator("#autosave-status")


@pytest.fixture
def cycle(db):
    cycle = factories.CycleFactory(year=2031, name="2031 Destination Zero Awards")
    factories.CategoryFactory(cycle=cycle, label="Officer Wellness", position=1)
    factories.CategoryFactory(cycle=cycle, label="Officer Safety", position=2)
    return cycle


def fill_every_answer(page):
    """Type every answer the nomination needs, as the form's labels name them."""
    content = factories.complete_nomination_content(summary=FIRST_SUMMARY)
    field(page, "Award category").select_option(label="Officer Wellness")
    field(page, "Program start date").fill("2022-03-15")
    page.get_by_label("Voluntary", exact=True).check()
    for name, text_field in TEXT_FIELDS.items():
        field(page, text_field.label).fill(content[name])
    outcome = content["outcomes"][0]
    page.get_by_label("Outcome 1: Measure").fill(outcome["metric"])
    page.get_by_label("Outcome 1: Before").fill(outcome["before"])
    page.get_by_label("Outcome 1: After").fill(outcome["after"])
    page.get_by_label("Outcome 1: Period").fill(outcome["period"])
    page.get_by_label(ATTESTATION_TEXT).check()


def upload(page, tmp_path, *, name, content, kind, alt_text=""):
    """Upload one file through the Files page's form and wait for the list to show it."""
    path = tmp_path / name
    path.write_bytes(content)
    page.get_by_label(kind, exact=True).check()
    field(page, "File").set_input_files(path)
    if alt_text:
        field(page, "Alternative text (for images)").fill(alt_text)
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text(f"{name} is uploaded.")).to_be_visible()


def start_and_autosave(page, member, agency):
    """From the dashboard, start a draft, type two answers and leave the field; the draft."""
    sign_in(page, member.email)
    expect(heading(page)).to_have_text("My dashboard")
    page.get_by_role("link", name="Start a nomination for 2031").click()
    expect(heading(page)).to_have_text("Start a nomination")
    expect(field(page, "Nominating agency")).to_have_value(str(agency.pk))
    field(page, "Award category").select_option(label="Officer Wellness")
    field(page, "Program title").fill(TITLE)
    page.get_by_role("button", name="Start the nomination").click()

    expect(page.get_by_text("Your draft is started. It saves as you type.")).to_be_visible()
    nomination = Nomination.objects.get()
    expect(page).to_have_url(f"/nominations/{nomination.pk}/edit/")
    expect(heading(page)).to_contain_text(TITLE)
    field(page, "Short summary").fill(FIRST_SUMMARY)
    field(page, "The problem").fill(PROBLEM)
    field(page, "The problem").blur()
    expect(autosave_status(page)).to_have_text(AUTOSAVED)
    nomination.refresh_from_db()
    assert (nomination.summary, nomination.problem) == (FIRST_SUMMARY, PROBLEM)
    return nomination


def finish_answers(page, member):
    """In a new session, find the draft on the dashboard with its text, and answer the rest."""
    sign_in(page, member.email)
    card = page.get_by_role("region", name=re.compile("^Harbor City Police Department"))
    expect(card.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    card.get_by_role("link", name=f"Continue editing {TITLE}").click()
    expect(field(page, "Program title")).to_have_value(TITLE)
    expect(field(page, "Short summary")).to_have_value(FIRST_SUMMARY)
    expect(field(page, "The problem")).to_have_value(PROBLEM)

    fill_every_answer(page)
    # Straight from typing to the button: the save the field's exit starts must not
    # make the button's own save look like a stale copy.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile(r"^Draft saved at "))).to_be_visible()
    expect(page.locator("[data-progress]")).to_have_text(["Complete"] * 7)


def add_image_and_pdf(page, tmp_path, nomination):
    page.get_by_role("link", name="Add files and evidence").click()
    expect(heading(page)).to_have_text("Files and evidence")
    upload(
        page,
        tmp_path,
        name="peer-team.png",
        content=image_bytes("PNG", size=(120, 80)),
        kind=EvidenceKind.IMAGE.label,
        alt_text=ALT_TEXT,
    )
    upload(
        page,
        tmp_path,
        name="general-order-3-14.pdf",
        content=MINIMAL_PDF,
        kind=EvidenceKind.DOCUMENT.label,
    )
    files = page.get_by_role("table", name="Files of this nomination")
    expect(files.get_by_role("row")).to_have_count(3)  # the header and two files
    image_row = files.get_by_role("row", name=re.compile("peer-team.png"))
    expect(image_row).to_contain_text("Image (JPEG, PNG or WebP)")
    expect(image_row).to_contain_text(f"Alternative text: {ALT_TEXT}")
    expect(image_row.get_by_role("cell", name="Ready", exact=True)).to_be_visible()
    pdf_row = files.get_by_role("row", name=re.compile("general-order-3-14.pdf"))
    expect(pdf_row).to_contain_text("Document (PDF)")
    expect(pdf_row.get_by_role("cell", name="Ready", exact=True)).to_be_visible()
    expect(page.get_by_text("Used: 2 of 20 files")).to_be_visible()
    assert sorted(nomination.evidence.values_list("original_name", "status")) == [
        ("general-order-3-14.pdf", EvidenceStatus.READY),
        ("peer-team.png", EvidenceStatus.READY),
    ]


def check_and_submit(page, member):
    page.get_by_role("link", name="Back to the form").click()
    page.get_by_role("button", name="Save and check before submitting").click()
    expect(heading(page)).to_have_text("Check and submit")
    expect(page.get_by_role("heading", name="Every required answer is in")).to_be_visible()
    expect(page.get_by_text("You have 2 files attached.")).to_be_visible()
    page.get_by_role("button", name="Submit the nomination").click()

    expect(
        page.get_by_text(
            "Submitted: revision 1 is with program staff. "
            f"A receipt with a copy is on its way to {member.email}."
        )
    ).to_be_visible()
    expect(heading(page)).to_contain_text("Submitted")


def staff_return_for_changes(staff_page, staff):
    """Staff find the nomination through their list and return it with a message."""
    sign_in(staff_page, staff.email)
    main_navigation = staff_page.get_by_role("navigation", name="Main")
    main_navigation.get_by_role("link", name="Nominations").click()
    expect(heading(staff_page)).to_have_text("Nominations")
    staff_page.get_by_role("link", name=TITLE).click()
    expect(heading(staff_page)).to_contain_text(TITLE)
    expect(staff_page.get_by_text("Revision 1 submitted")).to_be_visible()
    staff_page.get_by_role("link", name="Return for changes").click()
    expect(heading(staff_page)).to_have_text("Return for changes")
    field(staff_page, "What should the agency change?").fill(STAFF_REQUEST)
    staff_page.get_by_role("button", name="Return for changes").click()
    expect(staff_page.get_by_text("Returned to the agency with your message.")).to_be_visible()
    expect(heading(staff_page)).to_contain_text("Returned for changes")


def change_compare_and_resubmit(page):
    """The agency reads staff's message, changes the summary, sees the change, resubmits."""
    page.reload()
    expect(heading(page)).to_contain_text("Returned for changes")
    staff_note = page.get_by_role("note", name="Program staff asked for changes")
    expect(staff_note).to_contain_text(STAFF_REQUEST)
    expect(page.get_by_role("region", name="Messages")).to_contain_text(STAFF_REQUEST)
    page.get_by_role("link", name="Edit the nomination").click()
    expect(page.get_by_role("note", name="Program staff asked for changes")).to_contain_text(
        STAFF_REQUEST
    )
    field(page, "Short summary").fill(SECOND_SUMMARY)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile(r"^Draft saved at "))).to_be_visible()

    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_role("link", name="What you have changed since revision 1").click()
    expect(heading(page)).to_have_text("What changed")
    expect(page.get_by_role("region")).to_have_count(1)
    changed = page.get_by_role("region", name="Short summary")
    expect(changed.locator("del")).to_have_text(["officers", "after", "incidents within 24 hours."])
    expect(changed.locator("ins")).to_have_text(
        ["every", "officer within 12 hours of a", "incident."]
    )

    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Check and resubmit").click()
    expect(heading(page)).to_have_text("Check and resubmit")
    page.get_by_role("button", name="Resubmit the nomination").click()
    expect(
        page.get_by_text(re.compile("^Resubmitted: revision 2 is with program staff."))
    ).to_be_visible()
    expect(heading(page)).to_contain_text("Submitted")


def test_member_writes_submits_and_resubmits_after_staff_return_changes(open_page, tmp_path, cycle):
    """Draft over two sessions, files, submit, returned by staff, edit, resubmit: revision 2."""
    membership = factories.OwnerFactory(agency__name="Harbor City Police Department")
    member, agency = membership.user, membership.agency
    staff = factories.StaffFactory(full_name="Alex Program")

    page = open_page()
    nomination = start_and_autosave(page, member, agency)
    page.context.close()

    # A new browser: the text comes back from the server, not from this browser's storage.
    page = open_page()
    finish_answers(page, member)
    add_image_and_pdf(page, tmp_path, nomination)
    check_and_submit(page, member)
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([member.email], f"Received: {TITLE} (revision 1)")
    ]
    assert FIRST_SUMMARY in mail.outbox[0].body

    staff_page = open_page()
    staff_return_for_changes(staff_page, staff)
    assert [(m.to, m.subject) for m in mail.outbox[1:]] == [
        ([member.email], f"Changes requested: {TITLE}")
    ]

    change_compare_and_resubmit(page)

    staff_page.reload()
    expect(heading(staff_page)).to_contain_text("Submitted")
    expect(staff_page.get_by_text("Revision 2 submitted")).to_be_visible()
    expect(staff_page.get_by_role("heading", name="As submitted in revision 2")).to_be_visible()
    expect(staff_page.get_by_text(SECOND_SUMMARY)).to_be_visible()
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED
    assert list(nomination.revisions.values_list("number", flat=True)) == [1, 2]
    assert nomination.revisions.get(number=2).content["summary"] == SECOND_SUMMARY
    assert [(m.to, m.subject) for m in mail.outbox[2:]] == [
        ([member.email], f"Received: {TITLE} (revision 2)")
    ]


def test_autosave_from_a_stale_tab_links_to_the_conflict_screen(
    open_page, browser_errors, live_server, cycle
):
    """Two tabs edit one draft: the second tab's autosave keeps its text and links to a choice."""
    membership = factories.OwnerFactory()
    member = membership.user
    colleague = factories.MembershipFactory(agency=membership.agency).user
    nomination = factories.NominationFactory(
        agency=membership.agency, cycle=cycle, category=cycle.categories.first(), title=TITLE
    )
    autosave_url = f"{live_server.url}/nominations/{nomination.pk}/autosave/"
    # The stale tab's save is answered 409 Conflict, which Chromium logs as an error.
    browser_errors.allow_error_status(autosave_url, 409)
    first, second = open_page(), open_page()
    sign_in(first, member.email)
    sign_in(second, colleague.email)
    for page in (first, second):
        page.goto(f"/nominations/{nomination.pk}/edit/")
        expect(field(page, "Short summary")).to_have_value("")

    field(first, "Short summary").fill(FIRST_SUMMARY)
    field(first, "Short summary").blur()
    expect(autosave_status(first)).to_have_text(AUTOSAVED)

    field(second, "Short summary").fill(SECOND_SUMMARY)
    field(second, "Short summary").blur()
    expect(autosave_status(second)).to_have_text(
        "Someone else saved this nomination. Your text is kept: compare the versions. "
        "Compare the versions"
    )
    nomination.refresh_from_db()
    assert nomination.summary == FIRST_SUMMARY
    assert DraftConflict.objects.get().content["summary"] == SECOND_SUMMARY

    autosave_status(second).get_by_role("link", name="Compare the versions").click()
    expect(heading(second)).to_have_text("Two versions of this nomination")
    choice = second.get_by_role("group", name="Short summary")
    expect(choice.locator("#saved-summary")).to_have_text(FIRST_SUMMARY)
    expect(choice.locator("#mine-summary")).to_have_text(SECOND_SUMMARY)
    choice.get_by_label("Use my version").check()
    second.get_by_role("button", name="Save my choices").click()

    expect(second.get_by_text("Your choices are saved.")).to_be_visible()
    expect(field(second, "Short summary")).to_have_value(SECOND_SUMMARY)
    nomination.refresh_from_db()
    assert nomination.summary == SECOND_SUMMARY
    assert DraftConflict.objects.get().resolved_at is not None
