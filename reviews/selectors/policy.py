"""The cycle's review policy, read by every audience.

A cycle without a stored policy has the defaults (no guidelines, preferences
not asked, feedback not shared): the unsaved row says so, and only
`services.policy_update` stores one.
"""

from __future__ import annotations

from dz_awards.cycles.models import Cycle
from reviews.models import ReviewPolicy


def review_policy(cycle: Cycle) -> ReviewPolicy:
    """The cycle's policy; an unsaved one with the defaults when none is stored."""
    return ReviewPolicy.objects.filter(cycle=cycle).first() or ReviewPolicy(cycle=cycle)
