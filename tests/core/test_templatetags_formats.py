"""The template filters that keep pages valid and readable: `iso_datetime` for `datetime`
attributes, `markdown` for text written in the site, and the words of audit actions."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.template import Context, Template

from dz_awards.core.templatetags.dz import action_label, action_names_its_author, iso_datetime


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 12, 1, 17, 5, 9, 123456, tzinfo=UTC), "2026-12-01T17:05:09+00:00"),
        (datetime(2026, 12, 1, 17, 5, 9, tzinfo=UTC), "2026-12-01T17:05:09+00:00"),
        (
            datetime(2026, 12, 1, 12, 5, 9, 999999, tzinfo=timezone(timedelta(hours=-5))),
            "2026-12-01T12:05:09-05:00",
        ),
        (None, ""),
    ],
)
def test_iso_datetime_drops_microseconds(moment, text):
    """Whole seconds with the offset: HTML allows at most three digits of a second."""
    assert iso_datetime(moment) == text


def test_iso_datetime_in_a_time_element():
    """In a template the moment is in the site's time zone (Eastern), as `|date` shows it."""
    template = Template('{% load dz %}<time datetime="{{ moment|iso_datetime }}">')
    moment = datetime(2027, 1, 20, 17, 0, 0, 500, tzinfo=UTC)
    assert template.render(Context({"moment": moment})) == (
        '<time datetime="2027-01-20T12:00:00-05:00">'
    )


def test_markdown_filter_renders_and_sanitises():
    template = Template("{% load dz %}{{ text|markdown }}")
    text = "**Bold** and <b onclick=x>raw</b>\n\n## Section"
    assert template.render(Context({"text": text})) == (
        "<p><strong>Bold</strong> and &lt;b onclick=x&gt;raw&lt;/b&gt;</p>\n<h3>Section</h3>\n"
    )


@pytest.mark.parametrize(
    ("action", "label", "names_author"),
    [
        ("nomination_declined", "Decision released: not selected by the Selection Committee", True),
        (
            "nomination_advanced",
            "Decision released: a finalist, chosen by the Selection Committee",
            True,
        ),
        (
            "nomination_awarded",
            "Decision released: a winner, chosen by the Selection Committee",
            True,
        ),
        ("nomination_returned", "Nomination returned", False),
    ],
)
def test_action_words(action, label, names_author):
    """Decisions say what happened and whose they are; other actions read from their name."""
    assert (action_label(action), action_names_its_author(action)) == (label, names_author)
