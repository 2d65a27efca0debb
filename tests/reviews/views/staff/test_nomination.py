"""One nomination's review (`views.staff.nomination`): its review copy, its assignments,
and opening and closing its review. Each shows a refusal in plain words, keeping what
was typed."""

import pytest
from django.urls import reverse

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import AssignmentState, DeclineReason
from reviews.models import Assignment, ReviewCopy, ReviewerProfile
from tests import factories
from tests.nominations.view_helpers import submitted
from tests.reviews.views.staff.helpers import (
    CLEAN_TEXT,
    assign,
    in_review,
    make_reviewer,
    nominated,
    prepare,
    submit_review,
)
from tests.reviews.views.staff.helpers import message_texts as _messages
from tests.reviews.views.staff.helpers import page_text as _text

S = NominationState
A = AssignmentState


# The review copy -------------------------------------------------------------------------


def test_review_copy_first_visit_is_prefilled_with_the_submission(staff_client, agency):
    member = factories.MembershipFactory(agency=agency).user
    nomination = submitted(member, agency=agency, evidence_name="roster.pdf")

    response = staff_client.get(
        reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert "Trained peers reach officers after critical incidents" in form.initial["redacted_text"]
    assert form.initial["redacted_text"].startswith(
        "Program title\nPeer Support and Early Warning Program\n\n"
    )
    assert "roster.pdf" not in form.initial["redacted_text"]
    # Who submitted and attested is identity, not program: it is left out.
    for left_out in (
        "Sgt. Alex Kim",
        "alex.kim@example.org",
        "Chief Jordan Smith",
        "Award category",
    ):
        assert left_out not in form.initial["redacted_text"]
    assert "Agency head" not in form.initial["redacted_text"]
    assert "Measured outcomes\n" in form.initial["redacted_text"]
    assert "executive_summary" not in form.initial
    assert [e.original_name for e in form.fields["files"].queryset] == ["roster.pdf"]
    html = _text(response)
    assert agency.name in html
    assert agency.city in html
    assert "Nothing is saved yet" in html


def test_review_copy_save_runs_the_check_and_shows_nothing_found(
    staff_client, agency, django_capture_on_commit_callbacks
):
    member = factories.MembershipFactory(agency=agency).user
    nomination = submitted(member, agency=agency, evidence_name="roster.pdf")
    evidence = nomination.evidence.get()
    url = reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {
                "executive_summary": "Peers contact officers after incidents.",
                "redacted_title": "Peer support after incidents",
                "redacted_text": CLEAN_TEXT,
                "files": [str(evidence.pk)],
            },
            follow=True,
        )

    copy = ReviewCopy.objects.get(nomination=nomination)
    assert copy.redacted_text == CLEAN_TEXT
    assert list(copy.files.all()) == [evidence]
    assert copy.is_checked
    assert copy.leaks == []
    assert _messages(response) == [
        (
            "The review copy is saved. The identity check runs now; reload this page in a moment "
            "to see its result."
        )
    ]
    # The check runs after the request that saved: the page right after says so.
    assert "Checking…" in _text(response)
    assert response.context["form"].initial["redacted_text"] == CLEAN_TEXT
    assert "Nothing found." in _text(staff_client.get(url))


def test_review_copy_shows_checking_with_a_reload_link_then_every_leak(
    staff_client, staff, category
):
    nomination = nominated(category)
    url = reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})
    copy = services.review_copy_save(
        actor=staff,
        nomination=nomination,
        executive_summary="Summary.",
        redacted_title=f"The {nomination.agency.city} program",
        redacted_text=f"{nomination.agency.name} started it.",
        files=[],
    )

    checking = _text(staff_client.get(url))
    assert "Checking…" in checking
    assert f'<a href="{url}">Reload this page</a>' in checking

    services.review_copy_check(copy.pk)
    html = _text(staff_client.get(url))
    # The agency's name holds its city: the copy names both.
    assert "The agency's identity was found in 3 places" in html
    assert "<li>the title for reviewers: city</li>" in html
    assert "<li>the redacted copy: agency name</li>" in html
    assert "<li>the redacted copy: city</li>" in html


def test_review_copy_refused_shows_why_and_keeps_the_text(staff_client, category):
    nomination = nominated(category)
    Nomination.objects.filter(pk=nomination.pk).update(state=S.RETURNED)
    url = reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})

    response = staff_client.post(
        url,
        {
            "executive_summary": "My careful summary.",
            "redacted_title": "Peer support",
            "redacted_text": "My careful redaction.",
        },
    )

    html = _text(response)
    assert response.status_code == 200
    assert ReviewCopy.objects.count() == 0
    assert "This nomination is returned for changes: its review copy can no longer change." in html
    assert "My careful summary." in html
    assert "My careful redaction." in html


# Assignments -----------------------------------------------------------------------------


def test_assignments_page_lists_assignments_conflicts_and_the_open_problems(
    staff_client, staff, category, reviewers
):
    nomination = nominated(category)
    prepare(staff, nomination)
    accepted = assign(staff, nomination, reviewers[0])
    declined = assign(staff, nomination, reviewers[1], accept=False)
    services.assignment_decline(
        user=reviewers[1],
        assignment=declined,
        reason=DeclineReason.CONFLICT,
        note="I trained their peer team.",
    )

    response = staff_client.get(
        reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})
    )

    html = _text(response)
    rows = {row.reviewer: row for row in response.context["assignments"]}
    assert rows[accepted.reviewer].state == A.ACCEPTED
    assert rows[accepted.reviewer].counts
    assert rows[reviewers[1]].state == A.DECLINED
    assert not rows[reviewers[1]].counts
    assert "I have a conflict of interest: I trained their peer team." in html
    assert "Declared conflicts" in html
    assert "Blake Reviewer" in html
    # The declined seat was refilled from the panel at once.
    assert rows[reviewers[2]].state == A.INVITED
    assert response.context["open_problems"] == ["1 of the 2 reviewers needed have accepted."]
    assert "1 of the 2 reviewers needed have accepted." in html
    assert list(response.context["form"].fields["reviewer"].queryset) == []


def test_assignment_add_by_hand(staff_client, staff, category, reviewers):
    nomination = nominated(category)
    prepare(staff, nomination)
    url = reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})

    response = staff_client.post(url, {"reviewer": str(reviewers[2].pk)}, follow=True)

    assert list(Assignment.objects.values_list("reviewer", "state")) == [
        (reviewers[2].pk, A.INVITED)
    ]
    assert _messages(response) == ["Casey Reviewer is assigned and gets an email."]
    assert OutboxEmail.objects.filter(to=reviewers[2].email).count() == 1


def test_assignment_add_refused_for_a_conflicted_reviewer(staff_client, staff, category, panel):
    nomination = nominated(category)
    prepare(staff, nomination)
    insider = make_reviewer(panel, full_name="Inside Reviewer")
    ReviewerProfile.objects.create(user=insider, home_agency=nomination.agency)
    url = reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})

    response = staff_client.post(url, {"reviewer": str(insider.pk)}, follow=True)

    html = _text(response)
    assert Assignment.objects.count() == 0
    assert _messages(response) == [
        "Inside Reviewer cannot be assigned: they belong to the nominating agency."
    ]
    assert f'<option value="{insider.pk}"' not in html


@pytest.mark.usefixtures("phase", "rubric")
def test_assignment_remove_and_its_refusal_for_a_submitted_review(
    staff_client, staff, category, reviewers
):
    nomination = nominated(category)
    rows = in_review(staff, nomination, reviewers[:2])
    submit_review(reviewers[0], rows[0], 4)
    page = reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})

    refused = staff_client.post(
        reverse("staff:assignment-remove", kwargs={"pk": rows[0].pk}), follow=True
    )
    assert _messages(refused) == [
        "Avery Reviewer was not removed: This review has been submitted; it cannot be removed."
    ]
    assert refused.redirect_chain[-1][0] == page

    removed = staff_client.post(
        reverse("staff:assignment-remove", kwargs={"pk": rows[1].pk}), follow=True
    )
    assert _messages(removed) == ["Blake Reviewer is no longer assigned to this nomination."]
    assert list(Assignment.objects.values_list("pk", flat=True)) == [rows[0].pk]


@pytest.mark.usefixtures("phase", "rubric")
def test_assignment_reopen_and_its_refusal(staff_client, staff, category, reviewers):
    nomination = nominated(category)
    rows = in_review(staff, nomination, reviewers[:2])
    submit_review(reviewers[0], rows[0], 4)

    reopened = staff_client.post(
        reverse("staff:assignment-reopen", kwargs={"pk": rows[0].pk}), follow=True
    )
    assert _messages(reopened) == [
        "The review by Avery Reviewer is reopened; they are told by email."
    ]
    rows[0].refresh_from_db()
    assert rows[0].state == A.ACCEPTED

    refused = staff_client.post(
        reverse("staff:assignment-reopen", kwargs={"pk": rows[1].pk}), follow=True
    )
    assert _messages(refused) == [
        (
            "The review by Blake Reviewer was not reopened: This assignment is accepted; only a "
            "submitted review can be reopened."
        )
    ]


def test_assignment_actions_answer_only_post(staff_client, staff, category, reviewers):
    nomination = nominated(category)
    prepare(staff, nomination)
    row = assign(staff, nomination, reviewers[0])
    for name in ("assignment-remove", "assignment-reopen"):
        assert staff_client.get(reverse(f"staff:{name}", kwargs={"pk": row.pk})).status_code == 405
    assert Assignment.objects.filter(pk=row.pk, state=A.ACCEPTED).exists()


# Opening and closing review --------------------------------------------------------------


def test_open_review(staff_client, staff, category, reviewers):
    nomination = nominated(category)
    prepare(staff, nomination)
    for person in reviewers[:2]:
        assign(staff, nomination, person)
    back = reverse("staff:review", kwargs={"cycle": category.cycle.pk})

    response = staff_client.post(
        reverse("staff:nomination-open-review", kwargs={"pk": nomination.pk}),
        {"next": back},
        follow=True,
    )

    nomination.refresh_from_db()
    assert nomination.state == S.IN_REVIEW
    assert _messages(response) == [
        f"Review of {nomination} is open; its reviewers are told by email."
    ]
    assert response.redirect_chain[-1][0] == back


def test_open_review_refused_shows_the_reason(staff_client, staff, category, reviewers):
    nomination = nominated(category)
    prepare(staff, nomination)
    assign(staff, nomination, reviewers[0])

    response = staff_client.post(
        reverse("staff:nomination-open-review", kwargs={"pk": nomination.pk}),
        {"next": "https://elsewhere.example.com/"},
        follow=True,
    )

    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED
    assert _messages(response) == [
        f"Review of {nomination} did not open: 1 of the 2 reviewers needed have accepted."
    ]
    # An outside address is never followed: back to the nomination's assignments.
    assert response.redirect_chain[-1][0] == reverse(
        "staff:nomination-assignments", kwargs={"pk": nomination.pk}
    )


@pytest.mark.usefixtures("phase", "rubric")
def test_close_review_page_shows_the_problems(staff_client, staff, category, reviewers):
    nomination = nominated(category)
    rows = in_review(staff, nomination, reviewers[:2])
    submit_review(reviewers[0], rows[0], 4)

    response = staff_client.get(
        reverse("staff:nomination-close-review", kwargs={"pk": nomination.pk})
    )

    assert response.context["problems"] == [
        "1 assigned review is not in.",
        "1 of the 2 reviews needed count.",
    ]
    assert "1 assigned review is not in." in _text(response)


@pytest.mark.usefixtures("phase", "rubric")
def test_close_review_with_a_reason_when_reviews_are_missing(
    staff_client, staff, category, reviewers
):
    nomination = nominated(category)
    rows = in_review(staff, nomination, reviewers[:2])
    submit_review(reviewers[0], rows[0], 4)
    url = reverse("staff:nomination-close-review", kwargs={"pk": nomination.pk})

    refused = staff_client.post(url, {"override_reason": ""})
    assert refused.status_code == 200
    assert "Give a reason to close review anyway." in _text(refused)
    nomination.refresh_from_db()
    assert nomination.state == S.IN_REVIEW

    response = staff_client.post(
        url, {"override_reason": "The second reviewer fell ill."}, follow=True
    )
    nomination.refresh_from_db()
    assert nomination.state == S.REVIEWED
    assert _messages(response) == [f"Review of {nomination} is closed."]
    assert response.redirect_chain[-1][0] == reverse(
        "staff:review", kwargs={"cycle": category.cycle.pk}
    )


def test_close_review_refused_keeps_the_reason_typed(staff_client, staff, category):
    nomination = nominated(category)

    response = staff_client.post(
        reverse("staff:nomination-close-review", kwargs={"pk": nomination.pk}),
        {"override_reason": "My long explanation."},
    )

    html = _text(response)
    assert response.status_code == 200
    assert "This nomination is submitted: review is not open." in html
    assert "My long explanation." in html
    nomination.refresh_from_db()
    assert nomination.state == S.SUBMITTED
