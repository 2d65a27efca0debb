"""Races in review: two people (or two tabs) making the same review change at once.

Real threads, each with its own PostgreSQL connection, as in
tests/nominations/test_races.py. So that every race is a race, the test first
locks the row the services serialise on (the category for awards, the
assignment for reviews, the invitation, the cycle for automatic assignment),
starts both calls together (a barrier), waits until PostgreSQL reports both
waiting for that lock, and only then lets go: both calls are inside their
transactions before either can finish. A service that forgot to lock, or that
trusted what it read before locking, ends these tests with two winners, two
reviews or two accounts.
"""

from django.contrib.auth import get_user_model

from dz_awards.core.models import AuditEvent
from dz_awards.cycles.models import Cycle
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import AssignmentState, Outcome
from reviews.models import Assignment, Decision, Review, ReviewerInvitation
from tests.races import POSTGRES_ONLY, race, winners_and_losers
from tests.reviews import helpers

S = NominationState
A = AssignmentState

pytestmark = POSTGRES_ONLY


def _finalist(staff, category):
    nomination = helpers.ready_nomination(staff, category=category)
    Nomination.objects.filter(pk=nomination.pk).update(state=S.FINALIST)
    return Nomination.objects.get(pk=nomination.pk)


def test_award_two_finalists_at_once_in_a_one_winner_category_makes_one_winner(
    staff, category, phase
):
    """Exactly one winner; the other finalist stays a finalist and its caller is told why."""
    first, second = _finalist(staff, category), _finalist(staff, category)
    assert category.winners == 1

    results = race(
        category,
        lambda: services.nomination_award(actor=staff, nomination=first),
        lambda: services.nomination_award(actor=staff, nomination=second),
    )

    winners, losers = winners_and_losers(results)
    assert len(winners) == 1
    assert len(losers) == 1
    assert type(losers[0].error) is services.ReviewError
    assert str(losers[0].error) == (
        f"{category.label} already has its 1 winner (released or staged)."
    )
    states = sorted(Nomination.objects.filter(category=category).values_list("state", flat=True))
    assert states == sorted([S.WINNER, S.FINALIST])
    assert winners[0].value.state == S.WINNER
    assert AuditEvent.objects.filter(action="nomination_awarded").count() == 1


def test_stage_two_winners_at_once_in_a_one_winner_category_stages_one(staff, category, phase):
    first, second = _finalist(staff, category), _finalist(staff, category)

    results = race(
        category,
        lambda: services.decision_stage(actor=staff, nomination=first, outcome=Outcome.WINNER),
        lambda: services.decision_stage(actor=staff, nomination=second, outcome=Outcome.WINNER),
    )

    winners, losers = winners_and_losers(results)
    assert len(winners) == 1
    assert type(losers[0].error) is services.ReviewError
    assert str(losers[0].error) == (
        f"{category.label} already has its 1 winner (released or staged)."
    )
    assert Decision.objects.filter(outcome=Outcome.WINNER).count() == 1


def test_submit_the_same_review_twice_at_once_stores_one_review(nomination, reviewing):
    """Two submits of one assignment (double click, two tabs): one review, one audit event."""
    row = reviewing[0]
    data = helpers.review_input(nomination, total=4.5)

    results = race(
        Assignment.objects.get(pk=row.pk),
        lambda: services.review_save(user=row.reviewer, assignment=row, data=data, submit=True),
        lambda: services.review_save(user=row.reviewer, assignment=row, data=data, submit=True),
    )

    winners, losers = winners_and_losers(results)
    assert len(winners) == 1
    assert len(losers) == 1
    assert type(losers[0].error) is services.ReviewConflictError
    review = Review.objects.get(assignment=row)
    assert Review.objects.filter(assignment=row).count() == 1
    assert float(review.total) == 4.5
    assert review.version == 2
    assert Assignment.objects.get(pk=row.pk).state == A.SUBMITTED
    assert AuditEvent.objects.filter(action="review_submitted").count() == 1
    assert AuditEvent.objects.filter(action="review_revised").count() == 0


def test_accept_one_invitation_twice_at_once_creates_one_account(staff, category):
    """Two tabs accept the same invitation: one account; the other is told it was used."""
    invitation, token = services.reviewer_invite(
        actor=staff, email="dana.reviewer@example.org", full_name="Dana Reviewer"
    )

    results = race(
        ReviewerInvitation.objects.get(pk=invitation.pk),
        lambda: services.invitation_accept(pk=invitation.pk, token=token, password="first-pass-1"),
        lambda: services.invitation_accept(pk=invitation.pk, token=token, password="second-pass-2"),
    )

    winners, losers = winners_and_losers(results)
    assert len(winners) == 1
    assert len(losers) == 1
    assert type(losers[0].error) is services.ReviewError
    assert str(losers[0].error) == (
        "This invitation has already been used. Sign in with the account it set up."
    )
    users = get_user_model().objects.filter(email__iexact="dana.reviewer@example.org")
    assert users.count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == users.get()
    assert AuditEvent.objects.filter(action="reviewer_invitation_accepted").count() == 1


def test_automatic_assignment_twice_at_once_fills_each_seat_once(staff, cycle, category, phase):
    """Two members of staff press "assign" together: one run assigns, the other finds it done."""
    helpers.panel(category, 4)
    nominations = [helpers.ready_nomination(staff, category=category) for _ in range(2)]

    results = race(
        Cycle.objects.get(pk=cycle.pk),
        lambda: services.assignment_auto(actor=staff, cycle=cycle),
        lambda: services.assignment_auto(actor=staff, cycle=cycle),
    )

    assert all(r.error is None for r in results), [r.error for r in results]
    assert sorted(len(r.value.created) for r in results) == [0, 6]
    for nomination in nominations:
        assert nomination.assignments.count() == 3
    assert AuditEvent.objects.filter(action="reviewer_assigned").count() == 6
