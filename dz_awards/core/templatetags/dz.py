"""Small template helpers shared by every page."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from dz_awards.core import markdown as markdown_renderer

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
    """A moment shown in Eastern time, machine-readable with its offset."""
    return {"moment": moment}


@register.filter(expects_localtime=True)
def iso_datetime(moment: datetime | None) -> str:
    """`moment` for a `datetime` attribute: ISO 8601 in whole seconds, or ''.

    Django's `|date:'c'` keeps microseconds, which HTML's valid date strings do
    not allow (a fraction of a second has at most three digits). Like `|date`,
    it is given the moment in the site's time zone, so the attribute carries the
    same offset as the text beside it.
    """
    if not moment:
        return ""
    return moment.replace(microsecond=0).isoformat()


@register.filter
def markdown(text: str | None) -> SafeString:
    """Markdown written in the site (a review copy, a summary) as sanitised HTML."""
    return markdown_renderer.render(text)


# Actions whose plain name would mislead: a decision is the committee's, released
# by staff, not something "program staff" did to the nomination on their own.
ACTION_WORDS = {
    "nomination_advanced": "Decision released: a finalist, chosen by the Selection Committee",
    "nomination_declined": "Decision released: not selected by the Selection Committee",
    "nomination_awarded": "Decision released: a winner, chosen by the Selection Committee",
}


@register.filter
def action_label(action: str) -> str:
    """'agency_verified' → 'Agency verified'; decisions in their own words (ACTION_WORDS)."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    return action.replace("_", " ").capitalize()


@register.filter
def action_names_its_author(action: str) -> bool:
    """True when the action's words already say who acted (a line need not add "by …")."""
    return action in ACTION_WORDS
