"""The review demo: last year's cycle reviewed, scored and decided, and a reviewer's queue.

The module's tests share one demo world (see tests/demo/worlds.py).
"""

from collections import Counter

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from dz_awards.cycles.models import Cycle
from dz_awards.demo.content.bulk import BULK_AGENCIES, BULK_RETURNED
from dz_awards.demo.content.past_nominations import PAST_NOMINATIONS
from dz_awards.demo.content.reviews import REVIEWERS
from dz_awards.demo.content.world import DEMO_PASSWORD
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import selectors
from reviews.enums import AssignmentState, DeclineReason, Outcome
from reviews.models import (
    Assignment,
    Conflict,
    Decision,
    Panel,
    Review,
    ReviewCopy,
    ReviewerInvitation,
    ReviewerProfile,
    ReviewPhase,
    Score,
)
from tests.demo.worlds import ON_SQLITE_ONLY, run_demo_data

pytestmark = ON_SQLITE_ONLY

S = NominationState
A = AssignmentState
DEMO_REVIEWER = "reviewer@example.org"


def cycles():
    current, past = Cycle.objects.order_by("-year")
    return current, past


def review_counts():
    return {
        "invitations": ReviewerInvitation.objects.count(),
        "profiles": ReviewerProfile.objects.count(),
        "panels": Panel.objects.count(),
        "panel seats": Panel.members.through.objects.count(),
        "phases": ReviewPhase.objects.count(),
        "copies": ReviewCopy.objects.count(),
        "assignments": Assignment.objects.count(),
        "reviews": Review.objects.count(),
        "scores": Score.objects.count(),
        "conflicts": Conflict.objects.count(),
        "decisions": Decision.objects.count(),
    }


def test_demo_reviews_twice_same(demo):
    """A second run adds no review data, changes no state and prints the same logins."""
    first = review_counts()
    states = dict(Nomination.objects.values_list("title", "state"))
    assert run_demo_data() == demo.output
    assert review_counts() == first
    assert dict(Nomination.objects.values_list("title", "state")) == states
    assert first["profiles"] == len(REVIEWERS) == 6
    assert first["panels"] == 10
    assert first["phases"] == 3
    assert first["conflicts"] == 1 + 1  # last year's, and one before this year's assignment


def test_demo_reviews_scoreboard_has_numbers_in_every_category(demo):
    """Every category of last year shows means, medians, spreads, normalised scores and an
    alpha; at least one nomination is flagged, and the harsh and lenient reviewers show."""
    _current, past = cycles()
    board = selectors.scoreboard(past)
    assert [c.category.code for c in board.categories] == [
        "general-officer-safety",
        "officer-traffic-safety",
        "officer-wellness",
        "comprehensive-safety",
        "comprehensive-wellness",
    ]
    flagged = 0
    for category in board.categories:
        assert category.alpha is not None, category.category
        assert category.review_count >= 9
        for line in category.lines:
            assert line.stats is not None, line.nomination
            assert line.rank is not None
            assert line.stats.count >= 2
            assert 1 <= line.stats.normalised <= 5
            flagged += line.stats.disagreement
        winner = next(line for line in category.lines if line.nomination.state == S.WINNER)
        assert winner.rank == 1
    assert 1 <= flagged < 16
    assert any(line.stats.spread > 0 for c in board.categories for line in c.lines)
    means = {person.email: stats.mean for person, stats in board.reviewers}
    assert len(means) == 6
    assert board.reviewers[0][0].email == "luis.ferreira@example.org"  # the lenient one
    assert board.reviewers[-1][0].email == "renee.walsh@example.org"  # the harsh one
    assert means["luis.ferreira@example.org"] - means["renee.walsh@example.org"] > 1


def test_demo_reviews_every_decision_state(demo):
    """Last year: a released winner per category, finalists, not selected, staged decisions
    not yet released, reviewed nominations without a decision, and the late ones."""
    _current, past = cycles()
    nominations = past.nominations.select_related("category").order_by("pk")
    assert Counter(n.state for n in nominations) == {
        S.WINNER: 5,
        S.FINALIST: 3,
        S.NOT_SELECTED: 3,
        S.REVIEWED: 4,
        S.IN_REVIEW: 1,
        S.SUBMITTED: 1,
    }
    winners = Counter(n.category.code for n in nominations if n.state == S.WINNER)
    assert set(winners.values()) == {1}
    assert len(winners) == 5
    staged = list(selectors.staged_decisions(past))
    assert {(n.title, n.state, n.decision.outcome) for n in staged} == {
        ("Crash Review Board", S.REVIEWED, Outcome.FINALIST),
        ("Near-Miss Reporting System", S.REVIEWED, Outcome.NOT_SELECTED),
    }
    undecided = nominations.filter(state=S.REVIEWED, decision=None)
    assert undecided.count() == 2
    released = Decision.objects.filter(nomination__cycle=past, released_at__isnull=False)
    assert released.count() == 11
    scoring = ReviewPhase.objects.get(cycle=past, name="Scoring")
    for decision in released.select_related("nomination"):
        assert decision.nomination.state == decision.outcome
        assert scoring.ends_at < decision.released_at < timezone.now()
    outcome_emails = OutboxEmail.objects.filter(key__startswith="nomination-outcome:")
    assert outcome_emails.count() == 11
    assert {e.subject for e in outcome_emails} >= {
        "Decision on your nomination: Every Call a Briefing: Pre-Shift Threat Reviews"
    }


def test_demo_reviews_phases_panels_and_reviewers(demo):
    """Reviewers have profiles (home states; one works for a nominating agency), every
    category of both cycles has a panel, last year's scoring phase is over, a late phase
    runs now and this year's scoring comes after its deadline."""
    current, past = cycles()
    now = timezone.now()
    profiles = {p.user.email: p for p in ReviewerProfile.objects.select_related("user")}
    assert set(profiles) == {r.email for r in REVIEWERS}
    assert all(p.state for p in profiles.values())
    bell = profiles["marcus.bell@example.org"]
    assert bell.home_agency.name == "Riverton Police Department"
    for cycle in (current, past):
        for category in cycle.categories.all():
            assert category.panel.members.count() >= 4, category
    scoring = ReviewPhase.objects.get(cycle=past, name="Scoring")
    late = ReviewPhase.objects.get(cycle=past, name="Late reviews")
    assert scoring.starts_at < scoring.ends_at <= late.starts_at < now
    assert late.ends_at > now
    assert selectors.phase_rules(past).phase == late
    upcoming = ReviewPhase.objects.get(cycle=current)
    assert current.closes_at < upcoming.starts_at < upcoming.ends_at
    assert selectors.phase_rules(current).phase is None


def test_demo_reviews_automatic_conflict_never_assigned(demo):
    """The reviewer whose home agency nominated sits on that category's panel and was
    never assigned to its nominations; every counted review is free of conflicts."""
    _current, past = cycles()
    bell = get_user_model().objects.get(email="marcus.bell@example.org")
    riverton = past.nominations.filter(agency__name="Riverton Police Department")
    assert riverton.count() == 3
    for nomination in riverton:
        assert bell in nomination.category.panel.members.all()
        assert not nomination.assignments.filter(reviewer=bell).exists()
    assert Assignment.objects.filter(reviewer=bell, nomination__cycle=past).exists()


def test_demo_reviews_decline_and_declared_conflict_replaced(demo):
    """One assignment declined for availability and one declared conflict, each nomination
    still reviewed by three reviewers who count."""
    declined = Assignment.objects.get(decline_reason=DeclineReason.AVAILABILITY)
    assert declined.state == A.DECLINED
    assert declined.reviewer.email == "ana.lindqvist@example.org"
    conflict = Conflict.objects.select_related("reviewer", "nomination").get(
        nomination__cycle=cycles()[1]
    )
    assert conflict.reviewer.email == "janet.okafor@example.org"
    conflicted = Assignment.objects.get(reviewer=conflict.reviewer, nomination=conflict.nomination)
    assert conflicted.state == A.DECLINED
    assert conflicted.decline_reason == DeclineReason.CONFLICT
    assert declined.nomination != conflict.nomination
    for nomination in (declined.nomination, conflict.nomination):
        counting = selectors.counting_reviews_qs().filter(assignment__nomination=nomination)
        assert counting.count() == 3, nomination
        assert nomination.assignments.count() == 4  # the replacement was added
        replacement = nomination.assignments.order_by("-pk").first()
        assert replacement.assigned_by is None  # added by the automatic refill


def test_demo_reviewer_signs_in_and_sees_queue(demo, client):
    """The printed reviewer login works; its queue has an invited assignment, an accepted
    one with a draft review and submitted ones."""
    assert f"demo login: reviewer {DEMO_REVIEWER} {DEMO_PASSWORD}" in demo.output.splitlines()
    # The real sign-in form (django-axes refuses `client.login`).
    response = client.post(
        reverse("accounts:login"), {"username": DEMO_REVIEWER, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email=DEMO_REVIEWER)
    assert int(client.session["_auth_user_id"]) == user.pk
    queue = list(selectors.reviewer_queue(user))
    states = Counter(a.state for a in queue)
    assert states[A.INVITED] == 1
    assert states[A.ACCEPTED] == 1
    assert states[A.SUBMITTED] >= 3
    invited = next(a for a in queue if a.state == A.INVITED)
    assert invited.nomination.state == S.SUBMITTED
    draft = next(a for a in queue if a.state == A.ACCEPTED)
    assert draft.nomination.state == S.IN_REVIEW
    assert draft.review.submitted_at is None
    assert draft.review.scores.exclude(score=None).count() == 3
    assert draft.review.scores.filter(score=None).count() == 3
    for row in queue:
        if row.state == A.SUBMITTED:
            assert row.review.submitted_at is not None
            assert row.review.total is not None
    # The draft can still be finished: the late phase lets reviews be written now.
    assert selectors.phase_rules(draft.nomination.cycle).reviews_open


def test_demo_reviews_copies_carry_no_agency_identity(demo):
    """Every review copy passed the identity check, and what the demo reviewer reads of
    their assignments (blind) names no agency, city or ORI, files included."""
    _current, past = cycles()
    copies = ReviewCopy.objects.filter(nomination__cycle=past).select_related("nomination__agency")
    assert copies.count() == len(PAST_NOMINATIONS)
    for copy in copies:
        assert copy.is_checked, copy.nomination
        assert copy.leaks == []
        agency = copy.nomination.agency
        text = f"{copy.redacted_title} {copy.executive_summary} {copy.redacted_text}".casefold()
        for term in filter(None, (agency.name, agency.city, agency.ori)):
            assert term.casefold() not in text, (copy.nomination, term)
    user = get_user_model().objects.get(email=DEMO_REVIEWER)
    files = 0
    for assignment in selectors.reviewer_queue(user):
        seen = selectors.reviewer_copy(assignment)
        assert seen.blind
        assert seen.agency is None
        agency = assignment.nomination.agency
        words = " ".join(
            [seen.title, seen.executive_summary]
            + [text for _label, text in seen.sections]
            + [f.name for f in seen.files]
        ).casefold()
        for term in filter(None, (agency.name, agency.city, agency.ori)):
            assert term.casefold() not in words, (assignment.nomination, term)
        files += len(seen.files)
        assert all(f.name.startswith("file-") for f in seen.files)
    assert files == 2


def test_demo_reviews_last_years_mail_not_sent_again(demo):
    """Last year's emails (and the accounts' and agencies' setting up) stay in the outbox
    marked as sent; this year's nominations' emails wait for the worker of `make run`:
    those of the two demo agencies' stories, and the bulk-returned set's receipt and
    returned email to each of its six owners."""
    outcomes = OutboxEmail.objects.filter(key__startswith="nomination-outcome:")
    assert set(outcomes.values_list("status", flat=True)) == {OutboxStatus.SENT}
    pending = OutboxEmail.objects.filter(status=OutboxStatus.PENDING)
    owners = {spec.name: spec.owner_email for spec in BULK_AGENCIES}
    bulk_set = set()
    for agency, title, _code in BULK_RETURNED:
        bulk_set |= {
            (owners[agency], f"Received: {title} (revision 1)"),
            (owners[agency], f"Please update your nomination: {title}"),
        }
    stories = pending.exclude(to__in=owners.values())
    assert set(pending.filter(to__in=owners.values()).values_list("to", "subject")) == bulk_set
    assert pending.filter(to__in=owners.values()).count() == 12
    assert Counter(email.key.split(":")[0] for email in stories) == {
        "nomination-receipt": 7,
        "nomination-returned": 2,
        "nomination-message": 5,
        "nomination-withdrawn": 1,
        "nomination-ineligible": 1,
    }
    assert set(stories.values_list("to", flat=True)) == {
        "agency@example.org",
        "sheriff@example.org",
        "staff@example.org",
        "staff2@example.org",
    }


def test_demo_reviews_submissions_dated_before_last_years_deadline(demo):
    """Last year's nominations were submitted before its deadline and reviewed in its
    scoring phase."""
    _current, past = cycles()
    for nomination in past.nominations.all():
        assert nomination.submitted_at < past.closes_at, nomination
        assert nomination.revisions.get().created_at == nomination.submitted_at
    scoring = ReviewPhase.objects.get(cycle=past, name="Scoring")
    submitted = Review.objects.filter(
        assignment__nomination__cycle=past,
        assignment__nomination__state__in=[S.REVIEWED, S.FINALIST, S.NOT_SELECTED, S.WINNER],
    )
    assert submitted.count() == 45
    for review in submitted:
        assert scoring.starts_at < review.submitted_at < scoring.ends_at
