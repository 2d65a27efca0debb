"""Automatic review assignment: never conflicted, as full and as even as possible, deterministic."""

import random
import uuid
from itertools import combinations, product

import pytest

from reviews.assignment import (
    Candidate,
    ConflictReason,
    Item,
    Load,
    Plan,
    Shortfall,
    add_refusal,
    is_conflicted,
    plan,
)

SEEDS = range(150)


def reviewer(reviewer_id, *agency_ids, state=None, max_load=None, current_load=0):
    return Candidate(
        reviewer_id=reviewer_id,
        agency_ids=frozenset(agency_ids),
        state=state,
        max_load=max_load,
        current_load=current_load,
    )


def nomination(nomination_id, agency_id=None, state=None, *, needed, already=(), declared=()):
    return Item(
        nomination_id=nomination_id,
        agency_id=agency_id,
        state=state,
        needed=needed,
        already=frozenset(already),
        declared_conflicts=frozenset(declared),
    )


def eligible_ids(item, candidates, *, same_state_rule):
    return {
        candidate.reviewer_id
        for candidate in candidates
        if candidate.reviewer_id not in item.already
        and is_conflicted(candidate, item, same_state_rule=same_state_rule) is None
    }


def seeded(seed):
    return random.Random(seed)  # noqa: S311 reproducible test data, not a secret


def spare(candidate, load):
    return candidate.max_load is None or load < candidate.max_load


# --- Conflicts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "item", "same_state_rule", "expected"),
    [
        (reviewer("r1", "a1"), nomination("n1", "a1", needed=1), False, "own agency"),
        (reviewer("r1", "a2", "a1"), nomination("n1", "a1", needed=1), False, "own agency"),
        (
            reviewer("r1", "a2", state="OH"),
            nomination("n1", "a1", "OH", needed=1),
            True,
            "same state",
        ),
        (
            reviewer("r1", "a2", state=" oh "),
            nomination("n1", "a1", "OH", needed=1),
            True,
            "same state",
        ),
        (reviewer("r1", "a2", state="OH"), nomination("n1", "a1", "OH", needed=1), False, None),
        (reviewer("r1", "a2", state=None), nomination("n1", "a1", "OH", needed=1), True, None),
        (reviewer("r1", "a2", state="OH"), nomination("n1", "a1", None, needed=1), True, None),
        (
            reviewer("r1", "a2"),
            nomination("n1", "a1", needed=1, declared={"r1"}),
            False,
            "declared",
        ),
        (
            reviewer("r1", "a1", state="OH"),
            nomination("n1", "a1", "OH", needed=1, declared={"r1"}),
            True,
            "own agency",
        ),
        (reviewer("r1", "a2", state="PA"), nomination("n1", "a1", "OH", needed=1), True, None),
        (reviewer("r1"), nomination("n1", None, needed=1), True, None),
    ],
)
def test_is_conflicted_reason(candidate, item, same_state_rule, expected):
    """Own agency first, then same state only when the rule is on, then declared; else None."""
    assert is_conflicted(candidate, item, same_state_rule=same_state_rule) == expected


def test_conflict_reason_equals_its_text():
    """Each reason reads as plain text and compares equal to it."""
    assert [str(reason) for reason in ConflictReason] == ["own agency", "same state", "declared"]
    assert ConflictReason.DECLARED == "declared"


@pytest.mark.parametrize(
    ("conflicted", "item", "same_state_rule"),
    [
        (reviewer("near", "a1"), nomination("n1", "a1", needed=2), False),
        (reviewer("near", "a9", state="OH"), nomination("n1", "a1", "OH", needed=2), True),
        (reviewer("near", "a9"), nomination("n1", "a1", needed=2, declared={"near"}), False),
    ],
)
def test_plan_conflicted_reviewer_never_assigned_even_if_short(conflicted, item, same_state_rule):
    """The only other reviewer with room is conflicted: the seat stays empty and is reported."""
    candidates = [conflicted, reviewer("far", "a8", state="TX")]
    result = plan([item], candidates, same_state_rule=same_state_rule)
    assert result.assignments == (("n1", "far"),)
    assert result.shortfalls == (("n1", 1, "only 1 eligible reviewer without a conflict"),)


def test_plan_same_state_rule_off_allows_same_state():
    """Without the cycle's same-state rule, a reviewer from the nomination's state is eligible."""
    candidates = [reviewer("r1", "a9", state="OH")]
    item = nomination("n1", "a1", "OH", needed=1)
    assert plan([item], candidates, same_state_rule=False).assignments == (("n1", "r1"),)
    assert plan([item], candidates, same_state_rule=True).assignments == ()


# --- Manual add --------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "item", "expected"),
    [
        (reviewer("r1", "a9", state="TX"), nomination("n1", "a1", "OH", needed=1), None),
        (reviewer("r1", "a1"), nomination("n1", "a1", needed=1), "conflict: own agency"),
        (
            reviewer("r1", "a9", state="OH"),
            nomination("n1", "a1", "OH", needed=1),
            "conflict: same state",
        ),
        (
            reviewer("r1", "a9"),
            nomination("n1", "a1", needed=1, declared={"r1"}),
            "conflict: declared",
        ),
        (
            reviewer("r1", "a9"),
            nomination("n1", "a1", needed=1, already={"r1"}),
            "already assigned",
        ),
        (
            reviewer("r1", "a9", max_load=2, current_load=2),
            nomination("n1", "a1", needed=1),
            "at their maximum",
        ),
        (
            reviewer("r1", "a9", max_load=2, current_load=1),
            nomination("n1", "a1", needed=0),
            None,
        ),
    ],
)
def test_add_refusal_reason(candidate, item, expected):
    """Manual additions follow the planner's rules: no conflict, not twice, not past the maximum."""
    assert add_refusal(candidate, item, same_state_rule=True) == expected


# --- Exact plans -------------------------------------------------------------


def test_plan_hand_checked_example():
    """Conflicts, an existing load, a maximum and a short nomination give this one plan.

    n1 (a1, OH) may have r2, r3 or r5 (r1 own agency, r4 same state).
    n2 (a5, PA) may have r3 or r4 (r1 declared, r2 same state, r5 own agency).
    n3 (CA, already has r2) may have r1, r3 or r4 (r5 same state).
    r3 takes one seat at most: only on n2 does it let every other seat fill,
    so n3 gets r1 and r4, and n1 gets r5 rather than r2, who already holds one.
    """
    candidates = [
        reviewer("r1", "a1", state="OH"),
        reviewer("r2", "a2", state="PA", current_load=1),
        reviewer("r3", "a3", state="TX", max_load=1),
        reviewer("r4", "a4", state="OH", current_load=2),
        reviewer("r5", "a5", state="CA"),
    ]
    items = [
        nomination("n1", "a1", "OH", needed=1),
        nomination("n2", "a5", "PA", needed=3, declared={"r1"}),
        nomination("n3", "a6", "CA", needed=2, already={"r2"}),
    ]
    assert plan(items, candidates, same_state_rule=True) == Plan(
        assignments=(("n1", "r5"), ("n2", "r3"), ("n2", "r4"), ("n3", "r1"), ("n3", "r4")),
        shortfalls=(("n2", 1, "only 2 eligible reviewers without a conflict"),),
        loads=(("r1", 1), ("r2", 1), ("r3", 1), ("r4", 4), ("r5", 1)),
    )


def test_plan_greedy_trap_fills_every_seat():
    """Handing n1 the earlier reviewer would starve n2; the plan fills both."""
    candidates = [reviewer("r1", max_load=1), reviewer("r2", "a2", max_load=1)]
    items = [nomination("n1", needed=1), nomination("n2", "a2", needed=1)]
    result = plan(items, candidates)
    assert result.assignments == (("n1", "r2"), ("n2", "r1"))
    assert result.shortfalls == ()


def test_plan_shortfalls_spread_across_nominations():
    """Two free seats for two nominations needing two each: one each, both reported one short."""
    candidates = [reviewer("r1", max_load=1), reviewer("r2", max_load=1)]
    items = [nomination("n1", needed=2), nomination("n2", needed=2)]
    result = plan(items, candidates)
    assert sorted(nomination_id for nomination_id, _ in result.assignments) == ["n1", "n2"]
    assert result.shortfalls == (
        ("n1", 1, "every other eligible reviewer is at their maximum"),
        ("n2", 1, "every other eligible reviewer is at their maximum"),
    )


def test_plan_existing_loads_count_toward_balance():
    """A reviewer who already holds three reviews gets none until the other catches up."""
    candidates = [reviewer("busy", current_load=3), reviewer("idle")]
    items = [nomination(f"n{number}", needed=1) for number in range(3)]
    result = plan(items, candidates)
    assert result.assignments == (("n0", "idle"), ("n1", "idle"), ("n2", "idle"))
    assert result.loads == (("busy", 3), ("idle", 3))


def test_plan_existing_loads_count_toward_maximum():
    """A reviewer whose current load reaches (or passes) their maximum gets nothing more."""
    candidates = [
        reviewer("full", max_load=2, current_load=2),
        reviewer("over", max_load=1, current_load=3),
        reviewer("room", max_load=3, current_load=2),
    ]
    items = [nomination("n1", needed=1), nomination("n2", needed=1)]
    result = plan(items, candidates)
    assert result.assignments == (("n1", "room"),)
    assert result.shortfalls == (("n2", 1, "every eligible reviewer is at their maximum"),)
    assert result.loads == (("full", 2), ("over", 3), ("room", 3))


def test_plan_already_assigned_never_twice():
    """A reviewer the nomination already has is not assigned to it again."""
    candidates = [reviewer("r1"), reviewer("r2")]
    items = [nomination("n1", needed=1, already={"r1"})]
    assert plan(items, candidates).assignments == (("n1", "r2"),)
    assert plan(items, candidates[:1]).shortfalls == (
        ("n1", 1, "no eligible reviewer without a conflict"),
    )


@pytest.mark.parametrize(
    ("candidates", "item", "expected"),
    [
        (
            [reviewer("r1", "a1")],
            nomination("n1", "a1", needed=2),
            ("n1", 2, "no eligible reviewer without a conflict"),
        ),
        (
            [reviewer("r1", "a1"), reviewer("r2")],
            nomination("n1", "a1", needed=2),
            ("n1", 1, "only 1 eligible reviewer without a conflict"),
        ),
        (
            [reviewer("r1", max_load=0), reviewer("r2", max_load=1, current_load=1)],
            nomination("n1", needed=1),
            ("n1", 1, "every eligible reviewer is at their maximum"),
        ),
        (
            [reviewer("r1"), reviewer("r2", max_load=0)],
            nomination("n1", needed=2),
            ("n1", 1, "every other eligible reviewer is at their maximum"),
        ),
        (
            [reviewer("r1"), reviewer("r2", max_load=0), reviewer("r3", "a1")],
            nomination("n1", "a1", needed=3),
            (
                "n1",
                2,
                "only 2 eligible reviewers without a conflict, and 1 of them is at their maximum",
            ),
        ),
        (
            [reviewer("r1", max_load=0), reviewer("r2", max_load=0)],
            nomination("n1", needed=3),
            (
                "n1",
                3,
                "only 2 eligible reviewers without a conflict, and 2 of them are at their maximum",
            ),
        ),
    ],
)
def test_plan_shortfall_reason(candidates, item, expected):
    """A short nomination says how many seats are missing and why."""
    assert plan([item], candidates).shortfalls == (expected,)


def test_plan_nothing_needed_is_empty():
    """Nominations needing no one, or no nominations at all, give an empty plan."""
    candidates = [reviewer("r1", current_load=2)]
    assert plan([nomination("n1", needed=0)], candidates) == Plan(
        assignments=(), shortfalls=(), loads=(Load("r1", 2),)
    )
    assert plan([], []) == Plan(assignments=(), shortfalls=(), loads=())


def test_plan_no_reviewers_reports_every_seat():
    """An empty panel leaves each nomination short by all it needs."""
    result = plan([nomination("n1", needed=3)], [])
    assert result.shortfalls == (Shortfall("n1", 3, "no eligible reviewer without a conflict"),)


def test_plan_ids_sorted_by_text():
    """Integer ids are ordered by their text, so 10 comes before 9 in every tuple."""
    candidates = [reviewer(9), reviewer(10)]
    items = [nomination(9, needed=2), nomination(10, needed=2)]
    result = plan(items, candidates)
    assert result.assignments == ((10, 10), (10, 9), (9, 10), (9, 9))
    assert result.loads == ((10, 2), (9, 2))


def test_plan_uuid_ids():
    """UUID ids work as well as strings and integers."""
    reviewer_id, nomination_id = uuid.UUID(int=1), uuid.UUID(int=2)
    result = plan([nomination(nomination_id, needed=1)], [reviewer(reviewer_id)])
    assert result.assignments == ((nomination_id, reviewer_id),)


@pytest.mark.parametrize(
    ("items", "candidates", "message"),
    [
        ([], [reviewer("r1"), reviewer("r1")], "Duplicate reviewer id 'r1'."),
        ([nomination(7, needed=1), nomination("7", needed=1)], [], "Duplicate nomination id '7'."),
    ],
)
def test_plan_duplicate_ids_rejected(items, candidates, message):
    """Two entries with the same id (in text) are a caller's mistake, not something to guess at."""
    with pytest.raises(ValueError, match=message) as raised:
        plan(items, candidates)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: nomination("n1", needed=-1), "Nomination n1: needed must not be negative."),
        (
            lambda: reviewer("r1", current_load=-1),
            "Reviewer r1: current_load must not be negative.",
        ),
        (lambda: reviewer("r1", max_load=-1), "Reviewer r1: max_load must not be negative."),
    ],
)
def test_negative_counts_rejected(build, message):
    """Negative seat counts, loads or maxima are refused when the value is built."""
    with pytest.raises(ValueError, match=message):
        build()


# --- Properties over seeded random panels ------------------------------------


def random_panel(rng, *, constrained):
    """A random panel; unconstrained means no conflicts, maxima or existing assignments."""
    agencies = [f"a{number}" for number in range(5)]
    states = ["OH", "PA", "TX"]
    reviewer_ids = [f"r{number}" for number in range(rng.randint(1, 9))]
    candidates = [
        Candidate(
            reviewer_id=reviewer_id,
            agency_ids=frozenset(rng.sample(agencies, rng.randint(0, 2)) if constrained else ()),
            state=rng.choice(states),
            max_load=rng.choice([None, None, 0, 1, 2, 4]) if constrained else None,
            current_load=rng.randint(0, 3) if constrained else 0,
        )
        for reviewer_id in reviewer_ids
    ]
    items = [
        Item(
            nomination_id=number,
            agency_id=rng.choice(agencies) if constrained else None,
            state=rng.choice(states),
            needed=rng.randint(0, 4),
            already=frozenset(rng.sample(reviewer_ids, rng.randint(0, 1)) if constrained else ()),
            declared_conflicts=frozenset(
                rng.sample(reviewer_ids, rng.randint(0, min(2, len(reviewer_ids))))
                if constrained
                else ()
            ),
        )
        for number in range(rng.randint(0, 12))
    ]
    return items, candidates


def assert_plan_keeps_rules(items, candidates, result, *, same_state_rule):
    """Check every rule `plan` promises, independently of how it found the plan."""
    by_id = {candidate.reviewer_id: candidate for candidate in candidates}
    assert len(set(result.assignments)) == len(result.assignments)
    planned = {candidate.reviewer_id: 0 for candidate in candidates}
    holders = {item.nomination_id: set() for item in items}
    for nomination_id, reviewer_id in result.assignments:
        planned[reviewer_id] += 1
        holders[nomination_id].add(reviewer_id)
    loads = {
        reviewer_id: by_id[reviewer_id].current_load + count
        for reviewer_id, count in planned.items()
    }
    assert dict(result.loads) == loads
    for reviewer_id, count in planned.items():
        max_load = by_id[reviewer_id].max_load
        assert count == 0 or max_load is None or loads[reviewer_id] <= max_load

    shortfalls = {nomination_id: missing for nomination_id, missing, _ in result.shortfalls}
    assert len(shortfalls) == len(result.shortfalls)
    for item in items:
        eligible = eligible_ids(item, candidates, same_state_rule=same_state_rule)
        assert holders[item.nomination_id] <= eligible
        got = len(holders[item.nomination_id])
        assert got + shortfalls.get(item.nomination_id, 0) == item.needed
        assert (item.nomination_id in shortfalls) == (got < item.needed)
        left_out = eligible - holders[item.nomination_id]
        if got < item.needed:
            # Short only when nobody eligible has room left.
            assert all(not spare(by_id[other], loads[other]) for other in left_out)
        for holder in holders[item.nomination_id]:
            # No single move from a holder to someone eligible with room would even loads out.
            for other in left_out:
                if spare(by_id[other], loads[other]):
                    assert loads[holder] <= loads[other] + 1


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_random_panel_keeps_rules(seed):
    """Over many random panels: no conflict, no repeat, no cap passed, short only when stuck."""
    rng = seeded(seed)
    items, candidates = random_panel(rng, constrained=True)
    same_state_rule = rng.random() < 0.5
    result = plan(items, candidates, same_state_rule=same_state_rule)
    assert_plan_keeps_rules(items, candidates, result, same_state_rule=same_state_rule)


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_random_panel_same_in_any_order(seed):
    """Shuffling the nominations and reviewers gives exactly the same plan."""
    rng = seeded(seed)
    items, candidates = random_panel(rng, constrained=True)
    expected = plan(items, candidates, same_state_rule=True)
    for _ in range(3):
        rng.shuffle(items)
        rng.shuffle(candidates)
        assert plan(items, candidates, same_state_rule=True) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_random_panel_unconstrained_balanced_within_one(seed):
    """With no conflicts, maxima or existing loads, loads differ by at most one and all fill."""
    rng = seeded(seed)
    items, candidates = random_panel(rng, constrained=False)
    result = plan(items, candidates)
    loads = [load for _, load in result.loads]
    assert max(loads) - min(loads) <= 1
    got = {item.nomination_id: 0 for item in items}
    for nomination_id, _ in result.assignments:
        got[nomination_id] += 1
    assert got == {item.nomination_id: min(item.needed, len(candidates)) for item in items}
    assert_plan_keeps_rules(items, candidates, result, same_state_rule=False)


def best_score_by_brute_force(items, candidates, *, same_state_rule):
    """Try every valid plan: most seats, then least sum of squared loads, then of squared gaps."""
    by_id = {candidate.reviewer_id: candidate for candidate in candidates}
    choices = []
    for item in items:
        eligible = sorted(eligible_ids(item, candidates, same_state_rule=same_state_rule))
        choices.append(
            [
                chosen
                for size in range(min(item.needed, len(eligible)) + 1)
                for chosen in combinations(eligible, size)
            ]
        )
    best = None
    for choice in product(*choices):
        loads = {candidate.reviewer_id: candidate.current_load for candidate in candidates}
        for chosen in choice:
            for reviewer_id in chosen:
                loads[reviewer_id] += 1
        if any(
            loads[reviewer_id] > max(candidate.max_load, candidate.current_load)
            for reviewer_id, candidate in by_id.items()
            if candidate.max_load is not None
        ):
            continue
        score = score_of(items, choice, loads)
        best = score if best is None else min(best, score)
    return best


def score_of(items, choice, loads):
    seats = sum(len(chosen) for chosen in choice)
    gaps = sum((item.needed - len(chosen)) ** 2 for item, chosen in zip(items, choice, strict=True))
    return (-seats, sum(load * load for load in loads.values()), gaps)


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_small_random_panel_matches_brute_force(seed):
    """On panels small enough to try every plan, none fills more seats or balances better."""
    rng = seeded(seed)
    reviewer_ids = [f"r{number}" for number in range(rng.randint(1, 4))]
    candidates = [
        reviewer(
            reviewer_id,
            *rng.sample(["a1", "a2", "a3"], rng.randint(0, 1)),
            max_load=rng.choice([None, 0, 1, 2]),
            current_load=rng.randint(0, 2),
        )
        for reviewer_id in reviewer_ids
    ]
    items = [
        nomination(
            f"n{number}",
            rng.choice(["a1", "a2", "a3"]),
            needed=rng.randint(0, 2),
            already=rng.sample(reviewer_ids, rng.randint(0, 1)),
            declared=rng.sample(reviewer_ids, rng.randint(0, 1)),
        )
        for number in range(rng.randint(1, 3))
    ]
    result = plan(items, candidates)
    assert_plan_keeps_rules(items, candidates, result, same_state_rule=False)
    chosen = {item.nomination_id: [] for item in items}
    for nomination_id, reviewer_id in result.assignments:
        chosen[nomination_id].append(reviewer_id)
    choice = [chosen[item.nomination_id] for item in items]
    assert score_of(items, choice, dict(result.loads)) == best_score_by_brute_force(
        items, candidates, same_state_rule=False
    )
