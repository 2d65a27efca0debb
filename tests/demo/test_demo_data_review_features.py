"""The demo's review features, on one demo world shared by the module's tests.

The world is the demo as `demo_data` leaves it before the worker runs (see
tests/demo/worlds.py); each test runs in a savepoint of it:

- guidelines: both cycles have them; the demo reviewer read last year's;
- preferences: this year's window is open and the demo reviewer answered;
- the score sheet: the demo reviewer's draft opens beside the entry;
- feedback: last year's cycle shares reviewers' comments; staff withheld one;
- recognition: last year's finalists and winners have certificates (the tests
  run the worker's task for them, as `make run`'s worker does).
"""

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.core.services import site_url
from dz_awards.cycles.models import Cycle
from dz_awards.demo.content.feedback import WITHHELD_FROM, WITHHELD_REASON
from dz_awards.demo.content.guidelines import (
    CURRENT_EXAMPLE,
    CURRENT_GUIDELINES,
    PAST_EXAMPLE,
    PAST_GUIDELINES,
)
from dz_awards.demo.content.preferences import CONFLICT_REASON, COPIES
from dz_awards.demo.content.world import AGENCY_LOGIN, REVIEWER, RIVERTON, STAFF
from dz_awards.demo.loaders.guidelines import load_demo_guidelines
from dz_awards.demo.loaders.preferences import load_demo_preferences
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.recognition.models import Certificate
from dz_awards.recognition.tasks import render_certificate
from reviews import selectors, services
from reviews.enums import AssignmentState, FeedbackPosition, Preference
from reviews.models import (
    Assignment,
    Conflict,
    Decision,
    ReviewPhase,
    ReviewPolicy,
    ReviewPreference,
    WithheldComment,
)
from tests.demo.worlds import ON_SQLITE_ONLY, run_demo_data

pytestmark = ON_SQLITE_ONLY


# feedback
def _client(email):
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def test_demo_last_year_shares_feedback_with_one_comment_withheld(demo):
    """Sharing was on before the release (the outcome emails link to the feedback); the
    demo agency reads its not-selected nomination's feedback without the one comment staff
    withheld, whose reason staff read; a second run changes nothing."""
    _current, past = Cycle.objects.order_by("-year")
    policy = selectors.review_policy(past)
    assert (policy.share_feedback, policy.feedback_position) == (True, FeedbackPosition.BAND)
    agency, title = WITHHELD_FROM
    nomination = Nomination.objects.get(cycle=past, agency__name=agency, title=title)
    assert nomination.state == NominationState.NOT_SELECTED
    (withheld,) = WithheldComment.objects.select_related("review", "withheld_by")
    assert withheld.review.assignment.nomination == nomination
    assert (withheld.criterion, withheld.reason, withheld.withheld_by.email) == (
        None,
        WITHHELD_REASON,
        STAFF,
    )
    page = reverse("reviews:feedback", kwargs={"pk": nomination.pk})
    email = OutboxEmail.objects.get(
        key__startswith=f"nomination-outcome:{nomination.pk}", to=AGENCY_LOGIN
    )
    assert site_url(page) in email.body

    agency_client = _client(AGENCY_LOGIN)
    assert page in agency_client.get(nomination.get_absolute_url()).content.decode()
    html = agency_client.get(page).content.decode()
    feedback = selectors.agency_feedback(nomination)
    assert feedback.position.sentence in html.replace("&#x27;", "'")
    assert sum(len(c.comments) for c in feedback.criteria) >= 12
    assert len(feedback.overall) >= 1
    others = selectors.counting_reviews_qs().filter(assignment__nomination=nomination)
    assert withheld.review.overall_comment not in {
        r.overall_comment for r in others.exclude(pk=withheld.review.pk)
    }
    assert withheld.review.overall_comment not in html

    staff_page = _client(STAFF).get(
        reverse("staff:review-feedback", kwargs={"cycle": past.pk}),
        {"category": nomination.category_id},
    )
    assert f"Reason: {WITHHELD_REASON}" in staff_page.content.decode()

    events = AuditEvent.objects.filter(action="comment_withheld").count()
    run_demo_data()
    assert WithheldComment.objects.count() == 1
    assert AuditEvent.objects.filter(action="comment_withheld").count() == events


# guidelines
A = AssignmentState


def cycles():
    current, past = Cycle.objects.order_by("-year")
    return current, past


def test_demo_guidelines_for_both_cycles_last_years_read_and_dated_before_scoring(demo):
    current, past = cycles()
    old = ReviewPolicy.objects.get(cycle=past)
    new = ReviewPolicy.objects.get(cycle=current)
    assert (old.guidelines, old.guidelines_version) == (PAST_GUIDELINES.strip(), 1)
    assert (new.guidelines, new.guidelines_version) == (CURRENT_GUIDELINES.strip(), 1)
    assert (old.calibration_example, new.calibration_example) == (
        PAST_EXAMPLE.strip(),
        CURRENT_EXAMPLE.strip(),
    )
    scoring = ReviewPhase.objects.get(cycle=past, name="Scoring")
    assert old.guidelines_updated_at < scoring.starts_at
    assert old.guidelines_updated_by.email == STAFF
    reviewer = get_user_model().objects.get(email=REVIEWER)
    assert selectors.guidelines_read_by_cycle(reviewer) == {past.pk: {1}}
    mine = Assignment.objects.filter(reviewer=reviewer, nomination__cycle=past)
    assert set(mine.filter(state=A.INVITED).values_list("guidelines_version", flat=True)) == {None}
    assert set(
        mine.filter(state__in=[A.ACCEPTED, A.SUBMITTED]).values_list(
            "guidelines_version", flat=True
        )
    ) == {1}

    # Loading again changes nothing: no new version, no new record, no new reading.
    events = AuditEvent.objects.count()
    users = {STAFF: get_user_model().objects.get(email=STAFF)}
    load_demo_guidelines(past=past, current=current, users=users)
    assert AuditEvent.objects.count() == events
    assert ReviewPolicy.objects.get(cycle=past).guidelines_updated_at == old.guidelines_updated_at
    assert ReviewPolicy.objects.get(cycle=current).guidelines_version == 1


def test_demo_reviewer_accepts_with_last_years_guidelines_and_sees_this_years(demo):
    current, past = cycles()
    reviewer = get_user_model().objects.get(email=REVIEWER)
    client = Client()
    client.force_login(reviewer)
    invited = Assignment.objects.get(reviewer=reviewer, state=A.INVITED)
    page = client.get(reverse("reviews:assignment", kwargs={"pk": invited.pk})).content.decode()
    assert "I have read the reviewer guidelines (version 1)" in page
    assert "You have not read the guidelines yet." not in page

    queue = client.get(reverse("reviews:queue")).content.decode()
    guidelines = reverse("reviews:guidelines", kwargs={"cycle": past.pk})
    assert f'<a href="{guidelines}">Reviewer guidelines (version 1' in queue

    this_year = client.get(reverse("reviews:guidelines", kwargs={"cycle": current.pk}))
    assert this_year.status_code == 200
    assert "New this year" in this_year.content.decode()


# preferences
SAFETY_CULTURE = "Safety Culture 360"
ARRIVE_ALIVE = "Arrive Alive: Seat Belts and Safe Speeds"
BODY_ARMOR = "Body Armor Fit and Wear Program"


def current_cycle():
    return Cycle.objects.order_by("-year").first()


def people(*emails):
    users = get_user_model().objects
    return [users.get(email=email) for email in emails]


def test_demo_preferences_window_open_and_the_demo_reviewer_answered(demo):
    """Open until scoring starts; this year's three nominations titled for blind review;
    the demo reviewer eager, unwilling and conflicted (with the reason), on a page that
    names no agency, linked from their queue."""
    current = current_cycle()
    policy = selectors.review_policy(current)
    assert policy.preferences_open()
    assert policy.preferences_due_at == ReviewPhase.objects.get(cycle=current).starts_at
    (me,) = people(REVIEWER)
    mine = dict(
        ReviewPreference.objects.filter(reviewer=me).values_list("nomination__title", "preference")
    )
    assert mine == {ARRIVE_ALIVE: Preference.EAGER, BODY_ARMOR: Preference.UNWILLING}
    conflict = Conflict.objects.get(reviewer=me, nomination__cycle=current)
    assert (conflict.nomination.title, conflict.reason) == (SAFETY_CULTURE, CONFLICT_REASON)
    client = Client()
    client.force_login(me)
    html = client.get(reverse("reviews:preferences", kwargs={"cycle": current.pk})).content
    html = html.decode()
    for title, copy in COPIES.items():
        assert copy.blind_title in html
        assert title not in html
    nominations = current.nominations.filter(title__in=COPIES).select_related("agency")
    assert nominations.count() == 3
    for nomination in nominations:
        for term in filter(None, (nomination.agency.name, nomination.agency.city)):
            assert term not in html
    assert f"You declared a conflict of interest: {CONFLICT_REASON}" in html.replace("&#x27;", "'")
    queue = client.get(reverse("reviews:queue")).content.decode()
    assert reverse("reviews:preferences", kwargs={"cycle": current.pk}) in queue


def test_demo_preferences_the_first_automatic_assignment_follows_them(demo):
    """Staff's first run gives each eager reviewer their wish, never the demo reviewer's
    conflict, and shows each pair's preference; loading again records nothing new."""
    current = current_cycle()
    me, renee, luis = people(REVIEWER, "renee.walsh@example.org", "luis.ferreira@example.org")
    (staff,) = people(STAFF)
    events = AuditEvent.objects.count()
    load_demo_preferences(current=current, users={STAFF: staff})
    assert AuditEvent.objects.count() == events
    run = services.assignment_auto(actor=staff, cycle=current)
    pairs = {(row.nomination.title, row.reviewer.email) for row in run.created}
    assert {(ARRIVE_ALIVE, me.email), (BODY_ARMOR, renee.email), (SAFETY_CULTURE, luis.email)} <= (
        pairs
    )
    assert (SAFETY_CULTURE, me.email) not in pairs
    stated = {
        (row.nomination.title, row.reviewer.email): preference
        for row, preference in run.created_with_preferences()
        if preference is not None
    }
    assert stated[ARRIVE_ALIVE, me.email] == Preference.EAGER
    assert run.shortfalls == []
    assert timezone.now() < selectors.review_policy(current).preferences_due_at


def test_demo_preferences_loaded_again_after_the_window_leave_the_answers(demo):
    """A demo loaded again once its window has passed (a later `make run`) keeps what was
    said and does not try to say it again (which would be refused)."""
    current = current_cycle()
    (staff,) = people(STAFF)
    ReviewPolicy.objects.filter(cycle=current).update(
        preferences_due_at=timezone.now() - timedelta(minutes=1)
    )
    answers = list(ReviewPreference.objects.values_list("reviewer", "nomination", "preference"))
    events = AuditEvent.objects.count()
    load_demo_preferences(current=current, users={STAFF: staff})
    assert AuditEvent.objects.count() == events
    assert list(ReviewPreference.objects.values_list("reviewer", "nomination", "preference")) == (
        answers
    )


# recognition
RECOGNISED = (NominationState.FINALIST, NominationState.WINNER)


def test_demo_last_years_finalists_and_winners_get_their_certificates_drawn(demo):
    """Each released finalist and winner of last year, and only they, has a certificate for
    its award; the worker draws each: a one-page PDF naming it and a 300 by 300 badge."""
    _current, past = Cycle.objects.order_by("-year")
    recognised = Nomination.objects.filter(cycle=past, state__in=RECOGNISED)
    certificates = list(Certificate.objects.select_related("nomination"))
    assert sorted(c.nomination_id for c in certificates) == sorted(n.pk for n in recognised)
    assert len(certificates) == 8  # five winners, three finalists
    issued = AuditEvent.objects.filter(action="certificate_issued")
    assert sorted(issued.values_list("object_id", flat=True)) == sorted(
        str(c.pk) for c in certificates
    )
    released = dict(Decision.objects.values_list("nomination", "released_at"))
    for certificate in certificates:
        assert (certificate.award, certificate.year) == (certificate.nomination.state, past.year)
        assert certificate.issued_at == released[certificate.nomination_id]  # last year
        assert render_certificate.enqueue(str(certificate.pk)).return_value == 1
    for certificate in Certificate.objects.all():
        assert certificate.is_ready, certificate
        with Image.open(demo.media_root / certificate.badge.name) as badge:
            assert badge.size == (300, 300)
    riverton = Certificate.objects.get(agency=RIVERTON)
    reader = PdfReader(io.BytesIO((demo.media_root / riverton.pdf.name).read_bytes()))
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    issued_on = riverton.issued_at.astimezone(ZoneInfo("America/New_York"))
    for expected in [
        RIVERTON,
        "Riverton Safety Officer Program",
        "Winner",
        str(past.year),
        f"Issued {issued_on:%B} {issued_on.day}, {issued_on.year}",
    ]:
        assert expected in text


def test_demo_agency_sees_its_certificate_and_a_second_run_issues_none(demo):
    certificate = Certificate.objects.get(agency=RIVERTON)
    client = _client(AGENCY_LOGIN)
    page = client.get(reverse("nominations:detail", kwargs={"pk": certificate.nomination_id}))
    assert "Its certificate and badge are being prepared" in page.content.decode()
    before = sorted(Certificate.objects.values_list("pk", "version", "award"))
    run_demo_data()
    assert sorted(Certificate.objects.values_list("pk", "version", "award")) == before


# review sheet
DEMO_REVIEWER = "reviewer@example.org"


def test_demo_reviewers_draft_opens_beside_the_entry_with_its_total_and_autosave(demo):
    """The draft the demo reviewer left (three of six criteria scored) shows the blind
    copy beside the sheet, the running total of the scores given, the background save,
    and what the cycle does with comments (last year's shares them)."""
    reviewer = get_user_model().objects.get(email=DEMO_REVIEWER)
    draft = next(
        row for row in selectors.reviewer_queue(reviewer) if row.state == AssignmentState.ACCEPTED
    )
    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("reviews:review", kwargs={"pk": draft.pk}))
    html = response.content.decode()
    running = response.context["running"]
    assert (running.scored, running.criteria) == (3, 6)
    assert running.total is not None
    assert 'role="region" aria-label="The entry"' in html
    assert response.context["copy"].executive_summary in html
    assert "3 of 6 criteria scored." in html
    assert reverse("reviews:review-autosave", kwargs={"pk": draft.pk}) in html
    assert selectors.review_policy(draft.nomination.cycle).share_feedback
    assert html.count("May be shared with the agency, without your name") == 7
    for term in (draft.nomination.agency.name, draft.nomination.agency.city):
        assert term not in html
