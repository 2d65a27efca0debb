"""Last year's cycle reviewed, scored and decided, through the review services.

The previous demo cycle gets its own nominations, from the two demo agencies
and four more, and goes through the whole review as staff and reviewers would:
reviewers are invited and accept, panels are set up per category, staff write
each review copy (the identity check runs on it), the automatic assignment
fills the panels, one reviewer declines for lack of time and is replaced at
once, another declares a conflict and is replaced too, a reviewer whose home
agency nominated is never assigned to it, reviews are scored (one reviewer
harsh, one lenient, one nomination splitting the panel), review opens and
closes, and decisions are staged and released, so that the scoreboard, the
charts and every decision state show real numbers and the agencies have their
outcome emails.

Two nominations come late and are still open: the demo reviewer
(reviewer@example.org) has one to accept and one with a draft review, beside
the reviews they submitted.

The services check the clock, so the past cycle is made to take submissions
and its scoring phase runs now while the demo is built; both are then moved
back to their real, past dates by queryset updates, with the submission,
review and release times that belong to them: no service can write a past
that did not happen now. A "Late reviews" phase runs now, so the open
nomination can still be reviewed; the current cycle gets its panels and a
scoring phase after its deadline. The emails all this queued (invitations,
assignments, receipts, outcomes) stay in the outbox marked as sent, so that
the worker does not print a year's mail when the demo starts.

The texts are in `dz_awards.demo.content.past_nominations` and
`dz_awards.demo.content.reviews`.
"""

import math
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dz_awards.cycles.models import Cycle
from dz_awards.demo import documents
from dz_awards.demo.content.past_answers import answers, redacted_text
from dz_awards.demo.content.past_nominations import (
    IN_REVIEW,
    LATE,
    PAST_NOMINATIONS,
    RELEASED,
    STAGED,
)
from dz_awards.demo.content.reviews import (
    CONFIDENCE,
    CONFLICT_NOTE,
    DECLINE_NOTE,
    JUSTIFICATIONS,
    OVERALL,
    OWNERS,
    PAST_AGENCIES,
    REVIEWERS,
)
from dz_awards.demo.content.world import REVIEWER, STAFF
from dz_awards.demo.loaders.outbox import emails_already_sent
from dz_awards.demo.loaders.people import demo_agencies_of_owners
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind, NominationState
from dz_awards.nominations.models import Nomination, NominationRevision
from reviews import selectors, services
from reviews.enums import AssignmentState, DeclineReason
from reviews.models import Assignment, Decision, Panel, Review, ReviewPhase

A = AssignmentState
S = NominationState


def load_demo_reviews(*, past, current, users, agencies, password):
    """Add the review demo: last year's cycle reviewed and decided, the current cycle set up.

    Must run in a transaction. Idempotent: last year's review is made only while
    that cycle has no nominations and no review phase; panels and the current
    cycle's phase are only added when missing.
    """
    staff = users[STAFF]
    if not (past.nominations.exists() or ReviewPhase.objects.filter(cycle=past).exists()):
        _load_past_review(past=past, staff=staff, agencies=agencies, password=password)
    _panels(current)
    # Staff set up review phases in the admin: no service creates one.
    ReviewPhase.objects.get_or_create(
        cycle=current,
        name="Scoring",
        defaults={
            # Days on Eastern wall clocks (see `_scoring_dates`).
            "starts_at": timezone.localtime(current.closes_at) + timedelta(days=1),
            "ends_at": timezone.localtime(current.closes_at) + timedelta(days=60),
            "reviews_open": True,
            "blind": True,
            "show_others": False,
        },
    )


def _panels(cycle):
    """One panel per category of `cycle`, with the demo reviewers who sit on it.

    Staff set up panels in the admin: no service creates one or seats several
    reviewers (an invitation seats its reviewer on one panel only).
    """
    people = {
        u.email: u for u in get_user_model().objects.filter(email__in=[r.email for r in REVIEWERS])
    }
    for category in cycle.categories.all():
        panel, _ = Panel.objects.get_or_create(category=category)
        members = [
            people[r.email] for r in REVIEWERS if category.code in r.panels and r.email in people
        ]
        panel.members.add(*members)


def _load_past_review(*, past, staff, agencies, password):
    now = timezone.now()
    # Last year's emails went out last year: the worker is not to send them again now.
    with emails_already_sent():
        agencies = {**agencies, **_past_agencies(staff, password)}
        reviewers = _reviewers(staff, agencies, password)
        _panels(past)
        nominations = _past_nominations(past, agencies, now)
        _review_and_decide(past, staff, reviewers, nominations, now)


def _review_and_decide(past, staff, reviewers, nominations, now):
    """Review and decide last year's nominations in a scoring phase running now, leave
    the late two open in a late phase, then move the past back to last year's dates.

    Phases are written here because staff set them up in the admin (no service);
    the dates are moved by queryset updates because no service writes a past.
    """
    # The scoring phase runs now while reviews are written; it is moved back at the end.
    scoring = ReviewPhase.objects.create(
        cycle=past,
        name="Scoring",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        reviews_open=True,
        blind=True,
        show_others=False,
    )
    main = [spec for spec in PAST_NOMINATIONS if spec.ends_as not in LATE]
    _review(staff, past, reviewers, {spec: nominations[spec] for spec in main})
    _decide(staff, past, {spec: nominations[spec] for spec in main})
    scoring_start, scoring_end = _scoring_dates(past, now)
    ReviewPhase.objects.create(
        cycle=past,
        name="Late reviews",
        starts_at=scoring_end,
        ends_at=now + timedelta(days=21),
        reviews_open=True,
        blind=True,
        show_others=True,
    )
    late = {spec: nominations[spec] for spec in PAST_NOMINATIONS if spec.ends_as in LATE}
    _review_late(staff, past, reviewers, late)
    ReviewPhase.objects.filter(pk=scoring.pk).update(starts_at=scoring_start, ends_at=scoring_end)
    _backdate(
        past,
        [nominations[spec].pk for spec in main],
        [nominations[spec].pk for spec in PAST_NOMINATIONS],
        (scoring_start, scoring_end),
        now,
    )


def _past_nominations(past, agencies, now):
    """Each agency submits its nominations, the cycle taking submissions meanwhile.

    Submitting checks the cycle is open now, so last year's cycle is opened for the
    moment by an update (no service reopens a past cycle) and closed again after.
    """
    deadline = {"opens_at": past.opens_at, "closes_at": past.closes_at}
    Cycle.objects.filter(pk=past.pk).update(
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(hours=1)
    )
    past.refresh_from_db()
    nominations = {spec: _submitted(spec, past, agencies[spec.agency]) for spec in PAST_NOMINATIONS}
    Cycle.objects.filter(pk=past.pk).update(**deadline)
    past.refresh_from_db()
    return nominations


def _review(staff, past, reviewers, nominations):
    """Copies, assignment (the demo reviewer by hand, the rest automatic), one decline
    and one conflict replaced, acceptance, review opened, reviews submitted, closed."""
    demo = reviewers[REVIEWER]
    for spec, nomination in nominations.items():
        _review_copy(staff, nomination)
        if spec.demo_reviewer:
            services.assignment_add(actor=staff, nomination=nomination, reviewer=demo)
    run = services.assignment_auto(actor=staff, cycle=past)
    if run.shortfalls or run.categories_without_panel:  # pragma: no cover - the demo is sized
        msg = f"Demo assignment left seats empty: {run.shortfalls}"
        raise RuntimeError(msg)
    ids = [n.pk for n in nominations.values()]
    _decline_and_conflict(reviewers, ids)
    for row in Assignment.objects.filter(nomination__in=ids, state=A.INVITED).order_by("pk"):
        services.assignment_accept(user=row.reviewer, assignment=row)
    for nomination in nominations.values():
        services.nomination_open_review(actor=staff, nomination=nomination)
    for spec, nomination in nominations.items():
        _submit_reviews(spec, nomination)
        services.nomination_close_review(actor=staff, nomination=nomination)


def _decide(staff, past, nominations):
    """Winners, finalists and not selected released together; two more staged after."""
    for spec, nomination in nominations.items():
        if spec.ends_as in RELEASED:
            services.decision_stage(
                actor=staff, nomination=nomination, outcome=RELEASED[spec.ends_as]
            )
    services.decisions_release(actor=staff, cycle=past)
    for spec, nomination in nominations.items():
        if spec.ends_as in STAGED:
            services.decision_stage(
                actor=staff, nomination=nomination, outcome=STAGED[spec.ends_as]
            )


def _review_late(staff, past, reviewers, nominations):
    """The late nominations: one waits for the demo reviewer to accept, one is in review
    with the demo reviewer's draft."""
    demo = reviewers[REVIEWER]
    for nomination in nominations.values():
        _review_copy(staff, nomination)
        services.assignment_add(actor=staff, nomination=nomination, reviewer=demo)
    services.assignment_auto(actor=staff, cycle=past)
    for spec, nomination in nominations.items():
        for row in nomination.assignments.filter(state=A.INVITED).exclude(reviewer=demo):
            services.assignment_accept(user=row.reviewer, assignment=row)
        if spec.ends_as == IN_REVIEW:
            mine = nomination.assignments.get(reviewer=demo)
            services.assignment_accept(user=demo, assignment=mine)
            services.nomination_open_review(actor=staff, nomination=nomination)
            _submit_reviews(spec, nomination, draft_by=demo)


def _scoring_dates(past, now):
    """(start, end) of last year's scoring phase: after the deadline, over before now."""
    # Days counted on Eastern wall clocks: a deadline at 11:59 PM stays 11:59 PM across
    # a change to or from daylight saving time.
    closes = timezone.localtime(past.closes_at)
    end = min(closes + timedelta(days=45), now - timedelta(days=2))
    start = closes + timedelta(days=1)
    if end - start < timedelta(days=7):  # loaded just after the deadline
        start = end - timedelta(days=14)
    return start, end


def _backdate(past, main_ids, all_ids, scoring, now):
    """Give what was made now the times it had last year: submissions before the
    deadline, reviews within the scoring phase, the release after it."""
    scoring_start, scoring_end = scoring
    for index, pk in enumerate(all_ids):
        submitted = past.closes_at - timedelta(days=2 * (len(all_ids) - index), hours=index)
        Nomination.objects.filter(pk=pk).update(submitted_at=submitted)
        NominationRevision.objects.filter(nomination_id=pk).update(created_at=submitted)
    Assignment.objects.filter(nomination__in=main_ids).update(due_at=scoring_end)
    reviews = list(
        Review.objects.filter(
            assignment__nomination__in=main_ids, submitted_at__isnull=False
        ).order_by("pk")
    )
    span = scoring_end - scoring_start
    for index, review in enumerate(reviews):
        review.submitted_at = scoring_start + span * (index + 1) / (len(reviews) + 1)
        review.updated_at = review.submitted_at
    Review.objects.bulk_update(reviews, ["submitted_at", "updated_at"])
    Decision.objects.filter(nomination__cycle=past, released_at__isnull=False).update(
        released_at=scoring_end + (now - scoring_end) / 2,
        staged_at=scoring_end + (now - scoring_end) / 3,
    )


def _past_agencies(staff, password):
    """The four agencies that nominated only last year, each created by its owner."""
    return demo_agencies_of_owners(PAST_AGENCIES, staff=staff, password=password)


def _reviewers(staff, agencies, password):
    """Invite each demo reviewer and accept the invitation as they would: {email: user}."""
    users = get_user_model().objects
    reviewers = {}
    for spec in REVIEWERS:
        invitation, token = services.reviewer_invite(
            actor=staff,
            email=spec.email,
            full_name=spec.name,
            home_agency=agencies.get(spec.home_agency),
            state=spec.state,
        )
        existing = users.filter(email__iexact=spec.email).first()
        reviewers[spec.email] = services.invitation_accept(
            pk=invitation.pk, token=token, user=existing, password=password
        )
    return reviewers


def _submitted(spec, cycle, agency):
    """The agency starts, writes, attaches and submits the nomination."""
    author = get_user_model().objects.get(email=OWNERS[spec.agency])
    years_back, month = spec.started
    content = answers(
        spec,
        agency,
        category=cycle.categories.get(code=spec.category),
        start_date=date(cycle.year - years_back, month, 1),
    )
    nomination = nomination_services.nomination_create(
        user=author, agency=agency, cycle=cycle, category=content["category"], title=spec.title
    )
    nomination = nomination_services.nomination_save_draft(
        user=author, nomination=nomination, content=content, version=nomination.version
    ).nomination
    if spec.document:
        file_name, title, paragraphs = spec.document
        paper = nomination_services.evidence_add(
            user=author,
            nomination=nomination,
            upload=SimpleUploadedFile(
                file_name,
                documents.pdf_document(title, paragraphs, agency_name="Program evaluation"),
                "application/pdf",
            ),
            kind=EvidenceKind.DOCUMENT,
            description="An evaluation of the program's results.",
        )
        nomination_services.evidence_process(paper.pk)
    nomination_services.nomination_submit(user=author, nomination=nomination)
    return Nomination.objects.get(pk=nomination.pk)


def _review_copy(staff, nomination):
    """Staff write the copy for reviewers; the identity check runs at once."""
    spec = next(s for s in PAST_NOMINATIONS if s.title == nomination.title)
    copy = services.review_copy_save(
        actor=staff,
        nomination=nomination,
        executive_summary=spec.executive_summary,
        redacted_title=spec.blind_title,
        redacted_text=redacted_text(spec),
        files=list(nomination.evidence.all()),
    )
    findings = services.review_copy_check(copy.pk)
    if findings:  # pragma: no cover - the demo copies are written without identity
        msg = f"The demo review copy of {nomination} shows the agency's identity: {findings}"
        raise RuntimeError(msg)


def _decline_and_conflict(reviewers, main_ids):
    """One reviewer declines for lack of time, another declares a conflict; both are
    replaced at once by the automatic assignment."""
    invited = Assignment.objects.filter(nomination__in=main_ids, state=A.INVITED).order_by("pk")
    busy = invited.filter(reviewer=reviewers["ana.lindqvist@example.org"]).first()
    services.assignment_decline(
        user=busy.reviewer, assignment=busy, reason=DeclineReason.AVAILABILITY, note=DECLINE_NOTE
    )
    conflicted = (
        invited.filter(reviewer=reviewers["janet.okafor@example.org"])
        .exclude(nomination=busy.nomination)
        .first()
    )
    services.conflict_declare(user=conflicted.reviewer, assignment=conflicted, reason=CONFLICT_NOTE)


def _score(spec, reviewer, criterion_index):
    """A whole score: the nomination's quality, the reviewer's bias, a little variety."""
    n = PAST_NOMINATIONS.index(spec)
    r = next(i for i, each in enumerate(REVIEWERS) if each is reviewer)
    emphasis = (0.3, 0.1, -0.2, 0.2, -0.3, -0.1)[(criterion_index + n) % 6]
    variety = ((r * 7 + n * 5 + criterion_index * 3) % 5 - 2) * 0.2
    value = spec.quality + reviewer.bias + emphasis + variety
    if spec.splits_panel:
        value += 1.1 * reviewer.taste
    return max(1, min(5, math.floor(value + 0.5)))


def _review_input(spec, nomination, reviewer, *, version, draft=False):
    _rubric, criteria = selectors.criteria_for(nomination)
    scores = {}
    for index, criterion in enumerate(criteria):
        if draft and index >= 3:
            scores[criterion.pk] = (None, "")
            continue
        score = _score(spec, reviewer, index)
        band = 0 if score <= 2 else (1 if score == 3 else 2)
        scores[criterion.pk] = (score, JUSTIFICATIONS.get(criterion.code, ("",) * 3)[band])
    if draft:
        return services.ReviewInput(scores, "", "", version)
    mean = sum(s for s, _ in scores.values()) / len(scores)
    band = 0 if mean < 2.75 else (1 if mean < 3.75 else 2)
    r = REVIEWERS.index(reviewer)
    n = PAST_NOMINATIONS.index(spec)
    return services.ReviewInput(
        scores=scores,
        overall_comment=OVERALL[band][(r + n) % 2],
        confidence=CONFIDENCE[(r + n) % len(CONFIDENCE)],
        version=version,
    )


def _submit_reviews(spec, nomination, *, draft_by=None):
    """Each accepted reviewer without a conflict submits; `draft_by` only saves a draft."""
    by_email = {r.email: r for r in REVIEWERS}
    rows = selectors.exclude_conflicted(
        Assignment.objects.filter(nomination=nomination, state=A.ACCEPTED)
    ).select_related("reviewer")
    for row in rows.order_by("pk"):
        reviewer = by_email[row.reviewer.email]
        draft = draft_by is not None and row.reviewer_id == draft_by.pk
        data = _review_input(spec, nomination, reviewer, version=1, draft=draft)
        services.review_save(user=row.reviewer, assignment=row, data=data, submit=not draft)
