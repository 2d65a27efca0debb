"""Scoreboard, decisions and exports (`views.staff.decisions`): the numbers and charts,
staging and releasing decisions, and the CSV exports."""

import csv
import io
import re

import pytest
from django.urls import reverse

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import Outcome
from reviews.models import Conflict, Decision
from tests import factories
from tests.reviews.views.staff.helpers import (
    in_review,
    make_reviewer,
    nominated,
    reviewed,
    submit_review,
)
from tests.reviews.views.staff.helpers import message_texts as _messages
from tests.reviews.views.staff.helpers import page_text as _text

S = NominationState


def _csv(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


@pytest.fixture
def scored(staff, category, reviewers, phase, rubric):
    """Two reviewed nominations (totals 4 and 2 by two reviewers; 3 and 3) in one category."""
    high = nominated(category, title="High Scorer")
    low = nominated(category, title="Low Scorer")
    reviewed(staff, high, reviewers[:2], [4, 2])
    reviewed(staff, low, reviewers[:2], [3, 3])
    return high, low


# Scoreboard ------------------------------------------------------------------------------


def test_scoreboard_shows_numbers_to_two_decimals_and_accessible_charts(
    staff_client, category, scored
):

    response = staff_client.get(
        reverse("staff:review-scoreboard", kwargs={"cycle": category.cycle.pk})
    )

    html = _text(response)
    assert response.status_code == 200
    (section,) = response.context["sections"]
    lines = {line.nomination.title: line for line in section.board.lines}
    assert lines["High Scorer"].stats.mean == 3.0
    assert lines["High Scorer"].stats.spread == 2.0
    assert lines["High Scorer"].stats.disagreement
    assert "<strong>3.00</strong>" in html or "3.00" in html
    assert "2.00" in html
    assert "Discuss" in html
    # Two reviewers each scored both nominations: alpha is a number.
    assert section.board.alpha is not None
    assert f"{section.board.alpha:.2f}" in html
    # Both charts: a role, a name and a description each, and tables of the same numbers.
    svgs = re.findall(r"<svg [^>]*>", html)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg
        title_id, desc_id = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', svg).groups()
        assert f'<title id="{title_id}">' in html
        assert f'<desc id="{desc_id}">' in html
    assert "Distribution of review totals in Peer support, as a table" in html
    assert "Reviewer leniency, as a table" in html
    # Avery gave 4 and 3, Blake 2 and 3: the centre is 3.
    assert "Avery Reviewer: mean 3.50 over 2 reviews, 0.50 above the centre" in html
    assert "Blake Reviewer: mean 2.50 over 2 reviews, 0.50 below the centre" in html
    assert "+0.50" in html
    assert "4 reviews counted, by total on the rubric scale" in html


@pytest.mark.usefixtures("phase", "rubric")
def test_scoreboard_says_when_alpha_cannot_be_computed(staff_client, staff, category, reviewers):
    in_review(staff, nominated(category, title="No Reviews Yet"), reviewers[:2])

    response = staff_client.get(
        reverse("staff:review-scoreboard", kwargs={"cycle": category.cycle.pk})
    )

    assert response.context["sections"][0].board.alpha is None
    assert "not enough reviews to say" in _text(response)


@pytest.mark.usefixtures("phase", "rubric")
def test_scoreboard_escapes_names_in_the_charts(staff_client, staff, category, panel):
    people = [
        make_reviewer(panel, full_name="<script>alert(1)</script>"),
        make_reviewer(panel, full_name="Plain Reviewer"),
    ]
    reviewed(staff, nominated(category), people, [4, 2])

    html = _text(
        staff_client.get(reverse("staff:review-scoreboard", kwargs={"cycle": category.cycle.pk}))
    )

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Decisions -------------------------------------------------------------------------------


def test_decisions_page_lists_reviewed_nominations_with_their_numbers(
    staff_client, category, scored
):
    response = staff_client.get(
        reverse("staff:review-decisions", kwargs={"cycle": category.cycle.pk})
    )

    html = _text(response)
    ((_board, lines),) = response.context["sections"]
    assert sorted(item.line.nomination.title for item in lines) == ["High Scorer", "Low Scorer"]
    assert lines[0].choices == [
        ("finalist", "Finalist"),
        ("winner", "Winner"),
        ("not_selected", "Not selected"),
    ]
    assert "No decision is staged." in html
    assert 'name="outcome"' in html


def test_stage_and_unstage_a_decision(staff_client, category, scored):
    high, _low = scored
    url = reverse("staff:nomination-decision", kwargs={"pk": high.pk})

    staged = staff_client.post(url, {"outcome": Outcome.FINALIST}, follow=True)
    assert _messages(staged) == [
        (
            "High Scorer is staged as finalist. Nothing changes for the agency until decisions are "
            "released."
        )
    ]
    assert Decision.objects.get(nomination=high).outcome == Outcome.FINALIST
    high.refresh_from_db()
    assert high.state == S.REVIEWED
    assert "Staged, not released (1)" in _text(staged)

    unstaged = staff_client.post(url, {"outcome": "unstage"}, follow=True)
    assert _messages(unstaged) == ["High Scorer: the staged decision is removed."]
    assert not Decision.objects.exists()


def test_stage_refused_shows_why(staff_client, staff, category, scored):
    high, low = scored
    services.decision_stage(actor=staff, nomination=high, outcome=Outcome.WINNER)

    response = staff_client.post(
        reverse("staff:nomination-decision", kwargs={"pk": low.pk}),
        {"outcome": "winner"},
        follow=True,
    )

    assert _messages(response) == [
        "Low Scorer: Peer support already has its 1 winner (released or staged)."
    ]
    assert list(Decision.objects.values_list("nomination", flat=True)) == [high.pk]
    bad = staff_client.post(
        reverse("staff:nomination-decision", kwargs={"pk": low.pk}),
        {"outcome": "president"},
        follow=True,
    )
    assert _messages(bad) == ["Low Scorer: choose a decision."]


def test_release_confirms_then_applies_and_emails(staff_client, staff, category, scored):
    high, low = scored
    owner = factories.OwnerFactory(agency=high.agency).user
    services.decision_stage(actor=staff, nomination=high, outcome=Outcome.WINNER)
    services.decision_stage(actor=staff, nomination=low, outcome=Outcome.NOT_SELECTED)
    url = reverse("staff:review-release", kwargs={"cycle": category.cycle.pk})

    confirm = staff_client.get(url)
    html = _text(confirm)
    assert "emails each agency its outcome" in html
    assert "High Scorer" in html
    assert "Low Scorer" in html
    assert "Release 2 decisions and email the agencies" in html
    high.refresh_from_db()
    assert high.state == S.REVIEWED

    response = staff_client.post(url, follow=True)
    high.refresh_from_db()
    low.refresh_from_db()
    assert (high.state, low.state) == (S.WINNER, S.NOT_SELECTED)
    assert _messages(response) == ["2 decisions released. Each agency is emailed its outcome."]
    assert list(
        OutboxEmail.objects.filter(subject__startswith="Decision on your nomination").values_list(
            "to", flat=True
        )
    ) == [owner.email]


def test_release_with_nothing_staged_is_refused(staff_client, category, scored):
    url = reverse("staff:review-release", kwargs={"cycle": category.cycle.pk})
    assert "nothing to release" in _text(staff_client.get(url))

    response = staff_client.post(url, follow=True)

    assert _messages(response) == ["There are no staged decisions to release."]
    assert set(Nomination.objects.values_list("state", flat=True)) == {S.REVIEWED}


# Exports ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("phase", "rubric")
def test_nomination_export_has_scores_and_neutralises_formulas(
    staff_client, staff, category, reviewers
):
    agency = factories.AgencyFactory(name="=HYPERLINK(1)", city="+Town")
    nomination = nominated(category, title="@Sum", agency=agency)
    reviewed(staff, nomination, reviewers[:2], [4, 2])
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.FINALIST)
    waiting = nominated(category, title="Waiting Copy")

    response = staff_client.get(
        reverse("staff:review-export-nominations", kwargs={"cycle": category.cycle.pk})
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming  # rows leave as they are read, 2,000 of them in a large year
    header, *rows = _csv(response)
    assert header == [
        "Nomination id",
        "Category",
        "Agency",
        "City",
        "State",
        "Title",
        "Status",
        "Reviews",
        "Mean",
        "Median",
        "Spread",
        "Normalised",
        "Rank",
        "Disagreement",
        "Staged decision",
    ]
    by_id = {row[0]: row for row in rows}
    scored_row = by_id[str(nomination.pk)]
    assert scored_row[1:8] == [
        "Peer support",
        "'=HYPERLINK(1)",
        "'+Town",
        "VA",
        "'@Sum",
        "Reviewed",
        "2",
    ]
    assert scored_row[8:11] == ["3.0", "3.0", "2.0"]
    assert scored_row[12:] == ["1", "yes", "Finalist"]
    assert by_id[str(waiting.pk)][6:8] == ["Submitted", "0"]


@pytest.mark.usefixtures("phase", "rubric")
def test_review_export_leaves_out_conflicted_reviews(staff_client, staff, category, reviewers):
    nomination = nominated(category, title="Peer Team")
    rows = in_review(staff, nomination, reviewers[:2])
    submit_review(reviewers[0], rows[0], 4)
    submit_review(reviewers[1], rows[1], 2)
    Conflict.objects.create(reviewer=reviewers[1], nomination=nomination, reason="Former chief.")

    response = staff_client.get(
        reverse("staff:review-export-reviews", kwargs={"cycle": category.cycle.pk})
    )

    assert response.streaming
    header, *lines = _csv(response)
    assert header[:8] == [
        "Nomination id",
        "Title",
        "Agency",
        "Reviewer name",
        "Reviewer email",
        "State",
        "Confidence",
        "Total",
    ]
    assert header[8:10] == [
        "Effective and measurable results: score",
        "Effective and measurable results: justification",
    ]
    assert header[-2:] == ["Overall comment", "Submitted at"]
    (line,) = lines
    assert line[:8] == [
        str(nomination.pk),
        "Peer Team",
        nomination.agency.name,
        "Avery Reviewer",
        reviewers[0].email,
        "Review submitted",
        "High: I know this kind of program well",
        "4.0",
    ]
    assert line[8:10] == ["4", "Measured against the baseline."]
    assert line[-2] == "A solid program."
    # Streamed, so read once (by `_csv`): the whole download, every cell.
    assert not any(reviewers[1].email in cell for row in [header, *lines] for cell in row)
