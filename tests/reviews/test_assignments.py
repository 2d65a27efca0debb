"""Assigning reviewers (`services.assignments`): automatically and by hand, removing,
and declining. The planner the automatic run uses is tested in `test_assignment`."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import AssignmentState, DeclineReason
from reviews.models import Assignment, Conflict, Review
from tests import factories
from tests.reviews import helpers
from tests.reviews.helpers import assignment_state as _assignment_state

S = NominationState
A = AssignmentState


def _pairs(rows):
    return sorted((row.nomination_id, row.reviewer_id) for row in rows)


# Automatic assignment -------------------------------------------------------------


def test_assignment_auto_never_assigns_a_conflicted_reviewer(staff, cycle, category, phase):
    """Own agency by approved membership, home agency, same state and a declared conflict.

    The same four reviewers are fine for another agency's nomination in another
    state, and a pending membership is no conflict.
    """
    cycle.conflict_same_state = True
    cycle.save()
    agency = helpers.identified_agency(state="OH")
    member = helpers.reviewer(category, state="VA")
    factories.MembershipFactory(agency=agency, user=member)
    home = helpers.reviewer(category, home_agency=agency, state="VA")
    neighbour = helpers.reviewer(category, state="OH")
    declared = helpers.reviewer(category, state="VA")
    pending = helpers.reviewer(category, state="VA")
    factories.MembershipFactory(agency=agency, user=pending, status="pending")
    conflicted = {member, home, neighbour, declared}
    nomination = helpers.ready_nomination(staff, category=category, agency=agency)
    Conflict.objects.create(reviewer=declared, nomination=nomination, reason="Former colleague.")
    elsewhere = helpers.ready_nomination(
        staff, category=category, agency=helpers.identified_agency(state="TX")
    )
    free = helpers.panel(category, 2, state="VA")

    run = services.assignment_auto(actor=staff, cycle=cycle)

    mine = {row.reviewer for row in run.created if row.nomination_id == nomination.pk}
    assert mine == {pending, *free}
    assert not conflicted & mine
    assert len([row for row in run.created if row.nomination_id == elsewhere.pk]) == 3
    assert run.shortfalls == []
    assert run.categories_without_panel == []


def test_assignment_auto_balances_load_within_one(staff, cycle, category, phase):
    """Six nominations of three seats on a panel of five: loads 4, 4, 4, 3, 3."""
    reviewers = helpers.panel(category, 5)
    nominations = [helpers.ready_nomination(staff, category=category) for _ in range(6)]

    run = services.assignment_auto(actor=staff, cycle=cycle)

    assert len(run.created) == 18
    loads = sorted(Assignment.objects.filter(reviewer=person).count() for person in reviewers)
    assert loads == [3, 3, 4, 4, 4]
    for nomination in nominations:
        assigned = list(nomination.assignments.values_list("reviewer_id", flat=True))
        assert len(assigned) == len(set(assigned)) == 3
    assert all(row.state == A.INVITED for row in run.created)
    assert all(row.due_at == phase.ends_at for row in run.created)


def test_assignment_auto_counts_existing_load(staff, cycle, category, phase):
    """A reviewer who already holds assignments gets fewer new ones."""
    reviewers = helpers.panel(category, 4)
    first = helpers.ready_nomination(staff, category=category)
    helpers.assign(staff, first, reviewers[:3], accept=False)
    others = [helpers.ready_nomination(staff, category=category) for _ in range(3)]

    services.assignment_auto(actor=staff, cycle=cycle)

    loads = {p: Assignment.objects.filter(reviewer=p).count() for p in reviewers}
    assert sorted(loads.values()) == [3, 3, 3, 3]
    assert Assignment.objects.filter(nomination__in=others).count() == 9


def test_assignment_auto_is_deterministic(staff, cycle, category, phase):
    """Run, roll back, run again; delete everything, run again: the same pairs each time."""
    helpers.panel(category, 7)
    for _ in range(5):
        helpers.ready_nomination(staff, category=category)

    with transaction.atomic():
        first = _pairs(services.assignment_auto(actor=staff, cycle=cycle).created)
        transaction.set_rollback(True)
    assert Assignment.objects.count() == 0
    second = _pairs(services.assignment_auto(actor=staff, cycle=cycle).created)
    Assignment.objects.all().delete()
    third = _pairs(services.assignment_auto(actor=staff, cycle=cycle).created)

    assert len(first) == 15
    assert first == second == third


def test_assignment_auto_caps_at_the_maximum_and_reports_shortfalls(staff, cycle, category, phase):
    """Three nominations of three seats, three reviewers of at most two: each one short."""
    cycle.max_assignments_per_reviewer = 2
    cycle.save()
    reviewers = helpers.panel(category, 3)
    nominations = [helpers.ready_nomination(staff, category=category) for _ in range(3)]

    run = services.assignment_auto(actor=staff, cycle=cycle)

    assert len(run.created) == 6
    assert [Assignment.objects.filter(reviewer=p).count() for p in reviewers] == [2, 2, 2]
    assert sorted((n.pk, missing, reason) for n, missing, reason in run.shortfalls) == sorted(
        (n.pk, 1, "every other eligible reviewer is at their maximum") for n in nominations
    )


def test_assignment_auto_reports_too_few_reviewers_without_a_conflict(
    staff, cycle, category, phase
):
    agency = helpers.identified_agency()
    helpers.panel(category, 2)
    helpers.reviewer(category, home_agency=agency)
    nomination = helpers.ready_nomination(staff, category=category, agency=agency)

    run = services.assignment_auto(actor=staff, cycle=cycle)

    assert [(n.pk, missing, reason) for n, missing, reason in run.shortfalls] == [
        (nomination.pk, 1, "only 2 eligible reviewers without a conflict")
    ]
    assert len(run.created) == 2


def test_assignment_auto_reports_categories_without_a_panel(staff, cycle, category, phase):
    """A category with ready nominations and no panel: named, and its nominations short."""
    helpers.panel(category, 3)
    helpers.ready_nomination(staff, category=category)
    lonely = factories.CategoryFactory(cycle=cycle)
    stranded = helpers.ready_nomination(staff, category=lonely)

    run = services.assignment_auto(actor=staff, cycle=cycle)

    assert run.categories_without_panel == [lonely]
    assert [(n.pk, missing, reason) for n, missing, reason in run.shortfalls] == [
        (stranded.pk, 3, "no eligible reviewer without a conflict")
    ]
    assert not stranded.assignments.exists()


def test_assignment_auto_leaves_out_nominations_not_ready(staff, cycle, category, phase):
    """No copy, a copy without summary, a draft, a withdrawn one: none gets reviewers."""
    helpers.panel(category, 3)
    no_copy = factories.submitted_nomination(cycle=cycle, category=category)
    no_summary = helpers.ready_nomination(staff, category=category, executive_summary="")
    draft = factories.NominationFactory(cycle=cycle, category=category, complete=True)
    withdrawn = helpers.ready_nomination(staff, category=category)
    Nomination.objects.filter(pk=withdrawn.pk).update(state=S.WITHDRAWN)

    run = services.assignment_auto(actor=staff, cycle=cycle)

    assert run.created == []
    assert run.shortfalls == []
    assert not Assignment.objects.filter(
        nomination__in=[no_copy, no_summary, draft, withdrawn]
    ).exists()


def test_assignment_auto_emails_each_new_assignment_once_without_identity(
    staff, cycle, category, phase
):
    reviewers = helpers.panel(category, 3)
    nominations = [helpers.ready_nomination(staff, category=category) for _ in range(2)]

    run = services.assignment_auto(actor=staff, cycle=cycle)
    again = services.assignment_auto(actor=staff, cycle=cycle)

    assert again.created == []
    emails = helpers.outbox_rows("review-assigned:")
    assert sorted(e.key for e in emails) == sorted(f"review-assigned:{r.pk}" for r in run.created)
    assert sorted(e.to for e in emails) == sorted([p.email for p in reviewers] * 2)
    for email in emails:
        assert email.subject == "A nomination has been assigned to you for review"
        for nomination in nominations:
            assert helpers.identity_in(f"{email.subject}\n{email.body}", nomination.agency) == []
    assert len(helpers.events(nominations[0], "reviewer_assigned")) == 3


def test_assignment_auto_by_non_staff_is_denied(cycle, category, reviewers, nomination):
    with pytest.raises(PermissionDenied):
        services.assignment_auto(actor=reviewers[0], cycle=cycle)
    assert not Assignment.objects.exists()


# Manual assignment ----------------------------------------------------------------


@pytest.mark.parametrize("rule", ["member", "home agency", "same state", "declared"])
def test_assignment_add_refuses_a_conflicted_reviewer(rule, staff, cycle, category, phase):
    cycle.conflict_same_state = True
    cycle.save()
    agency = helpers.identified_agency(state="OH")
    nomination = helpers.ready_nomination(staff, category=category, agency=agency)
    person = helpers.reviewer(
        category,
        home_agency=agency if rule == "home agency" else None,
        state="OH" if rule == "same state" else "VA",
    )
    if rule == "member":
        factories.MembershipFactory(agency=agency, user=person)
    if rule == "declared":
        Conflict.objects.create(reviewer=person, nomination=nomination, reason="Friend.")
    reason = {
        "member": "they belong to the nominating agency",
        "home agency": "they belong to the nominating agency",
        "same state": "they are from the nominating agency's state, which this cycle rules out",
        "declared": "they declared a conflict of interest with this nomination",
    }[rule]

    with pytest.raises(services.ReviewError) as error:
        services.assignment_add(actor=staff, nomination=nomination, reviewer=person)

    assert str(error.value) == f"{person} cannot be assigned: {reason}."
    assert not Assignment.objects.exists()
    assert helpers.outbox_rows("review-assigned:") == []


def test_assignment_add_refuses_a_duplicate(staff, nomination, reviewers):
    helpers.assign(staff, nomination, reviewers[:1], accept=False)
    with pytest.raises(services.ReviewError) as error:
        services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewers[0])
    assert str(error.value) == (
        f"{reviewers[0]} cannot be assigned: they are already assigned to this nomination."
    )
    assert Assignment.objects.count() == 1


def test_assignment_add_refuses_a_reviewer_at_their_maximum(staff, cycle, category, phase):
    cycle.max_assignments_per_reviewer = 1
    cycle.save()
    person = helpers.reviewer(category)
    first = helpers.ready_nomination(staff, category=category)
    second = helpers.ready_nomination(staff, category=category)
    services.assignment_add(actor=staff, nomination=first, reviewer=person)

    with pytest.raises(services.ReviewError) as error:
        services.assignment_add(actor=staff, nomination=second, reviewer=person)

    assert str(error.value) == (
        f"{person} cannot be assigned: they already hold the most assignments a reviewer "
        "may have in this cycle."
    )
    assert not second.assignments.exists()


def test_assignment_add_refuses_someone_who_is_not_a_reviewer(staff, nomination, user):
    with pytest.raises(services.ReviewError) as error:
        services.assignment_add(actor=staff, nomination=nomination, reviewer=user)
    assert str(error.value) == f"{user} is not a reviewer."


def test_assignment_add_refuses_a_nomination_not_ready(staff, category, phase, reviewers):
    nomination = factories.submitted_nomination(cycle=category.cycle, category=category)
    with pytest.raises(services.ReviewError) as error:
        services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewers[0])
    assert str(error.value) == "Write the executive summary and the redacted copy first."


def test_assignment_add_by_non_staff_is_denied(nomination, reviewers):
    with pytest.raises(PermissionDenied):
        services.assignment_add(actor=reviewers[1], nomination=nomination, reviewer=reviewers[0])
    assert not Assignment.objects.exists()


def test_assignment_add_emails_the_reviewer_blind(staff, nomination, reviewers):
    row = services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewers[0])
    (email,) = helpers.outbox_rows("review-assigned:")
    assert (email.key, email.to) == (f"review-assigned:{row.pk}", reviewers[0].email)
    assert helpers.REDACTED_TITLE in email.body
    assert helpers.identity_in(f"{email.subject}\n{email.body}", nomination.agency) == []


def test_assignment_remove_deletes_an_unsubmitted_assignment(staff, nomination, reviewing):
    row = reviewing[0]
    services.assignment_remove(actor=staff, assignment=row)
    assert not Assignment.objects.filter(pk=row.pk).exists()
    assert helpers.events(nomination, "reviewer_removed") == [
        ("reviewer_removed", "", "", f"Reviewer {row.reviewer.email}")
    ]


def test_assignment_remove_refuses_a_submitted_review(staff, nomination, reviewing):
    row = reviewing[0]
    helpers.submit_review(row, 4.0)
    with pytest.raises(services.ReviewError) as error:
        services.assignment_remove(actor=staff, assignment=row)
    assert str(error.value) == "This review has been submitted; it cannot be removed."
    assert Assignment.objects.filter(pk=row.pk, state=A.SUBMITTED).exists()
    assert Review.objects.filter(assignment=row).exists()


def test_assignment_remove_by_non_staff_is_denied(nomination, reviewing):
    with pytest.raises(PermissionDenied):
        services.assignment_remove(actor=reviewing[0].reviewer, assignment=reviewing[0])
    assert Assignment.objects.filter(pk=reviewing[0].pk).exists()


# Declining ------------------------------------------------------------------------


def test_decline_for_a_conflict_records_it_and_assigns_a_replacement(
    staff, nomination, reviewing, category
):
    """The conflict is recorded as declared and a free panel reviewer is invited at once."""
    spare = helpers.reviewer(category)
    row = reviewing[1]

    services.assignment_decline(
        user=row.reviewer,
        assignment=row,
        reason=DeclineReason.CONFLICT,
        note="  I trained their peers.  ",
    )

    row.refresh_from_db()
    assert (row.state, row.decline_reason, row.decline_note) == (
        A.DECLINED,
        DeclineReason.CONFLICT,
        "I trained their peers.",
    )
    conflict = Conflict.objects.get()
    assert (conflict.reviewer, conflict.nomination_id, conflict.reason) == (
        row.reviewer,
        nomination.pk,
        "I trained their peers.",
    )
    replacement = Assignment.objects.get(nomination=nomination, reviewer=spare)
    assert replacement.state == A.INVITED
    assert [e.to for e in helpers.outbox_rows(f"review-assigned:{replacement.pk}")] == [spare.email]


def test_decline_without_a_free_reviewer_assigns_nobody(staff, nomination, reviewing):
    row = reviewing[0]
    services.assignment_decline(
        user=row.reviewer, assignment=row, reason=DeclineReason.AVAILABILITY
    )
    assert not Conflict.objects.exists()
    assert nomination.assignments.exclude(state=A.DECLINED).count() == 2
    assert nomination.assignments.count() == 3


def test_decline_never_replaces_with_a_conflicted_reviewer(staff, nomination, reviewing, category):
    agency_member = helpers.reviewer(category)
    factories.MembershipFactory(agency=nomination.agency, user=agency_member)
    row = reviewing[0]
    services.assignment_decline(
        user=row.reviewer, assignment=row, reason=DeclineReason.AVAILABILITY
    )
    assert not Assignment.objects.filter(reviewer=agency_member).exists()


@pytest.mark.parametrize(
    ("reason", "note", "message"),
    [
        ("", "", "Choose why you are declining."),
        ("bored", "", "Choose why you are declining."),
        (
            DeclineReason.CONFLICT,
            "   ",
            "Say briefly what the conflict is; only program staff see it.",
        ),
    ],
    ids=["no reason", "unknown reason", "conflict without note"],
)
def test_decline_needs_a_valid_reason(reason, note, message, nomination, reviewing):
    row = reviewing[0]
    with pytest.raises(ValidationError) as error:
        services.assignment_decline(user=row.reviewer, assignment=row, reason=reason, note=note)
    assert error.value.messages == [message]
    assert _assignment_state(row) == A.ACCEPTED


def test_decline_by_another_user_is_denied(nomination, reviewing):
    with pytest.raises(PermissionDenied):
        services.assignment_decline(
            user=reviewing[1].reviewer, assignment=reviewing[0], reason=DeclineReason.OTHER
        )
    assert _assignment_state(reviewing[0]) == A.ACCEPTED
