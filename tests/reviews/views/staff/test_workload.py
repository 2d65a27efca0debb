"""The reviewers' workload page (`views.staff.workload`): its numbers on a world whose
answers are known, its order in the URL, the reminders sent from it, the old progress
address, and its cost in queries."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.core.models import OutboxEmail
from reviews import selectors, services
from reviews.enums import DeclineReason
from reviews.models import Assignment
from tests import factories
from tests.reviews import helpers as review_helpers
from tests.reviews.views.staff.helpers import (
    assign,
    in_review,
    make_reviewer,
    nominated,
    prepare,
    submit_review,
)
from tests.reviews.views.staff.helpers import message_texts as _messages
from tests.reviews.views.staff.helpers import page_text as _text


@dataclass
class World:
    cycle: object
    avery: object
    blake: object
    casey: object


@pytest.fixture
def world(staff, cycle, category, rubric, phase, reviewers):  # noqa: PLR0917 fixtures
    """Avery, Blake and Casey reviewed the first nomination (4, 2 and 5), then Casey joined
    its agency: her review counts nowhere. Of the second, Avery has a draft, two days
    late, and Blake has not started his, three days late. Blake has not answered the
    third, a day late; Casey declined it and Avery was invited in her place."""
    avery, blake, casey = reviewers
    now = timezone.now()
    first = nominated(category)
    for person, row, score in zip(
        reviewers, in_review(staff, first, reviewers), (4, 2, 5), strict=True
    ):
        submit_review(person, row, score)
    factories.MembershipFactory(user=casey, agency=first.agency, status=MembershipStatus.APPROVED)
    second = nominated(category)
    late_draft, not_started = in_review(staff, second, [avery, blake])
    services.review_save(
        user=avery,
        assignment=late_draft,
        data=review_helpers.review_input(second, total=3),
        submit=False,
    )
    Assignment.objects.filter(pk=late_draft.pk).update(due_at=now - timedelta(days=2, hours=1))
    Assignment.objects.filter(pk=not_started.pk).update(due_at=now - timedelta(days=3, hours=1))
    third = nominated(category)
    prepare(staff, third)
    unanswered = assign(staff, third, blake, accept=False)
    Assignment.objects.filter(pk=unanswered.pk).update(due_at=now - timedelta(days=1, hours=1))
    services.assignment_decline(
        user=casey,
        assignment=assign(staff, third, casey, accept=False),
        reason=DeclineReason.AVAILABILITY,
    )
    return World(cycle, avery, blake, casey)


def workload_url(world, **query):
    url = reverse("staff:review-workload", kwargs={"cycle": world.cycle.pk})
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def remind(staff_client, world, **data):
    return staff_client.post(
        reverse("staff:review-remind", kwargs={"cycle": world.cycle.pk}), data, follow=True
    )


def test_workload_numbers_on_a_world_with_known_answers(staff_client, world):
    response = staff_client.get(workload_url(world))

    rows = {row.name: row for row in response.context["rows"]}
    numbers = {
        name: (
            row.assigned,
            row.accepted,
            row.drafts,
            row.submitted,
            row.conflicted,
            row.pending,
            row.overdue,
            row.days_late,
        )
        for name, row in rows.items()
    }
    assert numbers == {
        "Avery Reviewer": (3, 2, 1, 1, 0, 2, 1, 2),
        "Blake Reviewer": (3, 2, 0, 1, 0, 2, 2, 3),
        "Casey Reviewer": (0, 0, 0, 0, 1, 0, 0, None),
    }
    # Casey's 5 does not count: the centre is the mean of 4 and 2.
    assert rows["Avery Reviewer"].leniency == pytest.approx(1.0)
    assert rows["Blake Reviewer"].leniency == pytest.approx(-1.0)
    assert rows["Casey Reviewer"].leniency is None
    board = selectors.scoreboard(world.cycle)
    assert {p.pk: s.mean - board.centre for p, s in board.reviewers} == {
        world.avery.pk: rows["Avery Reviewer"].leniency,
        world.blake.pk: rows["Blake Reviewer"].leniency,
    }
    assert rows["Casey Reviewer"].declined == 1
    assert response.context["totals"]["overdue"] == 3
    html = " ".join(_text(response).split())
    assert "<strong>2 overdue</strong>" in html
    assert "3 days" in html
    assert '+1.00<br><span class="small">lenient, 1 review</span>' in html
    assert '-1.00<br><span class="small">harsh, 1 review</span>' in html
    assert "1 declined, 1 conflicted" in html
    assert "Remind every late reviewer (2)" in html
    assert 'Remind<span class="visually-hidden"> Blake Reviewer</span>' in html
    assert 'Remind<span class="visually-hidden"> Casey Reviewer</span>' not in html
    assert 'aria-current="page" href="' + workload_url(world) + '">Reviewer workload' in html


SORTS = [
    ("-late", ["Blake Reviewer", "Avery Reviewer", "Casey Reviewer"], "descending"),
    ("leniency", ["Blake Reviewer", "Avery Reviewer", "Casey Reviewer"], "ascending"),
    ("-overdue", ["Blake Reviewer", "Avery Reviewer", "Casey Reviewer"], "descending"),
    ("reviewer", ["Avery Reviewer", "Blake Reviewer", "Casey Reviewer"], "ascending"),
    ("nonsense", ["Avery Reviewer", "Blake Reviewer", "Casey Reviewer"], None),
]


def test_workload_sorts_as_the_url_says(staff_client, world):
    """Rows without a value (Casey: never late, no counted review) come last either way;
    the sorted column says so, and its link sorts the other way."""
    for sort, order, sorted_column in SORTS:
        response = staff_client.get(workload_url(world, sort=sort))
        assert [row.name for row in response.context["rows"]] == order, sort
        html = _text(response)
        if sorted_column:
            key = sort.removeprefix("-")
            again = key if sort.startswith("-") else f"-{key}"
            assert f'aria-sort="{sorted_column}"><a href="?sort={again}">' in html, sort
        else:
            assert "aria-sort" not in html
            assert response.context["sort"] == ""


def reminded_to():
    return sorted(
        OutboxEmail.objects.filter(key__startswith="review-reminder:").values_list("to", flat=True)
    )


def test_reminders_from_the_workload_page_say_how_many_went_out(staff_client, world):
    # Only Blake is late now.
    Assignment.objects.filter(reviewer=world.avery, due_at__isnull=False).update(
        due_at=timezone.now() + timedelta(days=5)
    )
    stranger = remind(staff_client, world, reviewer=make_reviewer().pk)
    assert stranger.status_code == 404

    late = remind(staff_client, world, late="on", sort="-late")
    assert late.redirect_chain[-1][0] == workload_url(world, sort="-late")
    assert _messages(late) == ["A reminder was emailed to 1 late reviewer."]
    assert reminded_to() == [world.blake.email]

    everyone = remind(staff_client, world)
    assert _messages(everyone) == ["A reminder was emailed to 1 reviewer."]
    assert reminded_to() == sorted([world.avery.email, world.blake.email])
    one = remind(staff_client, world, reviewer=world.blake.pk)
    assert _messages(one) == [
        (
            "No reminder was sent to Blake Reviewer: nothing of theirs is waiting, or they "
            "were reminded today already."
        )
    ]
    again = remind(staff_client, world, late="on")
    assert _messages(again) == [
        (
            "No reminder was sent: no reviewer is late, or every late reviewer was reminded "
            "today already."
        )
    ]
    broken = remind(staff_client, world, reviewer="nobody")
    assert _messages(broken) == ["Choose a reviewer from the table."]
    assert reminded_to() == sorted([world.avery.email, world.blake.email])
    rows = {row.name: row for row in staff_client.get(workload_url(world)).context["rows"]}
    assert rows["Avery Reviewer"].last_reminded is not None
    assert rows["Casey Reviewer"].last_reminded is None
    assert review_helpers.events(world.cycle, "reviewers_reminded") == [
        ("reviewers_reminded", "", "", "1 reviewers"),
        ("reviewers_reminded", "", "", "1 reviewers"),
    ]


@pytest.mark.usefixtures("rubric", "phase")
def test_remind_one_reviewer_says_so(staff_client, staff, category, reviewers):
    nomination = nominated(category)
    prepare(staff, nomination)
    assign(staff, nomination, reviewers[0], accept=False)
    url = reverse("staff:review-remind", kwargs={"cycle": category.cycle.pk})
    one = staff_client.post(url, {"reviewer": reviewers[0].pk}, follow=True)
    assert _messages(one) == [f"A reminder was emailed to {reviewers[0].email}."]
    assert reminded_to() == [reviewers[0].email]


def test_old_progress_address_leads_to_the_workload_page(staff_client, cycle):
    response = staff_client.get(reverse("staff:review-progress", kwargs={"cycle": cycle.pk}))
    assert response.status_code == 301
    assert response["Location"] == reverse("staff:review-workload", kwargs={"cycle": cycle.pk})


def test_workload_without_assignments_says_so(staff_client, cycle):
    response = staff_client.get(reverse("staff:review-workload", kwargs={"cycle": cycle.pk}))
    assert "No reviewer has been assigned in this cycle yet." in _text(response)


@pytest.mark.usefixtures("rubric", "phase")
def test_workload_costs_the_same_queries_for_two_and_many_reviewers(
    staff_client, staff, category, panel
):
    url = reverse("staff:review-workload", kwargs={"cycle": category.cycle.pk})
    people = [make_reviewer(panel) for _ in range(6)]
    for number in range(3):
        if number == 1:
            staff_client.get(url)
            with CaptureQueriesContext(connection) as few:
                assert len(staff_client.get(url).context["rows"]) == 2
        rows = in_review(staff, nominated(category), people[2 * number : 2 * number + 2])
        submit_review(rows[0].reviewer, rows[0], 2 + number)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert len(response.context["rows"]) == 6
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
