"""What reviewers read (issue 12, fault 7): the review copy staff write in Markdown is
shown formatted and sanitised, on the assignment page and in the blind packet, never as
raw Markdown text."""

import pytest
from django.template.loader import render_to_string

from reviews.models import ReviewCopy
from tests.reviews.views.reviewer.conftest import _build
from tests.reviews.views.reviewer.helpers import signed_in, url

SUMMARY = "A **peer team** reaches every officer:\n\n- within a day\n- on every shift"
REDACTED = (
    "# The need\n\nOfficers met *no one* after an incident. "
    '<script>alert("x")</script> [more](javascript:alert(1)) [a study](https://example.org/s)'
)


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    world = _build(django_capture_on_commit_callbacks)
    # Written as staff type it; the copy stays cleared (the text is what the check saw).
    ReviewCopy.objects.filter(nomination=world.nomination).update(
        executive_summary=SUMMARY, redacted_text=REDACTED
    )
    return world


def test_assignment_page_renders_the_summary_and_redacted_copy_as_markdown(world):
    """Emphasis, lists, headings (shifted below the page's own) and safe links render;
    raw HTML, scripts and javascript: links do not; no Markdown marks are left."""
    html = signed_in(world.reviewers[0]).get(url("assignment", world.assignments[0])).content
    html = html.decode()
    assert "<strong>peer team</strong>" in html
    assert "<li>within a day</li>" in html
    assert "<h3>The need</h3>" in html
    assert "<em>no one</em>" in html
    assert '<a href="https://example.org/s" rel="nofollow noopener noreferrer">a study</a>' in html
    for raw in ("**peer team**", "# The need", "*no one*", "<script>alert", 'href="javascript:'):
        assert raw not in html


def test_blind_packet_renders_the_summary_and_redacted_copy_as_markdown():
    """The packet reviewers download reads the same as their page."""
    html = render_to_string(
        "reviews/packets/blind.html",
        {"title": "T", "cycle": "C", "executive_summary": SUMMARY, "redacted_text": REDACTED},
    )
    assert "<strong>peer team</strong>" in html
    assert "<h3>The need</h3>" in html
    assert "**" not in html
    assert "<script>" not in html
