"""A nomination's review in a real browser, from staff's review copy to the agency's outcome.

Staff write the executive summary and the redacted copy (the identity check
first finds the agency's city, then nothing) and assign reviewers
automatically. Of the two reviewers assigned, one declares a conflict of
interest (the nomination leaves their list and a replacement is assigned at
once); the other and the replacement accept. Staff open review; both score
every criterion, save a draft, submit. Staff close review, read the ranking
and the charts, stage the nomination as the winner and release the decision;
the agency sees it won, and its email is in the outbox.

Set up directly in the database, because it is not part of this journey: the
cycle with its rubric and a blind review phase running now, the category and
its panel of three reviewers, the submitted nomination and its agency's
member, and a second nomination of the category already scored by two of the
reviewers (so that the ranking compares two nominations and each reviewer's
scores can be normalised). Every reviewer page is searched for both agencies'
name, city and ORI.
"""

import re

import pytest
from playwright.sync_api import expect

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import AssignmentState, DeclineReason, Outcome
from reviews.models import Conflict, Criterion, Decision, Review
from tests import factories
from tests.e2e.conftest import field, sign_in
from tests.reviews import helpers

S = NominationState
A = AssignmentState

CYCLE_NAME = "2031 Destination Zero Awards"
CATEGORY = "Officer Wellness"
# The program's own title names its city: reviewers must see the redacted one.
TITLE = "Harbor City Peer Support Program"
REDACTED_TITLE = "Peer support within a day of every critical incident"
EXECUTIVE_SUMMARY = (
    "A mid-sized municipal department trained fourteen peers who contact every officer "
    "within 24 hours of a critical incident. Stress-related resignations fell from 11 to 2."
)
LEAKY_TEXT = "Harbor City officers chose their peers by a vote of their colleagues."
REDACTED_TEXT = (
    "The department's officers chose their peers by a vote of their colleagues. A general "
    "order makes the peer contact automatic after every critical incident."
)
OTHER_REDACTED_TITLE = "Early warning for officers under strain"
CONFLICT_REASON = "I trained this department's peer team in 2023."


def heading(page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def world(transactional_db):
    """Everything the journey starts from; built through factories and the review services."""
    staff = factories.StaffFactory(full_name="Alex Program", email="alex.program@example.org")
    cycle = helpers.review_cycle(staff, year=2031, name=CYCLE_NAME, reviewers_per_nomination=2)
    category = factories.CategoryFactory(cycle=cycle, label=CATEGORY, winners=1)
    helpers.review_phase(cycle, blind=True)
    avery, blake, casey = (
        helpers.reviewer(
            category, full_name=f"{name} Reviewer", email=f"{name.lower()}@example.org"
        )
        for name in ("Avery", "Blake", "Casey")
    )
    agency = helpers.identified_agency(
        name="Harbor City Police Department", city="Harbor City", state="OH", ori="OH0770100"
    )
    member = factories.OwnerFactory(agency=agency, user__full_name="Sam Member").user
    nomination = factories.submitted_nomination(
        agency=agency, cycle=cycle, category=category, title=TITLE
    )
    # Another agency's nomination, already scored by Blake and Casey, and reviewed.
    other, (by_blake, by_casey) = helpers.in_review(
        staff, category, [blake, casey], redacted_title=OTHER_REDACTED_TITLE
    )
    helpers.submit_review(by_blake, 3)
    helpers.submit_review(by_casey, 2.5)
    services.nomination_close_review(actor=staff, nomination=other)
    return {
        "staff": staff,
        "cycle": cycle,
        "category": category,
        "reviewers": (avery, blake, casey),
        "agency": agency,
        "member": member,
        "nomination": nomination,
        "other": Nomination.objects.get(pk=other.pk),
    }


class Blind:
    """Fails if a reviewer's page shows any agency's name, city or ORI."""

    def __init__(self, *agencies):
        self.terms = [term for agency in agencies for term in helpers.identity_terms(agency)]

    def found_in(self, text):
        folded = text.casefold()
        return [term for term in self.terms if term.casefold() in folded]

    def check(self, page):
        """The whole document, its <title> and hidden text included."""
        found = self.found_in(page.content())
        assert not found, f"{page.url} shows {found}"

    def check_text(self, text):
        found = self.found_in(text)
        assert not found, f"{found} in {text!r}"


def reload_until(page, locator, tries=10):
    """Reload until `locator` shows (a background task's result), then expect it."""
    for _ in range(tries):
        if locator.is_visible():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(locator).to_be_visible()


def nomination_row(page, title):
    return page.get_by_role("row").filter(has_text=title)


def review_nav(page):
    return page.get_by_role("navigation", name=f"Review of {CYCLE_NAME}")


# Staff ----------------------------------------------------------------------------


def staff_prepare_review_copy(page, staff):
    """From the staff home to the review copy: a leak is found, fixed, then nothing is found."""
    sign_in(page, staff.email)
    page.goto("/staff/")
    page.get_by_role("link", name=f"Review of {CYCLE_NAME}").click()
    expect(heading(page)).to_have_text(f"Review of {CYCLE_NAME}")
    row = nomination_row(page, TITLE)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Missing")
    row.get_by_role("link", name=f"Review copy of {TITLE}").click()

    expect(heading(page)).to_have_text("Review copy")
    expect(page.get_by_text("Nothing is saved yet, so nothing has been checked.")).to_be_visible()
    field(page, "Executive summary").fill(EXECUTIVE_SUMMARY)
    field(page, "Title for reviewers").fill(REDACTED_TITLE)
    field(page, "Redacted copy").fill(LEAKY_TEXT)
    page.get_by_role("button", name="Save the review copy").click()
    expect(page.get_by_text(re.compile(r"^The review copy is saved\."))).to_be_visible()
    found = page.get_by_role("heading", name="The agency's identity was found in 1 place")
    reload_until(page, found)
    expect(page.get_by_text("Redacted copy: city")).to_be_visible()

    # What was saved comes back in the form; staff take the city out.
    expect(field(page, "Executive summary")).to_have_value(EXECUTIVE_SUMMARY)
    field(page, "Redacted copy").fill(REDACTED_TEXT)
    page.get_by_role("button", name="Save the review copy").click()
    reload_until(page, page.get_by_text(re.compile(r"^Nothing found\.")))
    expect(found).to_have_count(0)


def staff_assign_automatically(page):
    page.get_by_role("link", name=f"Review of {CYCLE_NAME}").first.click()
    expect(heading(page)).to_have_text(f"Review of {CYCLE_NAME}")
    row = nomination_row(page, TITLE)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Ready")
    expect(row).to_contain_text("Not ready: 0 of 2 reviewers accepted.")
    page.get_by_role("button", name="Assign reviewers automatically").click()

    expect(heading(page)).to_have_text("Automatic assignment")
    expect(
        page.get_by_text("2 assignments created; each reviewer gets an email.").first
    ).to_be_visible()
    created = page.get_by_role("table", name="Assignments created by this run")
    expect(created.get_by_role("row")).to_have_count(3)  # the header and two
    expect(
        page.get_by_text("None: every nomination with a written review copy has its reviewers.")
    ).to_be_visible()
    return created


def staff_open_review(page):
    page.get_by_role("link", name=f"Back to the review of {CYCLE_NAME}").click()
    row = nomination_row(page, TITLE)
    expect(row).to_contain_text("2 assigned, 2 accepted, 0 submitted")
    expect(row).not_to_contain_text("Not ready")
    row.get_by_role("button", name=f"Open review of {TITLE}").click()
    expect(
        page.get_by_text(f"Review of {TITLE} is open; its reviewers are told by email.")
    ).to_be_visible()
    expect(nomination_row(page, TITLE)).to_contain_text("In review")


def staff_close_review(page):
    page.reload()
    row = nomination_row(page, TITLE)
    expect(row).to_contain_text("2 assigned, 2 accepted, 2 submitted")
    row.get_by_role("link", name=f"Close review of {TITLE}").click()
    expect(heading(page)).to_have_text("Close review")
    expect(page.get_by_text("Every review needed is in.")).to_be_visible()
    page.get_by_role("button", name="Close review").click()
    expect(page.get_by_text(f"Review of {TITLE} is closed.")).to_be_visible()
    expect(nomination_row(page, TITLE)).to_contain_text("Reviewed")


def staff_read_scoreboard(page, other):
    review_nav(page).get_by_role("link", name="Scoreboard").click()
    expect(heading(page)).to_have_text("Scoreboard")
    ranking = page.get_by_role("table", name=f"Ranking in {CATEGORY}")
    rows = ranking.locator("tbody tr")
    expect(rows).to_have_count(2)
    # Rank, nomination, agency, reviews, mean, median, spread: ours first.
    first = rows.nth(0).get_by_role("cell")
    expect(first.nth(0)).to_have_text("1")
    expect(first.nth(1)).to_have_text(TITLE)
    expect(first.nth(2)).to_have_text("Harbor City Police Department")
    expect(first.nth(3)).to_have_text("2")
    expect(first.nth(4)).to_have_text("4.50")
    expect(first.nth(5)).to_have_text("4.50")
    expect(first.nth(6)).to_have_text("1.00")
    expect(first.nth(8)).to_have_text("No")
    second = rows.nth(1).get_by_role("cell")
    expect(second.nth(0)).to_have_text("2")
    expect(second.nth(1)).to_have_text(str(other))
    expect(second.nth(4)).to_have_text("2.75")
    expect(page.get_by_text("4 reviews counted.", exact=False)).to_be_visible()

    # Two server-drawn charts, each an image with a title (and a description) for its name.
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(2)
    expect(page.locator("svg[role=img] > title")).to_have_text(
        [
            f"Distribution of review totals in {CATEGORY}",
            "Reviewer leniency: each reviewer's mean review total against the centre",
        ]
    )
    expect(
        page.get_by_role("img", name=re.compile(rf"^Distribution of review totals in {CATEGORY}"))
    ).to_be_visible()
    leniency = page.get_by_role("img", name=re.compile("^Reviewer leniency"))
    expect(leniency).to_be_visible()
    expect(leniency).to_contain_text("Blake Reviewer")
    expect(leniency).to_contain_text("Casey Reviewer")


def staff_stage_and_release(page):
    review_nav(page).get_by_role("link", name="Decisions").click()
    expect(heading(page)).to_have_text("Decisions")
    expect(page.get_by_text("No decision is staged.")).to_be_visible()
    page.get_by_label(f"Decision for {TITLE}").select_option(label="Winner")
    page.get_by_role("button", name=f"Stage the decision for {TITLE}").click()
    expect(
        page.get_by_text(
            f"{TITLE} is staged as winner. Nothing changes for the agency until decisions "
            "are released."
        )
    ).to_be_visible()
    staged = page.get_by_role("region", name="Staged, not released (1)")
    expect(staged).to_contain_text(f"{TITLE} (Harbor City Police Department, {CATEGORY}): Winner")

    staged.get_by_role("link", name="Release decisions…").click()
    expect(heading(page)).to_have_text("Release decisions")
    to_release = page.get_by_role("table", name="Decisions to release").locator("tbody tr")
    expect(to_release).to_have_count(1)
    expect(to_release).to_contain_text(TITLE)
    expect(to_release).to_contain_text("Winner")
    page.get_by_role("button", name="Release 1 decision and email the agencies").click()
    expect(heading(page)).to_have_text("Decisions")
    expect(
        page.get_by_text("1 decision released. Each agency is emailed its outcome.")
    ).to_be_visible()
    expect(page.get_by_text("No decision is staged.")).to_be_visible()


# Reviewers ------------------------------------------------------------------------


def open_queue(page, blind):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My reviews").click()
    expect(heading(page)).to_have_text("My reviews")
    blind.check(page)


def reviewer_declares_conflict(page, person, blind, browser_errors, live_server):
    """The nomination is in the queue, blind; a declared conflict takes it away for good."""
    sign_in(page, person.email)
    open_queue(page, blind)
    row = nomination_row(page, REDACTED_TITLE)
    expect(row).to_contain_text("Invited")
    expect(row).to_contain_text("Accept or decline")
    row.get_by_role("link", name=REDACTED_TITLE).click()
    expect(heading(page)).to_have_text(REDACTED_TITLE)
    expect(page).to_have_title(re.compile(re.escape(REDACTED_TITLE)))
    expect(page.get_by_text(EXECUTIVE_SUMMARY)).to_be_visible()
    expect(page.get_by_text(REDACTED_TEXT)).to_be_visible()
    blind.check(page)
    assignment_path = page.url.removeprefix(live_server.url)

    field(page, "What is the conflict?").fill(CONFLICT_REASON)
    page.get_by_role("button", name="Declare a conflict of interest").click()
    expect(heading(page)).to_have_text("My reviews")
    expect(
        page.get_by_text(re.compile(r"^Your conflict of interest is recorded\."))
    ).to_be_visible()
    expect(page.get_by_text("No nominations are assigned to you at the moment.")).to_be_visible()
    blind.check(page)

    # Back at the old address, the nomination is not there any more: 404.
    browser_errors.allow_error_status(f"{live_server.url}{assignment_path}", 404)
    response = page.goto(assignment_path)
    assert response.status == 404
    blind.check(page)


def reviewer_accepts(page, person, blind):
    sign_in(page, person.email)
    open_queue(page, blind)
    row = nomination_row(page, REDACTED_TITLE)
    expect(row).to_contain_text("Invited")
    # The other nomination is done: reviewed, their review submitted.
    expect(nomination_row(page, OTHER_REDACTED_TITLE)).to_contain_text("Review submitted")
    row.get_by_role("link", name=REDACTED_TITLE).click()
    expect(heading(page)).to_have_text(REDACTED_TITLE)
    blind.check(page)
    page.get_by_role("button", name="Accept the assignment").click()
    expect(page.get_by_text("You accepted this assignment. Thank you.")).to_be_visible()
    expect(
        page.get_by_text("Scoring opens when program staff open review of this nomination.")
    ).to_be_visible()
    blind.check(page)


def fill_review(page, criteria, score, comment):
    for criterion in criteria:
        group = page.get_by_role("group", name=f"Score for {criterion.name}")
        group.get_by_label(re.compile(rf"^{score}: ")).check()
        field(page, f"Why this score for {criterion.name}").fill(
            f"{helpers.JUSTIFICATION} ({criterion.code})"
        )
    field(page, "Overall comment").fill(comment)
    page.get_by_role("group", name="How confident are you in this review?").get_by_label(
        re.compile("^High")
    ).check()


def reviewer_scores_and_submits(page, criteria, score, comment, blind):
    """Score every criterion, save a draft (it comes back from the server), then submit."""
    page.reload()
    expect(page.get_by_text("Review of this nomination has not opened yet")).to_have_count(0)
    page.get_by_role("link", name="Write your review").click()
    expect(heading(page)).to_have_text(f"Your review: {REDACTED_TITLE}")
    blind.check(page)
    fill_review(page, criteria, score, comment)
    page.get_by_role("button", name="Save draft").click()

    expect(
        page.get_by_text("Your draft is saved. Submit the review when it is complete.")
    ).to_be_visible()
    expect(heading(page)).to_have_text(f"Your review: {REDACTED_TITLE}")
    expect(page.get_by_text("Draft saved", exact=False).first).to_be_visible()
    for criterion in criteria:
        group = page.get_by_role("group", name=f"Score for {criterion.name}")
        expect(group.get_by_label(re.compile(rf"^{score}: "))).to_be_checked()
    expect(field(page, "Overall comment")).to_have_value(comment)

    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted. Thank you.")).to_be_visible()
    expect(heading(page)).to_have_text(REDACTED_TITLE)
    expect(page.get_by_text(f"Submitted: weighted total {score}.00")).to_be_visible()
    blind.check(page)


# The agency -----------------------------------------------------------------------


def agency_sees_outcome(page, member):
    sign_in(page, member.email)
    page.goto("/dashboard/")
    expect(heading(page)).to_have_text("My dashboard")
    card = page.get_by_role("region", name=re.compile("^Harbor City Police Department"))
    card.get_by_role("link", name=TITLE, exact=True).click()
    expect(heading(page)).to_contain_text(TITLE)
    expect(heading(page)).to_contain_text("Winner")
    expect(page.get_by_text("Your program won its category.")).to_be_visible()


# The journey ----------------------------------------------------------------------


def check_database(world):
    """What the pages said is what the database holds; every reviewer's email is blind."""
    staff, nomination, other = world["staff"], world["nomination"], world["other"]
    avery, blake, casey = world["reviewers"]
    blind = Blind(world["agency"], other.agency)
    nomination.refresh_from_db()
    assert nomination.state == S.WINNER
    rows = {row.reviewer: row for row in nomination.assignments.select_related("reviewer")}
    assert {person: row.state for person, row in rows.items()} == {
        avery: A.DECLINED,
        blake: A.SUBMITTED,
        casey: A.SUBMITTED,
    }
    assert rows[avery].decline_reason == DeclineReason.CONFLICT
    reviews = Review.objects.filter(assignment__nomination=nomination)
    assert sorted(
        (r.assignment.reviewer.email, float(r.total), r.confidence, r.scores.count())
        for r in reviews.select_related("assignment__reviewer")
    ) == [
        (blake.email, 5.0, "high", 6),
        (casey.email, 4.0, "high", 6),
    ]
    assert all(r.submitted_at for r in reviews)
    decision = Decision.objects.get(nomination=nomination)
    assert decision.outcome == Outcome.WINNER
    assert decision.released_at is not None
    assert decision.released_by == staff
    assert not Decision.objects.filter(nomination=other).exists()

    # The outcome email, queued for the agency's member and delivered.
    outcome = OutboxEmail.objects.get(key__startswith=f"nomination-outcome:{nomination.pk}:")
    assert outcome.to == world["member"].email
    assert outcome.subject == f"Decision on your nomination: {TITLE}"
    assert f"your program is a winner in {CATEGORY}" in outcome.body
    assert outcome.status == OutboxStatus.SENT
    # Every email to a reviewer is blind.
    emails = OutboxEmail.objects.filter(to__in=[p.email for p in (avery, blake, casey)])
    assert emails.count() >= 5
    for email in emails:
        blind.check_text(f"{email.subject}\n{email.body}")


def test_review_from_review_copy_to_the_agencys_outcome(
    open_page, browser_errors, live_server, world
):
    staff, nomination, other = world["staff"], world["nomination"], world["other"]
    avery, blake, casey = world["reviewers"]
    blind = Blind(world["agency"], other.agency)
    criteria = list(Criterion.objects.for_category(world["category"]))
    assert len(criteria) == 6

    staff_page = open_page()
    staff_prepare_review_copy(staff_page, staff)
    assert nomination.review_copy.is_checked
    assert nomination.review_copy.leaks == []

    created = staff_assign_automatically(staff_page)
    assigned = {row.reviewer for row in nomination.assignments.all()}
    # Blake and Casey already hold a review each: the balanced plan takes Avery first.
    assert avery in assigned
    (second,) = assigned - {avery}
    (replacement,) = {blake, casey} - {second}
    for person in (avery, second):
        expect(created).to_contain_text(person.full_name)
    expect(created).not_to_contain_text(replacement.full_name)

    # Avery declares a conflict; a replacement is assigned at once and emailed.
    reviewer_declares_conflict(open_page(), avery, blind, browser_errors, live_server)
    assert Conflict.objects.get(nomination=nomination).reviewer == avery
    replaced = nomination.assignments.get(reviewer=replacement)
    assert replaced.state == A.INVITED
    assert OutboxEmail.objects.filter(key=f"review-assigned:{replaced.pk}").exists()

    pages = {}
    for person in (second, replacement):
        pages[person] = open_page()
        reviewer_accepts(pages[person], person, blind)

    staff_open_review(staff_page)

    scores = {blake: 5, casey: 4}
    for person in (second, replacement):
        reviewer_scores_and_submits(
            pages[person], criteria, scores[person], f"Overall view of {person.full_name}.", blind
        )

    staff_close_review(staff_page)
    staff_read_scoreboard(staff_page, other)
    staff_stage_and_release(staff_page)

    agency_sees_outcome(open_page(), world["member"])
    check_database(world)
