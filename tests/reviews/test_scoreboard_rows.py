"""The scoreboard's rows written in Python (`{% scoreboard_rows %}`) say what the template said.

Numbers are rounded exactly as `floatformat:2` rounds them, every text is
escaped, and a line without reviews, a staged decision and a released one show
as before. The scoreboard normalises a cycle's reviews once, not twice.
"""

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations.enums import NominationState
from reviews import scoring
from reviews.enums import Outcome
from reviews.models import Decision
from reviews.scoring import NominationStats
from reviews.selectors import BoardLine
from reviews.templatetags.scoreboard import scoreboard_rows, two_places
from tests import factories


@pytest.mark.parametrize(
    "value", [0.0, 1.0, 2.5, 2.675, 0.125, 1.005, 3.3333333333, 4.999, 4.995, 1e-9, 12.345]
)
def test_numbers_are_rounded_as_floatformat_rounds_them(value):
    assert two_places(value) == floatformat(value, 2)


def _stats(nomination, *, disagreement):
    return NominationStats(
        nomination=nomination.pk,
        count=3,
        mean=3.0,
        median=2.675,
        spread=2.0,
        normalised=3.3333333,
        disagreement=disagreement,
    )


@pytest.mark.django_db
def test_rows_escape_text_and_show_stats_decisions_and_missing_numbers():
    hostile = factories.NominationFactory(
        title="<script>alert(1)</script> Peer support",
        state=NominationState.REVIEWED,
        agency__name="O'Brien & Sons <PD>",
    )
    Decision.objects.create(nomination=hostile, outcome=Outcome.FINALIST, staged_by=None)
    released = factories.NominationFactory(title="Released", state=NominationState.FINALIST)
    Decision.objects.create(
        nomination=released, outcome=Outcome.FINALIST, staged_by=None, released_at=timezone.now()
    )
    unreviewed = factories.NominationFactory(title="Unreviewed", state=NominationState.IN_REVIEW)

    html = scoreboard_rows(
        [
            BoardLine(hostile, 1, _stats(hostile, disagreement=True)),
            BoardLine(released, 2, _stats(released, disagreement=False)),
            BoardLine(unreviewed, None, None),
        ]
    )

    first, second, third = html.split("\n")
    link = reverse("staff:nomination-assignments", args=[hostile.pk])
    assert first.startswith(f'<tr><td>1</td><td><a href="{link}">')
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Peer support</a>" in first
    assert "<script>" not in html
    assert "<td>O&#x27;Brien &amp; Sons &lt;PD&gt;</td>" in first
    assert (
        '<td class="text-end">3</td><td class="text-end">3.00</td>'
        '<td class="text-end">2.68</td><td class="text-end">2.00</td>'
        '<td class="text-end"><strong>3.33</strong></td>'
        '<td><span class="badge text-bg-warning">Discuss</span></td>'
    ) in first
    assert (
        '<span class="badge state-badge text-bg-info"><span class="visually-hidden">Status: '
        "</span>Reviewed</span>"
    ) in first
    assert first.endswith("<td>Finalist</td></tr>")
    # A released decision is no longer staged; no disagreement is "No".
    assert "<td>No</td>" in second
    assert second.endswith("<td>\u2013</td></tr>")
    # No reviews yet: no rank, no numbers.
    assert third.startswith("<tr><td>\u2013</td>")
    assert '<td class="text-end">0</td><td class="text-end">\u2013</td>' in third


def test_summarise_with_the_normalisation_given_does_not_normalise_again(monkeypatch):
    reviews = [
        scoring.Review(reviewer=reviewer, nomination=nomination, total=total)
        for reviewer, nomination, total in [
            ("avery", "a", 4.0),
            ("avery", "b", 2.5),
            ("blake", "a", 3.0),
            ("blake", "b", 1.0),
            ("casey", "b", 5.0),
        ]
    ]
    scale = {"scale_min": 1, "scale_max": 5}
    given = scoring.normalise(reviews, **scale)
    alone = scoring.summarise(reviews, disagreement_threshold=1.5, **scale)

    def normalise_again(*args, **kwargs):
        raise AssertionError("normalised twice")

    monkeypatch.setattr(scoring, "normalise", normalise_again)
    with_given = scoring.summarise(
        reviews, disagreement_threshold=1.5, normalisation=given, **scale
    )
    assert with_given == alone
    assert alone["b"].disagreement
    assert not alone["a"].disagreement
