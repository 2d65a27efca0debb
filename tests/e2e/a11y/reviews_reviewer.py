"""Accessibility scenarios: a reviewer's invitation, queue, assignment and review form."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from dz_awards.nominations.models import Nomination
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews.models import Assignment, ReviewerInvitation, ReviewPhase
from tests import factories
from tests.e2e.a11y.common import NEW_PASSWORD, error_summary
from tests.e2e.a11y.registry import scenario
from tests.e2e.a11y.review_worlds import review_world
from tests.e2e.conftest import field, sign_in_with_session
from tests.reviews import helpers as review

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


@scenario("reviewer invitation, opened without its link", INVITATION_HEADING, status=404)
def reviewer_invitation_without_link(page):
    """The token-free address in a browser that never opened the emailed link."""
    _path, invitation, _token = invitation_link()
    page.goto(f"/review/invitations/{invitation.pk}/accept/")
    expect(page.get_by_role("alert")).to_contain_text("Open the link in your invitation email")


@scenario("reviewer invitation, signed in as someone else", INVITATION_HEADING)
def reviewer_invitation_other(page):
    path, _invitation, _token = invitation_link()
    sign_in_with_session(page, factories.UserFactory())
    page.goto(path)
    expect(page.get_by_role("alert")).to_contain_text("different email address")


@scenario("reviewer invitation, signed in with the invited address", INVITATION_HEADING)
def reviewer_invitation_confirm(page):
    path, _invitation, _token = invitation_link()
    sign_in_with_session(page, factories.UserFactory(email=INVITED_EMAIL))
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
    sign_in_with_session(page, me)
    page.goto("/review/")
    expect(page.get_by_role("link", name="Accept or decline")).to_be_visible()
    expect(page.get_by_role("link", name="Write your review")).to_be_visible()
    expect(page.get_by_role("link", name="Finish and submit your review")).to_be_visible()
    expect(page.get_by_role("link", name="Revise")).to_be_visible()


@scenario("reviewer queue, empty", "My reviews")
def reviewer_queue_empty(page):
    world = review_world()
    sign_in_with_session(page, world.wellness_panel[0])
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
    sign_in_with_session(page, row.reviewer)
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
    sign_in_with_session(page, row.reviewer)
    page.goto(f"/review/assignments/{row.pk}/review/")


@scenario("reviewer review form, empty", REVIEW_FORM_HEADING, on_phone=True)
def reviewer_review_form(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world)
    open_review_form(page, rows[0])
    expect(page.get_by_role("button", name="Submit review")).to_be_visible()


@scenario("reviewer review form, draft, score sheet in view", REVIEW_FORM_HEADING, on_phone=True)
def reviewer_review_form_draft(page):
    """Two criteria scored and saved: the running total and the list of criteria say so.
    Opened at the sheet, which a phone then shows instead of the entry."""
    world = review_world()
    nomination, rows = reviewer_nomination(world)
    _rubric, criteria = review_selectors.criteria_for(nomination)
    review_services.review_save(
        user=rows[0].reviewer,
        assignment=rows[0],
        data=review.review_input(nomination, scores={criteria[0].pk: 4, criteria[1].pk: 3}),
        submit=False,
    )
    sign_in_with_session(page, rows[0].reviewer)
    page.goto(f"/review/assignments/{rows[0].pk}/review/#sheet-pane")
    expect(page.locator("#running-total")).to_have_text(
        "Weighted total so far: 3.50 on 1 to 5, 2 of 6 criteria scored."
    )
    expect(page.get_by_role("region", name="Score sheet")).to_be_visible()


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


@scenario(
    "reviewer review form, submitted and open to revision", REVIEW_FORM_HEADING, on_phone=True
)
def reviewer_review_form_submitted(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world)
    review.submit_review(rows[0], 4)
    open_review_form(page, rows[0])
    expect(page.get_by_role("button", name="Update submitted review")).to_be_visible()


@scenario("reviewer review form, phase closed (read only)", REVIEW_FORM_HEADING, on_phone=True)
def reviewer_review_form_closed(page):
    world = review_world()
    _nomination, rows = reviewer_nomination(world)
    review.submit_review(rows[0], 3.5)
    # Staff close the phase to reviews (in the admin).
    ReviewPhase.objects.filter(cycle=world.cycle).update(reviews_open=False)
    open_review_form(page, rows[0])
    expect(page.get_by_role("note")).to_contain_text("The review phase is closed")
    expect(page.get_by_role("heading", name="Your scores")).to_be_visible()
