"""Small template helpers shared by every page."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def time_left(deadline, now=None):
    """Plain-language time until `deadline`: '12 days, 3 hours', '45 minutes', or ''."""
    now = now or timezone.now()
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60

    def unit(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return f"{unit(days, 'day')}, {unit(hours, 'hour')}"
    if hours:
        return f"{unit(hours, 'hour')}, {unit(minutes, 'minute')}"
    return unit(max(minutes, 1), "minute")


@register.inclusion_tag("core/partials/eastern_time.html")
def eastern(moment):
    """A moment shown in Eastern time, machine-readable in UTC."""
    return {"moment": moment}


@register.filter
def action_label(action):
    """'agency_verified' → 'Agency verified'."""
    return action.replace("_", " ").capitalize()
