"""The review form (`views.reviewer.review`): drafts, submission, every refusal keeping
what was typed, and the read-only states. Then a blind reviewer's whole journey,
searched for the agency's identity."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations.models import Evidence
from reviews import services
from reviews.enums import AssignmentState
from reviews.models import Conflict, Review, ReviewPhase
from tests.reviews.views.reviewer.helpers import AGENCY_NAME, ORI, REDACTED_TITLE
from tests.reviews.views.reviewer.helpers import message_texts as _messages
from tests.reviews.views.reviewer.helpers import no_identity as _no_identity
from tests.reviews.views.reviewer.helpers import review_data as _review_data
from tests.reviews.views.reviewer.helpers import signed_in as _signed_in
from tests.reviews.views.reviewer.helpers import submit as _submit
from tests.reviews.views.reviewer.helpers import url as _url
from tests.reviews.views.reviewer.helpers import whole as _whole

A = AssignmentState


# The review form --------------------------------------------------------------------


def test_review_form_has_a_labelled_radio_group_per_criterion(world):
    response = _signed_in(world.reviewers[0]).get(_url("review", world.assignments[0]))
    html = response.content.decode()
    criterion = world.criteria[0]
    level = criterion.levels.get(score=3)
    assert f'<legend class="fs-6 fw-semibold">Score for {criterion.name}</legend>' in html
    for score in range(1, 6):
        assert f'id="id_score_{criterion.pk}_{score - 1}"' in html
    assert f"3: {level.text}" in html
    assert f'name="justification_{criterion.pk}"' in html
    assert re.search(
        rf'<textarea name="justification_{criterion.pk}"[^>]*maxlength="1000"[^>]*'
        rf'aria-describedby="id_justification_{criterion.pk}_sharing '
        rf'id_justification_{criterion.pk}_count"',
        html,
    )
    assert 'name="version" value="1"' in html
    assert ">Save draft</button>" in html
    assert ">Submit review</button>" in html
    assert "Update submitted review" not in html
    assert f"<title>Review: {REDACTED_TITLE} · Destination Zero Awards</title>" in html
    _no_identity(_whole(response))


def test_review_draft_saves_partial_answers(world):
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    first = world.criteria[0]
    response = client.post(
        _url("review", row),
        {
            "version": "1",
            f"score_{first.pk}": "3",
            f"justification_{first.pk}": "Some evidence.",
            "action": "draft",
        },
    )
    assert response.url == _url("review", row)
    review = Review.objects.get(assignment=row)
    assert review.submitted_at is None
    assert review.total is None
    assert review.version == 2
    score = review.scores.get(criterion=first)
    assert (score.score, score.justification) == (3, "Some evidence.")
    row.refresh_from_db()
    assert row.state == A.ACCEPTED
    html = client.get(_url("review", row)).content.decode()
    assert 'name="version" value="2"' in html
    assert "Some evidence." in html
    assert f'name="score_{first.pk}" value="3" class="form-check-input" ' in html
    assert re.search(rf'id="id_score_{first.pk}_2" checked>', html)


def test_review_incomplete_submit_lists_problems_keeps_text_and_saves_a_draft(world):
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    first, second = world.criteria[0], world.criteria[1]
    data = _review_data(world, overall_comment="", confidence="")
    data[f"score_{second.pk}"] = ""
    data[f"justification_{first.pk}"] = "Kept <b>exactly</b> as typed."
    response = client.post(_url("review", row), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-error-summary" in html
    assert f'href="#id_score_{second.pk}_0"' in html
    assert 'href="#id_overall_comment"' in html
    assert 'href="#id_confidence_0"' in html
    assert f"Give {second.name} a score." in html
    assert "Kept &lt;b&gt;exactly&lt;/b&gt; as typed." in html
    assert 'aria-invalid="true"' in html
    row.refresh_from_db()
    assert row.state == A.ACCEPTED
    review = Review.objects.get(assignment=row)
    assert review.submitted_at is None
    assert review.scores.get(criterion=first).justification == "Kept <b>exactly</b> as typed."
    assert f'name="version" value="{review.version}"' in html
    assert "saved as a draft" in " ".join(_messages(response))


def test_review_submit_derives_total_and_ignores_a_posted_total(world):
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    data = _review_data(world, score=4, total="1", submitted_at="2000-01-01")
    data[f"score_{world.criteria[0].pk}"] = "2"
    response = client.post(_url("review", row), data)
    assert response.url == _url("assignment", row)
    assert "Your review is submitted" in " ".join(_messages(client.get(response.url)))
    review = Review.objects.get(assignment=row)
    expected = Decimal(2 + 4 * (len(world.criteria) - 1)) / len(world.criteria)
    assert review.total.quantize(Decimal("0.0001")) == expected.quantize(Decimal("0.0001"))
    assert review.submitted_at > timezone.now() - timedelta(minutes=1)
    row.refresh_from_db()
    assert row.state == A.SUBMITTED
    page = client.get(_url("review", row))
    html = page.content.decode()
    assert f"Weighted total: <strong>{expected:.2f}</strong>" in html
    assert ">Update submitted review</button>" in html
    assert "Save draft" not in html


def test_review_update_after_submit_changes_scores_and_total(world):
    client = _submit(world, 0)
    row = world.assignments[0]
    review = Review.objects.get(assignment=row)
    data = _review_data(world, score=5, version=str(review.version))
    response = client.post(_url("review", row), data)
    assert response.url == _url("assignment", row)
    review.refresh_from_db()
    assert review.total == Decimal("5")
    assert Review.objects.filter(assignment=row).count() == 1
    # A draft save of a submitted review is refused by the service, text kept.
    data = _review_data(world, score=1, version=str(review.version), action="draft")
    response = client.post(_url("review", row), data)
    assert response.status_code == 200
    assert "Update submitted review" in " ".join(_messages(response))
    review.refresh_from_db()
    assert review.total == Decimal("5")


def test_review_stale_version_changes_nothing_and_keeps_the_text(world):
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    client.post(_url("review", row), _review_data(world, action="draft"))
    data = _review_data(world, justification="Typed in an old tab.", version="1")
    response = client.post(_url("review", row), data)
    assert response.status_code == 200
    assert "changed in another window" in " ".join(_messages(response))
    assert "Typed in an old tab." in response.content.decode()
    review = Review.objects.get(assignment=row)
    assert review.submitted_at is None
    assert not review.scores.filter(justification="Typed in an old tab.").exists()


def test_review_justification_limit_counts_line_breaks_once(world):
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    first = world.criteria[0]
    fits = "a" * 998 + "\r\n" + "b"  # 1,000 characters as the browser counts them
    too_long = "a" * 1001
    data = _review_data(world, action="draft")
    data[f"justification_{first.pk}"] = too_long
    response = client.post(_url("review", row), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Keep this to 1000 characters (it has 1001)." in html
    assert f'href="#id_justification_{first.pk}"' in html
    assert not Review.objects.filter(assignment=row).exists()
    data[f"justification_{first.pk}"] = fits
    assert client.post(_url("review", row), data).status_code == 302
    saved = Review.objects.get(assignment=row).scores.get(criterion=first).justification
    assert len(saved) == 1000


@pytest.mark.parametrize(
    ("closing", "reason"),
    [
        ("phase", "The review phase is closed"),
        ("no-phase", "No review phase is running now"),
        ("nomination", "Review of this nomination is closed."),
    ],
)
def test_review_read_only_when_reviews_cannot_be_written(world, closing, reason):
    client = _submit(world, 0)
    row = world.assignments[0]
    if closing == "phase":
        ReviewPhase.objects.filter(pk=world.phase.pk).update(reviews_open=False)
    elif closing == "no-phase":
        ReviewPhase.objects.filter(pk=world.phase.pk).update(
            starts_at=timezone.now() - timedelta(days=9),
            ends_at=timezone.now() - timedelta(days=1),
        )
    else:
        _submit(world, 1)
        services.nomination_close_review(actor=world.staff, nomination=world.nomination)
    html = client.get(_url("review", row)).content.decode()
    assert reason in html
    assert '<form method="post" id="review-form"' not in html
    assert "Clear evidence." in html  # the saved review, read-only
    review = Review.objects.get(assignment=row)
    data = _review_data(world, score=1, justification="Too late.", version=str(review.version))
    response = client.post(_url("review", row), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Too late." in page
    assert ">Update submitted review</button>" not in page
    assert "What you typed is below so that you can copy it." in page
    review.refresh_from_db()
    assert review.scores.filter(score=1).count() == 0


def test_review_before_review_opens_says_so(build):
    world = build(open_review=False)
    client = _signed_in(world.reviewers[0])
    html = client.get(_url("review", world.assignments[0])).content.decode()
    assert "Accept the assignment before writing the review." in html
    services.assignment_accept(user=world.reviewers[0], assignment=world.assignments[0])
    html = client.get(_url("review", world.assignments[0])).content.decode()
    assert "Review of this nomination has not opened yet." in html
    assert 'id="review-form"' not in html


def test_review_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reviewers[0])
    response = client.post(_url("review", world.assignments[0]), _review_data(world))
    assert response.status_code == 403
    assert not Review.objects.exists()


# Blind review: every channel --------------------------------------------------------


def test_blind_reviewer_never_receives_the_agency_identity(build):
    """Every page, title, file name, export and message of a blind reviewer's journey."""
    world = build(show_others=True, open_review=False)
    Evidence.objects.filter(pk=world.evidence.pk).update(
        original_name=f"{AGENCY_NAME} {ORI} policy.pdf"
    )
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    seen = []

    def visit(response):
        seen.append(_whole(response))
        return response

    visit(client.get(reverse("reviews:queue")))
    visit(client.get(_url("assignment", row)))
    visit(client.post(_url("decline", row), {"decline-reason": "conflict"}))
    visit(client.post(_url("accept", row), follow=True))
    services.assignment_accept(user=world.reviewers[1], assignment=world.assignments[1])
    services.nomination_open_review(actor=world.staff, nomination=world.nomination)
    visit(client.get(_url("review", row)))
    visit(client.post(_url("review", row), _review_data(world, overall_comment="")))
    visit(client.post(_url("review", row), _review_data(world, version="1")))
    visit(client.post(_url("review", row), _review_data(world, version="2"), follow=True))
    _submit(world, 1)
    visit(client.get(_url("assignment", row)))
    visit(client.get(_url("file", row, evidence=world.evidence.pk)))
    visit(client.get(reverse("reviews:export")))
    visit(client.get(reverse("reviews:queue")))
    visit(client.post(_url("conflict", row), {"conflict-reason": "x"}, follow=True))
    assert len(seen) == 13
    for text in seen:
        _no_identity(text)
    row.refresh_from_db()
    assert row.state == A.SUBMITTED
    assert Conflict.objects.filter(reviewer=world.reviewers[0], nomination=world.nomination)
