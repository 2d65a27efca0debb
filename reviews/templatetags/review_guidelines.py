"""The guidelines link on reviewer pages: what it says depends on who reads the page.

`{% guidelines_status policy as guide %}` gives the signed-in reviewer's standing
with the cycle's guidelines (`selectors.GuidelinesStatus`), or None when the
cycle has none. The versions a reviewer read are read once per request for
every cycle together, so a page that shows the link on many rows costs one
query, not one per row.
"""

from __future__ import annotations

from typing import Any

from django import template

from reviews import selectors
from reviews.models import ReviewPolicy

register = template.Library()

# Where a request keeps the versions its reviewer read, once looked up.
CACHE_ATTRIBUTE = "_review_guidelines_read"


@register.simple_tag(takes_context=True)
def guidelines_status(
    context: template.Context, policy: ReviewPolicy
) -> selectors.GuidelinesStatus | None:
    """The signed-in reviewer's standing with `policy`'s guidelines; None without any."""
    if selectors.guidelines_version_to_read(policy) is None:
        return None
    request: Any = context["request"]
    read = getattr(request, CACHE_ATTRIBUTE, None)
    if read is None:
        read = selectors.guidelines_read_by_cycle(request.user)
        setattr(request, CACHE_ATTRIBUTE, read)
    return selectors.guidelines_status(policy, read.get(policy.cycle_id, set()))
