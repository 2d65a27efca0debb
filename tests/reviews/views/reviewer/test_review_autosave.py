"""The score sheet's background save (`views.reviewer.review.ReviewAutosaveView`): a draft
saved with its version, and every refusal answered in JSON without changing anything."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from reviews import services
from reviews.enums import AssignmentState
from reviews.models import Review, ReviewerProfile, ReviewPhase
from tests.reviews.views.reviewer.helpers import no_identity as _no_identity
from tests.reviews.views.reviewer.helpers import review_data as _review_data
from tests.reviews.views.reviewer.helpers import signed_in as _signed_in
from tests.reviews.views.reviewer.helpers import submit as _submit
from tests.reviews.views.reviewer.helpers import url as _url

A = AssignmentState
SAVED_AT = re.compile(r"^\d{1,2}:\d{2} [AP]M$")


def _draft(world, **changes):
    """What the sheet's script posts: the form as it stands, a draft, and `next=autosave`."""
    return _review_data(world, action=None, next="autosave", **changes)


def _stored(row):
    """(version, {criterion pk: (score, justification)}, overall comment) as saved now."""
    review = Review.objects.filter(assignment=row).first()
    if review is None:
        return None
    scores = {s.criterion_id: (s.score, s.justification) for s in review.scores.all()}
    return review.version, scores, review.overall_comment


def test_review_autosave_saves_a_draft_and_refuses_the_stale_version(world):
    """Saved with the page's version, which goes up; a tab still on the old version gets a
    conflict and changes nothing. The assignment stays accepted: nothing is submitted."""
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    first = world.criteria[0]
    data = _draft(world, score="", justification="Figures from the records.")
    data[f"score_{first.pk}"] = "3"

    response = client.post(_url("review-autosave", row), data)

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"]) == ("saved", 2)
    assert SAVED_AT.match(body["saved_at"])
    version, scores, comment = _stored(row)
    assert version == 2
    assert scores[first.pk] == (3, "Figures from the records.")
    assert scores[world.criteria[1].pk] == (None, "Figures from the records.")
    assert comment == "A strong, well-run program."
    review = Review.objects.get(assignment=row)
    assert (review.submitted_at, review.total) == (None, None)
    row.refresh_from_db()
    assert row.state == A.ACCEPTED

    saved = _stored(row)
    stale = client.post(
        _url("review-autosave", row), _draft(world, justification="From an old tab.", version="1")
    )
    assert stale.status_code == 409
    assert stale.json() == {
        "status": "conflict",
        "message": "This review was changed in another window or tab since this page was "
        "opened, so what is here was not saved. Your text stays on this page: copy what you "
        "need, then reload the page.",
    }
    assert _stored(row) == saved

    again = client.post(_url("review-autosave", row), _draft(world, version="2"))
    assert (again.status_code, again.json()["version"]) == (200, 3)


def test_review_autosave_get_gives_the_saved_version_and_a_token(world):
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    first = client.get(_url("review-autosave", row)).json()
    assert first["version"] == 1
    assert len(first["csrf_token"]) == 64
    client.post(_url("review-autosave", row), _draft(world))
    assert client.get(_url("review-autosave", row)).json()["version"] == 2


def test_review_autosave_never_changes_a_submitted_review(world):
    """Only drafts save in the background: a submitted review changes only when its
    reviewer presses "Update submitted review"."""
    client = _submit(world, 0)
    row = world.assignments[0]
    before = _stored(row)
    version = str(before[0])
    response = client.post(
        _url("review-autosave", row), _draft(world, score=1, justification="No.", version=version)
    )
    assert response.status_code == 409
    assert response.json() == {
        "status": "locked",
        "message": "This review has been submitted. Use “Update submitted review” to change it.",
    }
    assert _stored(row) == before
    assert Review.objects.get(assignment=row).submitted_at is not None


CLOSED = "The review phase is closed: reviews cannot be changed now."
NOT_OPEN = "Review of this nomination is not open."


@pytest.mark.parametrize(
    ("closing", "message"),
    [
        pytest.param(closing, message, id=closing)
        for closing, message in [
            ("phase", CLOSED),
            ("no-phase", CLOSED),
            ("nomination", NOT_OPEN),
            ("not-opened", NOT_OPEN),
            ("no-rubric", "The rubric for this cycle is not set up yet."),
        ]
    ],
)
def test_review_autosave_refused_when_reviews_cannot_be_written(build, closing, message):
    world = build(open_review=closing not in ("not-opened", "no-rubric"))
    row = world.assignments[0]
    if closing == "no-rubric":
        services.rubric_delete(actor=world.staff, rubric=world.cycle.rubric)
    elif closing == "phase":
        ReviewPhase.objects.filter(pk=world.phase.pk).update(reviews_open=False)
    elif closing == "no-phase":
        ReviewPhase.objects.filter(pk=world.phase.pk).update(
            ends_at=timezone.now() - timedelta(minutes=1)
        )
    elif closing == "nomination":
        _submit(world, 0)
        _submit(world, 1)
        services.nomination_close_review(actor=world.staff, nomination=world.nomination)
    before = _stored(row)
    client = _signed_in(world.reviewers[0])
    response = client.post(_url("review-autosave", row), _draft(world, version="2"))
    assert response.status_code == 409
    assert response.json() == {"status": "locked", "message": message}
    assert _stored(row) == before


def test_review_autosave_outside_the_reviewers_scope_is_404(build, client):
    """Another reviewer's assignment, or one the reviewer is conflicted with: 404, nothing
    saved; signed out, 401 in JSON (the page's script offers to sign in again)."""
    world = build(reviewers=2)
    mine, theirs = world.assignments
    me = _signed_in(world.reviewers[0])
    assert me.get(_url("review-autosave", theirs)).status_code == 404
    assert me.post(_url("review-autosave", theirs), _draft(world)).status_code == 404
    assert (
        _signed_in(world.member).post(_url("review-autosave", mine), _draft(world)).status_code
        == 404
    )

    signed_out = client.post(_url("review-autosave", mine), _draft(world))
    assert signed_out.status_code == 401
    assert signed_out.json()["status"] == "signed_out"

    # Conflicted by rule (the reviewer's home agency): gone, as from every reviewer page.
    ReviewerProfile.objects.create(user=world.reviewers[0], home_agency=world.agency)
    response = me.post(_url("review-autosave", mine), _draft(world))
    assert response.status_code == 404
    _no_identity(response.content.decode())
    assert not Review.objects.exists()


def test_review_autosave_in_a_two_factor_cycle_without_the_second_factor_is_401(world):
    """The page itself would send the reviewer to give a code: its script is told the
    session needs renewing, never handed a redirect to an HTML page."""
    world.cycle.reviewers_need_two_factor = True
    world.cycle.save(update_fields=["reviewers_need_two_factor"])
    response = _signed_in(world.reviewers[0]).post(
        _url("review-autosave", world.assignments[0]), _draft(world)
    )
    assert response.status_code == 401
    assert response.json()["status"] == "signed_out"
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"score": "9"}, "Score for {first}: Choose one of the scores shown."),
        (
            {"justification": "x" * 1001},
            "Why this score for {first}: Keep this to 1000 characters (it has 1001).",
        ),
        ({"version": None}, "The page is out of date: reload it to go on."),
        ({"version": "two"}, "The page is out of date: reload it to go on."),
    ],
    ids=["score-off-the-scale", "justification-too-long", "no-version", "version-not-a-number"],
)
def test_review_autosave_bad_input_is_400_with_a_message(world, changes, message):
    row = world.assignments[0]
    response = _signed_in(world.reviewers[0]).post(
        _url("review-autosave", row), _draft(world, **changes)
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["message"]) == (
        "invalid",
        message.format(first=world.criteria[0].name),
    )
    assert not Review.objects.exists()


def test_review_autosave_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reviewers[0])
    response = client.post(_url("review-autosave", world.assignments[0]), _draft(world))
    assert response.status_code == 403
    assert not Review.objects.exists()
