"""Panels and conflicts as the assignment planner sees them.

The planner (`reviews.assignment`) works on plain values; these build them from
the database. What makes a reviewer conflicted with a nomination is the same
rule `AssignmentQuerySet.without_conflicts` states in SQL: a declared conflict,
an approved membership of the nominating agency, the reviewer's home agency,
and the same state when the cycle says so. A property test
(tests/reviews/test_conflict_agreement.py) holds the two to the same pairs.

What reviewers said before assignment (`ReviewPreference`) goes to the planner
as each nomination's eager and unwilling reviewers; willing, like no answer at
all, is neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.models import Membership
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.models import Nomination
from reviews import assignment as planner
from reviews.enums import ACTIVE_ASSIGNMENT_STATES, Preference
from reviews.models import Assignment, Conflict, Panel, ReviewerProfile, ReviewPreference


def panel_people(category: Category | None) -> list[Any]:
    """The active reviewers of the category's panel, in pk order (none without a panel)."""
    panel = Panel.objects.filter(category=category).first() if category else None
    if panel is None:
        return []
    return list(
        panel.members.filter(is_active=True, groups__name=REVIEWERS_GROUP).distinct().order_by("pk")
    )


def planner_candidates(people: Sequence[Any], cycle: Cycle) -> list[planner.Candidate]:
    """Reviewers as the planner sees them: their agencies, state and load in the cycle.

    Their agencies are the approved memberships plus the home agency; a blank
    home state is no state.
    """
    loads = dict(
        Assignment.objects.filter(
            nomination__cycle=cycle, reviewer__in=people, state__in=ACTIVE_ASSIGNMENT_STATES
        )
        .values_list("reviewer")
        .annotate(n=Count("pk"))
    )
    memberships: defaultdict[int, set[Any]] = defaultdict(set)
    for user_id, agency_id in Membership.objects.filter(
        user__in=people, status=MembershipStatus.APPROVED
    ).values_list("user_id", "agency_id"):
        memberships[user_id].add(agency_id)
    profiles = {p.user_id: p for p in ReviewerProfile.objects.filter(user__in=people)}
    candidates = []
    for person in people:
        profile = profiles.get(person.pk)
        agencies = set(memberships[person.pk])
        if profile and profile.home_agency_id:
            agencies.add(profile.home_agency_id)
        candidates.append(
            planner.Candidate(
                reviewer_id=person.pk,
                agency_ids=frozenset(agencies),
                state=(profile.state if profile else "") or None,
                max_load=cycle.max_assignments_per_reviewer,
                current_load=loads.get(person.pk, 0),
            )
        )
    return candidates


def planner_items(nominations: Iterable[Nomination], cycle: Cycle) -> list[planner.Item]:
    """Nominations as the planner sees them: agency, state, declared conflicts, seats to
    fill, and the reviewers eager or unwilling to review each."""
    nominations = list(nominations)
    rows = Assignment.objects.filter(nomination__in=nominations).values_list(
        "nomination_id", "reviewer_id", "state"
    )
    declared: defaultdict[Any, set[int]] = defaultdict(set)
    for nomination_id, reviewer_id in Conflict.objects.filter(
        nomination__in=nominations
    ).values_list("nomination_id", "reviewer_id"):
        declared[nomination_id].add(reviewer_id)
    stated: defaultdict[tuple[Any, str], set[int]] = defaultdict(set)
    for nomination_id, reviewer_id, preference in ReviewPreference.objects.filter(
        nomination__in=nominations,
        preference__in=[Preference.EAGER, Preference.UNWILLING],
    ).values_list("nomination_id", "reviewer_id", "preference"):
        stated[nomination_id, preference].add(reviewer_id)
    already: defaultdict[Any, set[int]] = defaultdict(set)
    active: defaultdict[Any, int] = defaultdict(int)
    for nomination_id, reviewer_id, state in rows:
        already[nomination_id].add(reviewer_id)
        # A review by a reviewer who declared a conflict no longer holds a seat.
        if state in ACTIVE_ASSIGNMENT_STATES and reviewer_id not in declared[nomination_id]:
            active[nomination_id] += 1
    return [
        planner.Item(
            nomination_id=n.pk,
            agency_id=n.agency_id,
            state=n.agency.state or None,
            needed=max(0, cycle.reviewers_per_nomination - active[n.pk]),
            already=frozenset(already[n.pk]),
            declared_conflicts=frozenset(declared[n.pk]),
            eager=frozenset(stated[n.pk, Preference.EAGER]),
            unwilling=frozenset(stated[n.pk, Preference.UNWILLING]),
        )
        for n in nominations
    ]
