"""The review of a cycle (`views.staff.cycle`): the overview, automatic assignment,
reminders from the workload page, and the cost in queries of every page of a cycle."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import Outcome
from reviews.models import Assignment
from tests import factories
from tests.reviews.views.staff.helpers import (
    CLEAN_TEXT,
    assign,
    in_review,
    make_reviewer,
    nominated,
    prepare,
    reviewed,
)
from tests.reviews.views.staff.helpers import message_texts as _messages
from tests.reviews.views.staff.helpers import page_text as _text

# The review of a cycle -------------------------------------------------------------------


@pytest.mark.usefixtures("phase", "rubric")
def test_overview_shows_each_nomination_with_copy_status_reviewers_and_phase(
    staff_client, staff, category, reviewers
):
    nominated(category, title="No Copy Yet")
    checking = nominated(category, title="Copy Being Checked")
    services.review_copy_save(
        actor=staff,
        nomination=checking,
        executive_summary="Summary.",
        redacted_title="Checking title",
        redacted_text=CLEAN_TEXT,
        files=[],
    )
    leaking = nominated(category, title="Copy With Identity")
    prepare(staff, leaking, text=f"{leaking.agency.name} started the team.")
    ready = nominated(category, title="Copy Ready")
    prepare(staff, ready)
    assign(staff, ready, reviewers[0])
    assign(staff, ready, reviewers[1], accept=False)
    reviewing = nominated(category, title="Being Reviewed")
    in_review(staff, reviewing, reviewers[:2])
    factories.NominationFactory(cycle=category.cycle, category=category, title="Secret Draft")

    response = staff_client.get(reverse("staff:review", kwargs={"cycle": category.cycle.pk}))

    html = _text(response)
    assert response.status_code == 200
    rows = {row.nomination.title: row for group in response.context["groups"] for row in group.rows}
    assert sorted(rows) == [
        "Being Reviewed",
        "Copy Being Checked",
        "Copy Ready",
        "Copy With Identity",
        "No Copy Yet",
    ]
    assert rows["No Copy Yet"].status_label == "Missing"
    assert rows["Copy Being Checked"].status_label == "Identity check running"
    assert rows["Copy With Identity"].status_label == "Identity found"
    assert rows["Copy Ready"].status_label == "Ready"
    assert rows["Copy Ready"].blockers == ["1 of 2 reviewers accepted"]
    assert rows["No Copy Yet"].blockers == ["review copy not written", "0 of 2 reviewers accepted"]
    assert rows["Being Reviewed"].blockers == []
    assert "2 assigned, 1 accepted, 0 submitted" in html
    assert "Not ready: 1 of 2 reviewers accepted." in html
    assert "Secret Draft" not in html
    assert "Scoring" in html
    assert "Assign reviewers automatically" in html
    assert reverse("staff:nomination-close-review", kwargs={"pk": reviewing.pk}) in html
    for name in ("review-workload", "review-scoreboard", "review-decisions", "review-policy"):
        assert reverse(f"staff:{name}", kwargs={"cycle": category.cycle.pk}) in html
    assert reverse("staff:review-export-reviews", kwargs={"cycle": category.cycle.pk}) in html


def test_overview_of_a_missing_cycle_is_404(staff_client):
    assert staff_client.get(reverse("staff:review", kwargs={"cycle": 999999})).status_code == 404


def test_overview_queries_do_not_grow_with_nominations(staff_client, staff, category, reviewers):
    url = reverse("staff:review", kwargs={"cycle": category.cycle.pk})
    first = nominated(category)
    prepare(staff, first)
    assign(staff, first, reviewers[0])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for _ in range(4):
        other = nominated(category)
        prepare(staff, other)
        assign(staff, other, reviewers[1])
    with CaptureQueriesContext(connection) as five:
        staff_client.get(url)
    assert len(five) == len(one)


def test_auto_assign_lists_created_shortfalls_and_categories_without_panel(
    staff_client, staff, cycle, category, panel
):
    only = make_reviewer(panel, full_name="Only Reviewer")
    nomination = nominated(category, title="Needs Two")
    prepare(staff, nomination)
    lonely = factories.CategoryFactory(cycle=cycle, label="Fitness", position=2)
    prepare(staff, nominated(lonely, title="No Panel Here"))

    response = staff_client.post(reverse("staff:review-auto-assign", kwargs={"cycle": cycle.pk}))

    html = _text(response)
    assert response.status_code == 200
    assert list(Assignment.objects.values_list("nomination__title", "reviewer")) == [
        ("Needs Two", only.pk)
    ]
    assert response.context["created_count"] == 1
    assert "1 assignment created" in html
    shortfalls = {(n.title, missing) for n, missing, _reason in response.context["run"].shortfalls}
    assert shortfalls == {("Needs Two", 1), ("No Panel Here", 2)}
    assert [c.label for c in response.context["run"].categories_without_panel] == ["Fitness"]
    assert "Categories without a panel" in html
    for _n, _missing, reason in response.context["run"].shortfalls:
        assert str(reason) in html
    assert OutboxEmail.objects.filter(to=only.email).count() == 1


def test_auto_assign_answers_only_post(staff_client, cycle):
    url = reverse("staff:review-auto-assign", kwargs={"cycle": cycle.pk})
    assert staff_client.get(url).status_code == 405
    assert Assignment.objects.count() == 0


# Progress and reminders ------------------------------------------------------------------


def test_progress_table_and_reminders(staff_client, staff, category, reviewers):
    first = nominated(category)
    prepare(staff, first)
    assign(staff, first, reviewers[0])
    assign(staff, first, reviewers[1], accept=False)
    Assignment.objects.filter(reviewer=reviewers[1]).update(
        due_at=timezone.now() - timedelta(days=1)
    )
    # Review of it is open (written directly: the panel is not complete), so Avery's
    # accepted assignment is a review to write, which a reminder may ask for.
    Nomination.objects.filter(pk=first.pk).update(state=NominationState.IN_REVIEW)
    url = reverse("staff:review-workload", kwargs={"cycle": category.cycle.pk})

    response = staff_client.get(url)
    by_name = {row.reviewer.full_name: row for row in response.context["rows"]}
    assert by_name["Avery Reviewer"].accepted == 1
    assert by_name["Blake Reviewer"].overdue == 1
    assert response.context["totals"]["assigned"] == 2

    remind_url = reverse("staff:review-remind", kwargs={"cycle": category.cycle.pk})
    one = staff_client.post(remind_url, {"reviewer": str(reviewers[1].pk)}, follow=True)
    assert _messages(one) == [f"A reminder was emailed to {reviewers[1].email}."]
    assert OutboxEmail.objects.filter(subject__startswith="Reminder").count() == 1

    # Blake was reminded a moment ago: only Avery gets one now, and the count says so.
    every = staff_client.post(remind_url, follow=True)
    assert _messages(every) == ["A reminder was emailed to 1 reviewer."]
    assert set(
        OutboxEmail.objects.filter(subject__startswith="Reminder").values_list("to", flat=True)
    ) == {reviewers[0].email, reviewers[1].email}


def test_remind_refuses_a_reviewer_outside_the_cycle(staff_client, staff, category, reviewers):
    stranger = make_reviewer()
    url = reverse("staff:review-remind", kwargs={"cycle": category.cycle.pk})

    assert staff_client.post(url, {"reviewer": str(stranger.pk)}).status_code == 404
    response = staff_client.post(url, {"reviewer": "nobody"}, follow=True)
    assert _messages(response) == ["Choose a reviewer from the table."]
    assert OutboxEmail.objects.filter(subject__startswith="Reminder").count() == 0


def test_remind_with_nothing_waiting_says_so(staff_client, category):
    response = staff_client.post(
        reverse("staff:review-remind", kwargs={"cycle": category.cycle.pk}), follow=True
    )
    assert _messages(response) == [
        (
            "No reminder was sent: no reviews are waiting, or every reviewer with reviews "
            "waiting was reminded today already."
        )
    ]
    # The page it comes back to lists no reviewer, so offers no reminder to send.
    assert "Remind every" not in response.content.decode()


# Queries ---------------------------------------------------------------------------------


def _reviewed_with_decision(staff, category, people, scores, outcome):
    nomination = nominated(category)
    reviewed(staff, nomination, people, scores)
    services.decision_stage(actor=staff, nomination=nomination, outcome=outcome)
    return nomination


@pytest.mark.usefixtures("phase", "rubric")
@pytest.mark.parametrize(
    "name",
    [
        "review",
        "review-workload",
        "review-policy",
        "review-scoreboard",
        "review-decisions",
        "review-release",
        "review-export-nominations",
        "review-export-reviews",
    ],
)
def test_cycle_pages_use_the_same_queries_for_one_and_four_nominations(
    staff_client, staff, category, reviewers, name
):
    url = reverse(f"staff:{name}", kwargs={"cycle": category.cycle.pk})

    def read_whole():
        # A streamed CSV reads its rows as it is sent: count those queries too.
        response = staff_client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)

    _reviewed_with_decision(staff, category, reviewers[:2], [4, 2], Outcome.FINALIST)
    read_whole()
    with CaptureQueriesContext(connection) as one:
        read_whole()
    for scores in ([3, 3], [5, 4], [2, 1]):
        _reviewed_with_decision(staff, category, reviewers[:2], scores, Outcome.NOT_SELECTED)
    with CaptureQueriesContext(connection) as four:
        read_whole()
    assert len(four) == len(one)
