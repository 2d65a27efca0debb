"""Program staff review pages: reviewers, the review of a cycle, review copies,
assignments, opening and closing review, progress, scoreboard, decisions, exports.

Each page and action through the test client: what it shows, what it changes,
and one refusal (shown in plain words, with any typed text kept).
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import AssignmentState, DeclineReason, Outcome
from reviews.models import (
    Assignment,
    Conflict,
    Decision,
    Panel,
    ReviewCopy,
    ReviewerInvitation,
    ReviewerProfile,
    ReviewPhase,
)
from reviews.services import ReviewInput
from tests import factories
from tests.nominations.view_helpers import submitted

S = NominationState
A = AssignmentState

CLEAN_TEXT = "A peer team reaches every officer within a day of a critical incident."


# The world -------------------------------------------------------------------------------


@pytest.fixture
def cycle(db):
    return factories.CycleFactory(reviewers_per_nomination=2)


@pytest.fixture
def category(cycle):
    return factories.CategoryFactory(cycle=cycle, label="Peer support", position=1)


@pytest.fixture
def rubric(cycle, staff):
    return services.rubric_create_default(actor=staff, cycle=cycle)


@pytest.fixture
def phase(cycle):
    now = timezone.now()
    return ReviewPhase.objects.create(
        cycle=cycle,
        name="Scoring",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        reviews_open=True,
        blind=True,
    )


@pytest.fixture
def panel(category):
    return Panel.objects.create(category=category)


def make_reviewer(panel=None, **kwargs):
    reviewer = factories.UserFactory(**kwargs)
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    if panel is not None:
        panel.members.add(reviewer)
    return reviewer


@pytest.fixture
def reviewers(panel):
    return [
        make_reviewer(panel, full_name="Avery Reviewer"),
        make_reviewer(panel, full_name="Blake Reviewer"),
        make_reviewer(panel, full_name="Casey Reviewer"),
    ]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def nominated(category, **kwargs):
    return factories.submitted_nomination(cycle=category.cycle, category=category, **kwargs)


def prepare(staff, nomination, *, title="Peer support after critical incidents", text=CLEAN_TEXT):
    """A written review copy whose identity check has run."""
    copy = services.review_copy_save(
        actor=staff,
        nomination=nomination,
        executive_summary="Peers contact officers after incidents.",
        redacted_title=title,
        redacted_text=text,
        files=[],
    )
    services.review_copy_check(copy.pk)
    copy.refresh_from_db()
    return copy


def assign(staff, nomination, reviewer, *, accept=True):
    row = services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewer)
    if accept:
        row = services.assignment_accept(user=reviewer, assignment=row)
    return row


def in_review(staff, nomination, people):
    prepare(staff, nomination)
    rows = [assign(staff, nomination, person) for person in people]
    services.nomination_open_review(actor=staff, nomination=nomination)
    nomination.refresh_from_db()
    return rows


def submit_review(reviewer, row, score):
    _rubric, criteria = services.selectors.criteria_for(row.nomination)
    data = ReviewInput(
        scores={c.pk: (score, "Measured against the baseline.") for c in criteria},
        overall_comment="A solid program.",
        confidence="high",
        version=1,
    )
    return services.review_save(user=reviewer, assignment=row, data=data, submit=True)


def reviewed(staff, nomination, people, scores):
    """A nomination with one submitted review per person, review closed."""
    rows = in_review(staff, nomination, people)
    for person, row, score in zip(people, rows, scores, strict=True):
        submit_review(person, row, score)
    services.nomination_close_review(actor=staff, nomination=nomination)
    nomination.refresh_from_db()
    return rows


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _text(response):
    return response.content.decode()


def _csv(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


# Access ----------------------------------------------------------------------------------


def _all_urls(cycle, nomination, row):
    return [
        ("get", reverse("staff:reviewers")),
        ("get", reverse("staff:reviewer-invite")),
        ("get", reverse("staff:review", kwargs={"cycle": cycle.pk})),
        ("post", reverse("staff:review-auto-assign", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-progress", kwargs={"cycle": cycle.pk})),
        ("post", reverse("staff:review-remind", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-scoreboard", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-decisions", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-release", kwargs={"cycle": cycle.pk})),
        ("post", reverse("staff:review-release", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-export-nominations", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-export-reviews", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})),
        ("post", reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})),
        ("get", reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})),
        ("post", reverse("staff:nomination-open-review", kwargs={"pk": nomination.pk})),
        ("get", reverse("staff:nomination-close-review", kwargs={"pk": nomination.pk})),
        ("post", reverse("staff:nomination-decision", kwargs={"pk": nomination.pk})),
        ("post", reverse("staff:assignment-remove", kwargs={"pk": row.pk})),
        ("post", reverse("staff:assignment-reopen", kwargs={"pk": row.pk})),
    ]


@pytest.mark.parametrize("who", ["agency member", "reviewer"])
def test_every_page_is_404_for_people_without_the_staff_role(
    client, staff, category, reviewers, who
):
    nomination = nominated(category)
    prepare(staff, nomination)
    row = assign(staff, nomination, reviewers[0])
    person = (
        factories.MembershipFactory(agency=nomination.agency).user
        if who == "agency member"
        else reviewers[0]
    )
    client.force_login(person)
    before = (
        list(Assignment.objects.values_list("pk", "state")),
        list(Nomination.objects.values_list("pk", "state")),
        OutboxEmail.objects.count(),
    )
    for method, url in _all_urls(category.cycle, nomination, row):
        response = getattr(client, method)(url, {"outcome": "finalist"})
        assert response.status_code == 404, url
    assert before == (
        list(Assignment.objects.values_list("pk", "state")),
        list(Nomination.objects.values_list("pk", "state")),
        OutboxEmail.objects.count(),
    )


def test_every_page_sends_a_signed_out_visitor_to_sign_in(client, staff, category, reviewers):
    nomination = nominated(category)
    prepare(staff, nomination)
    row = assign(staff, nomination, reviewers[0])
    for method, url in _all_urls(category.cycle, nomination, row):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


# Reviewers and invitations ----------------------------------------------------------------


def test_reviewer_list_shows_reviewers_panels_and_invitations(staff_client, staff, panel):
    home = factories.AgencyFactory(name="Hillview Police Department")
    reviewer = make_reviewer(panel, full_name="Dana Scorer")
    ReviewerProfile.objects.create(user=reviewer, home_agency=home, state="OH")
    services.reviewer_invite(actor=staff, email="pending@example.org", full_name="Pat Pending")
    used, token = services.reviewer_invite(
        actor=staff, email="used@example.org", full_name="Uma Used"
    )
    services.invitation_accept(pk=used.pk, token=token, password="a-long-password-1")
    expired, _ = services.reviewer_invite(
        actor=staff, email="expired@example.org", full_name="Eli Expired"
    )
    ReviewerInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )

    response = staff_client.get(reverse("staff:reviewers"))

    html = _text(response)
    assert response.status_code == 200
    assert "Dana Scorer" in html
    assert "Hillview Police Department" in html
    assert "Ohio" in html
    assert f"{panel.category.label} ({panel.category.cycle.year})" in html
    assert [i.email for i in response.context["pending"]] == ["pending@example.org"]
    assert [i.email for i in response.context["used"]] == ["used@example.org"]
    assert [i.email for i in response.context["expired"]] == ["expired@example.org"]
    assert "Waiting to be used (1)" in html
    assert "Used (1)" in html
    assert "Expired (1)" in html


def test_reviewer_invite_emails_a_link_and_never_shows_the_token(staff_client, panel):
    agency = factories.AgencyFactory(name="Hillview Police Department")
    response = staff_client.post(
        reverse("staff:reviewer-invite"),
        {
            "email": "New.Reviewer@Example.org",
            "full_name": "  Nora   Reviewer ",
            "home_agency": str(agency.pk),
            "state": "OH",
            "panel": str(panel.pk),
        },
        follow=True,
    )

    invitation = ReviewerInvitation.objects.get()
    assert invitation.email == "new.reviewer@example.org"
    assert invitation.full_name == "Nora Reviewer"
    assert invitation.home_agency == agency
    assert invitation.state == "OH"
    assert invitation.panel == panel
    assert _messages(response) == [
        "An invitation link was emailed to new.reviewer@example.org. It works once, for 14 days."
    ]
    email = OutboxEmail.objects.get(to="new.reviewer@example.org")
    token = re.search(r"/review/invitations/[0-9a-f-]{36}/([^/\s]+)/", email.body).group(1)
    assert token not in _text(response)
    assert response.redirect_chain[-1][0] == reverse("staff:reviewers")


def test_reviewer_invite_refused_keeps_what_was_typed(staff_client):
    response = staff_client.post(
        reverse("staff:reviewer-invite"),
        {"email": "not an address", "full_name": "Nora Reviewer", "state": "OH"},
    )

    html = _text(response)
    assert response.status_code == 200
    assert ReviewerInvitation.objects.count() == 0
    assert "Please correct this problem" in html
    assert "Enter a valid email address." in html
    assert 'value="Nora Reviewer"' in html
    assert 'value="not an address"' in html
    assert '<option value="OH" selected>' in html


# The review of a cycle ----------------------------------------------------------------------


@pytest.mark.usefixtures("phase", "rubric")
def test_overview_shows_each_nomination_with_copy_status_reviewers_and_phase(
    staff_client, staff, category, reviewers
):
    nominated(category, title="No Copy Yet")
    checking = nominated(category, title="Copy Being Checked")
    services.review_copy_save(
        actor=staff,
        nomination=checking,
        executive_summary="Summary.",
        redacted_title="Checking title",
        redacted_text=CLEAN_TEXT,
        files=[],
    )
    leaking = nominated(category, title="Copy With Identity")
    prepare(staff, leaking, text=f"{leaking.agency.name} started the team.")
    ready = nominated(category, title="Copy Ready")
    prepare(staff, ready)
    assign(staff, ready, reviewers[0])
    assign(staff, ready, reviewers[1], accept=False)
    reviewing = nominated(category, title="Being Reviewed")
    in_review(staff, reviewing, reviewers[:2])
    factories.NominationFactory(cycle=category.cycle, category=category, title="Secret Draft")

    response = staff_client.get(reverse("staff:review", kwargs={"cycle": category.cycle.pk}))

    html = _text(response)
    assert response.status_code == 200
    rows = {row.nomination.title: row for group in response.context["groups"] for row in group.rows}
    assert sorted(rows) == [
        "Being Reviewed",
        "Copy Being Checked",
        "Copy Ready",
        "Copy With Identity",
        "No Copy Yet",
    ]
    assert rows["No Copy Yet"].status_label == "Missing"
    assert rows["Copy Being Checked"].status_label == "Identity check running"
    assert rows["Copy With Identity"].status_label == "Identity found"
    assert rows["Copy Ready"].status_label == "Ready"
    assert rows["Copy Ready"].blockers == ["1 of 2 reviewers accepted"]
    assert rows["No Copy Yet"].blockers == ["review copy not written", "0 of 2 reviewers accepted"]
    assert rows["Being Reviewed"].blockers == []
    assert "2 assigned, 1 accepted, 0 submitted" in html
    assert "Not ready: 1 of 2 reviewers accepted." in html
    assert "Secret Draft" not in html
    assert "Scoring" in html
    assert "Assign reviewers automatically" in html
    assert reverse("staff:nomination-close-review", kwargs={"pk": reviewing.pk}) in html
    for name in ("review-progress", "review-scoreboard", "review-decisions"):
        assert reverse(f"staff:{name}", kwargs={"cycle": category.cycle.pk}) in html
    assert reverse("staff:review-export-reviews", kwargs={"cycle": category.cycle.pk}) in html


def test_overview_of_a_missing_cycle_is_404(staff_client):
    assert staff_client.get(reverse("staff:review", kwargs={"cycle": 999999})).status_code == 404


def test_overview_queries_do_not_grow_with_nominations(staff_client, staff, category, reviewers):
    url = reverse("staff:review", kwargs={"cycle": category.cycle.pk})
    first = nominated(category)
    prepare(staff, first)
    assign(staff, first, reviewers[0])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for _ in range(4):
        other = nominated(category)
        prepare(staff, other)
        assign(staff, other, reviewers[1])
    with CaptureQueriesContext(connection) as five:
        staff_client.get(url)
    assert len(five) == len(one)


def test_auto_assign_lists_created_shortfalls_and_categories_without_panel(
    staff_client, staff, cycle, category, panel
):
    only = make_reviewer(panel, full_name="Only Reviewer")
    nomination = nominated(category, title="Needs Two")
    prepare(staff, nomination)
    lonely = factories.CategoryFactory(cycle=cycle, label="Fitness", position=2)
    prepare(staff, nominated(lonely, title="No Panel Here"))

    response = staff_client.post(reverse("staff:review-auto-assign", kwargs={"cycle": cycle.pk}))

    html = _text(response)
    assert response.status_code == 200
    assert list(Assignment.objects.values_list("nomination__title", "reviewer")) == [
        ("Needs Two", only.pk)
    ]
    assert response.context["created_count"] == 1
    assert "1 assignment created" in html
    shortfalls = {(n.title, missing) for n, missing, _reason in response.context["run"].shortfalls}
    assert shortfalls == {("Needs Two", 1), ("No Panel Here", 2)}
    assert [c.label for c in response.context["run"].categories_without_panel] == ["Fitness"]
    assert "Categories without a panel" in html
    for _n, _missing, reason in response.context["run"].shortfalls:
        assert str(reason) in html
    assert OutboxEmail.objects.filter(to=only.email).count() == 1


def test_auto_assign_answers_only_post(staff_client, cycle):
    url = reverse("staff:review-auto-assign", kwargs={"cycle": cycle.pk})
    assert staff_client.get(url).status_code == 405
    assert Assignment.objects.count() == 0


# The review copy --------------------------------------------------------------------------------


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


# Assignments --------------------------------------------------------------------------------------


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

    response = staff_client.post(url, {"reviewer": str(insider.pk)})

    html = _text(response)
    assert response.status_code == 200
    assert Assignment.objects.count() == 0
    assert "Inside Reviewer cannot be assigned: conflict:" in html.replace("&#x27;", "'")
    assert f'<option value="{insider.pk}" selected>' in html


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


# Opening and closing review -----------------------------------------------------------------------


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


# Progress and reminders ---------------------------------------------------------------------------


def test_progress_table_and_reminders(staff_client, staff, category, reviewers):
    first = nominated(category)
    prepare(staff, first)
    assign(staff, first, reviewers[0])
    assign(staff, first, reviewers[1], accept=False)
    Assignment.objects.filter(reviewer=reviewers[1]).update(
        due_at=timezone.now() - timedelta(days=1)
    )
    url = reverse("staff:review-progress", kwargs={"cycle": category.cycle.pk})

    response = staff_client.get(url)
    by_name = {row["reviewer"].full_name: row for row in response.context["rows"]}
    assert by_name["Avery Reviewer"]["accepted"] == 1
    assert by_name["Blake Reviewer"]["overdue"] == 1
    assert response.context["totals"]["assigned"] == 2

    remind_url = reverse("staff:review-remind", kwargs={"cycle": category.cycle.pk})
    one = staff_client.post(remind_url, {"reviewer": str(reviewers[1].pk)}, follow=True)
    assert _messages(one) == [f"A reminder was emailed to {reviewers[1].email}."]
    assert OutboxEmail.objects.filter(subject__startswith="Reminder").count() == 1

    every = staff_client.post(remind_url, follow=True)
    assert _messages(every) == ["A reminder was emailed to 2 reviewers."]
    assert set(
        OutboxEmail.objects.filter(subject__startswith="Reminder").values_list("to", flat=True)
    ) == {reviewers[0].email, reviewers[1].email}


def test_remind_refuses_a_reviewer_outside_the_cycle(staff_client, staff, category, reviewers):
    stranger = make_reviewer()
    url = reverse("staff:review-remind", kwargs={"cycle": category.cycle.pk})

    assert staff_client.post(url, {"reviewer": str(stranger.pk)}).status_code == 404
    response = staff_client.post(url, {"reviewer": "nobody"}, follow=True)
    assert _messages(response) == ["Choose a reviewer from the table."]
    assert OutboxEmail.objects.filter(subject__startswith="Reminder").count() == 0


def test_remind_with_nothing_waiting_says_so(staff_client, category):
    response = staff_client.post(
        reverse("staff:review-remind", kwargs={"cycle": category.cycle.pk}), follow=True
    )
    assert _messages(response) == ["No reminder was sent: no reviews are waiting."]


# Scoreboard ---------------------------------------------------------------------------------------


@pytest.fixture
def scored(staff, category, reviewers, phase, rubric):
    """Two reviewed nominations (totals 4 and 2 by two reviewers; 3 and 3) in one category."""
    high = nominated(category, title="High Scorer")
    low = nominated(category, title="Low Scorer")
    reviewed(staff, high, reviewers[:2], [4, 2])
    reviewed(staff, low, reviewers[:2], [3, 3])
    return high, low


def test_scoreboard_shows_numbers_to_two_decimals_and_accessible_charts(
    staff_client, category, scored
):

    response = staff_client.get(
        reverse("staff:review-scoreboard", kwargs={"cycle": category.cycle.pk})
    )

    html = _text(response)
    assert response.status_code == 200
    (section,) = response.context["sections"]
    lines = {line.nomination.title: line for line in section.board.lines}
    assert lines["High Scorer"].stats.mean == 3.0
    assert lines["High Scorer"].stats.spread == 2.0
    assert lines["High Scorer"].stats.disagreement
    assert "<strong>3.00</strong>" in html or "3.00" in html
    assert "2.00" in html
    assert "Discuss" in html
    # Two reviewers each scored both nominations: alpha is a number.
    assert section.board.alpha is not None
    assert f"{section.board.alpha:.2f}" in html
    # Both charts: a role, a name and a description each, and tables of the same numbers.
    svgs = re.findall(r"<svg [^>]*>", html)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg
        title_id, desc_id = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', svg).groups()
        assert f'<title id="{title_id}">' in html
        assert f'<desc id="{desc_id}">' in html
    assert "Distribution of review totals in Peer support, as a table" in html
    assert "Reviewer leniency, as a table" in html
    # Avery gave 4 and 3, Blake 2 and 3: the centre is 3.
    assert "Avery Reviewer: mean 3.50 over 2 reviews, 0.50 above the centre" in html
    assert "Blake Reviewer: mean 2.50 over 2 reviews, 0.50 below the centre" in html
    assert "+0.50" in html
    assert "4 reviews counted, by total on the rubric scale" in html


@pytest.mark.usefixtures("phase", "rubric")
def test_scoreboard_says_when_alpha_cannot_be_computed(staff_client, staff, category, reviewers):
    in_review(staff, nominated(category, title="No Reviews Yet"), reviewers[:2])

    response = staff_client.get(
        reverse("staff:review-scoreboard", kwargs={"cycle": category.cycle.pk})
    )

    assert response.context["sections"][0].board.alpha is None
    assert "not enough reviews to say" in _text(response)


@pytest.mark.usefixtures("phase", "rubric")
def test_scoreboard_escapes_names_in_the_charts(staff_client, staff, category, panel):
    people = [
        make_reviewer(panel, full_name="<script>alert(1)</script>"),
        make_reviewer(panel, full_name="Plain Reviewer"),
    ]
    reviewed(staff, nominated(category), people, [4, 2])

    html = _text(
        staff_client.get(reverse("staff:review-scoreboard", kwargs={"cycle": category.cycle.pk}))
    )

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _reviewed_with_decision(staff, category, people, scores, outcome):
    nomination = nominated(category)
    reviewed(staff, nomination, people, scores)
    services.decision_stage(actor=staff, nomination=nomination, outcome=outcome)
    return nomination


@pytest.mark.usefixtures("phase", "rubric")
@pytest.mark.parametrize(
    "name",
    [
        "review",
        "review-progress",
        "review-scoreboard",
        "review-decisions",
        "review-release",
        "review-export-nominations",
        "review-export-reviews",
    ],
)
def test_cycle_pages_use_the_same_queries_for_one_and_four_nominations(
    staff_client, staff, category, reviewers, name
):
    url = reverse(f"staff:{name}", kwargs={"cycle": category.cycle.pk})
    _reviewed_with_decision(staff, category, reviewers[:2], [4, 2], Outcome.FINALIST)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(url).status_code == 200
    for scores in ([3, 3], [5, 4], [2, 1]):
        _reviewed_with_decision(staff, category, reviewers[:2], scores, Outcome.NOT_SELECTED)
    with CaptureQueriesContext(connection) as four:
        assert staff_client.get(url).status_code == 200
    assert len(four) == len(one)


def test_reviewer_list_uses_the_same_queries_for_one_and_four_reviewers(staff_client, staff, panel):
    url = reverse("staff:reviewers")
    make_reviewer(panel)
    services.reviewer_invite(actor=staff, email="a@example.org", full_name="A", panel=panel)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for number in range(3):
        ReviewerProfile.objects.create(
            user=make_reviewer(panel), home_agency=factories.AgencyFactory(), state="OH"
        )
        services.reviewer_invite(
            actor=staff, email=f"b{number}@example.org", full_name="B", panel=panel
        )
    with CaptureQueriesContext(connection) as four:
        staff_client.get(url)
    assert len(four) == len(one)


# Decisions ----------------------------------------------------------------------------------------


def test_decisions_page_lists_reviewed_nominations_with_their_numbers(
    staff_client, category, scored
):
    response = staff_client.get(
        reverse("staff:review-decisions", kwargs={"cycle": category.cycle.pk})
    )

    html = _text(response)
    ((_board, lines),) = response.context["sections"]
    assert sorted(item.line.nomination.title for item in lines) == ["High Scorer", "Low Scorer"]
    assert lines[0].choices == [
        ("finalist", "Finalist"),
        ("winner", "Winner"),
        ("not_selected", "Not selected"),
    ]
    assert "No decision is staged." in html
    assert 'name="outcome"' in html


def test_stage_and_unstage_a_decision(staff_client, category, scored):
    high, _low = scored
    url = reverse("staff:nomination-decision", kwargs={"pk": high.pk})

    staged = staff_client.post(url, {"outcome": Outcome.FINALIST}, follow=True)
    assert _messages(staged) == [
        (
            "High Scorer is staged as finalist. Nothing changes for the agency until decisions are "
            "released."
        )
    ]
    assert Decision.objects.get(nomination=high).outcome == Outcome.FINALIST
    high.refresh_from_db()
    assert high.state == S.REVIEWED
    assert "Staged, not released (1)" in _text(staged)

    unstaged = staff_client.post(url, {"outcome": "unstage"}, follow=True)
    assert _messages(unstaged) == ["High Scorer: the staged decision is removed."]
    assert not Decision.objects.exists()


def test_stage_refused_shows_why(staff_client, staff, category, scored):
    high, low = scored
    services.decision_stage(actor=staff, nomination=high, outcome=Outcome.WINNER)

    response = staff_client.post(
        reverse("staff:nomination-decision", kwargs={"pk": low.pk}),
        {"outcome": "winner"},
        follow=True,
    )

    assert _messages(response) == [
        "Low Scorer: Peer support already has its 1 winner (released or staged)."
    ]
    assert list(Decision.objects.values_list("nomination", flat=True)) == [high.pk]
    bad = staff_client.post(
        reverse("staff:nomination-decision", kwargs={"pk": low.pk}),
        {"outcome": "president"},
        follow=True,
    )
    assert _messages(bad) == ["Low Scorer: choose a decision."]


def test_release_confirms_then_applies_and_emails(staff_client, staff, category, scored):
    high, low = scored
    owner = factories.OwnerFactory(agency=high.agency).user
    services.decision_stage(actor=staff, nomination=high, outcome=Outcome.WINNER)
    services.decision_stage(actor=staff, nomination=low, outcome=Outcome.NOT_SELECTED)
    url = reverse("staff:review-release", kwargs={"cycle": category.cycle.pk})

    confirm = staff_client.get(url)
    html = _text(confirm)
    assert "emails each agency its outcome" in html
    assert "High Scorer" in html
    assert "Low Scorer" in html
    assert "Release 2 decisions and email the agencies" in html
    high.refresh_from_db()
    assert high.state == S.REVIEWED

    response = staff_client.post(url, follow=True)
    high.refresh_from_db()
    low.refresh_from_db()
    assert (high.state, low.state) == (S.WINNER, S.NOT_SELECTED)
    assert _messages(response) == ["2 decisions released. Each agency is emailed its outcome."]
    assert list(
        OutboxEmail.objects.filter(subject__startswith="Decision on your nomination").values_list(
            "to", flat=True
        )
    ) == [owner.email]


def test_release_with_nothing_staged_is_refused(staff_client, category, scored):
    url = reverse("staff:review-release", kwargs={"cycle": category.cycle.pk})
    assert "nothing to release" in _text(staff_client.get(url))

    response = staff_client.post(url, follow=True)

    assert _messages(response) == ["There are no staged decisions to release."]
    assert set(Nomination.objects.values_list("state", flat=True)) == {S.REVIEWED}


# Exports ------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("phase", "rubric")
def test_nomination_export_has_scores_and_neutralises_formulas(
    staff_client, staff, category, reviewers
):
    agency = factories.AgencyFactory(name="=HYPERLINK(1)", city="+Town")
    nomination = nominated(category, title="@Sum", agency=agency)
    reviewed(staff, nomination, reviewers[:2], [4, 2])
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.FINALIST)
    waiting = nominated(category, title="Waiting Copy")

    response = staff_client.get(
        reverse("staff:review-export-nominations", kwargs={"cycle": category.cycle.pk})
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = _csv(response)
    assert header == [
        "Nomination id",
        "Category",
        "Agency",
        "City",
        "State",
        "Title",
        "Status",
        "Reviews",
        "Mean",
        "Median",
        "Spread",
        "Normalised",
        "Rank",
        "Disagreement",
        "Staged decision",
    ]
    by_id = {row[0]: row for row in rows}
    scored_row = by_id[str(nomination.pk)]
    assert scored_row[1:8] == [
        "Peer support",
        "'=HYPERLINK(1)",
        "'+Town",
        "VA",
        "'@Sum",
        "Reviewed",
        "2",
    ]
    assert scored_row[8:11] == ["3.0", "3.0", "2.0"]
    assert scored_row[12:] == ["1", "yes", "Finalist"]
    assert by_id[str(waiting.pk)][6:8] == ["Submitted", "0"]


@pytest.mark.usefixtures("phase", "rubric")
def test_review_export_leaves_out_conflicted_reviews(staff_client, staff, category, reviewers):
    nomination = nominated(category, title="Peer Team")
    rows = in_review(staff, nomination, reviewers[:2])
    submit_review(reviewers[0], rows[0], 4)
    submit_review(reviewers[1], rows[1], 2)
    Conflict.objects.create(reviewer=reviewers[1], nomination=nomination, reason="Former chief.")

    response = staff_client.get(
        reverse("staff:review-export-reviews", kwargs={"cycle": category.cycle.pk})
    )

    header, *lines = _csv(response)
    assert header[:8] == [
        "Nomination id",
        "Title",
        "Agency",
        "Reviewer name",
        "Reviewer email",
        "State",
        "Confidence",
        "Total",
    ]
    assert header[8:10] == [
        "Effective and measurable results: score",
        "Effective and measurable results: justification",
    ]
    assert header[-2:] == ["Overall comment", "Submitted at"]
    (line,) = lines
    assert line[:8] == [
        str(nomination.pk),
        "Peer Team",
        nomination.agency.name,
        "Avery Reviewer",
        reviewers[0].email,
        "Review submitted",
        "High: I know this kind of program well",
        "4.0",
    ]
    assert line[8:10] == ["4", "Measured against the baseline."]
    assert line[-2] == "A solid program."
    assert reviewers[1].email not in response.content.decode()


# Links from other staff pages ---------------------------------------------------------------------


def test_staff_home_cycles_and_nomination_link_to_review_pages(
    staff_client, staff, category, reviewers
):
    nomination = nominated(category)
    prepare(staff, nomination)
    cycle = category.cycle

    home = _text(staff_client.get(reverse("staff:home")))
    assert reverse("staff:reviewers") in home
    assert reverse("staff:review", kwargs={"cycle": cycle.pk}) in home

    cycles = _text(staff_client.get(reverse("staff:cycles")))
    assert reverse("staff:review-scoreboard", kwargs={"cycle": cycle.pk}) in cycles

    detail = _text(
        staff_client.get(reverse("staff:nomination-detail", kwargs={"pk": nomination.pk}))
    )
    assert "Review copy: ready" in detail
    assert reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk}) in detail
    assert reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk}) in detail
    assert reverse("staff:nomination-open-review", kwargs={"pk": nomination.pk}) in detail
