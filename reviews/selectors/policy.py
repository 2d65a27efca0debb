"""The cycle's review policy, read by every audience.

A cycle without a stored policy has the defaults (no guidelines, preferences
not asked, feedback not shared): the unsaved row says so, and only
`services.policy_update` stores one.
"""

from __future__ import annotations

from dz_awards.cycles.models import Cycle
from reviews.models import Decision, ReviewPolicy


def review_policy(cycle: Cycle) -> ReviewPolicy:
    """The cycle's policy; an unsaved one with the defaults when none is stored."""
    return ReviewPolicy.objects.filter(cycle=cycle).first() or ReviewPolicy(cycle=cycle)


def decisions_released(cycle: Cycle) -> bool:
    """Whether any decision of `cycle` has been released: from then on agencies may have
    read what the policy shares, so sharing can no longer change."""
    return Decision.objects.filter(nomination__cycle=cycle, released_at__isnull=False).exists()
