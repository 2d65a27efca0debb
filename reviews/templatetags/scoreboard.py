"""The scoreboard's table rows, written in Python: `{% scoreboard_rows lines %}`.

A cycle's scoreboard lists every nomination in review, 2,000 in a large year.
Rendered by the template language each row cost a dozen variable lookups, four
`floatformat`s, a `{% url %}` and an inclusion tag for the status badge, and
the rows took most of the page's time (bench/scoreboard.py). The markup is the
same as the template's was; numbers are rounded as `floatformat:2` rounds them
(half up, on the float's shortest decimal form), and every text is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dz_awards.nominations.templatetags.nominations import BADGE_CLASSES
from reviews.selectors import BoardLine

register = template.Library()

_HUNDREDTH = Decimal("0.01")
_PLACEHOLDER = UUID(int=0)
# What the template showed for "nothing here": an en dash.
DASH = "\u2013"
_NO_STATS = (
    f'<td class="text-end">0</td><td class="text-end">{DASH}</td>'
    f'<td class="text-end">{DASH}</td><td class="text-end">{DASH}</td>'
    f'<td class="text-end">{DASH}</td><td>{DASH}</td>'
)


def two_places(value: float) -> str:
    """`value|floatformat:2`: half up, from the float's shortest decimal form."""
    return str(Decimal(str(value)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


@register.simple_tag
def scoreboard_rows(lines: Iterable[BoardLine]) -> SafeString:
    """The `<tr>` of each line: rank, nomination, agency, numbers, status and staged decision."""
    # One reverse() for the page; each row only puts its key in the address.
    link = reverse("staff:nomination-assignments", args=[_PLACEHOLDER])
    placeholder = str(_PLACEHOLDER)
    badges: dict[str, str] = {}
    rows = []
    for line in lines:
        nomination, stats = line.nomination, line.stats
        if stats is None:
            numbers = _NO_STATS
        else:
            flag = (
                '<span class="badge text-bg-warning">Discuss</span>' if stats.disagreement else "No"
            )
            numbers = (
                f'<td class="text-end">{stats.count}</td>'
                f'<td class="text-end">{two_places(stats.mean)}</td>'
                f'<td class="text-end">{two_places(stats.median)}</td>'
                f'<td class="text-end">{two_places(stats.spread)}</td>'
                f'<td class="text-end"><strong>{two_places(stats.normalised)}</strong></td>'
                f"<td>{flag}</td>"
            )
        state = nomination.state
        if state not in badges:
            badges[state] = (
                f'<span class="badge state-badge {BADGE_CLASSES[state]}">'
                f'<span class="visually-hidden">Status: </span>'
                f"{escape(nomination.get_state_display())}</span>"
            )
        decision = getattr(nomination, "decision", None)
        staged = (
            escape(decision.get_outcome_display())
            if decision is not None and not decision.released_at
            else DASH
        )
        rows.append(
            f"<tr><td>{line.rank if line.rank else DASH}</td>"
            f'<td><a href="{link.replace(placeholder, str(nomination.pk))}">'
            f"{escape(str(nomination))}</a></td>"
            f"<td>{escape(nomination.agency.name)}</td>{numbers}"
            f"<td>{badges[state]}</td><td>{staged}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every text above is escaped
