"""A reviewer's submitted reviews stay theirs once decisions are released (issue 12,
fault 2): in the queue's history, read-only, and in their own CSV."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from reviews import selectors, services
from reviews.enums import Outcome
from reviews.models import Conflict
from tests.reviews import helpers


@pytest.fixture
def decided(staff, cycle, nomination, reviewers):
    """`nomination` in review with three reviewers (the first submitted a review of 4,
    the others never wrote one), closed, and its decision (not selected) released."""
    rows = helpers.open_review(staff, nomination, reviewers)
    helpers.submit_review(rows[0], 4)
    services.nomination_close_review(actor=staff, nomination=nomination, override_reason="Late")
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.NOT_SELECTED)
    services.decisions_release(actor=staff, cycle=cycle)
    return rows


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _csv_rows(client):
    response = client.get(reverse("reviews:export"))
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_submitted_review_stays_in_the_queue_history_after_release(decided):
    """The released nomination leaves the queue and its review shows under past reviews,
    with the redacted title and the total, and no link to change it."""
    client = _signed_in(decided[0].reviewer)
    html = client.get(reverse("reviews:queue")).content.decode()
    assert "Your past reviews" in html
    history = html[html.index("Your past reviews") :]
    assert helpers.REDACTED_TITLE in history
    assert "<td>4.00</td>" in history
    assert reverse("reviews:review", kwargs={"pk": decided[0].pk}) not in html
    assert decided[0].nomination.agency.name not in html


def test_submitted_review_stays_in_the_reviewers_csv_after_release(decided):
    """The CSV of one's own reviews still has the review, its score and its comment."""
    rows = _csv_rows(_signed_in(decided[0].reviewer))
    assert len(rows) == 2
    header, row = rows
    assert row[0] == helpers.REDACTED_TITLE
    assert row[header.index("Overall comment")] == helpers.COMMENT
    assert row[header.index("Weighted total")] == "4.0"


def test_a_review_never_submitted_is_not_history(decided):
    """The reviewer who wrote nothing has no past review and no CSV row."""
    client = _signed_in(decided[1].reviewer)
    assert "Your past reviews" not in client.get(reverse("reviews:queue")).content.decode()
    assert len(_csv_rows(client)) == 1


def test_history_leaves_out_a_conflict_declared_since(decided):
    """A conflict found after the fact hides the review everywhere, history included."""
    Conflict.objects.create(
        reviewer=decided[0].reviewer, nomination=decided[0].nomination, reason="Former colleague"
    )
    assert list(selectors.reviewer_history(decided[0].reviewer)) == []
