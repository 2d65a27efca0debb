"""Template helpers of recognition: the badge's text alternative and HTML, for the agency."""

from django import template

from dz_awards.recognition import selectors
from dz_awards.recognition.models import Certificate

register = template.Library()


@register.simple_tag
def certificate_badge(certificate: Certificate) -> selectors.BadgeSnippet:
    """`{% certificate_badge certificate as badge %}`: see `selectors.badge_snippet`."""
    return selectors.badge_snippet(certificate)
