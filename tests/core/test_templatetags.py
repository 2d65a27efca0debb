"""Template helpers shared by every page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template

from dz_awards.core.templatetags.dz import action_label, time_left

NOW = datetime(2027, 1, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (timedelta(days=12, hours=3, minutes=59), "12 days, 3 hours"),
        (timedelta(days=1, hours=1), "1 day, 1 hour"),
        (timedelta(days=1), "1 day, 0 hours"),
        (timedelta(days=2, hours=23, minutes=59, seconds=59), "2 days, 23 hours"),
        (timedelta(hours=5, minutes=1), "5 hours, 1 minute"),
        (timedelta(hours=1), "1 hour, 0 minutes"),
        (timedelta(minutes=45, seconds=30), "45 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=59), "1 minute"),
        (timedelta(seconds=1), "1 minute"),
        (timedelta(0), ""),
        (timedelta(seconds=-1), ""),
        (timedelta(days=-3), ""),
    ],
)
def test_time_left_plain_language(remaining, text):
    """Days and hours, else hours and minutes, else minutes (at least one); nothing once past."""
    assert time_left(NOW + remaining, NOW) == text


def test_time_left_in_template_with_now_argument():
    """Used as a filter with `now` as its argument."""
    template = Template("{% load dz %}{{ deadline|time_left:now }} left")
    rendered = template.render(Context({"deadline": NOW + timedelta(hours=2), "now": NOW}))
    assert rendered == "2 hours, 0 minutes left"


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("agency_verified", "Agency verified"),
        ("membership_requested", "Membership requested"),
        ("agency_created", "Agency created"),
        ("verified", "Verified"),
    ],
)
def test_action_label_reads_as_words(action, label):
    """An action code reads as a sentence-case phrase."""
    assert action_label(action) == label


def test_action_label_in_template():
    """The filter renders in a template the same way."""
    template = Template("{% load dz %}{{ action|action_label }}")
    assert template.render(Context({"action": "membership_declined"})) == "Membership declined"
