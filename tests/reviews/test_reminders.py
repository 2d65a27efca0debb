"""Reminders to reviewers: the daily `send_review_reminders` command and the staff action."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import DeclineReason
from reviews.models import Assignment, ReviewPhase
from tests import factories
from tests.reviews import helpers


@pytest.fixture
def phase(cycle):
    """Reviews are open and due in two days: within the command's default window of three."""
    return helpers.review_phase(cycle, ends=timedelta(days=2))


@pytest.fixture
def people(staff, category, phase):
    """Reviewers in every situation a reminder must tell apart, by name.

    done:        their only review is submitted
    busy:        one review to write (N1) and one assignment to answer (N2)
    conflicted:  accepted N1, then joined the nominating agency
    invited:     one assignment to answer (N2)
    declined:    declined their only assignment (N2)
    withdrawn:   accepted an assignment of a nomination since withdrawn
    waiting:     accepted an assignment of a nomination whose review has not opened:
                 nothing to do yet
    """
    names = ["done", "busy", "conflicted", "invited", "declined", "withdrawn", "waiting"]
    # Not on the panel, so that a decline brings in no replacement.
    people = {name: helpers.reviewer(full_name=name.title()) for name in names}
    first, rows = helpers.in_review(
        staff, category, [people["done"], people["busy"], people["conflicted"]]
    )
    helpers.submit_review(rows[0], 4.0)
    factories.MembershipFactory(agency=first.agency, user=people["conflicted"])
    second = helpers.ready_nomination(staff, category=category)
    helpers.assign(staff, second, [people["busy"], people["invited"]], accept=False)
    (declined,) = helpers.assign(staff, second, [people["declined"]], accept=False)
    services.assignment_decline(
        user=people["declined"], assignment=declined, reason=DeclineReason.AVAILABILITY
    )
    third = helpers.ready_nomination(staff, category=category)
    helpers.assign(staff, third, [people["withdrawn"]])
    Nomination.objects.filter(pk=third.pk).update(state=NominationState.WITHDRAWN)
    fourth = helpers.ready_nomination(staff, category=category)
    (waiting,) = helpers.assign(staff, fourth, [people["waiting"]])
    assert (waiting.state, fourth.state) == ("accepted", NominationState.SUBMITTED)
    return people


def _run(*args):
    out = io.StringIO()
    call_command("send_review_reminders", *args, stdout=out)
    return out.getvalue()


def _reminded():
    return sorted(e.to for e in OutboxEmail.objects.filter(key__startswith="review-reminder:"))


def test_reminds_only_reviewers_with_pending_assignments(cycle, people):
    output = _run()

    assert _reminded() == sorted([people["busy"].email, people["invited"].email])
    assert f"{cycle.name}: reminded 2 reviewer(s)." in output
    assert "Reminded 2 reviewer(s) in all." in output
    busy = OutboxEmail.objects.get(key__startswith="review-reminder:", to=people["busy"].email)
    day = timezone.localdate().isoformat()
    assert busy.key == f"review-reminder:{cycle.pk}:{people['busy'].pk}:{day}"
    assert busy.subject == "Reminder: reviews waiting for you"
    assert "1 assignment waiting for you to accept or decline" in busy.body
    assert "1 review to write and submit" in busy.body
    assert "past the due date" not in busy.body
    assert helpers.events(cycle, "reviewers_reminded") == [
        ("reviewers_reminded", "", "", "2 reviewers")
    ]


def test_reminders_carry_no_agency_identity(cycle, people):
    _run()
    agencies = {n.agency for n in Nomination.objects.select_related("agency")}
    for email in OutboxEmail.objects.filter(key__startswith="review-reminder:"):
        for agency in agencies:
            assert helpers.identity_in(f"{email.subject}\n{email.body}", agency) == []


def test_reminders_go_once_a_day_however_often_the_command_runs(cycle, people):
    _run()
    _run()
    assert len(_reminded()) == 2

    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        _run()
        _run()
    assert len(_reminded()) == 4
    assert _reminded() == sorted([people["busy"].email, people["invited"].email] * 2)


def test_reminders_mark_the_assignments_reminded(people):
    _run()
    reminded = Assignment.objects.filter(reminded_at__isnull=False)
    assert sorted({a.reviewer.email for a in reminded}) == sorted(
        [people["busy"].email, people["invited"].email]
    )
    assert reminded.count() == 3


def test_after_the_due_date_reminders_say_what_is_overdue(cycle, phase, people):
    with time_machine.travel(phase.ends_at + timedelta(hours=1), tick=False):
        _run()
    busy = OutboxEmail.objects.get(key__startswith="review-reminder:", to=people["busy"].email)
    assert "2 of them past the due date" in busy.body


def test_no_reminders_while_the_due_date_is_far(cycle, phase, people):
    ReviewPhase.objects.filter(pk=phase.pk).update(ends_at=timezone.now() + timedelta(days=10))
    output = _run()
    assert _reminded() == []
    assert "Reminded 0 reviewer(s) in all." in output

    _run("--days", "11")
    assert len(_reminded()) == 2


def test_no_reminders_while_reviews_cannot_be_written(cycle, phase, people):
    ReviewPhase.objects.filter(pk=phase.pk).update(reviews_open=False)
    _run()
    assert _reminded() == []


def test_no_reminder_once_everything_is_submitted(staff, cycle, category, phase):
    reviewers = helpers.panel(category, 3)
    _nomination, rows = helpers.in_review(staff, category, reviewers)
    for row in rows:
        helpers.submit_review(row, 3.0)
    _run()
    assert _reminded() == []


def test_staff_can_remind_one_reviewer(staff, cycle, people):
    reminded = services.reviewers_remind(actor=staff, cycle=cycle, reviewer=people["invited"])
    assert reminded == [people["invited"]]
    assert _reminded() == [people["invited"].email]
    assert helpers.events(cycle, "reviewers_reminded") == [
        ("reviewers_reminded", "", "", "1 reviewers")
    ]


def test_staff_reminding_a_reviewer_with_nothing_pending_sends_nothing(staff, cycle, people):
    assert services.reviewers_remind(actor=staff, cycle=cycle, reviewer=people["done"]) == []
    assert _reminded() == []
    assert helpers.events(cycle, "reviewers_reminded") == []
