"""The review services: opening and closing review, writing reviews, assigning reviewers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import AssignmentState, DeclineReason
from reviews.models import (
    Assignment,
    Conflict,
    Criterion,
    Review,
    ReviewCopy,
    ReviewPhase,
    Score,
)
from tests import factories
from tests.files import pdf_upload
from tests.reviews import helpers

S = NominationState
A = AssignmentState


def _state(nomination):
    return Nomination.objects.values_list("state", flat=True).get(pk=nomination.pk)


def _assignment_state(row):
    return Assignment.objects.values_list("state", flat=True).get(pk=row.pk)


def _pairs(rows):
    return sorted((row.nomination_id, row.reviewer_id) for row in rows)


def _accepted(nomination, reviewers):
    """Accepted assignments written directly: for nominations the services would refuse."""
    return [
        Assignment.objects.create(nomination=nomination, reviewer=person, state=A.ACCEPTED)
        for person in reviewers
    ]


# Open review ----------------------------------------------------------------------


def test_open_review_moves_to_in_review_and_emails_accepted_reviewers_blind(
    staff, category, phase, reviewers
):
    """Submitted → in review; every accepted reviewer (not an invited one) gets a blind email."""
    nomination = helpers.ready_nomination(staff, category=category)
    helpers.assign(staff, nomination, reviewers)
    late = helpers.reviewer(category)
    helpers.assign(staff, nomination, [late], accept=False)

    services.nomination_open_review(actor=staff, nomination=nomination)

    assert _state(nomination) == S.IN_REVIEW
    assert helpers.events(nomination, "review_opened") == [
        ("review_opened", S.SUBMITTED, S.IN_REVIEW, "")
    ]
    emails = helpers.outbox_rows("review-open:")
    assert sorted(e.to for e in emails) == sorted(r.email for r in reviewers)
    assert all(e.subject == "A nomination is ready for your scores" for e in emails)
    for email in emails:
        assert helpers.REDACTED_TITLE in email.body
        assert helpers.identity_in(f"{email.subject}\n{email.body}", nomination.agency) == []


@pytest.mark.parametrize(
    "missing", ["executive_summary", "redacted_title", "redacted_text", "copy"]
)
def test_open_review_without_summary_or_redacted_copy_is_refused(
    missing, staff, category, phase, reviewers
):
    """Review needs the executive summary, the title for reviewers and the redacted copy."""
    if missing == "copy":
        nomination = factories.submitted_nomination(cycle=category.cycle, category=category)
    else:
        nomination = helpers.ready_nomination(staff, category=category, **{missing: "  "})
    _accepted(nomination, reviewers)

    with pytest.raises(services.ReviewError) as error:
        services.nomination_open_review(actor=staff, nomination=nomination)

    assert str(error.value) == (
        "Write the executive summary, the title for reviewers and the redacted copy."
    )
    assert _state(nomination) == S.SUBMITTED
    assert helpers.events(nomination, "review_opened") == []
    assert helpers.outbox_rows("review-open:") == []


def test_open_review_before_the_identity_check_ran_is_refused(staff, category, phase, reviewers):
    """A copy saved but not yet checked cannot open review; once checked, it can."""
    nomination = factories.submitted_nomination(cycle=category.cycle, category=category)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary=helpers.EXECUTIVE_SUMMARY,
            redacted_title=helpers.REDACTED_TITLE,
            redacted_text=helpers.REDACTED_TEXT,
            files=[],
        )
    _accepted(nomination, reviewers)

    with pytest.raises(services.ReviewError) as error:
        services.nomination_open_review(actor=staff, nomination=nomination)
    assert str(error.value) == "The identity check of the review copy has not finished yet."
    assert _state(nomination) == S.SUBMITTED

    for callback in callbacks:
        callback()
    services.nomination_open_review(actor=staff, nomination=nomination)
    assert _state(nomination) == S.IN_REVIEW


def test_open_review_with_identity_in_the_copy_is_refused(staff, category, phase, reviewers):
    """The check found the agency's city in the redacted copy: review stays closed."""
    agency = helpers.identified_agency()
    nomination = helpers.ready_nomination(
        staff,
        category=category,
        agency=agency,
        redacted_text=f"Officers in {agency.city} trained fourteen peers.",
    )
    assert helpers.copy_of(nomination).leaks == [{"where": "the redacted copy", "what": "city"}]
    _accepted(nomination, reviewers)

    with pytest.raises(services.ReviewError) as error:
        services.nomination_open_review(actor=staff, nomination=nomination)

    assert str(error.value) == (
        "The identity check found the agency's identity in the review copy or its files."
    )
    assert _state(nomination) == S.SUBMITTED


def test_open_review_with_too_few_accepted_reviewers_is_refused(staff, category, phase, reviewers):
    """Two accepted and one still invited, of three needed: refused, with the count."""
    nomination = helpers.ready_nomination(staff, category=category)
    helpers.assign(staff, nomination, reviewers[:2])
    helpers.assign(staff, nomination, reviewers[2:], accept=False)

    with pytest.raises(services.ReviewError) as error:
        services.nomination_open_review(actor=staff, nomination=nomination)

    assert str(error.value) == "2 of the 3 reviewers needed have accepted."
    assert _state(nomination) == S.SUBMITTED
    assert helpers.outbox_rows("review-open:") == []


def test_open_review_does_not_count_a_conflicted_accepted_reviewer(
    staff, category, phase, reviewers
):
    """A reviewer who joined the agency after accepting is conflicted and does not count."""
    nomination = helpers.ready_nomination(staff, category=category)
    helpers.assign(staff, nomination, reviewers)
    factories.MembershipFactory(agency=nomination.agency, user=reviewers[0])

    with pytest.raises(services.ReviewError) as error:
        services.nomination_open_review(actor=staff, nomination=nomination)
    assert str(error.value) == "2 of the 3 reviewers needed have accepted."


def test_open_review_with_every_problem_lists_them_all(staff, category, phase):
    """No copy and nobody accepted: both problems, in one message."""
    nomination = factories.submitted_nomination(cycle=category.cycle, category=category)
    with pytest.raises(services.ReviewError) as error:
        services.nomination_open_review(actor=staff, nomination=nomination)
    assert str(error.value) == (
        "Write the executive summary, the title for reviewers and the redacted copy. "
        "0 of the 3 reviewers needed have accepted."
    )


# Close review ---------------------------------------------------------------------


def test_close_review_with_every_review_in_moves_to_reviewed(staff, nomination, reviewing):
    for row, total in zip(reviewing, [3.0, 4.0, 5.0], strict=True):
        helpers.submit_review(row, total)

    services.nomination_close_review(actor=staff, nomination=nomination)

    assert _state(nomination) == S.REVIEWED
    assert helpers.events(nomination, "review_closed") == [
        ("review_closed", S.IN_REVIEW, S.REVIEWED, "")
    ]


def test_close_review_with_reviews_missing_is_refused(staff, nomination, reviewing):
    """One review still being written: refused, saying what is missing."""
    helpers.submit_review(reviewing[0], 3.0)
    helpers.submit_review(reviewing[1], 4.0)

    with pytest.raises(services.ReviewError) as error:
        services.nomination_close_review(actor=staff, nomination=nomination)

    assert str(error.value) == (
        "1 assigned review is not in. 2 of the 3 reviews needed count. "
        "Give a reason to close review anyway."
    )
    assert _state(nomination) == S.IN_REVIEW
    assert helpers.events(nomination, "review_closed") == []


def test_close_review_with_blank_override_reason_is_refused(staff, nomination, reviewing):
    helpers.submit_review(reviewing[0], 3.0)
    with pytest.raises(services.ReviewError):
        services.nomination_close_review(
            actor=staff, nomination=nomination, override_reason="  \n "
        )
    assert _state(nomination) == S.IN_REVIEW


def test_close_review_with_override_reason_closes_and_records_it(staff, nomination, reviewing):
    """Staff may close early with a reason; the audit trail keeps the reason."""
    helpers.submit_review(reviewing[0], 3.0)

    services.nomination_close_review(
        actor=staff, nomination=nomination, override_reason="  Reviewer on leave.  "
    )

    assert _state(nomination) == S.REVIEWED
    assert helpers.events(nomination, "review_closed") == [
        ("review_closed", S.IN_REVIEW, S.REVIEWED, "Closed early: Reviewer on leave.")
    ]


def test_close_review_does_not_count_a_conflicted_submitted_review(staff, nomination, reviewing):
    """Three reviews in, but one reviewer has since declared a conflict: two count."""
    for row, total in zip(reviewing, [3.0, 4.0, 5.0], strict=True):
        helpers.submit_review(row, total)
    services.conflict_declare(
        user=reviewing[2].reviewer, assignment=reviewing[2], reason="My cousin runs it."
    )

    with pytest.raises(services.ReviewError) as error:
        services.nomination_close_review(actor=staff, nomination=nomination)
    assert str(error.value).startswith("2 of the 3 reviews needed count.")
    assert _state(nomination) == S.IN_REVIEW


# Writing a review -----------------------------------------------------------------


def test_review_draft_keeps_incomplete_data(nomination, reviewing):
    """A draft stores what was typed, complete or not, and derives no total."""
    row = reviewing[0]
    _rubric, criteria = services.selectors.criteria_for(nomination)
    data = helpers.review_input(
        nomination,
        scores={criteria[0].pk: 4},
        overall_comment="Half done.",
        confidence="",
        justification="",
    )

    review = services.review_save(user=row.reviewer, assignment=row, data=data)

    review.refresh_from_db()
    assert (review.overall_comment, review.confidence, review.version) == ("Half done.", "", 2)
    assert review.total is None
    assert review.submitted_at is None
    assert dict(Score.objects.filter(review=review).values_list("criterion_id", "score")) == {
        c.pk: (4 if c == criteria[0] else None) for c in criteria
    }
    assert _assignment_state(row) == A.ACCEPTED
    assert helpers.events(row, "review_submitted") == []


def test_review_submit_incomplete_lists_every_problem_and_saves_nothing(nomination, reviewing):
    row = reviewing[0]
    _rubric, criteria = services.selectors.criteria_for(nomination)
    scores = {c.pk: 3 for c in criteria[1:]}
    data = helpers.review_input(nomination, scores=scores, overall_comment=" ", confidence="x")

    with pytest.raises(services.IncompleteReviewError) as error:
        services.review_save(user=row.reviewer, assignment=row, data=data, submit=True)

    assert error.value.problems == {
        f"score_{criteria[0].pk}": f"Give {criteria[0].name} a score.",
        "overall_comment": "Write an overall comment.",
        "confidence": "Say how confident you are in this review.",
    }
    assert _assignment_state(row) == A.ACCEPTED
    assert not Review.objects.filter(assignment=row, submitted_at__isnull=False).exists()


def test_review_submit_derives_the_weighted_total(staff, cycle, category, phase, reviewers):
    """Weights 2.5, 0.5 and four of 1: the total is the weighted mean, not the plain one.

    Scores 4, 1, 5, 3, 2, 4 with weights 2.5, 0.5, 1, 1, 1, 1:
    (2.5*4 + 0.5*1 + 5 + 3 + 2 + 4) / (2.5 + 0.5 + 4) = 24.5 / 7 = 3.5
    (the plain mean would be 19 / 6 = 3.1666...).
    """
    Criterion.objects.filter(rubric__cycle=cycle, code="results").update(weight=Decimal("2.5"))
    Criterion.objects.filter(rubric__cycle=cycle, code="integration").update(weight=Decimal("0.5"))
    nomination, rows = helpers.in_review(staff, category, reviewers)
    _rubric, criteria = services.selectors.criteria_for(nomination)
    scores = dict(zip([c.pk for c in criteria], [4, 1, 5, 3, 2, 4], strict=True))
    row = rows[0]

    review = services.review_save(
        user=row.reviewer,
        assignment=row,
        data=helpers.review_input(nomination, scores=scores),
        submit=True,
    )

    review.refresh_from_db()
    assert review.total == Decimal("3.500000000")
    assert review.submitted_at is not None
    assert _assignment_state(row) == A.SUBMITTED
    assert helpers.events(row) == [
        ("assignment_accepted", A.INVITED, A.ACCEPTED, ""),
        ("review_submitted", A.ACCEPTED, A.SUBMITTED, ""),
    ]


def test_review_submit_total_is_derived_even_when_not_exact(nomination, reviewing):
    """Six criteria of weight 1 scored 5, 5, 4, 4, 4, 4: 26 / 6, kept to 9 decimals."""
    _rubric, criteria = services.selectors.criteria_for(nomination)
    scores = dict(zip([c.pk for c in criteria], [5, 5, 4, 4, 4, 4], strict=True))
    row = reviewing[0]
    services.review_save(
        user=row.reviewer,
        assignment=row,
        data=helpers.review_input(nomination, scores=scores),
        submit=True,
    )
    assert Review.objects.get(assignment=row).total == Decimal("4.333333333")


def test_review_stale_version_is_a_conflict_and_overwrites_nothing(nomination, reviewing):
    """Two windows opened at version 1: the second save is refused, the first text stays."""
    row = reviewing[0]
    first = helpers.review_input(nomination, total=4.0, overall_comment="From window one.")
    services.review_save(user=row.reviewer, assignment=row, data=first)
    second = helpers.review_input(nomination, total=2.0, overall_comment="From window two.")

    with pytest.raises(services.ReviewConflictError) as error:
        services.review_save(user=row.reviewer, assignment=row, data=second, submit=True)

    assert "changed in another window" in str(error.value)
    review = Review.objects.get(assignment=row)
    assert (review.overall_comment, review.version, review.total) == ("From window one.", 2, None)
    assert set(Score.objects.filter(review=review).values_list("score", flat=True)) == {4}
    assert _assignment_state(row) == A.ACCEPTED


@pytest.mark.parametrize("how", ["reviews closed", "phase over", "no phase yet"])
def test_review_outside_an_open_phase_is_refused(how, nomination, reviewing, phase):
    row = reviewing[0]
    now = timezone.now()
    if how == "reviews closed":
        ReviewPhase.objects.filter(pk=phase.pk).update(reviews_open=False)
    elif how == "phase over":
        ReviewPhase.objects.filter(pk=phase.pk).update(
            starts_at=now - timedelta(days=9), ends_at=now - timedelta(seconds=1)
        )
    else:
        ReviewPhase.objects.filter(pk=phase.pk).update(
            starts_at=now + timedelta(seconds=5), ends_at=now + timedelta(days=9)
        )

    with pytest.raises(services.ReviewError) as error:
        helpers.submit_review(row, 4.0)

    assert str(error.value) == "The review phase is closed: reviews cannot be changed now."
    assert not Review.objects.filter(assignment=row).exists()
    assert _assignment_state(row) == A.ACCEPTED


@pytest.mark.parametrize("state", [S.SUBMITTED, S.REVIEWED, S.WITHDRAWN, S.FINALIST])
def test_review_of_a_nomination_not_in_review_is_refused(state, nomination, reviewing):
    row = reviewing[0]
    Nomination.objects.filter(pk=nomination.pk).update(state=state)
    with pytest.raises(services.ReviewError) as error:
        helpers.submit_review(row, 4.0)
    assert str(error.value) == "Review of this nomination is not open."
    assert not Review.objects.filter(assignment=row).exists()


def test_review_of_an_invited_assignment_is_refused(staff, nomination, reviewing, category):
    late = helpers.reviewer(category)
    (row,) = helpers.assign(staff, nomination, [late], accept=False)
    with pytest.raises(services.ReviewError) as error:
        helpers.submit_review(row, 4.0)
    assert str(error.value) == "Accept the assignment before writing the review."
    assert _assignment_state(row) == A.INVITED


def test_review_of_a_declined_assignment_is_refused(nomination, reviewing):
    row = reviewing[0]
    services.assignment_decline(user=row.reviewer, assignment=row, reason=DeclineReason.OTHER)
    with pytest.raises(services.ReviewError) as error:
        helpers.submit_review(row, 4.0)
    assert str(error.value) == "You declined this assignment."
    assert not Review.objects.filter(assignment=row).exists()


def test_review_by_another_reviewer_is_denied(nomination, reviewing):
    row, other = reviewing[0], reviewing[1]
    with pytest.raises(PermissionDenied):
        services.review_save(
            user=other.reviewer,
            assignment=row,
            data=helpers.review_input(nomination, total=4.0),
            submit=True,
        )
    assert not Review.objects.filter(assignment=row).exists()


def test_review_revising_a_submitted_review_updates_the_same_row(nomination, reviewing):
    """Submitting again changes the total of the one review; submitted_at stays the first."""
    row = reviewing[0]
    first = helpers.submit_review(row, 3.0)
    submitted_at = Review.objects.get(pk=first.pk).submitted_at

    helpers.submit_review(row, 4.5)

    review = Review.objects.get(assignment=row)
    assert Review.objects.filter(assignment=row).count() == 1
    assert review.pk == first.pk
    assert review.total == Decimal("4.500000000")
    assert review.submitted_at == submitted_at
    assert review.version == 3
    assert [e[0] for e in helpers.events(row)] == [
        "assignment_accepted",
        "review_submitted",
        "review_revised",
    ]


def test_review_draft_of_a_submitted_review_is_refused(nomination, reviewing):
    row = reviewing[0]
    helpers.submit_review(row, 3.0)
    data = helpers.review_input(nomination, total=1.0, version=2)
    with pytest.raises(services.ReviewError) as error:
        services.review_save(user=row.reviewer, assignment=row, data=data)
    assert "has been submitted" in str(error.value)
    assert Review.objects.get(assignment=row).total == Decimal("3.000000000")


def test_reopen_clears_submission_and_emails_the_reviewer(staff, nomination, reviewing):
    """Staff reopen: accepted again, no total, no submitted_at; the review can be resubmitted."""
    row = reviewing[0]
    helpers.submit_review(row, 3.0)

    services.assignment_reopen(actor=staff, assignment=row)

    review = Review.objects.get(assignment=row)
    assert (review.submitted_at, review.total) == (None, None)
    assert review.overall_comment == helpers.COMMENT
    assert _assignment_state(row) == A.ACCEPTED
    (email,) = helpers.outbox_rows("review-reopened:")
    assert email.to == row.reviewer.email
    assert helpers.identity_in(f"{email.subject}\n{email.body}", nomination.agency) == []

    helpers.submit_review(row, 4.0)
    review.refresh_from_db()
    assert review.total == Decimal("4.000000000")
    assert review.submitted_at is not None
    assert [e[0] for e in helpers.events(row)] == [
        "assignment_accepted",
        "review_submitted",
        "review_reopened",
        "review_submitted",
    ]


# Automatic assignment --------------------------------------------------------------


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
        "member": "own agency",
        "home agency": "own agency",
        "same state": "same state",
        "declared": "declared",
    }[rule]

    with pytest.raises(services.ReviewError) as error:
        services.assignment_add(actor=staff, nomination=nomination, reviewer=person)

    assert str(error.value) == f"{person} cannot be assigned: conflict: {reason}."
    assert not Assignment.objects.exists()
    assert helpers.outbox_rows("review-assigned:") == []


def test_assignment_add_refuses_a_duplicate(staff, nomination, reviewers):
    helpers.assign(staff, nomination, reviewers[:1], accept=False)
    with pytest.raises(services.ReviewError) as error:
        services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewers[0])
    assert str(error.value) == f"{reviewers[0]} cannot be assigned: already assigned."
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

    assert str(error.value) == f"{person} cannot be assigned: at their maximum."
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


# The review copy ------------------------------------------------------------------


def test_review_copy_save_only_accepts_files_of_the_latest_submission(staff, category, phase):
    nomination = helpers.ready_nomination(
        staff, category=category, uploads=[(pdf_upload("policy.pdf"), "")]
    )
    other = helpers.ready_nomination(
        staff, category=category, uploads=[(pdf_upload("other.pdf"), "")]
    )
    foreign = list(other.evidence.all())

    with pytest.raises(services.ReviewError) as error:
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary="Changed.",
            redacted_title="Changed",
            redacted_text="Changed.",
            files=foreign,
        )

    assert str(error.value) == (
        "Only ready files of the latest submission can be shown to reviewers."
    )
    assert ReviewCopy.objects.get(nomination=nomination).executive_summary == (
        helpers.EXECUTIVE_SUMMARY
    )


def test_review_copy_save_by_non_staff_is_denied(nomination, reviewers):
    with pytest.raises(PermissionDenied):
        services.review_copy_save(
            actor=reviewers[0],
            nomination=nomination,
            executive_summary="Mine.",
            redacted_title="Mine",
            redacted_text="Mine.",
            files=[],
        )
    assert helpers.copy_of(nomination).executive_summary == helpers.EXECUTIVE_SUMMARY


@pytest.mark.parametrize("state", [S.FINALIST, S.WITHDRAWN, S.DRAFT, S.RETURNED])
def test_review_copy_save_after_review_is_refused(state, staff, nomination):
    Nomination.objects.filter(pk=nomination.pk).update(state=state)
    with pytest.raises(services.ReviewError):
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary="Late.",
            redacted_title="Late",
            redacted_text="Late.",
            files=[],
        )
    assert OutboxEmail.objects.filter(key__startswith="review-copy").count() == 0
    assert helpers.copy_of(nomination).executive_summary == helpers.EXECUTIVE_SUMMARY
