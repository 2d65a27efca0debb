"""Writing a review (`services.reviews`): drafts, submission with a derived total,
stale versions, who may write when, revising and staff reopening."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import selectors, services
from reviews.enums import AssignmentState, DeclineReason
from reviews.models import Criterion, Review, ReviewPhase, Score
from tests.reviews import helpers
from tests.reviews.helpers import assignment_state as _assignment_state

S = NominationState
A = AssignmentState


def test_review_draft_keeps_incomplete_data(nomination, reviewing):
    """A draft stores what was typed, complete or not, and derives no total."""
    row = reviewing[0]
    _rubric, criteria = selectors.criteria_for(nomination)
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
    _rubric, criteria = selectors.criteria_for(nomination)
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
    _rubric, criteria = selectors.criteria_for(nomination)
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
    _rubric, criteria = selectors.criteria_for(nomination)
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
