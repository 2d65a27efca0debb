"""The reviewer's pages: invitation, queue, assignment, review form, files and export.

Worlds are built through the services, as staff and agencies build them. The
agency behind the nomination has a distinctive name, city and ORI, and its
own text uses them, so that blind review can be checked by searching every
response for them.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.accounts.rules import is_reviewer
from dz_awards.nominations.models import Evidence
from reviews import services
from reviews.enums import AssignmentState, Confidence, DeclineReason
from reviews.models import (
    Conflict,
    Review,
    ReviewerInvitation,
    ReviewerProfile,
    ReviewPhase,
)
from reviews.selectors import counting_reviews_qs
from tests import factories
from tests.files import MINIMAL_PDF
from tests.nominations.view_helpers import make_reviewer, submitted

A = AssignmentState

AGENCY_NAME = "Quillfeather Police Department"
CITY = "Quillfeather"
ORI = "OH0770199"
IDENTITY = (AGENCY_NAME, CITY, ORI)
REDACTED_TITLE = "Peer support after critical incidents"
NOMINATION_TITLE = f"{CITY} Peer Support Program"


@dataclass
class World:
    staff: object
    agency: object
    member: object
    cycle: object
    category: object
    phase: object
    nomination: object
    evidence: object
    reviewers: list
    assignments: list
    criteria: list


def _build(
    capture,
    *,
    blind=True,
    show_others=False,
    reviewers=2,
    open_review=True,
    agency=None,
    cycle=None,
):
    """A submitted nomination with its review copy, reviewers assigned (and accepted)."""
    staff = factories.StaffFactory()
    agency = agency or factories.AgencyFactory(name=AGENCY_NAME, city=CITY, ori=ORI, state="OH")
    member = factories.MembershipFactory(agency=agency).user
    category = (
        factories.CategoryFactory(cycle=cycle)
        if cycle
        else factories.CategoryFactory(
            cycle=factories.CycleFactory(reviewers_per_nomination=reviewers),
            label="Officer Wellness",
        )
    )
    cycle = category.cycle
    rubric = services.rubric_create_default(actor=staff, cycle=cycle)
    now = timezone.now()
    phase = ReviewPhase.objects.filter(cycle=cycle).first() or ReviewPhase.objects.create(
        cycle=cycle,
        name="Scoring",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=20),
        reviews_open=True,
        blind=blind,
        show_others=show_others,
    )
    nomination = submitted(
        member,
        agency=agency,
        cycle=cycle,
        category=category,
        title=NOMINATION_TITLE,
        summary=f"Officers of the {AGENCY_NAME} in {agency.city} meet a peer within a day.",
    )
    evidence = nomination.evidence.get()
    with capture(execute=True):
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary="A peer team reaches every officer within a day of an incident.",
            redacted_title=REDACTED_TITLE,
            redacted_text="Officers of the agency meet a trained peer within a day.",
            files=[evidence],
        )
    people = [make_reviewer() for _ in range(reviewers)]
    assignments = []
    with capture(execute=True):
        for person in people:
            assignments.append(
                services.assignment_add(actor=staff, nomination=nomination, reviewer=person)
            )
        if open_review:
            for person, row in zip(people, assignments, strict=True):
                services.assignment_accept(user=person, assignment=row)
            services.nomination_open_review(actor=staff, nomination=nomination)
    nomination.refresh_from_db()
    for row in assignments:
        row.refresh_from_db()
    criteria = list(rubric.criteria.order_by("position", "pk"))
    return World(
        staff,
        agency,
        member,
        cycle,
        category,
        phase,
        nomination,
        evidence,
        people,
        assignments,
        criteria,
    )


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    return _build(django_capture_on_commit_callbacks)


@pytest.fixture
def build(db, django_capture_on_commit_callbacks):
    def make(**kwargs):
        return _build(django_capture_on_commit_callbacks, **kwargs)

    return make


def _url(name, assignment, **kwargs):
    return reverse(f"reviews:{name}", kwargs={"pk": assignment.pk, **kwargs})


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _review_data(world, *, score=4, justification="Clear evidence.", **changes):
    """A complete review as the browser posts it."""
    data = {
        "version": "1",
        "overall_comment": "A strong, well-run program.",
        "confidence": Confidence.HIGH,
        "action": "submit",
    }
    for criterion in world.criteria:
        data[f"score_{criterion.pk}"] = str(score)
        data[f"justification_{criterion.pk}"] = justification
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _submit(world, index=0, **kwargs):
    client = _signed_in(world.reviewers[index])
    response = client.post(_url("review", world.assignments[index]), _review_data(world, **kwargs))
    assert response.status_code == 302
    return client


def _no_identity(text):
    found = [term for term in IDENTITY if term.casefold() in text.casefold()]
    assert not found, f"agency identity in a reviewer response: {found}"


def _close_file(response):
    """Close a streamed file only.

    `response.close()` would also signal the end of a request, which closes the
    test's database connection (on PostgreSQL the test then fails).
    """
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()


def _whole(response):
    """Everything a browser receives: headers and body (streamed or not)."""
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8", errors="replace")
    _close_file(response)
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return f"{headers}\n{body}"


# Invitation ---------------------------------------------------------------------------


@pytest.fixture
def invitation(db):
    staff = factories.StaffFactory()
    invitation, token = services.reviewer_invite(
        actor=staff, email="new.reviewer@example.org", full_name="Robin Vance"
    )
    return invitation, token


def _invitation_url(invitation, token):
    return reverse("reviews:invitation", kwargs={"pk": invitation.pk, "token": token})


def _account_data(**changes):
    return {
        "full_name": "Robin A. Vance",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
        **changes,
    }


def test_invitation_wrong_token_or_unknown_id_is_404(client, invitation):
    invite, token = invitation
    assert client.get(_invitation_url(invite, token + "x")).status_code == 404
    unknown = reverse(
        "reviews:invitation",
        kwargs={"pk": "00000000-0000-0000-0000-000000000000", "token": token},
    )
    assert client.get(unknown).status_code == 404
    assert client.post(_invitation_url(invite, "wrong"), _account_data()).status_code == 404
    assert not get_user_model().objects.filter(email=invite.email).exists()


def test_invitation_page_never_sends_its_address_as_referer_and_is_not_cached(client, invitation):
    invite, token = invitation
    response = client.get(_invitation_url(invite, token))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "strict-origin"
    assert response["Cache-Control"] == "private, no-store"


def test_invitation_anonymous_form_prefills_name_and_offers_sign_in(client, invitation):
    invite, token = invitation
    url = _invitation_url(invite, token)
    response = client.get(url)
    html = response.content.decode()
    assert response.context["form"]["full_name"].value() == "Robin Vance"
    assert 'value="Robin Vance"' in html
    assert 'autocomplete="new-password"' in html
    assert invite.email in html
    login = f"{reverse('accounts:login')}?next={url.replace('/', '%2F')}"
    assert f'href="{login}"' in html
    assert "I already have an account: sign in" in html


def test_invitation_page_same_whether_or_not_the_address_has_an_account(client, invitation):
    """Drawing the page never looks the address up: no account enumeration by link."""
    invite, token = invitation
    before = client.get(_invitation_url(invite, token)).content.decode()
    factories.UserFactory(email=invite.email)
    after = client.get(_invitation_url(invite, token)).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", before) == strip.sub("", after)


def test_invitation_creates_account_signs_in_and_rotates_session(client, invitation):
    invite, token = invitation
    url = _invitation_url(invite, token)
    client.get(url)
    client.session.save()
    anonymous_key = client.session.session_key
    response = client.post(url, _account_data())
    assert response.status_code == 302
    assert response.url == reverse("reviews:queue")
    user = get_user_model().objects.get(email=invite.email)
    assert user.full_name == "Robin A. Vance"
    assert user.check_password("a long and unusual passphrase")
    assert is_reviewer(user)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != anonymous_key
    invite.refresh_from_db()
    assert invite.accepted_by == user
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Your reviewer account is ready" in " ".join(_messages(page))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "something else entirely"}, "password2", "not the same"),
        ({"password1": "Zq8kx", "password2": "Zq8kx"}, "password1", "too short"),
        ({"password1": "password123456", "password2": "password123456"}, "password1", "common"),
        ({"full_name": ""}, "full_name", "required"),
    ],
    ids=["mismatch", "short", "common", "no-name"],
)
def test_invitation_refused_password_keeps_the_name_and_creates_nothing(
    client, invitation, changes, field, message
):
    invite, token = invitation
    data = _account_data(**changes)
    response = client.post(_invitation_url(invite, token), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["form"]["full_name"].value() == data["full_name"]
    assert f'value="{data["password1"]}"' not in response.content.decode()
    assert not get_user_model().objects.filter(email=invite.email).exists()
    invite.refresh_from_db()
    assert invite.accepted_at is None


def test_invitation_for_address_with_account_says_sign_in_and_keeps_name(client, invitation):
    invite, token = invitation
    factories.UserFactory(email=invite.email)
    response = client.post(_invitation_url(invite, token), _account_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "An account already uses this address" in html
    assert 'value="Robin A. Vance"' in html
    invite.refresh_from_db()
    assert invite.accepted_at is None


@pytest.mark.parametrize("problem", ["used", "expired"])
def test_invitation_used_or_expired_shows_why_without_form(client, invitation, problem):
    invite, token = invitation
    if problem == "used":
        client.post(_invitation_url(invite, token), _account_data())
        client.logout()
        expected = "already been used"
    else:
        ReviewerInvitation.objects.filter(pk=invite.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        expected = "has expired"
    response = client.get(_invitation_url(invite, token))
    assert response.status_code == 410
    html = response.content.decode()
    assert expected in html
    assert "password1" not in html
    assert response["Referrer-Policy"] == "strict-origin"
    again = client.post(_invitation_url(invite, token), _account_data(full_name="Someone"))
    assert again.status_code == 410
    assert get_user_model().objects.filter(email=invite.email).count() == (
        1 if problem == "used" else 0
    )


def test_invitation_signed_in_as_invited_address_confirms_with_a_button(invitation):
    invite, token = invitation
    person = factories.UserFactory(email=invite.email)
    client = _signed_in(person)
    url = _invitation_url(invite, token)
    html = client.get(url).content.decode()
    assert "Accept the invitation" in html
    assert "password1" not in html
    assert not is_reviewer(person)
    response = client.post(url)
    assert response.url == reverse("reviews:queue")
    assert is_reviewer(person)
    assert client.get(response.url).status_code == 200


def test_invitation_signed_in_as_someone_else_offers_sign_out(invitation):
    invite, token = invitation
    other = factories.UserFactory()
    client = _signed_in(other)
    url = _invitation_url(invite, token)
    html = client.get(url).content.decode()
    assert "different email address" in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert f'name="next" value="{url}"' in html
    response = client.post(url)
    assert "another email address" in " ".join(_messages(response))
    assert not is_reviewer(other)
    invite.refresh_from_db()
    assert invite.accepted_at is None


# Navigation and sign-in -------------------------------------------------------------


def test_navigation_shows_my_reviews_to_reviewers_only(world):
    queue = reverse("reviews:queue")
    html = _signed_in(world.reviewers[0]).get(reverse("portal:dashboard")).content.decode()
    assert f'href="{queue}">My reviews</a>' in html
    html = _signed_in(world.member).get(reverse("portal:dashboard")).content.decode()
    assert "My reviews" not in html


def test_after_login_sends_reviewer_without_agency_to_queue(world):
    response = _signed_in(world.reviewers[0]).get(reverse("portal:after-login"))
    assert response.url == reverse("reviews:queue")
    member_reviewer = world.reviewers[1]
    factories.MembershipFactory(user=member_reviewer)
    response = _signed_in(member_reviewer).get(reverse("portal:after-login"))
    assert response.url == reverse("portal:dashboard")


# Queue -------------------------------------------------------------------------------


def test_queue_needs_sign_in_and_the_reviewer_role(client, world):
    response = client.get(reverse("reviews:queue"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert _signed_in(world.member).get(reverse("reviews:queue")).status_code == 404
    assert _signed_in(world.staff).get(reverse("reviews:queue")).status_code == 404


def test_queue_lists_blind_title_and_what_to_do(world):
    _submit(world, 1)
    client = _signed_in(world.reviewers[0])
    response = client.get(reverse("reviews:queue"))
    html = response.content.decode()
    (row,) = response.context["rows"]
    assert row["title"] == REDACTED_TITLE
    assert f'<a href="{_url("assignment", world.assignments[0])}">{REDACTED_TITLE}</a>' in html
    assert world.cycle.name in html
    assert "Officer Wellness" in html
    assert row["review_status"] == "Not started"
    assert row["next_link"] == "Write your review"
    assert row["next_url"] == _url("review", world.assignments[0])
    assert reverse("reviews:export") in html
    _no_identity(_whole(response))


def test_queue_shows_states_of_several_assignments(build):
    first = build(reviewers=1)
    second = build(reviewers=1, cycle=first.cycle, agency=factories.AgencyFactory())
    reviewer = first.reviewers[0]
    services.assignment_add(actor=first.staff, nomination=second.nomination, reviewer=reviewer)
    client = _signed_in(reviewer)
    _submit(first)
    rows = client.get(reverse("reviews:queue")).context["rows"]
    assert len(rows) == 2
    # Same cycle, same phase: both show their redacted title.
    assert {row["title"] for row in rows} == {REDACTED_TITLE}
    done = next(r for r in rows if r["assignment"].nomination_id == first.nomination.pk)
    new = next(r for r in rows if r["assignment"].nomination_id == second.nomination.pk)
    assert done["review_status"] == "Submitted"
    assert done["next_link"] == "Revise"
    assert new["assignment"].state == A.INVITED
    assert new["next_link"] == "Accept or decline"


def test_queue_title_is_the_nomination_title_when_review_is_not_blind(build):
    world = build(blind=False)
    rows = _signed_in(world.reviewers[0]).get(reverse("reviews:queue")).context["rows"]
    assert rows[0]["title"] == NOMINATION_TITLE


def test_queue_leaves_out_declined_and_conflicted_assignments(build):
    world = build(reviewers=3)
    client = _signed_in(world.reviewers[0])
    Conflict.objects.create(
        reviewer=world.reviewers[0], nomination=world.nomination, reason="Former colleague."
    )
    assert client.get(reverse("reviews:queue")).context["rows"] == []
    ReviewerProfile.objects.create(user=world.reviewers[1], home_agency=world.agency)
    assert _signed_in(world.reviewers[1]).get(reverse("reviews:queue")).context["rows"] == []


def test_queue_same_number_of_queries_for_1_and_50_assignments(build):
    first = build(reviewers=1)
    reviewer = first.reviewers[0]
    client = _signed_in(reviewer)
    url = reverse("reviews:queue")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert len(response.context["rows"]) == 1
    _submit(first)
    for number in range(49):
        other = build(reviewers=1, cycle=first.cycle, agency=factories.AgencyFactory())
        row = services.assignment_add(
            actor=first.staff, nomination=other.nomination, reviewer=reviewer
        )
        if number % 2:
            services.assignment_accept(user=reviewer, assignment=row)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    rows = response.context["rows"]
    assert len(rows) == 50
    assert {row["assignment"].state for row in rows} == {A.INVITED, A.ACCEPTED, A.SUBMITTED}
    assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)


# Assignment --------------------------------------------------------------------------


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


# The review form ---------------------------------------------------------------------


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
        rf'aria-describedby="id_justification_{criterion.pk}_count"',
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


# Files -------------------------------------------------------------------------------


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
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    _close_file(response)


def test_file_open_review_download_uses_the_original_name(build):
    world = build(blind=False)
    response = _signed_in(world.reviewers[0]).get(
        _url("file", world.assignments[0], evidence=world.evidence.pk)
    )
    assert response["Content-Disposition"] == 'attachment; filename="policy.pdf"'
    assert b"".join(response.streaming_content) == MINIMAL_PDF
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


# Export ------------------------------------------------------------------------------


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_lists_own_reviews_blind_and_neutralised(world):
    _submit(world, 1, justification="Not mine.")
    client = _submit(world, 0, justification='=HYPERLINK("http://x")')
    response = client.get(reverse("reviews:export"))
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="my-reviews-{today}.csv"'
    rows = _csv(response)
    header, (row,) = rows[0], rows[1:]
    assert header[:5] == ["Nomination", "Cycle", "Category", "Assignment", "Review"]
    assert header[5] == f"{world.criteria[0].name}: score"
    assert header[-4:] == ["Overall comment", "Confidence", "Weighted total", "Submitted at"]
    assert row[0] == REDACTED_TITLE
    assert row[2] == "Officer Wellness"
    assert row[4] == "Submitted"
    assert row[5] == "4"
    assert row[6] == '\'=HYPERLINK("http://x")'
    assert row[-2] == "4.0"
    assert "Not mine." not in response.content.decode()
    _no_identity(_whole(response))


def test_export_needs_the_reviewer_role(world):
    assert _signed_in(world.member).get(reverse("reviews:export")).status_code == 404


# Blind review: every channel -------------------------------------------------------


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
