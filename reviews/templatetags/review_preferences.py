"""Template tags of the reviewer pages: the preference windows open to a reviewer.

The queue page links to each open window; a tag keeps that one link out of the
queue's own view, so the page that lists assignments need not know about
preferences (one query, whatever the number of assignments).
"""

from django import template

from reviews import selectors

register = template.Library()


@register.simple_tag
def open_preference_cycles(user):
    """The cycles whose preferences `user` may state now, with their review policy."""
    return list(selectors.preference_cycles_open(user))
