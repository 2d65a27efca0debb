"""Which cycles ask a reviewer for their preferences before assignment.

A reviewer states preferences about the nominations of the panels they sit on,
in a cycle whose review policy sets a due date (`ReviewPolicy.preferences_due_at`).
Until that moment they may change them; afterwards the page shows what they
said. Any other cycle is out of their scope: a 404. What the page lists for a
cycle is `services.preference_sheet` (it needs the planner's conflict rule).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dz_awards.cycles.models import Category, Cycle
from reviews import rules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User


def preference_cycles(user: User | AnonymousUser) -> QuerySet[Cycle]:
    """Cycles that ask `user` for preferences (open or past due), newest first: those
    with a due date set in whose panels the reviewer sits."""
    if not rules.is_reviewer(user):
        return Cycle.objects.none()
    reviewer = cast("User", user)  # a reviewer is signed in
    return (
        Cycle.objects.filter(
            categories__panel__members=reviewer, review_policy__preferences_due_at__isnull=False
        )
        .select_related("review_policy")
        .distinct()
        .order_by("-year", "pk")
    )


def preference_cycle_get(user: User | AnonymousUser, pk: int) -> Cycle:
    return get_object_or_404(preference_cycles(user), pk=pk)


def preference_cycles_open(
    user: User | AnonymousUser, moment: datetime | None = None
) -> QuerySet[Cycle]:
    """The cycles whose preferences `user` may state now (the window still open)."""
    moment = moment or timezone.now()
    return preference_cycles(user).filter(review_policy__preferences_due_at__gt=moment)


def preference_categories(user: User | AnonymousUser, cycle: Cycle) -> QuerySet[Category]:
    """The categories of `cycle` on whose panel `user` sits, in the cycle's order."""
    if not rules.is_reviewer(user):
        return Category.objects.none()
    reviewer = cast("User", user)
    return Category.objects.filter(cycle=cycle, panel__members=reviewer).order_by(
        "position", "label"
    )
