"""Every review transition guard, over every state, through the services.

Nomination: open_review, close_review, advance, decline, award (staff only).
Assignment: accept, decline, submit (review_save with submit), reopen.
From an allowed state the transition happens and is audited; from any other
state the service raises ReviewError with a message for the person and
nothing moves; someone without the right gets PermissionDenied in every state.

Every test starts from the same world, built once for the module
(`tests.worlds.module_world`); each runs in a savepoint inside it, on fresh
copies of its rows, and builds there what it needs beyond it (a state, a
fourth reviewer's assignment).
"""

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import AssignmentState, DeclineReason
from reviews.models import Assignment, Review
from tests import factories
from tests.reviews import helpers
from tests.worlds import fresh, module_world_fixture

S = NominationState
A = AssignmentState
ALL_STATES = list(NominationState)
ALL_ASSIGNMENT_STATES = list(AssignmentState)

# Written out here rather than read from the models, so a change to a lifecycle fails a test.
NOMINATION_TRANSITIONS = {
    "open_review": (
        services.nomination_open_review,
        S.SUBMITTED,
        S.IN_REVIEW,
        "review_opened",
        "This nomination is {state}: review cannot open.",
    ),
    "close_review": (
        services.nomination_close_review,
        S.IN_REVIEW,
        S.REVIEWED,
        "review_closed",
        "This nomination is {state}: review is not open.",
    ),
    "advance": (
        services.nomination_advance,
        S.REVIEWED,
        S.FINALIST,
        "nomination_advanced",
        "This nomination is already {state}: the decision was not made.",
    ),
    "decline": (
        services.nomination_decline,
        S.REVIEWED,
        S.NOT_SELECTED,
        "nomination_declined",
        "This nomination is already {state}: the decision was not made.",
    ),
    "award": (
        services.nomination_award,
        S.FINALIST,
        S.WINNER,
        "nomination_awarded",
        "This nomination is already {state}: the decision was not made.",
    ),
}
REFUSED = [
    (name, state)
    for name, (_service, source, *_rest) in NOMINATION_TRANSITIONS.items()
    for state in ALL_STATES
    if state != source
]
EVERY = [(name, state) for name in NOMINATION_TRANSITIONS for state in ALL_STATES]
REVIEW_ACTIONS = list(NOMINATION_TRANSITIONS.values())


def _state(nomination):
    return Nomination.objects.values_list("state", flat=True).get(pk=nomination.pk)


def _review_actions(nomination):
    actions = {action for *_rest, action, _message in REVIEW_ACTIONS}
    return [event for event in helpers.events(nomination) if event[0] in actions]


@dataclass(frozen=True)
class World:
    """A category of a cycle open for review (blind phase running, default rubric)."""

    staff: object
    category: object
    reviewers: list  # the category's panel of three, in order
    reviewed: Nomination  # in review, all three reviewers' reviews in (3.0, 4.0, 4.5)
    in_review: Nomination  # in review, the three reviewers' assignments accepted, no review


def build_world():
    staff = factories.StaffFactory()
    cycle = helpers.review_cycle(staff)
    category = factories.CategoryFactory(cycle=cycle)
    helpers.review_phase(cycle)
    reviewers = helpers.panel(category, 3)
    reviewed = helpers.ready_nomination(staff, category=category)
    for row, total in zip(
        helpers.open_review(staff, reviewed, reviewers), [3.0, 4.0, 4.5], strict=True
    ):
        helpers.submit_review(row, total)
    in_review = helpers.ready_nomination(staff, category=category)
    helpers.open_review(staff, in_review, reviewers)
    return World(
        staff=staff,
        category=category,
        reviewers=reviewers,
        reviewed=reviewed,
        in_review=in_review,
    )


transitions_world = module_world_fixture("transitions_world", build_world, with_media_root=True)


@pytest.fixture
def world(transitions_world, db, settings):
    """The module's world in one test (a savepoint in it), its files readable."""
    shared, media_root = transitions_world
    settings.MEDIA_ROOT = media_root
    return shared


@pytest.fixture
def staff(world):
    """The world's member of staff, read again."""
    return fresh(world.staff)


@pytest.fixture
def reviewers(world):
    """The category's three reviewers, read again, in order."""
    return [fresh(person) for person in world.reviewers]


@pytest.fixture
def reviewed_world(world):
    """The nomination whose three reviews are in, put in any state by the test.

    From each transition's source state everything that transition needs is
    there: checked copy, three reviewers (submitted counts as accepted), three
    reviews in, no winner yet in the category.
    """

    def put(state):
        Nomination.objects.filter(pk=world.reviewed.pk).update(state=state)
        return Nomination.objects.get(pk=world.reviewed.pk)

    return put


@pytest.mark.parametrize("name", list(NOMINATION_TRANSITIONS))
def test_nomination_transition_from_its_source_state_moves_and_is_audited(
    name, reviewed_world, staff
):
    service, source, target, action, _message = NOMINATION_TRANSITIONS[name]
    nomination = reviewed_world(source)
    before = _review_actions(nomination)

    result = service(actor=staff, nomination=nomination)

    assert result.state == target
    assert _state(nomination) == target
    assert _review_actions(nomination) == [*before, (action, source, target, "")]


@pytest.mark.parametrize(("name", "state"), REFUSED)
def test_nomination_transition_from_any_other_state_is_refused(name, state, reviewed_world, staff):
    service, _source, _target, _action, message = NOMINATION_TRANSITIONS[name]
    nomination = reviewed_world(state)
    before = _review_actions(nomination)

    with pytest.raises(services.ReviewError) as error:
        service(actor=staff, nomination=nomination)

    assert str(error.value) == message.format(state=state.label.lower())
    assert _state(nomination) == state
    assert _review_actions(nomination) == before


@pytest.mark.parametrize(("name", "state"), EVERY)
def test_nomination_transition_by_a_reviewer_is_denied_in_every_state(
    name, state, reviewed_world, reviewers
):
    service = NOMINATION_TRANSITIONS[name][0]
    nomination = reviewed_world(state)
    before = _review_actions(nomination)
    with pytest.raises(PermissionDenied):
        service(actor=reviewers[0], nomination=nomination)
    assert _state(nomination) == state
    assert _review_actions(nomination) == before


@pytest.mark.parametrize("who", ["agency member", "signed-up user", "deactivated staff"])
@pytest.mark.parametrize("name", list(NOMINATION_TRANSITIONS))
def test_nomination_transition_by_non_staff_is_denied(name, who, reviewed_world):
    service, source, *_rest = NOMINATION_TRANSITIONS[name]
    nomination = reviewed_world(source)
    person = {
        "agency member": lambda: factories.MembershipFactory(agency=nomination.agency).user,
        "signed-up user": factories.UserFactory,
        "deactivated staff": lambda: factories.StaffFactory(is_active=False),
    }[who]()
    with pytest.raises(PermissionDenied):
        service(actor=person, nomination=nomination)
    assert _state(nomination) == source


def test_nomination_transition_from_a_stale_copy_is_refused(reviewed_world, staff):
    """A copy read before another member of staff advanced the nomination cannot decline it."""
    nomination = reviewed_world(S.REVIEWED)
    stale = Nomination.objects.get(pk=nomination.pk)
    services.nomination_advance(actor=staff, nomination=nomination)

    with pytest.raises(services.ReviewError) as error:
        services.nomination_decline(actor=staff, nomination=stale)

    assert str(error.value) == "This nomination is already finalist: the decision was not made."
    assert _state(nomination) == S.FINALIST


# Assignments ----------------------------------------------------------------------


def _assignment_state(row):
    return Assignment.objects.values_list("state", flat=True).get(pk=row.pk)


@pytest.fixture
def assignment_in(world, staff):
    """An assignment of a fourth reviewer of the nomination in review (its three reviewers'
    assignments accepted), in a given state, reached through the services."""

    def build(state):
        person = helpers.reviewer(fresh(world.category))
        nomination = fresh(world.in_review)
        row = services.assignment_add(actor=staff, nomination=nomination, reviewer=person)
        if state == A.DECLINED:
            services.assignment_decline(user=person, assignment=row, reason=DeclineReason.OTHER)
        if state in (A.ACCEPTED, A.SUBMITTED):
            services.assignment_accept(user=person, assignment=row)
        if state == A.SUBMITTED:
            helpers.submit_review(row, 4.0)
        row = Assignment.objects.select_related("nomination", "reviewer").get(pk=row.pk)
        assert row.state == state
        return row

    return build


def _accept(row, user, staff):
    return services.assignment_accept(user=user, assignment=row)


def _decline(row, user, staff):
    return services.assignment_decline(user=user, assignment=row, reason=DeclineReason.OTHER)


def _submit(row, user, staff):
    data = helpers.review_input(row.nomination, total=3.5, version=helpers.current_version(row))
    services.review_save(user=user, assignment=row, data=data, submit=True)


def _reopen(row, user, staff):
    return services.assignment_reopen(actor=staff, assignment=row)


# action: (call, {allowed source: target}, audit action, refusal for other states)
ASSIGNMENT_TRANSITIONS = {
    "accept": (
        _accept,
        {A.INVITED: A.ACCEPTED},
        "assignment_accepted",
        lambda state: f"This assignment is already {state.label.lower()}.",
    ),
    "decline": (
        _decline,
        {A.INVITED: A.DECLINED, A.ACCEPTED: A.DECLINED},
        "assignment_declined",
        lambda state: f"This assignment is {state.label.lower()} and can no longer be declined.",
    ),
    "submit": (
        _submit,
        # Submitting a submitted review revises it: allowed, and it stays submitted.
        {A.ACCEPTED: A.SUBMITTED, A.SUBMITTED: A.SUBMITTED},
        "review_submitted",
        {
            A.INVITED: "Accept the assignment before writing the review.",
            A.DECLINED: "You declined this assignment.",
        }.get,
    ),
    "reopen": (
        _reopen,
        {A.SUBMITTED: A.ACCEPTED},
        "review_reopened",
        lambda state: (
            f"This assignment is {state.label.lower()}; only a submitted review can be reopened."
        ),
    ),
}
ASSIGNMENT_CASES = [
    (name, state) for name in ASSIGNMENT_TRANSITIONS for state in ALL_ASSIGNMENT_STATES
]


@pytest.mark.parametrize(("name", "state"), ASSIGNMENT_CASES)
def test_assignment_transition_guard_in_every_state(name, state, assignment_in, staff):
    call, allowed, action, refusal = ASSIGNMENT_TRANSITIONS[name]
    row = assignment_in(state)
    before = helpers.events(row)

    if state in allowed:
        call(row, row.reviewer, staff)
        assert _assignment_state(row) == allowed[state]
        new = helpers.events(row)[len(before) :]
        expected = "review_revised" if (name, state) == ("submit", A.SUBMITTED) else action
        assert [(e[0], e[1], e[2]) for e in new] == [(expected, state, allowed[state])]
    else:
        with pytest.raises(services.ReviewError) as error:
            call(row, row.reviewer, staff)
        assert str(error.value) == refusal(state)
        assert _assignment_state(row) == state
        assert helpers.events(row) == before


@pytest.mark.parametrize(
    ("name", "state"), [case for case in ASSIGNMENT_CASES if case[0] != "reopen"]
)
def test_assignment_transition_by_another_reviewer_is_denied_in_every_state(
    name, state, assignment_in, reviewers, staff
):
    call = ASSIGNMENT_TRANSITIONS[name][0]
    row = assignment_in(state)
    before = helpers.events(row)
    with pytest.raises(PermissionDenied):
        call(row, reviewers[0], staff)
    assert _assignment_state(row) == state
    assert helpers.events(row) == before


@pytest.mark.parametrize("state", ALL_ASSIGNMENT_STATES)
def test_assignment_reopen_by_non_staff_is_denied_in_every_state(state, assignment_in):
    row = assignment_in(state)
    with pytest.raises(PermissionDenied):
        services.assignment_reopen(actor=row.reviewer, assignment=row)
    assert _assignment_state(row) == state


def test_assignment_reopen_keeps_the_review_text(assignment_in, staff):
    row = assignment_in(A.SUBMITTED)
    services.assignment_reopen(actor=staff, assignment=row)
    review = Review.objects.get(assignment=row)
    assert (review.overall_comment, review.submitted_at, review.total) == (
        helpers.COMMENT,
        None,
        None,
    )
