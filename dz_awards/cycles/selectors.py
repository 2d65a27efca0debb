"""Reads of award cycles and their categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone

from dz_awards.cycles.models import Category, Cycle, CycleQuerySet

if TYPE_CHECKING:
    from datetime import datetime


def _with_categories(queryset: CycleQuerySet) -> CycleQuerySet:
    return queryset.prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "label"))
    )


def cycle_current(moment: datetime | None = None) -> Cycle | None:
    """The cycle open now; else the next one to open; else None."""
    moment = moment or timezone.now()
    cycles = _with_categories(Cycle.objects.all())
    return (
        cycles.open_at(moment).order_by("closes_at").first() or cycles.upcoming_at(moment).first()
    )


def cycles_for_staff() -> CycleQuerySet:
    return _with_categories(Cycle.objects.order_by("-year"))


def cycle_next_taking_drafts(cycle: Cycle, moment: datetime) -> Cycle | None:
    """The earliest later cycle whose deadline has not passed (open or not yet open)."""
    return (
        Cycle.objects.taking_drafts_at(moment).filter(year__gt=cycle.year).order_by("year").first()
    )


def category_same_as(category: Category | None, *, cycle: Cycle) -> Category | None:
    """The category of `cycle` with the same code as `category` (of another year), if any.

    A category's code ties it across years, whatever it was called; a draft moved
    or renewed into `cycle` keeps its category this way.
    """
    if category is None:
        return None
    return Category.objects.filter(cycle=cycle, code=category.code).first()
