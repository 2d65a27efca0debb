"""Decisions: staged by staff, capped at the category's winners, released together."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.core.errors import ServiceError
from dz_awards.core.models import OutboxEmail
from dz_awards.cycles.models import Category
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.nominations.signals import decision_released
from dz_awards.profiles.enums import Award
from dz_awards.profiles.models import Profile
from reviews import selectors, services
from reviews.enums import Outcome
from reviews.models import Decision
from tests import factories
from tests.reviews import helpers

S = NominationState
ALL_STATES = list(NominationState)
# Written out here, not read from reviews.enums.STAGEABLE, so a change to the rules fails a test.
STAGEABLE = {
    Outcome.FINALIST: {S.REVIEWED},
    Outcome.NOT_SELECTED: {S.REVIEWED},
    Outcome.WINNER: {S.REVIEWED, S.FINALIST},
}
STAGE_CASES = [(outcome, state) for outcome in Outcome for state in ALL_STATES]


def _state(nomination):
    return Nomination.objects.values_list("state", flat=True).get(pk=nomination.pk)


@pytest.fixture
def make(staff, category, phase):
    """A nomination of its own agency (an owner and a member) in `state`."""

    def build(state=S.REVIEWED, *, in_category=None):
        agency = helpers.identified_agency()
        factories.OwnerFactory(agency=agency)
        factories.MembershipFactory(agency=agency)
        nomination = helpers.ready_nomination(
            staff, category=in_category or category, agency=agency
        )
        Nomination.objects.filter(pk=nomination.pk).update(state=state)
        return Nomination.objects.get(pk=nomination.pk)

    return build


def _members(nomination):
    """(pk, address) of the agency's approved, active members: who hears the outcome."""
    return sorted(
        nomination.agency.memberships.filter(
            status=MembershipStatus.APPROVED, user__is_active=True
        ).values_list("user_id", "user__email")
    )


# Staging ------------------------------------------------------------------------------


@pytest.mark.parametrize(("outcome", "state"), STAGE_CASES)
def test_stage_follows_the_rules_for_every_state(outcome, state, make, staff):
    nomination = make(state)
    if state in STAGEABLE[outcome]:
        decision = services.decision_stage(actor=staff, nomination=nomination, outcome=outcome)
        assert (decision.outcome, decision.released_at, decision.staged_by) == (
            outcome,
            None,
            staff,
        )
        assert helpers.events(nomination, "decision_staged") == [
            ("decision_staged", "", "", outcome.label)
        ]
    else:
        with pytest.raises(services.ReviewError) as error:
            services.decision_stage(actor=staff, nomination=nomination, outcome=outcome)
        assert str(error.value) == (
            f"This nomination is {state.label.lower()}: it cannot be staged as "
            f"{outcome.label.lower()}."
        )
        assert not Decision.objects.exists()
    # Staging never changes the nomination, nor tells the agency.
    assert _state(nomination) == state
    assert not OutboxEmail.objects.filter(key__startswith="nomination-outcome:").exists()


def test_stage_again_replaces_the_staged_outcome(make, staff):
    nomination = make()
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.FINALIST)
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.NOT_SELECTED)
    assert list(Decision.objects.values_list("nomination", "outcome")) == [
        (nomination.pk, Outcome.NOT_SELECTED)
    ]


def test_stage_unknown_outcome_is_refused(make, staff):
    with pytest.raises(ValidationError):
        services.decision_stage(actor=staff, nomination=make(), outcome="champion")
    assert not Decision.objects.exists()


def test_stage_by_non_staff_is_denied(make, reviewers):
    nomination = make()
    with pytest.raises(PermissionDenied):
        services.decision_stage(actor=reviewers[0], nomination=nomination, outcome=Outcome.FINALIST)
    assert not Decision.objects.exists()


def test_stage_winner_past_the_category_cap_is_refused(make, staff, category):
    """One winner: a second staged winner is refused, the first may be restaged."""
    first, second = make(), make(S.FINALIST)
    services.decision_stage(actor=staff, nomination=first, outcome=Outcome.WINNER)

    with pytest.raises(services.ReviewError) as error:
        services.decision_stage(actor=staff, nomination=second, outcome=Outcome.WINNER)

    assert str(error.value) == f"{category.label} already has its 1 winner (released or staged)."
    assert not Decision.objects.filter(nomination=second).exists()
    services.decision_stage(actor=staff, nomination=first, outcome=Outcome.WINNER)
    services.decision_stage(actor=staff, nomination=first, outcome=Outcome.FINALIST)
    services.decision_stage(actor=staff, nomination=second, outcome=Outcome.WINNER)
    assert dict(Decision.objects.values_list("nomination", "outcome")) == {
        first.pk: Outcome.FINALIST,
        second.pk: Outcome.WINNER,
    }


def test_stage_winner_counts_released_winners(make, staff, category):
    make(S.WINNER)
    with pytest.raises(services.ReviewError) as error:
        services.decision_stage(actor=staff, nomination=make(), outcome=Outcome.WINNER)
    assert str(error.value) == f"{category.label} already has its 1 winner (released or staged)."


def test_stage_winner_cap_is_per_category_and_follows_its_setting(make, staff, cycle, category):
    category.winners = 2
    category.save()
    other = factories.CategoryFactory(cycle=cycle)
    for nomination in (make(), make(), make(in_category=other)):
        services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.WINNER)
    assert Decision.objects.filter(outcome=Outcome.WINNER).count() == 3
    with pytest.raises(services.ReviewError) as error:
        services.decision_stage(actor=staff, nomination=make(), outcome=Outcome.WINNER)
    assert str(error.value) == f"{category.label} already has its 2 winners (released or staged)."


def test_unstage_removes_a_staged_decision_only(make, staff, cycle):
    staged, released = make(), make()
    services.decision_stage(actor=staff, nomination=staged, outcome=Outcome.FINALIST)
    services.decision_stage(actor=staff, nomination=released, outcome=Outcome.NOT_SELECTED)
    Decision.objects.filter(nomination=released).update(released_at="2030-01-01T00:00:00Z")

    assert services.decision_unstage(actor=staff, nomination=staged) is True
    assert services.decision_unstage(actor=staff, nomination=staged) is False
    assert services.decision_unstage(actor=staff, nomination=released) is False

    assert list(Decision.objects.values_list("nomination", flat=True)) == [released.pk]
    assert helpers.events(staged, "decision_unstaged") == [("decision_unstaged", "", "", "")]
    assert list(selectors.staged_decisions(cycle)) == []


def test_unstage_by_non_staff_is_denied(make, staff, reviewers):
    nomination = make()
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.FINALIST)
    with pytest.raises(PermissionDenied):
        services.decision_unstage(actor=reviewers[0], nomination=nomination)
    assert Decision.objects.count() == 1


# Releasing ---------------------------------------------------------------------------------


def test_release_applies_every_decision_and_emails_each_agency_member_once(make, staff, cycle):
    finalist, winner, declined = make(), make(), make()
    factories.MembershipFactory(agency=declined.agency, user__is_active=False)
    factories.MembershipFactory(agency=declined.agency, status=MembershipStatus.PENDING)
    elsewhere = make(in_category=factories.CategoryFactory(cycle=factories.CycleFactory()))
    services.decision_stage(actor=staff, nomination=elsewhere, outcome=Outcome.FINALIST)
    outcomes = {
        finalist: Outcome.FINALIST,
        winner: Outcome.WINNER,
        declined: Outcome.NOT_SELECTED,
    }
    for nomination, outcome in outcomes.items():
        services.decision_stage(actor=staff, nomination=nomination, outcome=outcome)
    assert {n.pk for n in selectors.staged_decisions(cycle)} == {n.pk for n in outcomes}

    released = services.decisions_release(actor=staff, cycle=cycle)

    assert {d.nomination_id for d in released} == {n.pk for n in outcomes}
    assert (_state(finalist), _state(winner), _state(declined)) == (
        S.FINALIST,
        S.WINNER,
        S.NOT_SELECTED,
    )
    # The other cycle's staged decision waits for its own release.
    assert list(Decision.objects.filter(released_at__isnull=True).values_list("nomination")) == [
        (elsewhere.pk,)
    ]
    assert _state(elsewhere) == S.REVIEWED
    assert set(
        Decision.objects.exclude(nomination=elsewhere).values_list("released_by", flat=True)
    ) == {staff.pk}
    assert list(selectors.staged_decisions(cycle)) == []
    emails = OutboxEmail.objects.filter(key__startswith="nomination-outcome:")
    assert sorted((e.key, e.to) for e in emails) == sorted(
        (f"nomination-outcome:{n.pk}:{outcome}:{pk}", email)
        for n, outcome in outcomes.items()
        for pk, email in _members(n)
    )
    assert len(emails) == 6
    for email in emails:
        nomination = Nomination.objects.get(pk=email.key.split(":")[1])
        assert email.subject == f"Decision on your nomination: {nomination}"
    assert [e[0] for e in helpers.events(winner) if e[0].startswith("nomination_")] == [
        "nomination_advanced",
        "nomination_awarded",
    ]
    assert helpers.events(cycle, "decisions_released") == [
        ("decisions_released", "", "", "3 decisions")
    ]


def test_release_winner_of_a_finalist_awards_it(make, staff, cycle):
    nomination = make(S.FINALIST)
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.WINNER)
    services.decisions_release(actor=staff, cycle=cycle)
    assert _state(nomination) == S.WINNER
    assert [e[0] for e in helpers.events(nomination) if e[0].startswith("nomination_")] == [
        "nomination_awarded"
    ]


def test_release_is_all_or_nothing(make, staff, cycle, category):
    """The staged winners no longer fit (staff lowered the category's winners meanwhile):
    nothing is released, not even the decisions applied before the refusal."""
    category.winners = 2
    category.save()
    finalist, declined, first, second = make(), make(), make(), make()
    for number, nomination in enumerate((first, second), 1):
        Nomination.objects.filter(pk=nomination.pk).update(title=f"Staged winner {number}")
    services.decision_stage(actor=staff, nomination=finalist, outcome=Outcome.FINALIST)
    services.decision_stage(actor=staff, nomination=declined, outcome=Outcome.NOT_SELECTED)
    services.decision_stage(actor=staff, nomination=first, outcome=Outcome.WINNER)
    services.decision_stage(actor=staff, nomination=second, outcome=Outcome.WINNER)
    Category.objects.filter(pk=category.pk).update(winners=1)

    with pytest.raises(services.ReviewError) as error:
        services.decisions_release(actor=staff, cycle=cycle)

    # The release takes the staged winners in nomination order; the first one refused.
    assert str(error.value) in {
        f"Nothing was released. Staged winner {number}: "
        f"{category.label} already has its 1 winner (released or staged)."
        for number in (1, 2)
    }
    assert {_state(n) for n in (finalist, declined, first, second)} == {S.REVIEWED}
    assert Decision.objects.filter(released_at__isnull=True).count() == 4
    assert not OutboxEmail.objects.filter(key__startswith="nomination-outcome:").exists()
    assert helpers.events(cycle, "decisions_released") == []
    assert helpers.events(finalist, "nomination_advanced") == []
    assert helpers.events(declined, "nomination_declined") == []


def test_release_sends_decision_released_for_each_finalist_and_winner(make, staff, cycle):
    """Profiles (or any app above nominations) hears of each finalist and winner, in the
    release's transaction and after the nomination reached its new state."""
    finalist, winner, declined = make(), make(), make()
    services.decision_stage(actor=staff, nomination=finalist, outcome=Outcome.FINALIST)
    services.decision_stage(actor=staff, nomination=winner, outcome=Outcome.WINNER)
    services.decision_stage(actor=staff, nomination=declined, outcome=Outcome.NOT_SELECTED)
    heard = []

    def receiver(sender, *, actor, nomination, outcome, **kwargs):
        heard.append((sender, actor, nomination.pk, _state(nomination), outcome))

    decision_released.connect(receiver, dispatch_uid="test_release_heard")
    try:
        services.decisions_release(actor=staff, cycle=cycle)
    finally:
        decision_released.disconnect(dispatch_uid="test_release_heard")

    assert sorted(heard, key=lambda row: row[4]) == [
        (Nomination, staff, finalist.pk, S.FINALIST, Outcome.FINALIST),
        (Nomination, staff, winner.pk, S.WINNER, Outcome.WINNER),
    ]


def test_release_refused_by_a_receiver_releases_nothing(make, staff, cycle):
    """A receiver that refuses (as profiles would, could it not make the profile) undoes
    the whole release, and its reason reaches staff."""
    finalist, declined = make(), make()
    Nomination.objects.filter(pk=finalist.pk).update(title="Refused finalist")
    services.decision_stage(actor=staff, nomination=finalist, outcome=Outcome.FINALIST)
    services.decision_stage(actor=staff, nomination=declined, outcome=Outcome.NOT_SELECTED)

    def refusing(sender, **kwargs):
        raise ServiceError("The public profile could not be started.")

    decision_released.connect(refusing, dispatch_uid="test_release_refused")
    try:
        with pytest.raises(services.ReviewError) as error:
            services.decisions_release(actor=staff, cycle=cycle)
    finally:
        decision_released.disconnect(dispatch_uid="test_release_refused")

    assert str(error.value) == (
        "Nothing was released. Refused finalist: The public profile could not be started."
    )
    assert (_state(finalist), _state(declined)) == (S.REVIEWED, S.REVIEWED)
    assert Decision.objects.filter(released_at__isnull=True).count() == 2
    assert not Profile.objects.exists()
    assert not OutboxEmail.objects.filter(key__startswith="nomination-outcome:").exists()
    assert helpers.events(cycle, "decisions_released") == []


def test_release_starts_a_draft_profile_for_finalists_and_winners(make, staff, cycle):
    finalist, winner, declined = make(), make(), make()
    services.decision_stage(actor=staff, nomination=finalist, outcome=Outcome.FINALIST)
    services.decision_stage(actor=staff, nomination=winner, outcome=Outcome.WINNER)
    services.decision_stage(actor=staff, nomination=declined, outcome=Outcome.NOT_SELECTED)
    services.decisions_release(actor=staff, cycle=cycle)
    assert sorted(Profile.objects.values_list("nomination", "award")) == sorted(
        [(finalist.pk, Award.FINALIST), (winner.pk, Award.WINNER)]
    )


def test_release_with_a_nomination_moved_on_meanwhile_releases_nothing(make, staff, cycle):
    """A staged nomination withdrawn (or otherwise moved) since: nothing is released."""
    first, second = make(), make()
    services.decision_stage(actor=staff, nomination=first, outcome=Outcome.FINALIST)
    services.decision_stage(actor=staff, nomination=second, outcome=Outcome.NOT_SELECTED)
    Nomination.objects.filter(pk=second.pk).update(state=S.WITHDRAWN)

    with pytest.raises(services.ReviewError) as error:
        services.decisions_release(actor=staff, cycle=cycle)

    assert str(error.value).startswith("Nothing was released.")
    assert (_state(first), _state(second)) == (S.REVIEWED, S.WITHDRAWN)
    assert not Decision.objects.filter(released_at__isnull=False).exists()


def test_release_with_nothing_staged_is_refused(staff, cycle):
    with pytest.raises(services.ReviewError) as error:
        services.decisions_release(actor=staff, cycle=cycle)
    assert str(error.value) == "There are no staged decisions to release."


def test_release_twice_releases_once(make, staff, cycle):
    nomination = make()
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.FINALIST)
    services.decisions_release(actor=staff, cycle=cycle)
    with pytest.raises(services.ReviewError):
        services.decisions_release(actor=staff, cycle=cycle)
    assert OutboxEmail.objects.filter(key__startswith="nomination-outcome:").count() == 2


def test_release_by_non_staff_is_denied(make, staff, cycle, reviewers):
    nomination = make()
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.FINALIST)
    with pytest.raises(PermissionDenied):
        services.decisions_release(actor=reviewers[0], cycle=cycle)
    assert _state(nomination) == S.REVIEWED


# Awarding directly -------------------------------------------------------------------------


def test_award_past_the_category_cap_is_refused(make, staff, category):
    first, second = make(S.FINALIST), make(S.FINALIST)
    services.nomination_award(actor=staff, nomination=first)
    with pytest.raises(services.ReviewError) as error:
        services.nomination_award(actor=staff, nomination=second)
    assert str(error.value) == f"{category.label} already has its 1 winner (released or staged)."
    assert (_state(first), _state(second)) == (S.WINNER, S.FINALIST)


def test_award_counts_staged_winners(make, staff, category):
    """A winner staged for release holds its seat: a finalist cannot take it by direct award."""
    staged, finalist = make(), make(S.FINALIST)
    services.decision_stage(actor=staff, nomination=staged, outcome=Outcome.WINNER)
    with pytest.raises(services.ReviewError) as error:
        services.nomination_award(actor=staff, nomination=finalist)
    assert str(error.value) == f"{category.label} already has its 1 winner (released or staged)."
    assert _state(finalist) == S.FINALIST


def test_award_cap_follows_the_category_setting(make, staff, category):
    category.winners = 2
    category.save()
    first, second, third = make(S.FINALIST), make(S.FINALIST), make(S.FINALIST)
    services.nomination_award(actor=staff, nomination=first)
    services.nomination_award(actor=staff, nomination=second)
    with pytest.raises(services.ReviewError) as error:
        services.nomination_award(actor=staff, nomination=third)
    assert str(error.value) == f"{category.label} already has its 2 winners (released or staged)."
    assert _state(third) == S.FINALIST
