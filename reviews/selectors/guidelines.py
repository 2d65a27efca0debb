"""The reviewer guidelines of a cycle: who may read them, and who has read which version.

A reviewer has read a version when one of their accepted assignments of the
cycle carries it (`Assignment.guidelines_version`, stored when they accept, or
when they confirm a newer version on the guidelines page). Pages that show the
guidelines link on many rows read every cycle's versions for one reviewer in
one query (`guidelines_read_by_cycle`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from dz_awards.cycles.models import Cycle
from reviews import rules
from reviews.enums import AssignmentState
from reviews.models import Assignment, ReviewPolicy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User

A = AssignmentState

# Assignments whose reviewer said yes: what they said they read is kept on them.
ACCEPTED_STATES = (A.ACCEPTED, A.SUBMITTED)


def guidelines_version_to_read(policy: ReviewPolicy) -> int | None:
    """The version a reviewer must have read, or None when the cycle has no guidelines.

    Guidelines emptied by staff are none: the version stays (it only goes up),
    but nobody is asked to read an empty page.
    """
    if policy.guidelines.strip() or policy.calibration_example.strip():
        return policy.guidelines_version
    return None


def policies_for(cycles: Iterable[Cycle]) -> dict[int, ReviewPolicy]:
    """{cycle pk: its policy} for `cycles` in one query; an unsaved default where none."""
    cycles = list(cycles)
    stored = {p.cycle_id: p for p in ReviewPolicy.objects.filter(cycle__in=cycles)}
    return {c.pk: stored.get(c.pk) or ReviewPolicy(cycle=c) for c in cycles}


def guidelines_read_by_cycle(user: User | AnonymousUser) -> dict[int, set[int]]:
    """{cycle pk: the guideline versions the reviewer's accepted assignments carry}: one query
    (none for a visitor, who has no assignment)."""
    rows = (
        Assignment.objects.filter(
            reviewer_id=user.pk, state__in=ACCEPTED_STATES, guidelines_version__isnull=False
        )
        .values_list("nomination__cycle_id", "guidelines_version")
        .distinct()
    )
    read: defaultdict[int, set[int]] = defaultdict(set)
    for cycle_id, version in rows:
        read[cycle_id].add(cast("int", version))  # never null: filtered above
    return dict(read)


@dataclass(frozen=True)
class GuidelinesStatus:
    """What the guidelines link says to one reviewer about one cycle's guidelines."""

    cycle_id: int
    version: int
    updated_at: datetime | None
    read: bool  # they confirmed this version
    read_earlier: int | None  # the newest older version they confirmed, if any


def guidelines_status(policy: ReviewPolicy, read_versions: set[int]) -> GuidelinesStatus:
    """The reviewer's standing with `policy`'s guidelines (a cycle that has some: see
    `guidelines_version_to_read`), given the versions they read in its cycle
    (`guidelines_read_by_cycle`)."""
    version = policy.guidelines_version
    older = [v for v in read_versions if v < version]
    return GuidelinesStatus(
        cycle_id=policy.cycle_id,
        version=version,
        updated_at=policy.guidelines_updated_at,
        read=version in read_versions,
        read_earlier=max(older) if older else None,
    )


def guidelines_cycle_for(user: User | AnonymousUser, pk: int) -> Cycle:
    """The cycle whose guidelines `user` may read: program staff any; a reviewer one in
    which they have an assignment or sit on a panel. Anyone else gets 404."""
    if rules.is_program_staff(user):
        return get_object_or_404(Cycle, pk=pk)
    if not rules.is_reviewer(user):
        raise Http404
    reviewer = Q(categories__panel__members=user) | Q(nominations__assignments__reviewer=user)
    return get_object_or_404(Cycle.objects.filter(reviewer).distinct(), pk=pk)


def unread_accepted(user: User | AnonymousUser, cycle: Cycle, version: int) -> bool:
    """Whether the reviewer has accepted assignments in `cycle` none of which carries
    `version`: then the guidelines page offers to confirm reading it."""
    accepted = Assignment.objects.filter(
        reviewer_id=user.pk, nomination__cycle=cycle, state__in=ACCEPTED_STATES
    )
    return accepted.exists() and not accepted.filter(guidelines_version=version).exists()
