"""Opening and closing review (`services.phases`): what review needs before it opens
(the review copy, its identity check, enough accepted reviewers) and before it closes."""

import pytest
from django.test import TestCase

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import AssignmentState
from reviews.models import Assignment
from tests import factories
from tests.reviews import helpers

S = NominationState
A = AssignmentState


def _state(nomination):
    return Nomination.objects.values_list("state", flat=True).get(pk=nomination.pk)


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
