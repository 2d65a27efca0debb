"""Accessibility scenarios: the review pages of program staff."""

import re
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from dz_awards.nominations.enums import EvidenceKind
from dz_awards.nominations.models import Nomination
from reviews import services as review_services
from reviews.models import Assignment, Panel, ReviewCopy, ReviewerInvitation, ReviewerProfile
from tests import factories, hostile_pdfs
from tests.e2e.a11y.common import NEW_PASSWORD, error_summary
from tests.e2e.a11y.registry import scenario
from tests.e2e.a11y.review_worlds import (
    FITNESS,
    PEER_SUPPORT,
    REVIEW_OVERVIEW_HEADING,
    ready,
    review_world,
    reviewed,
    scored_world,
    signed_in_review_staff,
)
from tests.e2e.conftest import field
from tests.files import upload as upload_of
from tests.reviews import helpers as review


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


def file_page_world():
    """A review copy whose one file, a PDF, names the agency on its page: held back."""
    world = review_world()
    agency = review.identified_agency(name="Riverton Police Department", city="Lakemont")
    upload = review.pdf_file(
        "annual-report.pdf", review.pdf_with_text("Riverton Police Department annual report")
    )
    nomination = review.ready_nomination(
        world.staff, category=world.wellness, agency=agency, uploads=[(upload, "The report.")]
    )
    return world, nomination, review.copy_of(nomination).files.get()


def file_page(page, world, nomination, evidence):
    signed_in_review_staff(page, world)
    page.goto(f"/staff/nominations/{nomination.pk}/review-copy/files/{evidence.pk}/")


FILE_HEADING = "File 1: annual-report.pdf"
OVERRIDE_REASON = "Why is this not the agency's identity?"


@scenario("staff review copy file, identity found", FILE_HEADING, on_phone=True)
def staff_review_copy_file(page):
    world, nomination, evidence = file_page_world()
    file_page(page, world, nomination, evidence)
    expect(page.get_by_text("file 1 (annual-report.pdf): page 1: agency name")).to_be_visible()
    expect(page.get_by_role("heading", name="Set the findings aside")).to_be_visible()
    expect(page.get_by_role("heading", name="Replace the clean copy")).to_be_visible()
    expect(field(page, "Corrected PDF")).to_be_visible()


@scenario("staff review copy file, override without a reason", FILE_HEADING)
def staff_review_copy_file_refused(page):
    world, nomination, evidence = file_page_world()
    file_page(page, world, nomination, evidence)
    page.get_by_role("button", name="Set the findings aside").click()
    expect(error_summary(page)).to_contain_text(f"{OVERRIDE_REASON}: This field is required.")
    expect(field(page, OVERRIDE_REASON)).to_have_attribute("aria-invalid", "true")


@scenario("staff review copy file, findings set aside", FILE_HEADING)
def staff_review_copy_file_overridden(page):
    world, nomination, evidence = file_page_world()
    file_page(page, world, nomination, evidence)
    field(page, OVERRIDE_REASON).fill("Riverton is the river the report is about.")
    page.get_by_role("button", name="Set the findings aside").click()
    expect(page.get_by_text("Findings set aside")).to_be_visible()
    page.goto(f"/staff/nominations/{nomination.pk}/review-copy/files/{evidence.pk}/")
    expect(page.get_by_role("heading", name="Set aside as false positives")).to_be_visible()
    expect(
        page.get_by_text("Riverton is the river the report is about. (Morgan Ellis,")
    ).to_be_visible()


@scenario("staff review copy, a picture held back by OCR", "Review copy", on_phone=True)
def staff_review_copy_picture_held(page):
    world = review_world()
    agency = review.identified_agency(name="Riverton Police Department", city="Lakemont")
    letterhead = upload_of("letterhead.png", hostile_pdfs.letterhead_png(hostile_pdfs.AGENCY_WORDS))
    # OCR of one picture, one page: the budget line says what it read.
    with override_settings(OCR_MAX_PAGES=1):
        nomination = review.ready_nomination(
            world.staff,
            category=world.wellness,
            agency=agency,
            uploads=[(letterhead, "The department's letterhead.", EvidenceKind.IMAGE)],
        )
    copy_page(page, world, nomination)
    files = page.get_by_role("table", name=re.compile("^Files chosen for reviewers"))
    expect(files.get_by_text("Held back: 1 finding")).to_be_visible()
    expect(files.get_by_text(re.compile(r"^OCR read 1 of 1 page in \d+ s\.$"))).to_be_visible()
    expect(page.get_by_text("file 1 (letterhead.png): image (OCR): agency name")).to_be_visible()


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
    # A panel reviewer from the nominating agency is not offered; the page says why.
    review.reviewer(world.wellness, full_name="Hal Whitaker", home_agency=nomination.agency)
    signed_in_review_staff(page, world)
    page.goto(f"/staff/nominations/{nomination.pk}/assignments/")
    expect(page.get_by_role("heading", name="Open review")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Hal Whitaker \(.*\): they belong to"))).to_be_visible()
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
    expect(error_summary(page)).to_contain_text("Reviewer: Choose a reviewer.")


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
    for summary in page.get_by_role("main").locator("summary").all():
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
    # The staged winner fills the category's one seat: no other line offers a winner.
    expect(page.get_by_text(re.compile(r"^Winner is not offered: ")).first).to_be_visible()


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
