"""Template helpers for nomination pages."""

from django import template
from django.utils import timezone

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.urls_audience import nomination_url as _nomination_url

register = template.Library()
S = NominationState


@register.simple_tag
def nomination_url(audience, name, pk, **kwargs):
    """{% nomination_url audience "revision" nomination.pk number=2 %}"""
    return _nomination_url(audience, name, pk, **kwargs)


@register.filter
def next_step(nomination):
    """What the agency should do next with this nomination, in one sentence."""
    now = timezone.now()
    if nomination.state == S.DRAFT:
        if nomination.cycle.has_closed(now):
            return "The deadline has passed. Move this draft to the next year's awards."
        if not nomination.cycle.is_open(now):
            return "Keep writing: submissions open soon."
        return "Finish the answers and submit before the deadline."
    return {
        S.SUBMITTED: "Nothing to do: program staff are reading your submission.",
        S.RETURNED: "Staff asked for changes: read their message, edit and resubmit.",
        S.IN_REVIEW: "Nothing to do: the Selection Committee is reviewing it.",
        S.REVIEWED: "Nothing to do: the decision comes soon.",
        S.FINALIST: "Your program is a finalist.",
        S.WINNER: "Your program won its category.",
        S.NOT_SELECTED: "Your program was not selected this year; you may enter it again.",
        S.WITHDRAWN: "Withdrawn. You can start a new nomination from it next year.",
        S.INELIGIBLE: "Found ineligible: read the reason from program staff.",
    }[nomination.state]


BADGE_CLASSES = {
    S.DRAFT: "text-bg-secondary",
    S.SUBMITTED: "text-bg-primary",
    S.RETURNED: "text-bg-warning",
    S.IN_REVIEW: "text-bg-info",
    S.REVIEWED: "text-bg-info",
    S.FINALIST: "text-bg-success",
    S.WINNER: "text-bg-success",
    S.NOT_SELECTED: "text-bg-light border",
    S.WITHDRAWN: "text-bg-dark",
    S.INELIGIBLE: "text-bg-danger",
}


@register.inclusion_tag("nominations/partials/state_badge.html")
def state_badge(nomination):
    return {
        "label": nomination.get_state_display(),
        "css": BADGE_CLASSES[nomination.state],
    }
