"""The planner with reviewers' preferences (`assignment.plan`, `Item.eager`, `Item.unwilling`).

Preferences never cost a rule: the plan fills as many seats, balances loads and
spreads what is missing exactly as well as without them, and only then has the
fewest unwilling seats, then the most eager ones. Checked by hand on small cases,
by brute force over every plan of small panels, over random worlds (hypothesis),
in any input order, and against today's costs when nobody states a preference.
"""

from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import (
    Candidate,
    Item,
    Plan,
    Unwilling,
    _BalancedFlow,
    _sorted_unique,
    is_conflicted,
    plan,
)
from tests.reviews.test_assignment import assert_plan_keeps_rules, eligible_ids

AGENCIES = ["a1", "a2", "a3"]
STATES = ["OH", "PA"]


def reviewer(reviewer_id, *agency_ids, state=None, max_load=None, current_load=0):
    return Candidate(reviewer_id, frozenset(agency_ids), state, max_load, current_load)


def nomination(nomination_id, *, needed=1, agency_id=None, eager=(), unwilling=(), **fields):
    return Item(
        nomination_id,
        agency_id,
        None,
        needed,
        eager=frozenset(eager),
        unwilling=frozenset(unwilling),
        **fields,
    )


def unstated(items):
    """The same nominations with no preference stated."""
    return [
        Item(
            item.nomination_id,
            item.agency_id,
            item.state,
            item.needed,
            item.already,
            item.declared_conflicts,
        )
        for item in items
    ]


# Worlds --------------------------------------------------------------------------------


@st.composite
def worlds(draw, *, reviewers=6, nominations=6, needed=3, preferences=True, constrained=True):
    """(items, candidates, same_state_rule): conflicts, maxima, loads and preferences.

    Each (nomination, reviewer) pair is eager, willing or unwilling at random, so that
    most worlds hold choices preferences decide; `constrained=False` leaves out the
    agencies, states and maxima that would rule most choices out on a small panel.
    """
    ids = [f"r{number}" for number in range(draw(st.integers(1, reviewers)))]
    maybe = (lambda strategy: strategy) if constrained else (lambda _strategy: st.none())
    candidates = [
        reviewer(
            reviewer_id,
            *(draw(st.sets(st.sampled_from(AGENCIES), max_size=1)) if constrained else ()),
            state=draw(maybe(st.sampled_from([None, *STATES]))),
            max_load=draw(maybe(st.sampled_from([None, None, 0, 1, 2, 3]))),
            current_load=draw(st.integers(0, 2)),
        )
        for reviewer_id in ids
    ]
    choice = st.sampled_from(["willing", "eager", "unwilling"] if preferences else ["willing"])
    items = []
    for number in range(draw(st.integers(1, nominations))):
        stated = {reviewer_id: draw(choice) for reviewer_id in ids}
        items.append(
            Item(
                nomination_id=f"n{number}",
                agency_id=draw(maybe(st.sampled_from([None, *AGENCIES]))),
                state=draw(maybe(st.sampled_from([None, *STATES]))),
                needed=draw(st.integers(0, needed)),
                already=frozenset(draw(st.sets(st.sampled_from(ids), max_size=1))),
                declared_conflicts=frozenset(
                    draw(st.sets(st.sampled_from(ids), max_size=1)) if constrained else ()
                ),
                eager=frozenset(r for r, p in stated.items() if p == "eager"),
                unwilling=frozenset(r for r, p in stated.items() if p == "unwilling"),
            )
        )
    return items, candidates, draw(st.booleans())


def chosen_by_item(items, result):
    chosen = {item.nomination_id: set() for item in items}
    for nomination_id, reviewer_id in result.assignments:
        chosen[nomination_id].add(reviewer_id)
    return [chosen[item.nomination_id] for item in items]


def key_of(items, candidates, choice):
    """What the plan optimises, in order: seats (most), sum of squared loads, sum of squared
    gaps, unwilling seats (fewest), eager seats (most)."""
    loads = {candidate.reviewer_id: candidate.current_load for candidate in candidates}
    for chosen in choice:
        for reviewer_id in chosen:
            loads[reviewer_id] += 1
    pairs = [(item, r) for item, chosen in zip(items, choice, strict=True) for r in chosen]
    return (
        -len(pairs),
        sum(load * load for load in loads.values()),
        sum((item.needed - len(chosen)) ** 2 for item, chosen in zip(items, choice, strict=True)),
        sum(1 for item, r in pairs if r in item.unwilling),
        -sum(1 for item, r in pairs if r in item.eager),
    )


def best_key_by_brute_force(items, candidates, *, same_state_rule):
    """Try every plan that keeps the rules; the best key any of them reaches."""
    options = []
    for item in items:
        eligible = sorted(eligible_ids(item, candidates, same_state_rule=same_state_rule))
        options.append(
            [
                set(chosen)
                for size in range(min(item.needed, len(eligible)) + 1)
                for chosen in combinations(eligible, size)
            ]
        )
    best = None
    for choice in product(*options):
        extra = {candidate.reviewer_id: 0 for candidate in candidates}
        for chosen in choice:
            for reviewer_id in chosen:
                extra[reviewer_id] += 1
        if any(
            extra[c.reviewer_id]
            and c.max_load is not None
            and c.current_load + extra[c.reviewer_id] > c.max_load
            for c in candidates
        ):
            continue
        key = key_of(items, candidates, choice)
        best = key if best is None else min(best, key)
    return best


# Today's costs, kept here as the reference ----------------------------------------------


class TodaysFlow(_BalancedFlow):
    """The flow with the costs it had before preferences existed, copied verbatim: the
    plan without preferences must be exactly the plan these costs give."""

    def edges(self, node):
        if node == 0:
            for item, count in enumerate(self.needed):
                if self.filled[item] < count:
                    yield 1 + item, 2 * (self.most_needed - count + self.filled[item]) + 1
        elif node <= self.item_count:
            item = node - 1
            for reviewer_id in self.eligible[item]:
                if reviewer_id not in self.chosen[item]:
                    yield 1 + self.item_count + reviewer_id, 0
        elif node != self.sink:
            reviewer_id = node - 1 - self.item_count
            for item in sorted(self.holding[reviewer_id]):
                yield 1 + item, 0
            limit = self.capacity[reviewer_id]
            if limit is None or self.used[reviewer_id] < limit:
                load = self.base_load[reviewer_id] + self.used[reviewer_id]
                yield self.sink, self.weight * (2 * load + 1)


def todays_assignments(items, candidates, *, same_state_rule):
    items = _sorted_unique(items, lambda item: item.nomination_id, "nomination")
    candidates = _sorted_unique(candidates, lambda c: c.reviewer_id, "reviewer")
    flow = TodaysFlow(
        needed=[item.needed for item in items],
        eligible=[
            [
                index
                for index, c in enumerate(candidates)
                if c.reviewer_id not in item.already
                and is_conflicted(c, item, same_state_rule=same_state_rule) is None
            ]
            for item in items
        ],
        base_load=[c.current_load for c in candidates],
        capacity=[
            None if c.max_load is None else max(0, c.max_load - c.current_load) for c in candidates
        ],
        pair_cost=None,
        scale=1,
    )
    while flow.augment():
        pass
    return tuple(
        (item.nomination_id, candidates[index].reviewer_id)
        for item, chosen in zip(items, flow.chosen, strict=True)
        for index in sorted(chosen)
    )


# By hand -----------------------------------------------------------------------------------


def test_plan_eager_beats_willing_beats_unwilling():
    """Without preferences the tie goes to the earlier id; a preference decides it."""
    candidates = [reviewer("r1"), reviewer("r2")]
    assert plan([nomination("n1")], candidates).assignments == (("n1", "r1"),)
    assert plan([nomination("n1", eager={"r2"})], candidates).assignments == (("n1", "r2"),)
    assert plan([nomination("n1", unwilling={"r1"})], candidates).assignments == (("n1", "r2"),)
    both = plan([nomination("n1", eager={"r1"}, unwilling={"r2"})], candidates)
    assert both.assignments == (("n1", "r1"),)
    assert both.unwilling == ()


def test_plan_one_unwilling_seat_fewer_beats_an_eager_one():
    """r1 eager for n1 and r2 unwilling for n2, one seat each: giving r1 n1 would force r2
    onto n2; the plan gives both a seat they are willing to take instead."""
    candidates = [reviewer("r1", max_load=1), reviewer("r2", max_load=1)]
    items = [nomination("n1", eager={"r1"}), nomination("n2", unwilling={"r2"})]
    assert plan(items, candidates) == Plan(
        assignments=(("n1", "r2"), ("n2", "r1")), shortfalls=(), loads=(("r1", 1), ("r2", 1))
    )


def test_plan_one_unwilling_seat_fewer_beats_any_number_of_eager_ones():
    """One seat each. Everyone on their eager nomination leaves r4 unwilling on n4 (three
    eager seats, one unwilling); the only plan with no unwilling seat has three willing
    ones and one eager: it is the one."""
    candidates = [reviewer(f"r{number}", max_load=1) for number in range(1, 5)]
    items = [
        nomination("n1", eager={"r1"}),
        nomination("n2", eager={"r2"}, unwilling={"r4"}),
        nomination("n3", eager={"r3"}, unwilling={"r4"}),
        nomination("n4", unwilling={"r1", "r3", "r4"}),
    ]
    result = plan(items, candidates)
    assert result.assignments == (("n1", "r4"), ("n2", "r1"), ("n3", "r3"), ("n4", "r2"))
    assert result.unwilling == ()


def test_plan_spreads_what_is_missing_before_following_preferences():
    """Two free seats for two nominations needing two each: one each, although both
    reviewers would rather review n1 twice than n2 at all."""
    candidates = [reviewer("r1", max_load=1), reviewer("r2", max_load=1)]
    items = [
        nomination("n1", needed=2, eager={"r1", "r2"}),
        nomination("n2", needed=2, unwilling={"r1", "r2"}),
    ]
    result = plan(items, candidates)
    assert sorted(n for n, _r in result.assignments) == ["n1", "n2"]
    assert [(s.nomination_id, s.missing) for s in result.shortfalls] == [("n1", 1), ("n2", 1)]
    assert [(u.nomination_id, u.count) for u in result.unwilling] == [("n2", 1)]


def test_plan_preferences_never_unbalance_loads():
    """Calling everything unwilling sheds no work, and being eager for everything gains
    none: loads stay even, and each gets the seats the preferences favour."""
    candidates = [reviewer("keen"), reviewer("shy")]
    items = [nomination(f"n{number}", eager={"keen"}, unwilling={"shy"}) for number in range(4)]
    result = plan(items, candidates)
    assert result.loads == (("keen", 2), ("shy", 2))
    shy = [n for n, r in result.assignments if r == "shy"]
    assert len(shy) == 2
    assert [(u.nomination_id, u.count) for u in result.unwilling] == [(n, 1) for n in shy]


def test_plan_preferences_never_override_a_conflict_or_a_maximum():
    candidates = [reviewer("own", "a1"), reviewer("full", max_load=1, current_load=1)]
    items = [nomination("n1", agency_id="a1", eager={"own", "full"})]
    result = plan(items, candidates)
    assert result.assignments == ()
    assert result.shortfalls[0].missing == 1


@pytest.mark.parametrize(
    ("needed", "unwilling", "expected"),
    [
        (
            1,
            {"r1"},
            (
                "its only new reviewer said they would rather not review it: no willing reviewer "
                "could take that seat without a conflict, a reviewer past their maximum or "
                "uneven loads"
            ),
        ),
        (
            2,
            {"r1"},
            (
                "1 of its 2 new reviewers said they would rather not review it: no willing "
                "reviewer could take that seat without a conflict, a reviewer past their maximum "
                "or uneven loads"
            ),
        ),
        (
            2,
            {"r1", "r2"},
            (
                "both its new reviewers said they would rather not review it: no willing "
                "reviewer could take those seats without a conflict, a reviewer past their "
                "maximum or uneven loads"
            ),
        ),
        (
            3,
            {"r1", "r2", "r3"},
            (
                "all 3 of its new reviewers said they would rather not review it: no willing "
                "reviewer could take those seats without a conflict, a reviewer past their "
                "maximum or uneven loads"
            ),
        ),
    ],
)
def test_plan_names_each_nomination_given_unwilling_reviewers(needed, unwilling, expected):
    """Every other reviewer is at their maximum, so the unwilling ones are the only way to
    fill the seats: filled, and reported with the reason."""
    candidates = [reviewer(f"r{number}") for number in range(1, needed + 1)]
    candidates.append(reviewer("r9", max_load=0))
    result = plan([nomination("n1", needed=needed, unwilling=unwilling)], candidates)
    assert len(result.assignments) == needed
    assert result.unwilling == (Unwilling("n1", len(unwilling), expected),)


def test_item_cannot_be_eager_and_unwilling_at_once():
    with pytest.raises(ValueError, match="reviewer 'r1' cannot be both eager and unwilling"):
        nomination("n1", eager={"r1", "r2"}, unwilling={"r1"})


# Properties ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, database=None)
@given(world=worlds())
def test_plan_with_preferences_keeps_every_rule_and_costs_nothing_else(world):
    """Every rule holds, the seats, loads and gaps are exactly as good as without
    preferences, and every unwilling seat is reported on its nomination."""
    items, candidates, same_state_rule = world
    result = plan(items, candidates, same_state_rule=same_state_rule)
    assert_plan_keeps_rules(items, candidates, result, same_state_rule=same_state_rule)
    without = plan(unstated(items), candidates, same_state_rule=same_state_rule)
    assert (
        key_of(items, candidates, chosen_by_item(items, result))[:3]
        == key_of(items, candidates, chosen_by_item(items, without))[:3]
    )
    reported = {u.nomination_id: u.count for u in result.unwilling}
    for item, chosen in zip(items, chosen_by_item(items, result), strict=True):
        assert reported.get(item.nomination_id, 0) == len(chosen & item.unwilling)


@settings(max_examples=25, deadline=None, database=None)
@given(world=worlds(reviewers=4, nominations=4, needed=2, constrained=False))
def test_plan_with_preferences_matches_brute_force(world):
    """On panels small enough to try every plan, none does better on any count, in order.

    Few rules, so that many plans keep them and preferences choose among them (the
    rules themselves are held to every plan by the property test above)."""
    items, candidates, same_state_rule = world
    result = plan(items, candidates, same_state_rule=same_state_rule)
    assert key_of(items, candidates, chosen_by_item(items, result)) == best_key_by_brute_force(
        items, candidates, same_state_rule=same_state_rule
    )


@settings(max_examples=25, deadline=None, database=None)
@given(world=worlds(), data=st.data())
def test_plan_with_preferences_same_in_any_order(world, data):
    items, candidates, same_state_rule = world
    expected = plan(items, candidates, same_state_rule=same_state_rule)
    shuffled_items = data.draw(st.permutations(items))
    shuffled_candidates = data.draw(st.permutations(candidates))
    assert plan(shuffled_items, shuffled_candidates, same_state_rule=same_state_rule) == expected


@settings(max_examples=40, deadline=None, database=None)
@given(world=worlds(reviewers=8, nominations=10, needed=4, preferences=False))
def test_plan_without_preferences_is_todays_plan(world):
    """Nobody states a preference: exactly the assignments today's costs give."""
    items, candidates, same_state_rule = world
    result = plan(items, candidates, same_state_rule=same_state_rule)
    assert result.assignments == todays_assignments(
        items, candidates, same_state_rule=same_state_rule
    )
    assert result.unwilling == ()


@settings(max_examples=20, deadline=None, database=None)
@given(world=worlds())
def test_plan_preferences_only_where_no_seat_can_go_change_nothing(world):
    """Preferences stated only by conflicted reviewers, or reviewers the nomination already
    has, weigh nothing: today's plan."""
    items, candidates, same_state_rule = world
    ineligible = [
        Item(
            item.nomination_id,
            item.agency_id,
            item.state,
            item.needed,
            item.already,
            item.declared_conflicts,
            eager=item.already,
            unwilling=item.declared_conflicts - item.already,
        )
        for item in items
    ]
    assert plan(ineligible, candidates, same_state_rule=same_state_rule).assignments == (
        todays_assignments(items, candidates, same_state_rule=same_state_rule)
    )
