"""The scripts shared by the forms, in a real browser.

A form marked `submit-once` (site.js) sends one request however often it is submitted
while the next page loads, keeps the pressed button's name and value, and is ready
again when the browser brings its page back. The nomination form and the review form
share their character counters and the question before leaving (forms.js).

A second press matters once the first request has left the browser: two presses in
the same instant are one navigation in Chromium already. So the server holds the first
submission (`held_posts`) until the test has pressed again, as a slow server would,
and counts the submissions that reached it. Playwright's own actions and reads wait for
a navigation under way, so during the hold the test presses with the mouse only.
"""

import re
import threading
from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.signals import request_started
from playwright.sync_api import expect

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import DraftConflict, Nomination, NominationRevision
from reviews import selectors as review_selectors
from reviews.models import Review
from tests import factories
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DATABASE_LOCK,
    TIMEOUT_MS,
    field,
    sign_in,
)
from tests.reviews import helpers as review_helpers

SUBMITTED = "Submitted: revision 1 is with program staff."
SENDING = "Sending… please wait for the next page."
# How long the server holds a submission at most, should a test fail before releasing it.
HOLD_LIMIT_S = 10


def heading(page):
    return page.get_by_role("heading", level=1)


class HeldPosts:
    """Counts the POSTs to `path` that reach Django, and holds the first until released.

    It runs in the live server's thread, where `request_started` is sent: the
    browser has sent the request and waits for the answer. The server answers one
    request at a time (see conftest), so a second POST waits behind the held one
    and is counted once it gets its turn.
    """

    def __init__(self, path):
        self.path = path
        self.count = 0
        self.arrived = threading.Event()
        self._release = threading.Event()

    def __call__(self, sender, environ, **kwargs):
        if environ["REQUEST_METHOD"] != "POST" or environ["PATH_INFO"] != self.path:
            return
        self.count += 1
        if self.count == 1:
            self.arrived.set()
            self._release.wait(HOLD_LIMIT_S)

    def wait_until_arrived(self):
        assert self.arrived.wait(HOLD_LIMIT_S), f"no POST to {self.path} reached the server"

    def release(self):
        self._release.set()


@pytest.fixture
def held_posts():
    """`held_posts(path)`: a `HeldPosts` listening until the end of the test."""
    held = []

    def hold(path):
        posts = HeldPosts(path)
        request_started.connect(posts, weak=False)
        held.append(posts)
        return posts

    yield hold
    for posts in held:
        posts.release()
        request_started.disconnect(posts)
    # A test that failed while holding: let the held request finish before the database
    # is emptied for the next test (it holds the lock until its answer is written).
    with DATABASE_LOCK:
        pass


def count_browser_posts(page, path):
    """The POSTs to `path` the page sends, as a list that fills while the test runs."""
    sent = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.url)
            if request.method == "POST" and request.url.endswith(path)
            else None
        ),
    )
    return sent


class Presser:
    """Presses a button where it is on screen, with the mouse: Playwright's own click would
    wait for the next page, and a second click would wait for the button to be enabled."""

    def __init__(self, page, button):
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        self.page = page
        self.x, self.y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def press(self):
        self.page.mouse.click(self.x, self.y)


@pytest.fixture
def draft(db):
    """A complete draft of an open cycle, ready to submit, and its agency's owner."""
    cycle = factories.CycleFactory()
    category = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    membership = factories.OwnerFactory()
    nomination = factories.NominationFactory(
        agency=membership.agency, cycle=cycle, category=category, complete=True
    )
    return membership.user, nomination


# Submit once ----------------------------------------------------------------------


def test_submit_pressed_again_while_the_first_is_on_its_way_sends_one_submission(
    page, draft, held_posts
):
    """The second press sends nothing: one POST, one revision, one receipt, no "already"."""
    member, nomination = draft
    path = f"/nominations/{nomination.pk}/submit/"
    sign_in(page, member.email)
    page.goto(path)
    server_posts = held_posts(path)
    browser_posts = count_browser_posts(page, path)
    button = Presser(page, page.get_by_role("button", name="Submit the nomination"))

    button.press()
    server_posts.wait_until_arrived()
    button.press()
    button.press()
    server_posts.release()

    page.wait_for_url(f"**{nomination.get_absolute_url()}")
    assert (len(browser_posts), server_posts.count) == (1, 1)
    expect(page.get_by_text(SUBMITTED)).to_be_visible()
    expect(heading(page)).to_contain_text("Submitted")
    with DATABASE_LOCK:
        assert Nomination.objects.get(pk=nomination.pk).state == NominationState.SUBMITTED
        assert list(
            NominationRevision.objects.filter(nomination=nomination).values_list(
                "number", flat=True
            )
        ) == [1]
        assert list(OutboxEmail.objects.values_list("to", "subject")) == [
            (member.email, f"Received: {nomination.title} (revision 1)")
        ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([member.email], f"Received: {nomination.title} (revision 1)")
    ]


def test_save_and_check_pressed_twice_posts_once_with_the_pressed_buttons_choice(
    page, draft, held_posts
):
    """Straight from typing to "Save and check" twice: one POST saying `next=review`.

    Leaving the field starts an autosave, and the form waits for it before posting
    (a post beside it would look stale); the second press then sends nothing,
    which would otherwise post the version the first one replaced and land on the
    conflict screen.
    """
    member, nomination = draft
    edit_path = f"/nominations/{nomination.pk}/edit/"
    sign_in(page, member.email)
    page.goto(edit_path)
    server_posts = held_posts(edit_path)
    browser_posts = count_browser_posts(page, edit_path)
    field(page, "Short summary").fill("Peers reach every officer within 12 hours.")
    save_and_check = Presser(
        page, page.get_by_role("button", name="Save and check before submitting")
    )
    save_and_check.press()
    server_posts.wait_until_arrived()
    save_and_check.press()
    server_posts.release()

    expect(heading(page)).to_have_text("Check and submit")
    assert (len(browser_posts), server_posts.count) == (1, 1)
    with DATABASE_LOCK:
        nomination.refresh_from_db()
        assert nomination.summary == "Peers reach every officer within 12 hours."
        assert not DraftConflict.objects.exists()


def keep_on_page_after_submitting(page):
    """Let every script of the page see a submission, then stop it before it leaves.

    The window hears the submit event last, after the page's own listeners: the page
    shows what it shows while its request is on the way, and Playwright can read it.
    """
    page.evaluate("window.addEventListener('submit', (event) => event.preventDefault())")


def test_submit_button_says_the_submission_is_on_its_way(page, draft):
    """Marked disabled for assistive technology, a spinner, and a status line saying why;
    the button keeps its name and the focus."""
    member, nomination = draft
    sign_in(page, member.email)
    page.goto(f"/nominations/{nomination.pk}/submit/")
    button = page.get_by_role("button", name="Submit the nomination")
    status = page.locator("form.submit-once").get_by_role("status")
    expect(button).to_be_enabled()
    expect(status).to_have_text("")
    keep_on_page_after_submitting(page)

    button.focus()
    page.keyboard.press("Enter")

    expect(button).to_be_disabled()
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button.locator(".spinner-border[aria-hidden=true]")).to_have_count(1)
    expect(status).to_have_text(SENDING)
    expect(button).to_be_focused()


@pytest.fixture(scope="module")
def browser_with_back_forward_cache(browser):
    """Chromium as people use it: Playwright turns the back/forward cache off by default."""
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield chromium
    chromium.close()


@pytest.fixture
def cached_page(browser_with_back_forward_cache, live_server, browser_errors):
    """A page of that browser; its console errors fail the test, as `open_page`'s do."""
    context = browser_with_back_forward_cache.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", browser_errors.on_console)
    page.on("pageerror", browser_errors.on_page_error)
    yield page
    context.close()
    if unexpected := browser_errors.unexpected():
        pytest.fail("The browser logged errors:\n" + "\n".join(unexpected), pytrace=False)


def test_submit_page_brought_back_after_an_error_page_can_submit_again(
    cached_page, draft, live_server, browser_errors
):
    """The server answers the submission with an error page; Back shows the submit page
    ready: the next press submits.

    Signed-in pages are sent `Cache-Control: no-store`, so Chromium fetches the page
    again rather than restoring it from its back/forward cache; a browser that does
    restore it gets the page as it was left, which `site.js` makes ready on `pageshow`.
    """
    page = cached_page
    member, nomination = draft
    path = f"/nominations/{nomination.pk}/submit/"
    browser_errors.allow_error_status(f"{live_server.url}{path}", 503)
    sign_in(page, member.email)
    page.goto(path)

    def unavailable(route):
        if route.request.method != "POST":
            route.continue_()
            return
        route.fulfill(
            status=503,
            content_type="text/html",
            body="<!doctype html><title>Unavailable</title><h1>Service unavailable</h1>",
        )

    page.route(f"**{path}", unavailable)
    page.get_by_role("button", name="Submit the nomination").click()
    expect(heading(page)).to_have_text("Service unavailable")
    page.unroute(f"**{path}")

    # A page from a cache fires no load event, which `go_back` waits for by default.
    page.go_back(wait_until="commit")
    expect(heading(page)).to_have_text("Check and submit")
    button = page.get_by_role("button", name="Submit the nomination")
    expect(button).to_be_enabled()
    expect(page.get_by_text(SENDING)).to_have_count(0)
    button.click()

    expect(page.get_by_text(SUBMITTED)).to_be_visible()
    with DATABASE_LOCK:
        assert NominationRevision.objects.filter(nomination=nomination).count() == 1


# The shared form behaviour ------------------------------------------------------------


def main_link(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


@contextmanager
def dialogs_answered(page, *, leave):
    """Answers each dialog opened in the block (leave the page, or stay); their types."""
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        if leave:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    try:
        yield dialogs
    finally:
        page.remove_listener("dialog", answer)


def expect_leaving_asks(page, link_name):
    """Following the main navigation's link asks before leaving; staying keeps the page."""
    url = page.url
    with dialogs_answered(page, leave=False) as dialogs:
        main_link(page, link_name).click()
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(url)


def test_nomination_form_counts_characters_and_asks_before_leaving_unsaved_text(page, draft):
    """The counter follows the typing, over the limit too; leaving asks until autosaved."""
    member, nomination = draft
    sign_in(page, member.email)
    page.goto(f"/nominations/{nomination.pk}/edit/")
    title = field(page, "Program title")
    counter = page.locator(f"#{title.get_attribute('id')}_count")
    expect(counter).to_have_text(f"{len(nomination.title)} of 200 characters")

    title.click()
    title.fill("Peer support")
    expect(counter).to_have_text("12 of 200 characters")
    title.fill("x" * 1234)
    expect(counter).to_have_text("1,234 of 200 characters: 1,034 over the limit")
    expect(counter).to_have_class(re.compile(r"\bover-limit\b"))
    title.fill("Peer Support Program")
    expect(counter).to_have_text("20 of 200 characters")
    expect(counter).not_to_have_class(re.compile(r"\bover-limit\b"))

    expect_leaving_asks(page, "My dashboard")
    title.blur()
    expect(page.locator("#autosave-status")).to_have_text(
        re.compile(r"^Saved at \d{1,2}:\d{2} [AP]M\.$")
    )
    with dialogs_answered(page, leave=True) as dialogs:
        main_link(page, "My dashboard").click()
        expect(heading(page)).to_have_text("My dashboard")
    assert dialogs == []


@pytest.fixture
def review_assignment(db):
    """An accepted assignment of a nomination in review, the review not started."""
    staff = factories.StaffFactory()
    cycle = review_helpers.review_cycle(staff, reviewers_per_nomination=1)
    category = factories.CategoryFactory(cycle=cycle)
    review_helpers.review_phase(cycle)
    reviewer = review_helpers.reviewer(category)
    _nomination, (assignment,) = review_helpers.in_review(staff, category, [reviewer])
    return assignment


def test_review_form_counts_asks_before_leaving_and_submits_once(
    page, review_assignment, held_posts
):
    """Counters and the question before leaving come from the shared script; "Submit
    review" pressed twice posts once with `action=submit`, and submitting does not ask."""
    assignment = review_assignment
    _rubric, criteria = review_selectors.criteria_for(assignment.nomination)
    path = f"/review/assignments/{assignment.pk}/review/"
    sign_in(page, assignment.reviewer.email)
    page.goto(path)
    comment = field(page, "Overall comment")
    counter = page.locator(f"#{comment.get_attribute('id')}_count")
    expect(counter).to_have_text("0 of 5,000 characters")
    comment.click()
    comment.fill("y" * 1500)
    expect(counter).to_have_text("1,500 of 5,000 characters")
    comment.fill(review_helpers.COMMENT)
    expect(counter).to_have_text(f"{len(review_helpers.COMMENT)} of 5,000 characters")
    expect_leaving_asks(page, "My reviews")

    for criterion in criteria:
        group = page.get_by_role("group", name=f"Score for {criterion.name}")
        group.get_by_label(re.compile(r"^4: ")).check()
        field(page, f"Why this score for {criterion.name}").fill(review_helpers.JUSTIFICATION)
    page.get_by_role("group", name="How confident are you in this review?").get_by_label(
        re.compile("^High")
    ).check()
    server_posts = held_posts(path)
    browser_posts = count_browser_posts(page, path)
    submit = Presser(page, page.get_by_role("button", name="Submit review"))
    with dialogs_answered(page, leave=True) as dialogs:
        submit.press()
        server_posts.wait_until_arrived()
        submit.press()
        server_posts.release()
        expect(page.get_by_text("Your review is submitted. Thank you.")).to_be_visible()
    assert (len(browser_posts), server_posts.count, dialogs) == (1, 1, [])
    with DATABASE_LOCK:
        review = Review.objects.get(assignment=assignment)
        assert review.submitted_at is not None
        assert review.overall_comment == review_helpers.COMMENT
