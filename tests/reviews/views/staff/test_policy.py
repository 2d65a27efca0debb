"""The review policy page of a cycle (`views.staff.policy`): what is saved, the form,
its errors (what was typed is kept), dates in Eastern time, and sharing locked after
release."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reviews import selectors, services
from reviews.enums import FeedbackPosition, Outcome
from reviews.forms.policy import GUIDELINES_LIMIT
from reviews.models import ReviewPolicy
from tests.reviews.views.staff.helpers import message_texts as _messages
from tests.reviews.views.staff.helpers import nominated, reviewed
from tests.reviews.views.staff.helpers import page_text as _text

EASTERN = ZoneInfo("America/New_York")
GUIDELINES = "## Scoring results\n\nLook for **figures from before and after**."


def url(cycle):
    return reverse("staff:review-policy", kwargs={"cycle": cycle.pk})


def form(**changes):
    return {
        "guidelines": GUIDELINES,
        "calibration_example": "A *4* on results: 11 resignations became 2.",
        "preferences_due_at": "2031-01-17T23:59",
        "feedback_position": FeedbackPosition.BAND,
        **changes,
    }


def test_policy_page_of_a_new_cycle_shows_the_defaults(staff_client, cycle):
    response = staff_client.get(url(cycle))
    html = " ".join(_text(response).split())
    assert "<h1>Review policy</h1>" in html
    assert 'aria-current="page" href="' + url(cycle) + '">Review policy' in html
    assert "None yet: reviewers are not asked to read any." in html
    assert '<dd class="col-sm-8">Not asked</dd>' in html
    assert '<dd class="col-sm-8">No</dd>' in html
    assert 'value="band" id="id_feedback_position_0" required checked' in html
    assert "Saved guidelines, as reviewers read them" not in html
    assert not ReviewPolicy.objects.filter(cycle=cycle).exists()


def test_policy_page_saves_and_shows_version_author_eastern_date_and_preview(
    staff_client, staff, cycle
):
    response = staff_client.post(url(cycle), form(share_feedback="on"), follow=True)

    assert _messages(response) == [
        (
            "The review policy is saved. The guidelines are now version 1: reviewers confirm "
            "reading it when they accept an assignment, and those who accepted earlier are "
            "asked to read it."
        )
    ]
    policy = ReviewPolicy.objects.get(cycle=cycle)
    assert policy.preferences_due_at == datetime(2031, 1, 17, 23, 59, tzinfo=EASTERN)
    assert (policy.share_feedback, policy.guidelines_version) == (True, 1)
    html = " ".join(_text(response).split())
    assert f"Version 1, changed by {staff.full_name} on <time" in html
    assert (
        '<time datetime="2031-01-17T23:59:00-05:00">Fri 17 Jan 2031, 11:59 p.m. ET</time> '
        "(open now)"
    ) in html
    assert 'name="preferences_due_at" value="2031-01-17T23:59"' in html
    assert '<dd class="col-sm-8">Yes, after release</dd>' in html
    assert "<h3>Scoring results</h3>" in html
    assert "<strong>figures from before and after</strong>" in html
    assert f'href="{reverse("reviews:guidelines", kwargs={"cycle": cycle.pk})}"' in html

    again = staff_client.post(url(cycle), form(share_feedback="on"), follow=True)
    assert _messages(again) == ["Nothing changed: the review policy is as it was."]
    other = staff_client.post(url(cycle), form(share_feedback=""), follow=True)
    assert _messages(other) == ["The review policy is saved."]
    assert ReviewPolicy.objects.get(cycle=cycle).guidelines_version == 1


def test_policy_page_errors_keep_what_was_typed(staff_client, cycle):
    typed = "x" * (GUIDELINES_LIMIT + 1)
    response = staff_client.post(
        url(cycle),
        form(
            guidelines=typed,
            calibration_example="Kept as typed.",
            preferences_due_at="next Friday",
            feedback_position="podium",
        ),
    )
    assert response.status_code == 200
    html = _text(response)
    assert "Please correct these problems" in html
    assert f"Keep this to {GUIDELINES_LIMIT} characters (it has {GUIDELINES_LIMIT + 1})." in html
    assert "Enter a date and time, for example 2027-01-15 23:59." in html
    assert "Select a valid choice." in html
    assert f"{typed}</textarea>" in html
    assert "Kept as typed.</textarea>" in html
    assert 'value="next Friday"' in html
    assert not ReviewPolicy.objects.filter(cycle=cycle).exists()


@pytest.mark.usefixtures("phase", "rubric")
def test_policy_page_refuses_to_change_sharing_after_release(
    staff_client, staff, category, reviewers
):
    cycle = category.cycle
    nomination = nominated(category)
    reviewed(staff, nomination, reviewers[:2], [4, 3])
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.FINALIST)
    services.decisions_release(actor=staff, cycle=cycle)
    assert selectors.decisions_released(cycle)

    page = _text(staff_client.get(url(cycle)))
    assert "Decisions of this cycle have been released: sharing, and how agencies see" in page
    # Shown, not offered: both settings are disabled on the page ...
    assert re.search(r'<input type="checkbox" name="share_feedback"[^>]* disabled', page)
    assert len(re.findall(r'name="feedback_position"[^>]* disabled', page)) == 2
    # ... and a posted change to them is ignored, while the guidelines still save.
    staff_client.post(url(cycle), form(share_feedback="on", feedback_position="rank"))
    stored = ReviewPolicy.objects.get(cycle=cycle)
    assert (stored.share_feedback, stored.feedback_position) == (False, "band")
    assert stored.guidelines_version == 1

    kept = staff_client.get(url(cycle))
    assert "(decisions are released: this can no longer change)" in _text(kept)
