"""The review policy services: `policy_update` (staff's guidelines, preferences window and
sharing), `assignment_accept` with the guidelines read, and `guidelines_mark_read`."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from reviews import selectors, services
from reviews.enums import AssignmentState, FeedbackPosition, Outcome
from reviews.models import Assignment, ReviewPolicy
from tests import factories
from tests.reviews import helpers

A = AssignmentState
EASTERN = ZoneInfo("America/New_York")
GUIDELINES = "## Before you score\n\nRead the executive summary first.\nThen the copy."
EXAMPLE = "A program with **before and after** figures earns a 4 on results."


def update(staff, cycle, **changes):
    """`policy_update` with the stored values (the defaults at first) and `changes`."""
    policy = selectors.review_policy(cycle)
    values = {
        "guidelines": policy.guidelines,
        "calibration_example": policy.calibration_example,
        "preferences_due_at": policy.preferences_due_at,
        "share_feedback": policy.share_feedback,
        "feedback_position": policy.feedback_position,
        **changes,
    }
    return services.policy_update(actor=staff, cycle=cycle, **values)


def policy_events(cycle):
    policy = ReviewPolicy.objects.filter(cycle=cycle).first()
    return [message for _a, _f, _t, message in helpers.events(policy)] if policy else []


# policy_update --------------------------------------------------------------------


def test_policy_update_versions_only_a_change_of_words(staff, cycle):
    """The first text is version 1; the same words again (with the browser's line breaks
    and outer blanks) change nothing; a new example is version 2; other settings keep it."""
    assert not ReviewPolicy.objects.filter(cycle=cycle).exists()

    first = update(staff, cycle, guidelines=GUIDELINES.replace("\n", "\r\n"))
    assert first.pk is not None
    assert first.guidelines == GUIDELINES
    assert (first.guidelines_version, first.guidelines_updated_by) == (1, staff)
    stamped = first.guidelines_updated_at

    same = update(staff, cycle, guidelines=f"  {GUIDELINES}\n")
    assert (same.guidelines_version, same.guidelines_updated_at) == (1, stamped)

    other = factories.StaffFactory()
    second = update(other, cycle, calibration_example=EXAMPLE)
    assert (second.guidelines_version, second.guidelines_updated_by) == (2, other)
    assert second.guidelines_updated_at > stamped

    due = datetime(2031, 1, 15, 23, 59, tzinfo=EASTERN)
    third = update(
        staff,
        cycle,
        preferences_due_at=due,
        share_feedback=True,
        feedback_position=FeedbackPosition.RANK,
    )
    assert third.guidelines_version == 2
    stored = ReviewPolicy.objects.get(cycle=cycle)
    assert (stored.preferences_due_at, stored.share_feedback, stored.feedback_position) == (
        due,
        True,
        FeedbackPosition.RANK,
    )
    assert ReviewPolicy.objects.filter(cycle=cycle).count() == 1


def test_policy_update_audits_each_change_with_before_and_after_not_the_text(staff, cycle):
    update(staff, cycle, guidelines=GUIDELINES)
    update(staff, cycle, guidelines=GUIDELINES)  # nothing changed: nothing recorded
    update(
        staff,
        cycle,
        guidelines="Shorter.",
        preferences_due_at=datetime(2031, 1, 15, 23, 59, tzinfo=EASTERN),
        share_feedback=True,
        feedback_position=FeedbackPosition.RANK,
    )
    length = len(GUIDELINES)
    assert policy_events(cycle) == [
        f"Guidelines changed (0 → {length} characters); guidelines version 0 → 1",
        (
            "Share comments with agencies: no → yes; "
            f"guidelines changed ({length} → 8 characters); guidelines version 1 → 2; "
            "preferences due: not asked → Wed 15 Jan 2031, 11:59 p.m. ET; "
            "where agencies see their score: A band (for example, the top quarter) → "
            "The rank (for example, 2nd of 9)"
        ),
    ]
    assert all("Before you score" not in message for message in policy_events(cycle))


@pytest.mark.parametrize("who", ["reviewer", "agency member", "anonymous"])
def test_policy_update_is_for_staff_only(cycle, category, who):
    person = {
        "reviewer": lambda: helpers.reviewer(category),
        "agency member": lambda: factories.MembershipFactory().user,
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PermissionDenied):
        services.policy_update(
            actor=person,
            cycle=cycle,
            guidelines=GUIDELINES,
            calibration_example="",
            preferences_due_at=None,
            share_feedback=True,
            feedback_position=FeedbackPosition.BAND,
        )
    assert not ReviewPolicy.objects.filter(cycle=cycle).exists()


def test_policy_update_refuses_an_unknown_position(staff, cycle):
    with pytest.raises(ValidationError):
        update(staff, cycle, feedback_position="podium")
    assert not ReviewPolicy.objects.filter(cycle=cycle, feedback_position="podium").exists()


def test_policy_update_locks_sharing_once_a_decision_is_released(staff):
    cycle = helpers.review_cycle(staff, reviewers_per_nomination=1)
    category = factories.CategoryFactory(cycle=cycle)
    helpers.review_phase(cycle)
    update(staff, cycle, share_feedback=True)
    nomination, (row,) = helpers.in_review(staff, category, [helpers.reviewer(category)])
    helpers.submit_review(row, 4)
    services.nomination_close_review(actor=staff, nomination=nomination)
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.NOT_SELECTED)
    # Staged, not released: sharing may still change.
    update(staff, cycle, share_feedback=False)
    update(staff, cycle, share_feedback=True)
    services.decisions_release(actor=staff, cycle=cycle)

    with pytest.raises(services.ReviewError) as refused:
        update(staff, cycle, share_feedback=False, guidelines=GUIDELINES)
    assert str(refused.value) == (
        f"Decisions of {cycle.name} have been released, so whether reviewers' comments are "
        "shared with agencies, and how agencies see where their score fell, can no longer "
        "change: agencies may already have read them."
    )
    with pytest.raises(services.ReviewError):
        update(staff, cycle, feedback_position=FeedbackPosition.RANK)
    stored = ReviewPolicy.objects.get(cycle=cycle)
    assert (stored.share_feedback, stored.guidelines, stored.guidelines_version) == (True, "", 0)
    assert stored.feedback_position == FeedbackPosition.BAND
    # Everything else may still change.
    assert update(staff, cycle, guidelines=GUIDELINES).guidelines_version == 1


# Accepting with the guidelines read -------------------------------------------------


@pytest.fixture
def invited(staff, category, phase):
    """Two reviewers invited to a ready nomination (not accepted)."""
    nomination = helpers.ready_nomination(staff, category=category)
    return helpers.assign(staff, nomination, helpers.panel(category, 2), accept=False)


def stored_version(row):
    return Assignment.objects.values_list("state", "guidelines_version").get(pk=row.pk)


def test_accept_without_guidelines_stores_no_version(invited):
    row = invited[0]
    services.assignment_accept(user=row.reviewer, assignment=row, guidelines_version=None)
    assert stored_version(row) == (A.ACCEPTED, None)


def test_accept_with_guidelines_stores_the_version_read(staff, cycle, invited):
    update(staff, cycle, guidelines=GUIDELINES)
    update(staff, cycle, guidelines=f"{GUIDELINES} Also the files.")
    row = invited[0]
    services.assignment_accept(user=row.reviewer, assignment=row, guidelines_version=2)
    assert stored_version(row) == (A.ACCEPTED, 2)
    assert helpers.events(row, "assignment_accepted") == [
        ("assignment_accepted", A.INVITED, A.ACCEPTED, "")
    ]


@pytest.mark.parametrize(
    ("shown", "message"),
    [
        (
            1,
            (
                "The reviewer guidelines changed since this page was opened: version 2 is "
                "current now. Read it, then tick the box again to accept."
            ),
        ),
        (
            None,
            "Read the reviewer guidelines (version 2) and tick the box to say so before accepting.",
        ),
    ],
)
def test_accept_with_a_stale_or_no_version_is_refused(staff, cycle, invited, shown, message):
    update(staff, cycle, guidelines=GUIDELINES)
    update(staff, cycle, calibration_example=EXAMPLE)
    row = invited[0]
    with pytest.raises(services.ReviewError) as refused:
        services.assignment_accept(user=row.reviewer, assignment=row, guidelines_version=shown)
    assert str(refused.value) == message
    assert stored_version(row) == (A.INVITED, None)


def test_accept_after_guidelines_were_emptied_needs_no_reading(staff, cycle, invited):
    update(staff, cycle, guidelines=GUIDELINES)
    update(staff, cycle, guidelines="")
    assert selectors.review_policy(cycle).guidelines_version == 2
    row = invited[0]
    services.assignment_accept(user=row.reviewer, assignment=row)
    assert stored_version(row) == (A.ACCEPTED, None)


# guidelines_mark_read --------------------------------------------------------------


def test_mark_read_puts_the_version_on_every_accepted_assignment(staff, cycle, category, phase):
    person = helpers.reviewer(category)
    first = helpers.ready_nomination(staff, category=category)
    second = helpers.ready_nomination(staff, category=category)
    third = helpers.ready_nomination(staff, category=category)
    (accepted,) = helpers.assign(staff, first, [person])
    submitted, *_others = helpers.open_review(staff, second, [person, *helpers.panel(category, 2)])
    helpers.submit_review(submitted, 4)
    (waiting,) = helpers.assign(staff, third, [person], accept=False)
    update(staff, cycle, guidelines=GUIDELINES)

    with pytest.raises(services.ReviewError, match="version 1 is current now"):
        services.guidelines_mark_read(user=person, cycle=cycle, guidelines_version=7)
    assert services.guidelines_mark_read(user=person, cycle=cycle, guidelines_version=1) == 2

    assert [stored_version(r) for r in (accepted, submitted, waiting)] == [
        (A.ACCEPTED, 1),
        (A.SUBMITTED, 1),
        (A.INVITED, None),
    ]
    assert policy_events(cycle)[-1] == "Version 1"
    assert selectors.guidelines_read_by_cycle(person) == {cycle.pk: {1}}


def test_mark_read_refuses_without_guidelines_or_accepted_assignments(staff, cycle, category):
    person = helpers.reviewer(category)
    with pytest.raises(services.ReviewError, match="no reviewer guidelines"):
        services.guidelines_mark_read(user=person, cycle=cycle, guidelines_version=1)
    update(staff, cycle, guidelines=GUIDELINES)
    with pytest.raises(services.ReviewError, match="no accepted assignment in this cycle"):
        services.guidelines_mark_read(user=person, cycle=cycle, guidelines_version=1)


def test_policy_change_sets_what_it_names_and_keeps_the_rest(staff):
    cycle = helpers.review_cycle(staff)
    update(staff, cycle, guidelines=GUIDELINES, feedback_position=FeedbackPosition.RANK)
    changed = services.policy_change(actor=staff, cycle=cycle, share_feedback=True)
    assert (changed.share_feedback, changed.guidelines, changed.feedback_position) == (
        True,
        GUIDELINES,
        FeedbackPosition.RANK,
    )
    assert changed.guidelines_version == 1
    with pytest.raises(TypeError, match="Not a review policy setting: colour"):
        services.policy_change(actor=staff, cycle=cycle, colour="blue")
