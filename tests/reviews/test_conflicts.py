"""Conflicts of interest: a conflicted reviewer never sees the nomination and never counts.

The rules: a declared conflict; an approved membership of the nominating
agency; the reviewer's home agency; the same state when the cycle says so. A
review already submitted stops counting the moment its reviewer becomes
conflicted: the scoreboard then shows exactly what it would show had that
review never been written.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.nominations.models import Nomination
from reviews import selectors, services
from reviews.enums import AssignmentState, DeclineReason
from reviews.models import Assignment, Conflict, ReviewerProfile
from tests import factories
from tests.reviews import helpers

A = AssignmentState
RULES = ["declared after submitting", "agency membership", "home agency", "same state"]


def _numbers(cycle):
    """Everything the scoreboard computes, keyed so two boards compare equal or not."""
    board = selectors.scoreboard(cycle)
    lines = {
        line.nomination.pk: (line.rank, line.stats)
        for category in board.categories
        for line in category.lines
    }
    categories = {c.category.pk: (c.alpha, c.review_count) for c in board.categories}
    reviewers = [(person.pk, stats) for person, stats in board.reviewers]
    return lines, categories, reviewers, board.centre


def _numbers_without(cycle, assignment):
    """The scoreboard had `assignment` never existed (computed, then rolled back)."""
    with transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).delete()
        numbers = _numbers(cycle)
        transaction.set_rollback(True)
    return numbers


def _make_conflicted(rule, person, assignment, cycle):
    nomination = assignment.nomination
    if rule == "declared after submitting":
        services.conflict_declare(user=person, assignment=assignment, reason="A former colleague.")
    elif rule == "agency membership":
        factories.MembershipFactory(agency=nomination.agency, user=person)
    elif rule == "home agency":
        ReviewerProfile.objects.filter(user=person).update(home_agency=nomination.agency)
    else:
        cycle.conflict_same_state = True
        cycle.save()
        ReviewerProfile.objects.filter(user=person).update(state=nomination.agency.state)


@pytest.fixture
def two_reviewed(staff, category, phase, reviewers):
    """Two nominations (Ohio, Texas) reviewed by the same three reviewers.

          N1    N2
    R1   2.0   3.0
    R2   4.0   3.5
    R3   5.0   2.0
    """
    first, first_rows = helpers.in_review(
        staff, category, reviewers, agency=helpers.identified_agency(state="OH")
    )
    second, second_rows = helpers.in_review(
        staff, category, reviewers, agency=helpers.identified_agency(state="TX")
    )
    for row, total in zip(first_rows, [2.0, 4.0, 5.0], strict=True):
        helpers.submit_review(row, total)
    for row, total in zip(second_rows, [3.0, 3.5, 2.0], strict=True):
        helpers.submit_review(row, total)
    return first, first_rows, second, second_rows


def test_before_any_conflict_all_three_reviews_count(cycle, two_reviewed):
    first, *_rest = two_reviewed
    lines, categories, reviewers, _centre = _numbers(cycle)
    stats = lines[first.pk][1]
    assert (stats.count, stats.mean, stats.median, stats.spread) == pytest.approx(
        (3, 11 / 3, 4.0, 3.0)
    )
    assert categories[first.category_id][1] == 6
    assert len(reviewers) == 3


@pytest.mark.parametrize("rule", RULES)
def test_conflicted_review_changes_no_count_or_average(rule, cycle, two_reviewed, reviewers):
    """R3 becomes conflicted with N1: N1's numbers are R1's and R2's alone.

    N1 from 2.0 and 4.0: count 2, mean 3.0, median 3.0, spread 2.0. Every
    number on the board equals the board computed with R3's review of N1 deleted,
    and R3's review of N2 still counts.
    """
    first, first_rows, second, _second_rows = two_reviewed
    conflicted = first_rows[2]
    expected = _numbers_without(cycle, conflicted)

    _make_conflicted(rule, reviewers[2], conflicted, cycle)

    numbers = _numbers(cycle)
    assert numbers == expected
    lines, categories, board_reviewers, _centre = numbers
    stats = lines[first.pk][1]
    assert (stats.count, stats.mean, stats.median, stats.spread) == pytest.approx(
        (2, 3.0, 3.0, 2.0)
    )
    assert lines[second.pk][1].count == 3
    assert categories[first.category_id][1] == 5
    r3 = dict(board_reviewers)[reviewers[2].pk]
    assert (r3.count, r3.mean) == (1, 2.0)


@pytest.mark.parametrize("rule", RULES)
def test_conflicted_assignment_leaves_the_reviewers_view(rule, cycle, two_reviewed, reviewers):
    """Gone from the queue and 404 by id; the reviewer's other assignment stays."""
    _first, first_rows, _second, second_rows = two_reviewed
    person = reviewers[2]

    _make_conflicted(rule, person, first_rows[2], cycle)

    assert list(selectors.reviewer_queue(person)) == [second_rows[2]]
    assert list(selectors.assignments_for_reviewer(person)) == [second_rows[2]]
    with pytest.raises(Http404):
        selectors.assignment_get_for_reviewer(person, first_rows[2].pk)
    assert selectors.assignment_get_for_reviewer(person, second_rows[2].pk) == second_rows[2]


@pytest.mark.parametrize("rule", RULES)
def test_conflicted_review_is_not_shown_to_other_reviewers(rule, cycle, two_reviewed, reviewers):
    _first, first_rows, *_rest = two_reviewed
    _make_conflicted(rule, reviewers[2], first_rows[2], cycle)
    others = list(selectors.others_reviews(first_rows[0]))
    assert [r.assignment_id for r in others] == [first_rows[1].pk]


@pytest.mark.parametrize("rule", RULES)
def test_conflicted_review_is_not_counted_for_staff(rule, staff, cycle, two_reviewed, reviewers):
    """The staff list's counts leave the conflicted assignment out, as close_review does."""
    first, first_rows, second, _rows = two_reviewed
    _make_conflicted(rule, reviewers[2], first_rows[2], cycle)

    counts = {
        n.pk: (n.assigned_count, n.accepted_count, n.submitted_count)
        for n in selectors.staff_review_nominations(staff, cycle)
    }
    assert counts[first.pk] == (2, 2, 2)
    assert counts[second.pk] == (3, 3, 3)


def test_conflict_rules_leave_others_alone(staff, cycle, category, phase):
    """A pending or declined membership, a state rule switched off, an empty state, and a
    reviewer with no profile at all: none of these is a conflict."""
    agency = helpers.identified_agency(state="OH")
    pending = helpers.reviewer(category, state="VA")
    factories.MembershipFactory(agency=agency, user=pending, status=MembershipStatus.PENDING)
    declined = helpers.reviewer(category, state="VA")
    factories.MembershipFactory(agency=agency, user=declined, status=MembershipStatus.DECLINED)
    neighbour = helpers.reviewer(category, state="OH")
    stateless = helpers.reviewer(category, state="")
    no_profile = helpers.reviewer(category, profile=False)
    people = [pending, declined, neighbour, stateless, no_profile]
    cycle.reviewers_per_nomination = 5
    cycle.save()
    _nomination, rows = helpers.in_review(staff, category, people, agency=agency)

    for person, row in zip(people, rows, strict=True):
        assert list(selectors.assignments_for_reviewer(person)) == [row], person

    cycle.conflict_same_state = True
    cycle.save()
    assert list(selectors.assignments_for_reviewer(neighbour)) == []
    for person, row in zip(people, rows, strict=True):
        if person != neighbour:
            assert list(selectors.assignments_for_reviewer(person)) == [row], person


def test_membership_of_another_agency_is_no_conflict(staff, category, phase, reviewers):
    factories.MembershipFactory(user=reviewers[0])
    _nomination, rows = helpers.in_review(staff, category, reviewers)
    assert list(selectors.assignments_for_reviewer(reviewers[0])) == [rows[0]]


# Declaring -------------------------------------------------------------------------


def test_declare_on_an_accepted_assignment_declines_it_and_finds_a_replacement(
    staff, nomination, reviewing, category
):
    spare = helpers.reviewer(category)
    row = reviewing[0]

    services.conflict_declare(user=row.reviewer, assignment=row, reason=" My brother is chief. ")

    row.refresh_from_db()
    assert (row.state, row.decline_reason, row.decline_note) == (
        A.DECLINED,
        DeclineReason.CONFLICT,
        "My brother is chief.",
    )
    assert list(Conflict.objects.values_list("reviewer", "nomination", "reason")) == [
        (row.reviewer_id, nomination.pk, "My brother is chief.")
    ]
    assert Assignment.objects.get(nomination=nomination, reviewer=spare).state == A.INVITED
    assert helpers.events(row, "conflict_declared") == [
        ("conflict_declared", A.ACCEPTED, A.DECLINED, "")
    ]


def test_declare_on_a_submitted_review_keeps_it_but_stops_it_counting(
    staff, cycle, nomination, reviewing, category
):
    """The review is kept (staff can see what happened) but no longer counts, and the
    nomination gets a replacement reviewer for the seat."""
    for row, total in zip(reviewing, [3.0, 4.0, 5.0], strict=True):
        helpers.submit_review(row, total)
    spare = helpers.reviewer(category)
    row = reviewing[2]

    services.conflict_declare(user=row.reviewer, assignment=row, reason="Friend of the chief.")

    row.refresh_from_db()
    assert row.state == A.SUBMITTED
    assert row.review.total == Decimal("5.000000000")
    counting = selectors.counting_reviews_qs().filter(assignment__nomination=nomination)
    assert sorted(counting.values_list("total", flat=True)) == [Decimal(3), Decimal(4)]
    assert Assignment.objects.get(nomination=nomination, reviewer=spare).state == A.INVITED
    assert list(selectors.assignments_for_reviewer(row.reviewer)) == []


def test_declare_twice_keeps_one_conflict(nomination, reviewing):
    row = reviewing[0]
    services.conflict_declare(user=row.reviewer, assignment=row, reason="First reason.")
    services.conflict_declare(user=row.reviewer, assignment=row, reason="Second reason.")
    assert list(Conflict.objects.values_list("reason", flat=True)) == ["First reason."]


def test_declare_needs_a_reason(nomination, reviewing):
    row = reviewing[0]
    with pytest.raises(ValidationError):
        services.conflict_declare(user=row.reviewer, assignment=row, reason="  ")
    assert not Conflict.objects.exists()


def test_declare_for_someone_else_is_denied(nomination, reviewing):
    with pytest.raises(PermissionDenied):
        services.conflict_declare(
            user=reviewing[1].reviewer, assignment=reviewing[0], reason="Not mine to say."
        )
    assert not Conflict.objects.exists()
    assert (
        Nomination.objects.get(pk=nomination.pk).assignments.filter(state=A.ACCEPTED).count() == 3
    )


def test_auto_assignment_after_a_declared_conflict_never_reassigns_that_reviewer(
    staff, cycle, nomination, reviewing, category
):
    """The seat freed by a declared conflict is refilled, never by the same reviewer."""
    row = reviewing[0]
    services.conflict_declare(user=row.reviewer, assignment=row, reason="Old partner.")
    Assignment.objects.filter(pk=row.pk).delete()

    run = services.assignment_auto(actor=staff, cycle=cycle)

    assert run.created == []
    assert [(n.pk, m, reason) for n, m, reason in run.shortfalls] == [
        (nomination.pk, 1, "no eligible reviewer without a conflict")
    ]
    assert not Assignment.objects.filter(reviewer=row.reviewer, nomination=nomination).exists()
