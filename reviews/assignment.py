"""Automatic review assignment: which panel reviewer reviews which nomination.

Pure functions over plain data (no models, no database): the assignment service
selects the nominations that are ready for review (submitted, summary written)
and the panel's reviewers, describes them as `Item` and `Candidate` values keyed
by their ids, calls `plan`, and writes the assignments it gets back. Manual
additions go through `add_refusal`, which applies the same rules to one pair.

Conflicts are absolute: a conflicted reviewer is never planned and never added
by hand, because a conflicted reviewer must never see the nomination.

Why a flow and not a greedy pass: handing each nomination the least-loaded
eligible reviewers one nomination at a time can leave a shortfall that another
choice avoids. With one seat each, nomination A open to R1 and R2 and
nomination B open only to R1, a pass that reaches A first may give it R1 and
leave B empty. Taking the most constrained nomination first fixes that case but
not every case. `plan` instead solves the whole panel as one minimum-cost
maximum flow, so it fills as many seats as any valid plan can, whatever order
the nominations come in; the costs then pick, among those plans, the most
even loads, and among those the one that best follows what reviewers said they
would like to review (`Item.eager`, `Item.unwilling`; `plan` says in what order,
and why). A panel of tens of reviewers and a few hundred nominations plans in
under a second.
"""

import heapq
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple


class ConflictReason(StrEnum):
    """Why a reviewer may not review a nomination; equal to its plain text."""

    OWN_AGENCY = "own agency"
    SAME_STATE = "same state"
    DECLARED = "declared"


@dataclass(frozen=True)
class Candidate:
    """A panel reviewer as the planner sees them.

    `current_load` counts the assignments they already hold, in any nomination:
    it counts toward `max_load` and toward balance. `max_load` None means no
    maximum. A reviewer may belong to several agencies.
    """

    reviewer_id: Hashable
    agency_ids: frozenset = frozenset()
    state: str | None = None
    max_load: int | None = None
    current_load: int = 0

    def __post_init__(self):
        object.__setattr__(self, "agency_ids", frozenset(self.agency_ids))
        if self.current_load < 0:
            raise ValueError(f"Reviewer {self.reviewer_id}: current_load must not be negative.")
        if self.max_load is not None and self.max_load < 0:
            raise ValueError(f"Reviewer {self.reviewer_id}: max_load must not be negative.")


@dataclass(frozen=True)
class Item:
    """A nomination ready for review, with the seats it still needs filled.

    `needed` is how many more reviewers it needs (the cycle's reviewers per
    nomination minus those it has). `already` holds the reviewers it has; they
    are never assigned to it twice. `declared_conflicts` holds the reviewers who
    declared a conflict with it. `eager` and `unwilling` hold the reviewers who
    said they would like to review it, or would rather not; everyone else is
    willing (saying nothing is saying willing). Preferences never override a
    rule: a conflicted reviewer stays out, however eager.
    """

    nomination_id: Hashable
    agency_id: Hashable | None
    state: str | None
    needed: int
    already: frozenset = frozenset()
    declared_conflicts: frozenset = frozenset()
    eager: frozenset = frozenset()
    unwilling: frozenset = frozenset()

    def __post_init__(self):
        for name in ("already", "declared_conflicts", "eager", "unwilling"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        if self.needed < 0:
            raise ValueError(f"Nomination {self.nomination_id}: needed must not be negative.")
        if both := self.eager & self.unwilling:
            raise ValueError(
                f"Nomination {self.nomination_id}: reviewer {min(both, key=str)!r} "
                "cannot be both eager and unwilling."
            )


class Assignment(NamedTuple):
    nomination_id: Hashable
    reviewer_id: Hashable


class Shortfall(NamedTuple):
    """A nomination left short: how many seats are missing, and why, in plain words."""

    nomination_id: Hashable
    missing: int
    reason: str


class Unwilling(NamedTuple):
    """A nomination given reviewers who said they would rather not review it: how many,
    and why, in plain words. No plan that keeps the rules could give fewer (see `plan`)."""

    nomination_id: Hashable
    count: int
    reason: str


class Load(NamedTuple):
    """A reviewer's load once the plan is written: current plus planned assignments."""

    reviewer_id: Hashable
    load: int


@dataclass(frozen=True)
class Plan:
    """New assignments, the nominations left short, every reviewer's final load, and the
    nominations that could only get reviewers who said they were unwilling.

    Each tuple is sorted by the string form of its ids, nomination first.
    """

    assignments: tuple[Assignment, ...]
    shortfalls: tuple[Shortfall, ...]
    loads: tuple[Load, ...]
    unwilling: tuple[Unwilling, ...] = ()


def _same_state(first: str | None, second: str | None) -> bool:
    return bool(first and second) and first.strip().upper() == second.strip().upper()


def is_conflicted(
    candidate: Candidate, item: Item, *, same_state_rule: bool
) -> ConflictReason | None:
    """Why `candidate` is conflicted with `item`, or None.

    Automatic rules first (the reviewer's own agency; the same state, only when
    the cycle turns that rule on), then the conflicts declared on the nomination.
    """
    if item.agency_id is not None and item.agency_id in candidate.agency_ids:
        return ConflictReason.OWN_AGENCY
    if same_state_rule and _same_state(candidate.state, item.state):
        return ConflictReason.SAME_STATE
    if candidate.reviewer_id in item.declared_conflicts:
        return ConflictReason.DECLARED
    return None


def add_refusal(candidate: Candidate, item: Item, *, same_state_rule: bool) -> str | None:
    """Why staff may not add `candidate` to `item` by hand, or None if they may.

    The same rules as `plan`: never conflicted, never twice, never past the maximum.
    """
    reason = is_conflicted(candidate, item, same_state_rule=same_state_rule)
    if reason is not None:
        return f"conflict: {reason}"
    if candidate.reviewer_id in item.already:
        return "already assigned"
    if candidate.max_load is not None and candidate.current_load >= candidate.max_load:
        return "at their maximum"
    return None


def _sorted_unique[T](values: Iterable[T], key, what: str) -> list[T]:
    """Sort by the string form of each id, so the plan never depends on input order."""
    ordered = sorted(values, key=lambda value: str(key(value)))
    for previous, current in pairwise(ordered):
        if str(key(previous)) == str(key(current)):
            raise ValueError(f"Duplicate {what} id {key(current)!r}.")
    return ordered


def plan(
    items: Iterable[Item], candidates: Iterable[Candidate], *, same_state_rule: bool = False
) -> Plan:
    """Assign reviewers to nominations: never conflicted, as full and as even as possible,
    then as reviewers would like.

    Rules every plan keeps:

    - never a conflicted reviewer (`is_conflicted`), never a reviewer the
      nomination already has, never a reviewer twice on one nomination, never
      more than `needed` new reviewers on a nomination;
    - never a reviewer past `max_load` (current plus planned assignments).

    Among the plans that keep those rules, it returns one that

    1. fills the most seats: the total missing across all shortfalls is the
       least any valid plan could leave;
    2. among those, minimises the sum of squared final loads ("balanced within
       one"): no reassignment, nor chain of reassignments, that keeps the
       rules above could move a newly planned seat from a reviewer with load L
       to a reviewer with load L - 2 or less. Hence, with no conflicts, no maxima, no existing
       assignments on the nominations and equal current loads, the final loads
       of all candidates differ by at most one;
    3. among those, spreads what stays missing: no load-neutral chain of
       reassignments could move a seat from a nomination missing m to one
       missing m + 2 or more;
    4. among those, follows the reviewers' preferences: the fewest seats given
       to a reviewer who said they were unwilling, then the most given to one who
       said they were eager (willing, or saying nothing, in between);
    5. is the same for the same input in any order: ids are sorted by their
       string form and every remaining tie goes to the earlier id.

    Why preferences come after balance, and are strictly ordered among
    themselves: the order is lexicographic, never a trade. Balance is a rule
    of the panel (reviewers were asked for a share of the work, and the
    per-reviewer normalisation of scores needs comparable loads); were
    preferences weighed against it, a reviewer could shed work by calling
    everything unwilling, and an eager one take more than their share.
    Among equally balanced plans there is still much freedom in who reviews
    what, and that freedom goes to the preferences. One seat fewer for an
    unwilling reviewer is worth more than any number of eager seats: being
    made to review what one asked not to costs more than not getting a wish.
    Nobody stating a preference (or only "willing") gives today's plan, by
    construction: every preference cost is then zero and the other costs are
    the same numbers as before preferences existed.

    Each nomination left short is reported once, with why: too few eligible
    reviewers without a conflict, and/or every other eligible reviewer at their
    maximum (the flow leaves no eligible reviewer below their maximum unused).
    Each nomination given unwilling reviewers is reported too (`Plan.unwilling`).
    """
    items = _sorted_unique(items, lambda item: item.nomination_id, "nomination")
    candidates = _sorted_unique(candidates, lambda candidate: candidate.reviewer_id, "reviewer")
    eligible = [
        [
            index
            for index, candidate in enumerate(candidates)
            if candidate.reviewer_id not in item.already
            and is_conflicted(candidate, item, same_state_rule=same_state_rule) is None
        ]
        for item in items
    ]
    capacity = [
        None if candidate.max_load is None else max(0, candidate.max_load - candidate.current_load)
        for candidate in candidates
    ]
    pair_cost, scale = _preference_costs(items, candidates, eligible)
    chosen = _balanced_max_flow(
        needed=[item.needed for item in items],
        eligible=eligible,
        base_load=[candidate.current_load for candidate in candidates],
        capacity=capacity,
        pair_cost=pair_cost,
        scale=scale,
    )

    assignments = []
    shortfalls = []
    unwilling = []
    planned = [0] * len(candidates)
    for item, item_eligible, item_chosen in zip(items, eligible, chosen, strict=True):
        for index in sorted(item_chosen):
            assignments.append(Assignment(item.nomination_id, candidates[index].reviewer_id))
            planned[index] += 1
        missing = item.needed - len(item_chosen)
        if missing:
            reason = _shortfall_reason(
                needed=item.needed,
                eligible=len(item_eligible),
                chosen=len(item_chosen),
            )
            shortfalls.append(Shortfall(item.nomination_id, missing, reason))
        reluctant = sum(
            1 for index in item_chosen if candidates[index].reviewer_id in item.unwilling
        )
        if reluctant:
            unwilling.append(
                Unwilling(
                    item.nomination_id, reluctant, _unwilling_reason(reluctant, len(item_chosen))
                )
            )
    loads = tuple(
        Load(candidate.reviewer_id, candidate.current_load + extra)
        for candidate, extra in zip(candidates, planned, strict=True)
    )
    return Plan(
        assignments=tuple(assignments),
        shortfalls=tuple(shortfalls),
        loads=loads,
        unwilling=tuple(unwilling),
    )


def _preference_costs(
    items: Sequence[Item], candidates: Sequence[Candidate], eligible: Sequence[Sequence[int]]
) -> tuple[list[dict[int, int]], int]:
    """What each eligible (nomination, reviewer) seat costs by preference, and the factor
    that lifts the other costs above any sum of these.

    Eager costs 0, willing 1, unwilling one more than the seats to fill: with the
    number of seats fixed, one unwilling seat fewer then always beats any number
    of eager ones. The factor is one more than the most preferences could ever
    add up to, so a preference never outweighs a seat, a load or a gap. When no
    eligible seat is eager or unwilling every cost is 0 and the factor 1: the
    flow computes exactly the numbers it computed before preferences existed.
    """
    seats = sum(item.needed for item in items)
    unwilling_cost = seats + 1
    stated = False
    costs: list[dict[int, int]] = []
    for item, item_eligible in zip(items, eligible, strict=True):
        row = {}
        for index in item_eligible:
            reviewer_id = candidates[index].reviewer_id
            if reviewer_id in item.unwilling:
                row[index], stated = unwilling_cost, True
            elif reviewer_id in item.eager:
                row[index], stated = 0, True
            else:
                row[index] = 1
        costs.append(row)
    if not stated:
        return [dict.fromkeys(row, 0) for row in costs], 1
    return costs, unwilling_cost * seats + 1


def _unwilling_reason(reluctant: int, chosen: int) -> str:
    """Say why a nomination got reviewers who would rather not review it."""
    if chosen == 1:
        who = "its only new reviewer"
    elif reluctant == chosen == 2:
        who = "both its new reviewers"
    elif reluctant == chosen:
        who = f"all {chosen} of its new reviewers"
    else:
        who = f"{reluctant} of its {chosen} new reviewers"
    seats = "that seat" if reluctant == 1 else "those seats"
    return (
        f"{who} said they would rather not review it: no willing reviewer could take "
        f"{seats} without a conflict, a reviewer past their maximum or uneven loads"
    )


def _reviewers(count: int) -> str:
    return f"{count} eligible reviewer{'' if count == 1 else 's'}"


def _shortfall_reason(*, needed: int, eligible: int, chosen: int) -> str:
    """Say why a nomination is short, given the flow left no usable reviewer unused."""
    at_maximum = eligible - chosen
    if eligible == 0:
        return "no eligible reviewer without a conflict"
    if eligible < needed and at_maximum == 0:
        return f"only {_reviewers(eligible)} without a conflict"
    if eligible < needed:
        verb = "is" if at_maximum == 1 else "are"
        return (
            f"only {_reviewers(eligible)} without a conflict, "
            f"and {at_maximum} of them {verb} at their maximum"
        )
    if chosen == 0:
        return "every eligible reviewer is at their maximum"
    return "every other eligible reviewer is at their maximum"


def _balanced_max_flow(
    *,
    needed: Sequence[int],
    eligible: Sequence[Sequence[int]],
    base_load: Sequence[int],
    capacity: Sequence[int | None],
    pair_cost: Sequence[dict[int, int]],
    scale: int,
) -> list[set[int]]:
    """Choose reviewer indices per nomination index; see `_BalancedFlow`."""
    flow = _BalancedFlow(
        needed=needed,
        eligible=eligible,
        base_load=base_load,
        capacity=capacity,
        pair_cost=pair_cost,
        scale=scale,
    )
    while flow.augment():
        pass
    return flow.chosen


class _BalancedFlow:
    """A minimum-cost maximum flow from nominations' seats to reviewers.

    Network: source -> nomination (`needed` units) -> eligible reviewer (one
    unit each) -> sink (up to `capacity`, None meaning unbounded). Costs are
    convex, so each unit is priced by the flow already on its edge:

    - the k-th new unit on a reviewer costs WEIGHT * (2 * (base + k) - 1), the
      growth of their squared load; `weight` is larger than any difference the
      nomination costs can make, so load balance always comes first;
    - the k-th seat of a nomination costs 2 * (most_needed - needed + k) - 1:
      the growth of its squared missing count, shifted by the same amount for
      every unit of flow, so all costs start positive;
    - a seat given to a reviewer costs what their preference for that
      nomination costs (`pair_cost`, see `_preference_costs`), and handing it
      on gives that back. `scale` multiplies the two costs above so that no
      sum of preference costs can outweigh one step of either: 1 (no change at
      all) when every preference cost is zero.

    Successive shortest paths (Dijkstra over reduced costs, with potentials)
    keep the flow the cheapest for its size at every step; stopping when no
    augmenting path is left makes it the cheapest maximum flow. Ties go to the
    lower node index, that is to the earlier id.

    Nodes: 0 is the source, 1..items the nominations, then the reviewers, then
    the sink. Flow units are only ever added at the source and the sink, so
    `filled` and `used` only grow and no residual edge leaves the sink.
    """

    def __init__(self, *, needed, eligible, base_load, capacity, pair_cost, scale):
        self.needed = needed
        self.eligible = eligible
        self.base_load = base_load
        self.capacity = capacity
        self.pair_cost = pair_cost
        self.scale = scale
        self.item_count = len(needed)
        self.sink = self.item_count + len(base_load) + 1
        self.most_needed = max(needed, default=0)
        self.weight = sum(count * count for count in needed) + 1
        self.filled = [0] * len(needed)
        self.used = [0] * len(base_load)
        self.chosen: list[set[int]] = [set() for _ in needed]
        self.holding: list[set[int]] = [set() for _ in base_load]
        self.potential = [0] * (self.sink + 1)

    def edges(self, node: int):
        """Residual edges out of `node` as (target, cost)."""
        if node == 0:
            for item, count in enumerate(self.needed):
                if self.filled[item] < count:
                    yield (
                        1 + item,
                        self.scale * (2 * (self.most_needed - count + self.filled[item]) + 1),
                    )
        elif node <= self.item_count:
            item = node - 1
            for reviewer in self.eligible[item]:
                if reviewer not in self.chosen[item]:
                    yield 1 + self.item_count + reviewer, self.pair_cost[item][reviewer]
        elif node != self.sink:
            reviewer = node - 1 - self.item_count
            # Giving up a held seat gives back what it cost: the seat moves on along the path.
            for item in sorted(self.holding[reviewer]):
                yield 1 + item, -self.pair_cost[item][reviewer]
            limit = self.capacity[reviewer]
            if limit is None or self.used[reviewer] < limit:
                load = self.base_load[reviewer] + self.used[reviewer]
                yield self.sink, self.weight * self.scale * (2 * load + 1)

    def shortest_path(self) -> tuple[list[int | None], list[int | None]] | None:
        """Distances and parents of a cheapest path to the sink, or None if none is left."""
        distance: list[int | None] = [None] * (self.sink + 1)
        parent: list[int | None] = [None] * (self.sink + 1)
        settled = [False] * (self.sink + 1)
        distance[0] = 0
        queue = [(0, 0)]
        while queue:
            reached, node = heapq.heappop(queue)
            if settled[node]:
                continue
            settled[node] = True
            if node == self.sink:
                return distance, parent
            for target, cost in self.edges(node):
                found = reached + cost + self.potential[node] - self.potential[target]
                if distance[target] is None or found < distance[target]:
                    distance[target] = found
                    parent[target] = node
                    heapq.heappush(queue, (found, target))
        return None

    def augment(self) -> bool:
        """Push one more unit along a cheapest path; False when the flow is maximum."""
        path = self.shortest_path()
        if path is None:
            return False
        distance, parent = path
        # Capping at the sink's distance keeps every reduced cost non-negative
        # although the search stopped as soon as it reached the sink.
        to_sink = distance[self.sink]
        for node, found in enumerate(distance):
            self.potential[node] += to_sink if found is None else min(found, to_sink)
        node = self.sink
        while node != 0:
            previous = parent[node]
            if node == self.sink:
                self.used[previous - 1 - self.item_count] += 1
            elif previous == 0:
                self.filled[node - 1] += 1
            elif node > self.item_count:
                # Nomination -> reviewer: the reviewer takes the seat.
                self.chosen[previous - 1].add(node - 1 - self.item_count)
                self.holding[node - 1 - self.item_count].add(previous - 1)
            else:
                # Reviewer -> nomination: the reviewer hands the seat to the next one.
                self.chosen[node - 1].remove(previous - 1 - self.item_count)
                self.holding[previous - 1 - self.item_count].remove(node - 1)
            node = previous
        return True
