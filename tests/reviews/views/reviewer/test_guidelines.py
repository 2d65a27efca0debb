"""The reviewer's side of the guidelines (`views.reviewer.guidelines`, the guidelines link,
the accept form) and of their progress on the queue (`views.reviewer.queue`)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews import selectors, services
from reviews.enums import AssignmentState
from reviews.models import Assignment
from tests import factories
from tests.reviews import helpers
from tests.reviews.views.reviewer.helpers import message_texts, signed_in

A = AssignmentState
EASTERN = ZoneInfo("America/New_York")
GUIDELINES = (
    "## Reading the copy\n\nScore what the copy **shows**, not what it promises.\n\n"
    '<script>alert("x")</script> [a trap](javascript:alert(1)) [the rubric](https://example.org/r)'
)
EXAMPLE = "A peer program with 11 → 2 resignations earns a *4* on results."


def write(staff, cycle, guidelines=GUIDELINES, example=EXAMPLE):
    return services.policy_update(
        actor=staff,
        cycle=cycle,
        guidelines=guidelines,
        calibration_example=example,
        preferences_due_at=None,
        share_feedback=False,
        feedback_position="band",
    )


def url(cycle):
    return reverse("reviews:guidelines", kwargs={"cycle": cycle.pk})


def text(response):
    return response.content.decode()


# The guidelines page ----------------------------------------------------------------


def test_guidelines_page_only_for_the_cycles_reviewers_and_staff(
    client, staff, cycle, category, reviewing
):
    write(staff, cycle)
    on_panel_only = helpers.reviewer(category)
    elsewhere = helpers.reviewer(factories.CategoryFactory())
    member = factories.MembershipFactory(agency=reviewing[0].nomination.agency).user

    for person in (reviewing[0].reviewer, on_panel_only, staff):
        assert signed_in(person).get(url(cycle)).status_code == 200, person
    for person in (elsewhere, member):
        assert signed_in(person).get(url(cycle)).status_code == 404, person
    missing = reverse("reviews:guidelines", kwargs={"cycle": 999999})
    assert signed_in(staff).get(missing).status_code == 404
    response = client.get(url(cycle))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_guidelines_page_shows_sanitised_guidelines_example_version_and_date(
    staff, cycle, category
):
    policy = write(staff, cycle)
    stamp = datetime(2031, 1, 17, 3, 30, tzinfo=EASTERN)
    type(policy).objects.filter(pk=policy.pk).update(guidelines_updated_at=stamp)

    html = text(signed_in(helpers.reviewer(category)).get(url(cycle)))

    assert "<h1>Reviewer guidelines</h1>" in html
    assert f"{cycle.name} · Version 1, updated" in html
    assert '<time datetime="2031-01-17T03:30:00-05:00">Friday, January 17, 2031</time>' in html
    assert "<h3>Reading the copy</h3>" in html
    assert "<strong>shows</strong>" in html
    assert "<em>4</em>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html  # shown as text, never run
    assert 'href="javascript:' not in html
    assert '<a href="https://example.org/r" rel="nofollow noopener noreferrer">' in html
    assert "Confirm you read" not in html  # nothing accepted: nothing to confirm


def test_guidelines_page_without_guidelines_says_so(staff, cycle, category):
    html = text(signed_in(staff).get(url(cycle)))
    assert "have not written reviewer guidelines for this cycle yet" in html
    assert reverse("staff:review-policy", kwargs={"cycle": cycle.pk}) in html


def test_guidelines_confirm_records_the_version_on_accepted_assignments(staff, cycle, reviewing):
    write(staff, cycle)  # after everyone accepted
    person = reviewing[0].reviewer
    client = signed_in(person)
    html = text(client.get(url(cycle)))
    assert "You accepted your assignments before these guidelines were written." in html

    stale = client.post(url(cycle), {"guidelines_version": "9"}, follow=True)
    assert message_texts(stale) == [
        (
            "The guidelines changed while you were reading: version 1 is current now. Read it, "
            "then confirm again."
        )
    ]
    broken = client.post(url(cycle), {"guidelines_version": "x"}, follow=True)
    assert message_texts(broken) == ["Nothing was recorded: reload the page and confirm again."]
    assert Assignment.objects.get(pk=reviewing[0].pk).guidelines_version is None

    done = client.post(url(cycle), {"guidelines_version": "1"}, follow=True)
    assert message_texts(done) == [
        "Thank you: your reading of version 1 of the guidelines is recorded."
    ]
    assert "You confirmed reading this version." in text(done)
    assert "I have read version 1" not in text(done)
    assert Assignment.objects.get(pk=reviewing[0].pk).guidelines_version == 1
    assert Assignment.objects.get(pk=reviewing[1].pk).guidelines_version is None


# The link on review pages -----------------------------------------------------------


def test_guidelines_link_on_review_pages_tells_what_the_reviewer_has_read(staff, cycle, reviewing):
    row = reviewing[0]
    client = signed_in(row.reviewer)
    pages = [
        reverse("reviews:assignment", kwargs={"pk": row.pk}),
        reverse("reviews:review", kwargs={"pk": row.pk}),
    ]
    link = f'<a href="{url(cycle)}">Reviewer guidelines (version'
    for page in pages:
        assert link not in text(client.get(page))  # no guidelines: no link

    write(staff, cycle)
    for page in pages:
        html = text(client.get(page))
        assert f"{link} 1, updated" in html
        assert "You have not read the guidelines yet." in html

    services.guidelines_mark_read(user=row.reviewer, cycle=cycle, guidelines_version=1)
    for page in pages:
        html = text(client.get(page))
        assert f"{link} 1, updated" in html
        assert "You have not read" not in html
        assert "changed since" not in html

    write(staff, cycle, example="A new example.")
    for page in pages:
        html = text(client.get(page))
        assert f"{link} 2, updated" in html
        assert "The guidelines changed since you read them." in html
        assert "You confirmed version 1; read version 2 before you score." in html


# Accepting with the guidelines read -------------------------------------------------


@pytest.fixture
def invited(staff, nomination, reviewers):
    (row,) = helpers.assign(staff, nomination, reviewers[:1], accept=False)
    return row


def accept_url(row):
    return reverse("reviews:accept", kwargs={"pk": row.pk})


def test_accept_form_without_guidelines_has_no_box(invited):
    client = signed_in(invited.reviewer)
    html = text(client.get(reverse("reviews:assignment", kwargs={"pk": invited.pk})))
    assert "I have read the reviewer guidelines" not in html
    client.post(accept_url(invited))
    assert helpers.assignment_state(invited) == A.ACCEPTED
    assert Assignment.objects.get(pk=invited.pk).guidelines_version is None


def test_accept_needs_the_box_ticked_for_the_version_shown(staff, cycle, invited):
    write(staff, cycle)
    client = signed_in(invited.reviewer)
    html = text(client.get(reverse("reviews:assignment", kwargs={"pk": invited.pk})))
    assert '<input type="hidden" name="accept-guidelines_version" value="1"' in html
    assert f'read the <a href="{url(cycle)}">reviewer guidelines (version 1)</a>' in html
    assert 'for="id_accept-read_guidelines">I have read the reviewer guidelines (version 1)' in html

    unticked = client.post(accept_url(invited), {"accept-guidelines_version": "1"})
    assert unticked.status_code == 200
    html = text(unticked)
    assert "Please correct this problem" in html
    assert (
        '<div id="id_accept-read_guidelines_error" class="invalid-feedback d-block">Tick the '
        "box to say you have read the reviewer guidelines before accepting.</div>"
    ) in html
    assert 'aria-describedby="id_accept-read_guidelines_error"' in html
    assert helpers.assignment_state(invited) == A.INVITED
    garbled = client.post(
        accept_url(invited), {"accept-guidelines_version": "v1", "accept-read_guidelines": "on"}
    )
    assert "<li>Enter a whole number.</li>" in text(garbled)
    assert helpers.assignment_state(invited) == A.INVITED

    ticked = client.post(
        accept_url(invited),
        {"accept-guidelines_version": "1", "accept-read_guidelines": "on"},
        follow=True,
    )
    assert message_texts(ticked) == ["You accepted this assignment. Thank you."]
    assert Assignment.objects.values_list("state", "guidelines_version").get(pk=invited.pk) == (
        A.ACCEPTED,
        1,
    )


def test_accept_after_the_guidelines_changed_shows_the_new_version(staff, cycle, invited):
    write(staff, cycle)
    client = signed_in(invited.reviewer)
    write(staff, cycle, guidelines="Changed while the page was open.")

    response = client.post(
        accept_url(invited),
        {"accept-guidelines_version": "1", "accept-read_guidelines": "on"},
        follow=True,
    )

    assert message_texts(response) == [
        (
            "The reviewer guidelines changed since this page was opened: version 2 is current "
            "now. Read it, then tick the box again to accept."
        )
    ]
    assert helpers.assignment_state(invited) == A.INVITED
    html = text(response)
    assert '<input type="hidden" name="accept-guidelines_version" value="2"' in html
    assert "I have read the reviewer guidelines (version 2)" in html


def test_accept_without_a_version_when_guidelines_appeared_is_refused(staff, cycle, invited):
    client = signed_in(invited.reviewer)
    write(staff, cycle)  # after the page was shown without them
    response = client.post(accept_url(invited), follow=True)
    assert message_texts(response) == [
        "Read the reviewer guidelines (version 1) and tick the box to say so before accepting."
    ]
    assert helpers.assignment_state(invited) == A.INVITED


# Progress on the queue --------------------------------------------------------------


def test_queue_shows_progress_per_cycle_with_eastern_due_dates(staff, cycle, category, phase):
    """To accept, accepted, drafts and submitted; the next due dates, an overdue one said
    in words; the guidelines link of the cycle."""
    person = helpers.reviewer(category)
    others = helpers.panel(category, 2)
    _in_review, (submitted, draft, *_rest) = helpers.in_review(staff, category, [person, *others])
    helpers.submit_review(submitted, 4)
    second, rows = helpers.in_review(staff, category, [others[0], person, others[1]])
    draft = rows[1]
    services.review_save(
        user=person, assignment=draft, data=helpers.review_input(second, total=3), submit=False
    )
    waiting = helpers.ready_nomination(staff, category=category)
    (invited,) = helpers.assign(staff, waiting, [person], accept=False)
    Assignment.objects.filter(pk=draft.pk).update(
        due_at=datetime(2025, 1, 17, 23, 59, tzinfo=EASTERN)
    )
    Assignment.objects.filter(pk=invited.pk).update(
        due_at=datetime(2031, 1, 17, 23, 59, tzinfo=EASTERN)
    )
    write(staff, cycle)

    response = signed_in(person).get(reverse("reviews:queue"))

    (line,) = response.context["progress"]
    assert (line.to_accept, line.accepted, line.drafts, line.submitted) == (1, 2, 1, 1)
    assert [(d.count, d.overdue) for d in line.due] == [(1, True), (1, False)]
    html = " ".join(text(response).split())
    assert '<dt class="col-8">Still to accept</dt><dd class="col-4 mb-1">1</dd>' in html
    assert '<dt class="col-8">Submitted</dt><dd class="col-4 mb-1">1 of 2</dd>' in html
    assert (
        '<li><strong>Overdue:</strong> 1 assignment due <time datetime="2025-01-17T23:59:00-05:00">'
        "Fri 17 Jan, 11:59 p.m. ET</time></li>"
    ) in html
    assert (
        '<li>1 assignment due <time datetime="2031-01-17T23:59:00-05:00">'
        "Fri 17 Jan, 11:59 p.m. ET</time></li>"
    ) in html
    assert f'<a href="{url(cycle)}">Reviewer guidelines (version 1' in html


def test_queue_progress_costs_the_same_queries_for_one_and_many_assignments(
    staff, cycle, category, phase
):
    person = helpers.reviewer(category)
    write(staff, cycle)
    version = selectors.review_policy(cycle).guidelines_version
    first = helpers.ready_nomination(staff, category=category)
    services.assignment_accept(
        user=person,
        assignment=services.assignment_add(actor=staff, nomination=first, reviewer=person),
        guidelines_version=version,
    )
    client = signed_in(person)
    url_ = reverse("reviews:queue")
    client.get(url_)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url_)
    assert len(response.context["rows"]) == 1
    for number in range(4):
        nomination = helpers.ready_nomination(staff, category=category)
        row = services.assignment_add(actor=staff, nomination=nomination, reviewer=person)
        Assignment.objects.filter(pk=row.pk).update(due_at=timezone.now() + timedelta(days=number))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url_)
    (line,) = response.context["progress"]
    assert (line.to_accept, line.accepted) == (4, 1)
    assert len(line.due) == 3
    assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)


def test_queue_shows_each_cycles_guidelines_read_in_one_lookup(staff, cycle, category, phase):
    """Two cycles with guidelines: the reviewer read this one's (accepting), not the other's;
    what they read is looked up once for the page, not once per cycle."""
    person = helpers.reviewer(category)
    write(staff, cycle)
    nomination = helpers.ready_nomination(staff, category=category)
    row = services.assignment_add(actor=staff, nomination=nomination, reviewer=person)
    services.assignment_accept(user=person, assignment=row, guidelines_version=1)
    other_cycle = helpers.review_cycle(staff, reviewers_per_nomination=1)
    other_category = factories.CategoryFactory(cycle=other_cycle)
    helpers.review_phase(other_cycle)
    write(staff, other_cycle)
    other = helpers.ready_nomination(staff, category=other_category)
    helpers.assign(staff, other, [person], accept=False)

    with CaptureQueriesContext(connection) as queries:
        response = signed_in(person).get(reverse("reviews:queue"))

    html = text(response)
    assert f'<a href="{url(cycle)}">Reviewer guidelines (version 1' in html
    assert f'<a href="{url(other_cycle)}">Reviewer guidelines (version 1' in html
    assert html.count("You have not read the guidelines yet.") == 1
    lookups = [
        q for q in queries.captured_queries if '"guidelines_version" IS NOT NULL' in q["sql"]
    ]
    assert len(lookups) == 1
