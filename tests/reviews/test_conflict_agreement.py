"""The conflict rule is stated twice: once in SQL (`AssignmentQuerySet.without_conflicts`,
which decides what reviewers see and which reviews count) and once over plain values
(`assignment.is_conflicted`, which decides whom the planner and staff may assign, fed
by `services.planner_candidates` and `services.planner_items`). Over random small
worlds, the two must name exactly the same (reviewer, nomination) pairs.
"""

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.cycles.models import Cycle
from reviews import assignment as planner
from reviews import selectors, services
from reviews.models import Assignment, Conflict
from tests import factories
from tests.reviews import helpers

AGENCY_STATES = ["", "OH", "VA"]
REVIEWER_STATES = ["", "OH", "VA"]
MAX_AGENCIES = 3


@st.composite
def worlds(draw):
    """Agencies (by state), reviewers, nominations (by agency) and declared conflicts."""
    agencies = draw(st.lists(st.sampled_from(AGENCY_STATES), min_size=1, max_size=MAX_AGENCIES))
    agency_index = st.integers(min_value=0, max_value=len(agencies) - 1)
    reviewers = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "profile": st.booleans(),
                    "home_agency": st.none() | agency_index,
                    "state": st.sampled_from(REVIEWER_STATES),
                    "memberships": st.dictionaries(
                        agency_index, st.sampled_from(list(MembershipStatus)), max_size=2
                    ),
                }
            ),
            min_size=1,
            max_size=4,
        )
    )
    nominations = draw(st.lists(agency_index, min_size=1, max_size=3))
    pairs = [(r, n) for r in range(len(reviewers)) for n in range(len(nominations))]
    declared = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs)))
    return {
        "agencies": agencies,
        "reviewers": reviewers,
        "nominations": nominations,
        "declared": declared,
    }


def _build(world, *, same_state=False):
    """The world through the factories and review builders, with every pair assigned."""
    staff = factories.StaffFactory()
    cycle = helpers.review_cycle(staff, conflict_same_state=same_state)
    category = factories.CategoryFactory(cycle=cycle)
    agencies = [factories.AgencyFactory(state=state) for state in world["agencies"]]
    people = []
    for spec in world["reviewers"]:
        home = agencies[spec["home_agency"]] if spec["home_agency"] is not None else None
        person = helpers.reviewer(
            category, home_agency=home, state=spec["state"], profile=spec["profile"]
        )
        for index, status in spec["memberships"].items():
            factories.MembershipFactory(agency=agencies[index], user=person, status=status)
        people.append(person)
    nominations = [
        factories.submitted_nomination(agency=agencies[index], cycle=cycle, category=category)
        for index in world["nominations"]
    ]
    for r, n in world["declared"]:
        Conflict.objects.create(reviewer=people[r], nomination=nominations[n], reason="Declared")
    # Every pair gets an assignment, so that the SQL rule has a row to keep or leave out.
    for person in people:
        for nomination in nominations:
            Assignment.objects.create(nomination=nomination, reviewer=person, assigned_by=staff)
    return cycle, people, nominations


def _conflicted_in_sql(nominations):
    everything = Assignment.objects.filter(nomination__in=nominations)
    kept = set(selectors.exclude_conflicted(everything).values_list("reviewer", "nomination"))
    return set(everything.values_list("reviewer", "nomination")) - kept


def _conflicted_in_planner(cycle, people, nominations):
    candidates = services.planner_candidates(people, cycle)
    items = services.planner_items(nominations, cycle)
    return {
        (candidate.reviewer_id, item.nomination_id)
        for candidate in candidates
        for item in items
        if planner.is_conflicted(candidate, item, same_state_rule=cycle.conflict_same_state)
    }


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, database=None)
@given(world=worlds())
def test_sql_and_planner_agree_on_every_conflicted_pair(world):
    # Each example is its own world: built and rolled back inside one savepoint.
    with transaction.atomic():
        try:
            cycle, people, nominations = _build(world)
            # The same world under both settings of the cycle's same-state rule.
            for same_state in (False, True):
                Cycle.objects.filter(pk=cycle.pk).update(conflict_same_state=same_state)
                cycle.refresh_from_db()
                assert _conflicted_in_sql(nominations) == _conflicted_in_planner(
                    cycle, people, nominations
                ), f"conflict_same_state={same_state}"
        finally:
            transaction.set_rollback(True)


# One world per rule, each conflicting the one pair by that rule alone.
ONE_RULE_WORLDS = {
    "declared": ({"declared": {(0, 0)}}, False),
    "approved membership": ({"memberships": {0: MembershipStatus.APPROVED}}, False),
    "home agency": ({"home_agency": 0}, False),
    "same state": ({"state": "OH"}, True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("rule", list(ONE_RULE_WORLDS))
def test_each_rule_alone_conflicts_the_pair_in_both_statements(rule):
    """The agreement above is not vacuous: each rule on its own conflicts in both."""
    changes, same_state = ONE_RULE_WORLDS[rule]
    reviewer = {"profile": True, "home_agency": None, "state": "", "memberships": {}}
    reviewer |= {k: v for k, v in changes.items() if k in reviewer}
    world = {
        "agencies": ["OH"],
        "reviewers": [reviewer],
        "nominations": [0],
        "declared": changes.get("declared", set()),
    }
    cycle, people, nominations = _build(world, same_state=same_state)
    expected = {(people[0].pk, nominations[0].pk)}
    assert _conflicted_in_sql(nominations) == expected
    assert _conflicted_in_planner(cycle, people, nominations) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("agency_state", "reviewer_state", "conflicted"),
    [("OH", "OH", True), ("OH", "VA", False), ("OH", "", False), ("", "", False)],
)
def test_same_state_needs_a_state_on_both_sides(agency_state, reviewer_state, conflicted):
    """Two blank states are not the same state, in SQL as in the planner."""
    world = {
        "agencies": [agency_state],
        "reviewers": [
            {"profile": True, "home_agency": None, "state": reviewer_state, "memberships": {}}
        ],
        "nominations": [0],
        "declared": set(),
    }
    cycle, people, nominations = _build(world, same_state=True)
    expected = {(people[0].pk, nominations[0].pk)} if conflicted else set()
    assert _conflicted_in_sql(nominations) == expected
    assert _conflicted_in_planner(cycle, people, nominations) == expected
