"""The reviewer's queue and export (`views.reviewer.queue`): the way there, what each
row says, what is left out, its cost in queries, and the CSV of one's own reviews."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.enums import AssignmentState
from reviews.models import Conflict, ReviewerProfile
from tests import factories
from tests.reviews.views.reviewer.helpers import NOMINATION_TITLE, REDACTED_TITLE
from tests.reviews.views.reviewer.helpers import no_identity as _no_identity
from tests.reviews.views.reviewer.helpers import signed_in as _signed_in
from tests.reviews.views.reviewer.helpers import submit as _submit
from tests.reviews.views.reviewer.helpers import url as _url
from tests.reviews.views.reviewer.helpers import whole as _whole

A = AssignmentState


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


# Queue ------------------------------------------------------------------------------


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


# Export -----------------------------------------------------------------------------


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
