"""One assignment (`views.reviewer.assignment`): reached only in the reviewer's own
scope, read blind or open, accepted, declined, a conflict declared, others' reviews,
and its files downloaded."""

import re

from django.urls import reverse

from dz_awards.nominations.models import Evidence
from reviews.enums import AssignmentState, DeclineReason
from reviews.models import Conflict, Review, ReviewerProfile
from reviews.selectors import counting_reviews_qs
from tests.files import MINIMAL_PDF
from tests.reviews.views.reviewer.helpers import AGENCY_NAME, NOMINATION_TITLE, REDACTED_TITLE
from tests.reviews.views.reviewer.helpers import close_file as _close_file
from tests.reviews.views.reviewer.helpers import message_texts as _messages
from tests.reviews.views.reviewer.helpers import no_identity as _no_identity
from tests.reviews.views.reviewer.helpers import review_data as _review_data
from tests.reviews.views.reviewer.helpers import signed_in as _signed_in
from tests.reviews.views.reviewer.helpers import submit as _submit
from tests.reviews.views.reviewer.helpers import url as _url
from tests.reviews.views.reviewer.helpers import whole as _whole

A = AssignmentState


# Assignment -------------------------------------------------------------------------


def test_assignment_out_of_scope_is_404(client, build):
    world = build(reviewers=3)
    mine, theirs = world.assignments[0], world.assignments[1]
    me = _signed_in(world.reviewers[0])
    urls = [
        _url("assignment", theirs),
        _url("review", theirs),
        _url("file", theirs, evidence=world.evidence.pk),
        _url("accept", theirs),
        _url("decline", theirs),
        _url("conflict", theirs),
    ]
    for url in urls:
        assert me.get(url).status_code in (404, 405), url
    for url in [urls[1], *urls[3:]]:
        assert me.post(url, {"decline-reason": "other", "conflict-reason": "x"}).status_code == 404
    assert _signed_in(world.member).get(_url("assignment", mine)).status_code == 404
    assert _signed_in(world.staff).get(_url("assignment", mine)).status_code == 404
    assert client.get(_url("assignment", mine)).status_code == 302
    # Conflicted by rule (the reviewer's home agency): gone from every page.
    ReviewerProfile.objects.create(user=world.reviewers[0], home_agency=world.agency)
    for url in [
        _url("assignment", mine),
        _url("review", mine),
        _url("file", mine, evidence=world.evidence.pk),
    ]:
        assert me.get(url).status_code == 404, url
    assert me.post(_url("review", mine), _review_data(world)).status_code == 404
    assert not Review.objects.filter(assignment=mine).exists()


def test_assignment_blind_page_shows_only_the_review_copy(world):
    response = _signed_in(world.reviewers[0]).get(_url("assignment", world.assignments[0]))
    html = response.content.decode()
    assert f"<title>{REDACTED_TITLE} · Destination Zero Awards</title>" in html
    assert f"<h1>{REDACTED_TITLE}</h1>" in html
    assert "A peer team reaches every officer within a day of an incident." in html
    assert "Officers of the agency meet a trained peer within a day." in html
    file_url = _url("file", world.assignments[0], evidence=world.evidence.pk)
    assert f'<a href="{file_url}" download>file-1.pdf</a>' in html
    assert NOMINATION_TITLE not in html
    _no_identity(_whole(response))


def test_assignment_open_page_shows_agency_and_original_file_name(build):
    world = build(blind=False)
    html = _signed_in(world.reviewers[0]).get(_url("assignment", world.assignments[0]))
    html = html.content.decode()
    assert f"<h1>{NOMINATION_TITLE}</h1>" in html
    assert AGENCY_NAME in html
    assert ">policy.pdf</a>" in html


def test_accept_moves_invited_to_accepted(build):
    world = build(open_review=False)
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    html = client.get(_url("assignment", row)).content.decode()
    assert "Accept the assignment" in html
    assert client.get(_url("accept", row)).status_code == 405
    response = client.post(_url("accept", row))
    assert response.url == _url("assignment", row)
    row.refresh_from_db()
    assert row.state == A.ACCEPTED
    again = client.post(_url("accept", row), follow=True)
    assert "already accepted" in " ".join(_messages(again))


def test_decline_conflict_without_note_keeps_the_choice_and_changes_nothing(build):
    world = build(open_review=False)
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    response = client.post(_url("decline", row), {"decline-reason": DeclineReason.CONFLICT})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say briefly what the conflict is" in html
    assert 'href="#id_decline-note"' in html
    assert re.search(r'name="decline-reason" value="conflict"[^>]*checked', html)
    row.refresh_from_db()
    assert row.state == A.INVITED
    assert not Conflict.objects.exists()


def test_decline_with_reason_hands_the_assignment_back(build):
    world = build(open_review=False)
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    response = client.post(
        _url("decline", row),
        {"decline-reason": DeclineReason.CONFLICT, "decline-note": "I advised on this program."},
    )
    assert response.url == reverse("reviews:queue")
    row.refresh_from_db()
    assert row.state == A.DECLINED
    assert row.decline_note == "I advised on this program."
    assert Conflict.objects.filter(reviewer=world.reviewers[0], nomination=world.nomination)
    assert client.get(_url("assignment", row)).status_code == 404
    assert client.get(reverse("reviews:queue")).context["rows"] == []


def test_conflict_after_submitting_removes_the_review_from_counts(world):
    client = _submit(world, 0)
    _submit(world, 1)
    assert counting_reviews_qs().filter(assignment__nomination=world.nomination).count() == 2
    row = world.assignments[0]
    html = client.get(_url("assignment", row)).content.decode()
    assert "your review of it no longer counts" in html
    empty = client.post(_url("conflict", row), {"conflict-reason": "   "})
    assert empty.status_code == 200
    assert "Say briefly what the conflict is" in empty.content.decode()
    response = client.post(_url("conflict", row), {"conflict-reason": "My cousin runs it."})
    assert response.url == reverse("reviews:queue")
    assert counting_reviews_qs().filter(assignment__nomination=world.nomination).count() == 1
    page = client.get(response.url)
    assert page.context["rows"] == []
    assert "no longer counts" in " ".join(_messages(page))
    assert client.get(_url("assignment", row)).status_code == 404


def test_others_reviews_numbered_after_own_submission_when_the_phase_allows(build):
    world = build(show_others=True)
    _submit(world, 1, score=2, justification="Little data so far.")
    client = _signed_in(world.reviewers[0])
    before = client.get(_url("assignment", world.assignments[0])).content.decode()
    assert "Little data so far." not in before
    _submit(world, 0)
    response = client.get(_url("assignment", world.assignments[0]))
    html = response.content.decode()
    assert "Reviewer 1" in html
    assert "Little data so far." in html
    assert "Weighted total: <strong>2.00</strong>" in html
    other = world.reviewers[1]
    assert other.full_name not in html
    assert other.email not in html
    assert [o["label"] for o in response.context["others"]] == ["Reviewer 1"]


def test_others_reviews_hidden_when_the_phase_does_not_show_them(world):
    _submit(world, 1, justification="Little data so far.")
    client = _submit(world, 0)
    html = client.get(_url("assignment", world.assignments[0])).content.decode()
    assert "Little data so far." not in html
    assert "Reviewer 1" not in html


# Files ------------------------------------------------------------------------------


def test_file_blind_download_has_a_neutral_name_and_safe_headers(world):
    Evidence.objects.filter(pk=world.evidence.pk).update(original_name=f"{AGENCY_NAME} policy.pdf")
    response = _signed_in(world.reviewers[0]).get(
        _url("file", world.assignments[0], evidence=world.evidence.pk)
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="file-1.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    with world.evidence.clean_file.open("rb") as clean:
        assert b"".join(response.streaming_content) == clean.read() != MINIMAL_PDF
    _close_file(response)


def test_file_open_review_download_uses_the_original_name(build):
    world = build(blind=False)
    response = _signed_in(world.reviewers[0]).get(
        _url("file", world.assignments[0], evidence=world.evidence.pk)
    )
    assert response["Content-Disposition"] == 'attachment; filename="policy.pdf"'
    with world.evidence.clean_file.open("rb") as clean:
        assert b"".join(response.streaming_content) == clean.read() != MINIMAL_PDF
    _close_file(response)


def test_file_not_chosen_for_reviewers_is_404(world):
    other = _other_evidence(world)
    client = _signed_in(world.reviewers[0])
    assert client.get(_url("file", world.assignments[0], evidence=other.pk)).status_code == 404


def _other_evidence(world):
    """A ready file of the nomination that staff did not choose for reviewers."""
    return Evidence.objects.create(
        nomination=world.nomination,
        kind=world.evidence.kind,
        status=world.evidence.status,
        file=world.evidence.file.name,
        original_name="budget.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=world.evidence.size,
    )
