from django.db.models import Prefetch
from django.utils import timezone

from dz_awards.cycles.models import Category, Cycle


def _with_categories(queryset):
    return queryset.prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "label"))
    )


def cycle_current(moment=None):
    """The cycle open now; else the next one to open; else None."""
    moment = moment or timezone.now()
    cycles = _with_categories(Cycle.objects.all())
    return (
        cycles.open_at(moment).order_by("closes_at").first() or cycles.upcoming_at(moment).first()
    )


def cycles_for_staff():
    return _with_categories(Cycle.objects.order_by("-year"))
