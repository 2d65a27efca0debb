"""Every change to review data. Views call these; nothing else writes.

Each runs in one transaction, locks the rows it changes, checks who may act,
records an audit event and queues email through the outbox. Emails to
reviewers carry no agency identity, whatever the phase. A change that cannot
be made now raises `ReviewError`, whose message is meant for the person who
tried.
"""

import hashlib
import hmac
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.accounts.rules import is_program_staff, is_reviewer
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.models import Membership
from dz_awards.core.services import audit_record, outbox_enqueue, site_url
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations import selectors as nominations_selectors
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceStatus, NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.profiles.services import profile_create_for
from reviews import assignment, leaks, scoring, selectors
from reviews.enums import (
    ACTIVE_ASSIGNMENT_STATES,
    AssignmentState,
    Confidence,
    DeclineReason,
    Outcome,
)
from reviews.models import (
    Assignment,
    Conflict,
    Criterion,
    Decision,
    LevelDescriptor,
    Panel,
    Review,
    ReviewCopy,
    ReviewerInvitation,
    ReviewerProfile,
    Rubric,
    Score,
)
from reviews.rubrics import DEFAULT_CRITERIA

S = NominationState
A = AssignmentState


@transaction.atomic
def rubric_create_default(*, actor, cycle):
    """Give `cycle` the default rubric (1 to 5, the six DZ criteria, equal weights).

    A cycle that already has a rubric keeps it unchanged; returns the cycle's rubric.
    """
    rubric, created = Rubric.objects.select_for_update().get_or_create(cycle=cycle)
    if not created:
        return rubric
    for position, (code, name, description, levels) in enumerate(DEFAULT_CRITERIA):
        criterion = Criterion.objects.create(
            rubric=rubric, code=code, name=name, description=description, position=position
        )
        LevelDescriptor.objects.bulk_create(
            LevelDescriptor(criterion=criterion, score=score, text=text)
            for score, text in enumerate(levels, start=rubric.scale_min)
        )
    audit_record(actor=actor, obj=cycle, action="rubric_created", message="Default rubric")
    return rubric


class ReviewError(Exception):
    """A review change that cannot be made now; the message says why, in plain words."""


# Helpers ---------------------------------------------------------------------


def _require_staff(actor):
    if not is_program_staff(actor):
        raise PermissionDenied


def _lock_assignment(assignment):
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("nomination__cycle", "nomination__category", "reviewer")
        .get(pk=assignment.pk)
    )


def _reviewer_agency_ids(user):
    ids = set(
        user.memberships.filter(status=MembershipStatus.APPROVED).values_list(
            "agency_id", flat=True
        )
    )
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile and profile.home_agency_id:
        ids.add(profile.home_agency_id)
    return ids, (profile.state if profile else "")


def _candidates(people, cycle):
    """Panel members as the planner sees them, with their load in the cycle."""
    loads = dict(
        Assignment.objects.filter(
            nomination__cycle=cycle, reviewer__in=people, state__in=ACTIVE_ASSIGNMENT_STATES
        )
        .values_list("reviewer")
        .annotate(n=Count("pk"))
    )
    memberships = defaultdict(set)
    for user_id, agency_id in Membership.objects.filter(
        user__in=people, status=MembershipStatus.APPROVED
    ).values_list("user_id", "agency_id"):
        memberships[user_id].add(agency_id)
    profiles = {p.user_id: p for p in ReviewerProfile.objects.filter(user__in=people)}
    candidates = []
    for person in people:
        profile = profiles.get(person.pk)
        agencies = set(memberships[person.pk])
        if profile and profile.home_agency_id:
            agencies.add(profile.home_agency_id)
        candidates.append(
            assignment.Candidate(
                reviewer_id=person.pk,
                agency_ids=frozenset(agencies),
                state=(profile.state if profile else "") or None,
                max_load=cycle.max_assignments_per_reviewer,
                current_load=loads.get(person.pk, 0),
            )
        )
    return candidates


def _items(nominations, cycle):
    nominations = list(nominations)
    rows = Assignment.objects.filter(nomination__in=nominations).values_list(
        "nomination_id", "reviewer_id", "state"
    )
    declared = defaultdict(set)
    for nomination_id, reviewer_id in Conflict.objects.filter(
        nomination__in=nominations
    ).values_list("nomination_id", "reviewer_id"):
        declared[nomination_id].add(reviewer_id)
    already = defaultdict(set)
    active = defaultdict(int)
    for nomination_id, reviewer_id, state in rows:
        already[nomination_id].add(reviewer_id)
        # A review by a reviewer who declared a conflict no longer holds a seat.
        if state in ACTIVE_ASSIGNMENT_STATES and reviewer_id not in declared[nomination_id]:
            active[nomination_id] += 1
    return [
        assignment.Item(
            nomination_id=n.pk,
            agency_id=n.agency_id,
            state=n.agency.state,
            needed=max(0, cycle.reviewers_per_nomination - active[n.pk]),
            already=frozenset(already[n.pk]),
            declared_conflicts=frozenset(declared[n.pk]),
        )
        for n in nominations
    ]


def _panel_people(category):
    panel = Panel.objects.filter(category=category).first()
    if panel is None:
        return []
    return list(
        panel.members.filter(is_active=True, groups__name=REVIEWERS_GROUP).distinct().order_by("pk")
    )


def _create_assignments(actor, cycle, pairs):
    due_at = selectors.review_due_at(cycle)
    created = []
    nominations = Nomination.objects.in_bulk([n for n, _r in pairs])
    people = get_user_model().objects.in_bulk([r for _n, r in pairs])
    for nomination_id, reviewer_id in pairs:
        row = Assignment.objects.create(
            nomination=nominations[nomination_id],
            reviewer=people[reviewer_id],
            assigned_by=actor,
            due_at=due_at,
        )
        audit_record(
            actor=actor,
            obj=row.nomination,
            action="reviewer_assigned",
            message=f"Reviewer {row.reviewer.email}",
        )
        _email_assigned(row)
        created.append(row)
    return created


def _email_reviewer(row, nomination, *, key, subject, template):
    """Email the reviewer of `row` about `nomination`, keyed `<key>:<row pk>`.

    What a reviewer reads in an email is blind whatever the phase: no agency identity.
    """
    outbox_enqueue(
        key=f"{key}:{row.pk}",
        to=row.reviewer.email,
        subject=subject,
        template=template,
        context={
            "user": row.reviewer,
            "title": selectors.blind_title(nomination),
            "cycle": nomination.cycle,
            "due_at": row.due_at,
            "url": site_url(row.get_absolute_url()),
        },
    )


def _email_assigned(row):
    _email_reviewer(
        row,
        row.nomination,
        key="review-assigned",
        subject="A nomination has been assigned to you for review",
        template="reviews/email/assigned.txt",
    )


def ready_for_assignment(cycle):
    """Nominations of `cycle` that may get reviewers: submitted or in review, and a review
    copy written, checked since its last edit, with no trace of the agency found."""
    return (
        Nomination.objects.filter(
            cycle=cycle,
            state__in=[S.SUBMITTED, S.IN_REVIEW],
            category__isnull=False,
            review_copy__checked_at__gte=F("review_copy__updated_at"),
            review_copy__leaks=[],
        )
        .exclude(review_copy__executive_summary="")
        .exclude(review_copy__redacted_title="")
        .exclude(review_copy__redacted_text="")
        .select_related("agency", "category")
    )


@dataclass(frozen=True)
class AssignmentRun:
    created: list
    shortfalls: list  # (nomination, missing, reason)
    categories_without_panel: list


# Preparation -------------------------------------------------------------------


@transaction.atomic
def review_copy_save(*, actor, nomination, executive_summary, redacted_title, redacted_text, files):
    """Save the executive summary and the redacted copy; the identity check reruns after.

    `files` must be files of the nomination's latest submission that are ready.
    """
    _require_staff(actor)
    nomination = _lock_nomination(nomination)
    if nomination.state not in (S.SUBMITTED, S.IN_REVIEW, S.REVIEWED):
        raise ReviewError(
            f"This nomination is {nomination.get_state_display().lower()}: its review copy "
            "can no longer change."
        )
    latest = nomination.revisions.order_by("-number").first()
    allowed = (
        set(
            nominations_selectors.evidence_of_revision(latest)
            .filter(status=EvidenceStatus.READY)
            .values_list("pk", flat=True)
        )
        if latest
        else set()
    )
    files = list(files)
    if any(f.pk not in allowed for f in files):
        raise ReviewError("Only ready files of the latest submission can be shown to reviewers.")
    copy, _ = ReviewCopy.objects.select_for_update().get_or_create(nomination=nomination)
    copy.executive_summary = executive_summary
    copy.redacted_title = " ".join(redacted_title.split())
    copy.redacted_text = redacted_text
    copy.updated_at = timezone.now()
    copy.updated_by = actor
    copy.leaks = []
    copy.save()
    copy.files.set(files)
    audit_record(actor=actor, obj=nomination, action="review_copy_saved")
    # The task module imports this one; importing it at call time avoids the cycle.
    from reviews.tasks import check_review_copy  # noqa: PLC0415

    copy_pk = copy.pk
    transaction.on_commit(lambda: check_review_copy.enqueue(copy_pk))
    return copy


def review_copy_check(copy_pk):
    """Run the identity check and store what it found, unless the copy changed meanwhile."""
    copy = ReviewCopy.objects.select_related("nomination__agency").filter(pk=copy_pk).first()
    if copy is None:
        return None
    files = list(copy.files.filter(status=EvidenceStatus.READY))
    findings = [f.as_dict() for f in leaks.copy_findings(copy, files)]
    with transaction.atomic():
        stored = ReviewCopy.objects.filter(pk=copy_pk, updated_at=copy.updated_at).update(
            leaks=findings, checked_at=timezone.now()
        )
    return findings if stored else None


# Reviewers ---------------------------------------------------------------------


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def reviewer_invite(*, actor, email, full_name, home_agency=None, state="", panel=None):
    """Email a single-use link that sets up a reviewer account; it expires."""
    _require_staff(actor)
    token = secrets.token_urlsafe(32)
    invitation = ReviewerInvitation.objects.create(
        email=email.strip().lower(),
        full_name=" ".join(full_name.split()),
        home_agency=home_agency,
        state=state,
        panel=panel,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.REVIEWER_INVITATION_DAYS),
        invited_by=actor,
    )
    audit_record(actor=actor, obj=invitation, action="reviewer_invited", message=invitation.email)
    outbox_enqueue(
        key=f"reviewer-invitation:{invitation.pk}",
        to=invitation.email,
        subject="You are invited to review for the Destination Zero Awards",
        template="reviews/email/invitation.txt",
        context={
            "invitation": invitation,
            "url": site_url(invitation_path(invitation, token)),
            "days": settings.REVIEWER_INVITATION_DAYS,
        },
    )
    return invitation, token


def invitation_path(invitation, token):
    return reverse("reviews:invitation", kwargs={"pk": invitation.pk, "token": token})


def invitation_get(pk, token):
    """The invitation if the token matches, used or not; None otherwise."""
    invitation = ReviewerInvitation.objects.filter(pk=pk).select_related("panel").first()
    if invitation is None or not hmac.compare_digest(
        invitation.token_hash, _token_hash(token or "")
    ):
        return None
    return invitation


def invitation_problem(invitation, moment=None):
    moment = moment or timezone.now()
    if invitation.accepted_at is not None:
        return "This invitation has already been used. Sign in with the account it set up."
    if invitation.expires_at <= moment:
        return "This invitation has expired. Ask program staff for a new one."
    return None


@transaction.atomic
def invitation_accept(*, pk, token, user=None, full_name="", password=""):
    """Use an invitation once: set up (or upgrade) the account and make it a reviewer.

    Signed in: the account must have the invited address. Not signed in: the
    address must not have an account yet; a new one is created with `password`
    (the emailed link proves the address). Concurrent uses: one wins.
    """
    invitation = ReviewerInvitation.objects.select_for_update().filter(pk=pk).first()
    if invitation is None or not hmac.compare_digest(
        invitation.token_hash, _token_hash(token or "")
    ):
        raise ReviewError("This invitation link is not valid.")
    problem = invitation_problem(invitation)
    if problem:
        raise ReviewError(problem)
    users = get_user_model().objects
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise ReviewError(
                "This invitation is for another email address. Sign out, then open the link again."
            )
    else:
        if users.filter(email__iexact=invitation.email).exists():
            raise ReviewError(
                "An account already uses this address. Sign in, then open the link again."
            )
        user = users.create_user(
            invitation.email,
            password,
            full_name=" ".join((full_name or invitation.full_name).split()),
            email_verified_at=timezone.now(),
        )
    user.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    # A second invitation (say, to another panel) never clears what conflicts rely on:
    # it sets the home agency and state only when it gives them.
    profile, _ = ReviewerProfile.objects.get_or_create(user=user)
    if invitation.home_agency_id:
        profile.home_agency = invitation.home_agency
    if invitation.state:
        profile.state = invitation.state
    profile.save()
    if invitation.panel_id:
        invitation.panel.members.add(user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # Older links to the same address stop working: access is given once.
    ReviewerInvitation.objects.filter(
        email__iexact=invitation.email, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).exclude(pk=invitation.pk).update(expires_at=timezone.now())
    audit_record(actor=user, obj=invitation, action="reviewer_invitation_accepted")
    return user


# Assignment ---------------------------------------------------------------------


@transaction.atomic
def assignment_auto(*, actor, cycle):
    """Fill every ready nomination of `cycle` up to its reviewers per nomination.

    Per category: the panel's reviewers, never conflicted, balanced, capped at
    the cycle's maximum (see `assignment.plan`). Runs one at a time per cycle.
    Returns what it created and what it could not fill.
    """
    _require_staff(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    ready = list(ready_for_assignment(cycle).order_by("pk"))
    created, shortfalls, without_panel = [], [], []
    by_category = defaultdict(list)
    for nomination in ready:
        by_category[nomination.category_id].append(nomination)
    nominations = {n.pk: n for n in ready}
    for category in cycle.categories.order_by("position", "label"):
        members = by_category.get(category.pk)
        if not members:
            continue
        people = _panel_people(category)
        if not people:
            without_panel.append(category)
        result = assignment.plan(
            _items(members, cycle),
            _candidates(people, cycle),
            same_state_rule=cycle.conflict_same_state,
        )
        created += _create_assignments(actor, cycle, result.assignments)
        shortfalls += [
            (nominations[s.nomination_id], s.missing, s.reason) for s in result.shortfalls
        ]
    return AssignmentRun(created, shortfalls, without_panel)


def _refill(actor, nomination):
    """After a decline: try to give the nomination a replacement at once."""
    cycle = nomination.cycle
    if not ready_for_assignment(cycle).filter(pk=nomination.pk).exists():
        return []
    people = _panel_people(nomination.category)
    result = assignment.plan(
        _items([nomination], cycle),
        _candidates(people, cycle),
        same_state_rule=cycle.conflict_same_state,
    )
    return _create_assignments(actor, cycle, result.assignments)


@transaction.atomic
def assignment_add(*, actor, nomination, reviewer):
    """Assign one reviewer by hand, under the same rules as the automatic run."""
    _require_staff(actor)
    nomination = _lock_nomination(nomination)
    if not ready_for_assignment(nomination.cycle).filter(pk=nomination.pk).exists():
        raise ReviewError("Write the executive summary and the redacted copy first.")
    if not is_reviewer(reviewer):
        raise ReviewError(f"{reviewer} is not a reviewer.")
    (item,) = _items([nomination], nomination.cycle)
    (candidate,) = _candidates([reviewer], nomination.cycle)
    refusal = assignment.add_refusal(
        candidate, item, same_state_rule=nomination.cycle.conflict_same_state
    )
    if refusal:
        raise ReviewError(f"{reviewer} cannot be assigned: {refusal}.")
    (row,) = _create_assignments(actor, nomination.cycle, [(nomination.pk, reviewer.pk)])
    return row


@transaction.atomic
def assignment_remove(*, actor, assignment):
    """Take an assignment away; a submitted review is kept (reopen it instead)."""
    _require_staff(actor)
    row = _lock_assignment(assignment)
    if row.state == A.SUBMITTED:
        raise ReviewError("This review has been submitted; it cannot be removed.")
    audit_record(
        actor=actor,
        obj=row.nomination,
        action="reviewer_removed",
        message=f"Reviewer {row.reviewer.email}",
    )
    row.delete()


def _require_own(row, user):
    """Only the assignment's reviewer, and never while conflicted with the nomination
    (the pages already answer 404; this holds for any other caller too)."""
    if row.reviewer_id != user.pk:
        raise PermissionDenied
    if not selectors.exclude_conflicted(Assignment.objects.filter(pk=row.pk)).exists():
        raise PermissionDenied


def _reviewer_transition(row, method_name, *, busy):
    method = getattr(row, method_name)
    if not can_proceed(method):
        raise ReviewError(busy.format(state=row.get_state_display().lower()))
    from_state = row.state
    method()
    return from_state


@transaction.atomic
def assignment_accept(*, user, assignment):
    row = _lock_assignment(assignment)
    _require_own(row, user)
    from_state = _reviewer_transition(row, "accept", busy="This assignment is already {state}.")
    row.responded_at = timezone.now()
    row.save(update_fields=["state", "responded_at"])
    audit_record(
        actor=user, obj=row, action="assignment_accepted", from_state=from_state, to_state=row.state
    )
    return row


@transaction.atomic
def assignment_decline(*, user, assignment, reason, note=""):
    """Decline an assignment (with a reason); a conflict is recorded as declared."""
    if reason not in DeclineReason.values:
        raise ValidationError("Choose why you are declining.")
    if reason == DeclineReason.CONFLICT and not note.strip():
        raise ValidationError("Say briefly what the conflict is; only program staff see it.")
    row = _lock_assignment(assignment)
    if row.reviewer_id != user.pk:
        raise PermissionDenied
    from_state = _reviewer_transition(
        row, "decline", busy="This assignment is {state} and can no longer be declined."
    )
    row.decline_reason = reason
    row.decline_note = note.strip()
    row.responded_at = timezone.now()
    row.save(update_fields=["state", "decline_reason", "decline_note", "responded_at"])
    if reason == DeclineReason.CONFLICT:
        Conflict.objects.get_or_create(
            reviewer=user, nomination=row.nomination, defaults={"reason": note.strip()}
        )
    audit_record(
        actor=user,
        obj=row,
        action="assignment_declined",
        from_state=from_state,
        to_state=row.state,
        message=row.get_decline_reason_display(),
    )
    _refill(None, row.nomination)
    return row


@transaction.atomic
def conflict_declare(*, user, assignment, reason):
    """Declare a conflict at any time: the nomination leaves the reviewer's view and
    their review (even a submitted one) stops counting."""
    if not reason.strip():
        raise ValidationError("Say briefly what the conflict is; only program staff see it.")
    row = _lock_assignment(assignment)
    if row.reviewer_id != user.pk:
        raise PermissionDenied
    Conflict.objects.get_or_create(
        reviewer=user, nomination=row.nomination, defaults={"reason": reason.strip()}
    )
    from_state = row.state
    if row.state in (A.INVITED, A.ACCEPTED):
        row.decline()
        row.decline_reason = DeclineReason.CONFLICT
        row.decline_note = reason.strip()
        row.responded_at = timezone.now()
        row.save(update_fields=["state", "decline_reason", "decline_note", "responded_at"])
    audit_record(
        actor=user,
        obj=row,
        action="conflict_declared",
        from_state=from_state,
        to_state=row.state,
    )
    _refill(None, row.nomination)
    return row


@transaction.atomic
def assignment_reopen(*, actor, assignment):
    """Staff reopen a submitted review so its reviewer can revise it."""
    _require_staff(actor)
    nomination = _lock_nomination(assignment.nomination)
    if nomination.state != S.IN_REVIEW:
        raise ReviewError(
            f"This nomination is {nomination.get_state_display().lower()}: a review can be "
            "reopened only while review is open."
        )
    row = _lock_assignment(assignment)
    from_state = _reviewer_transition(
        row, "reopen", busy="This assignment is {state}; only a submitted review can be reopened."
    )
    row.save(update_fields=["state"])
    Review.objects.filter(assignment=row).update(submitted_at=None, total=None)
    audit_record(
        actor=actor, obj=row, action="review_reopened", from_state=from_state, to_state=row.state
    )
    _email_reviewer(
        row,
        nomination,
        key=f"review-reopened:{timezone.now().timestamp()}",
        subject="A review of yours has been reopened",
        template="reviews/email/reopened.txt",
    )
    return row


# Reviews ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewInput:
    """What the review form posts: {criterion pk: (score or None, justification)}."""

    scores: dict
    overall_comment: str
    confidence: str
    version: int


class ReviewConflictError(ReviewError):
    """The review changed in another tab or window since the form was opened."""


def review_problems(criteria, data, *, scale):
    """What stops a review from being submitted, as {field: message}."""
    problems = {}
    for criterion in criteria:
        score, justification = data.scores.get(criterion.pk, (None, ""))
        if score is None:
            problems[f"score_{criterion.pk}"] = f"Give {criterion.name} a score."
        elif score not in scale:
            problems[f"score_{criterion.pk}"] = f"Scores go from {scale.start} to {scale.stop - 1}."
        if not justification.strip():
            problems[f"justification_{criterion.pk}"] = (
                f"Say briefly why you gave {criterion.name} this score."
            )
    if not data.overall_comment.strip():
        problems["overall_comment"] = "Write an overall comment."
    if data.confidence not in Confidence.values:
        problems["confidence"] = "Say how confident you are in this review."
    return problems


class IncompleteReviewError(ReviewError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("The review is not complete yet.")


@transaction.atomic
def review_save(*, user, assignment, data, submit=False):
    """Save a review as a draft, or submit it (also: revise a submitted one).

    Steps: lock the assignment; only its reviewer, while the nomination is in
    review and the phase lets reviews be written; a stale version is a
    conflict (nothing overwritten, the caller keeps the text); store scores;
    on submit check completeness, derive the weighted total and move the
    assignment to submitted. A second submit of the same review changes it,
    never duplicates it.
    """
    # The nomination first, as staff services lock it: a review cannot land after
    # review closed, and the two never wait on each other in opposite orders.
    nomination = _lock_nomination(assignment.nomination)
    row = _lock_assignment(assignment)
    _require_own(row, user)
    if nomination.state != S.IN_REVIEW:
        raise ReviewError("Review of this nomination is not open.")
    if not selectors.phase_rules(nomination.cycle).reviews_open:
        raise ReviewError("The review phase is closed: reviews cannot be changed now.")
    if row.state == A.INVITED:
        raise ReviewError("Accept the assignment before writing the review.")
    if row.state == A.DECLINED:
        raise ReviewError("You declined this assignment.")
    if row.state == A.SUBMITTED and not submit:
        raise ReviewError(
            "This review has been submitted. Use “Update submitted review” to change it."
        )
    review, _ = Review.objects.select_for_update().get_or_create(assignment=row)
    if data.version != review.version:
        raise ReviewConflictError(
            "This review was changed in another window since you opened it. Your text is "
            "below; copy what you need, then reload the page."
        )
    rubric, criteria = selectors.criteria_for(nomination)
    if rubric is None or not criteria:
        raise ReviewError("The rubric for this cycle is not set up yet.")
    for criterion in criteria:
        score, justification = data.scores.get(criterion.pk, (None, ""))
        Score.objects.update_or_create(
            review=review,
            criterion=criterion,
            defaults={
                "score": score if score in rubric.scale else None,
                "justification": justification,
            },
        )
    review.overall_comment = data.overall_comment
    review.confidence = data.confidence if data.confidence in Confidence.values else ""
    review.version += 1
    review.updated_at = timezone.now()
    fields = ["overall_comment", "confidence", "version", "updated_at"]
    if submit:
        problems = review_problems(criteria, data, scale=rubric.scale)
        if problems:
            raise IncompleteReviewError(problems)
        review.total = Decimal(
            str(
                scoring.weighted_total(
                    {c.pk: data.scores[c.pk][0] for c in criteria},
                    {c.pk: c.weight for c in criteria},
                    scale_min=rubric.scale_min,
                    scale_max=rubric.scale_max,
                )
            )
        ).quantize(Decimal("0.000000001"))
        first = row.state == A.ACCEPTED
        review.submitted_at = timezone.now() if first else review.submitted_at
        fields += ["total", "submitted_at"]
        if first:
            row.submit()
            row.save(update_fields=["state"])
        audit_record(
            actor=user,
            obj=row,
            action="review_submitted" if first else "review_revised",
            from_state=A.ACCEPTED if first else A.SUBMITTED,
            to_state=A.SUBMITTED,
        )
    review.save(update_fields=fields)
    return review


# Review phases: open and close ----------------------------------------------------


def _lock_nomination(nomination):
    return nomination_services.nomination_lock(nomination)


def _staff_transition(actor, nomination, method_name, *, busy):
    try:
        return nomination_services.nomination_transition(
            nomination, method_name, actor, busy_message=busy
        )
    except nomination_services.NominationError as error:
        raise ReviewError(str(error)) from error


def open_review_problems(nomination):
    copy = ReviewCopy.objects.filter(nomination=nomination).first()
    problems = []
    if copy is None or not copy.is_ready:
        problems.append(
            "Write the executive summary, the title for reviewers and the redacted copy."
        )
    elif not copy.is_checked:
        problems.append("The identity check of the review copy has not finished yet.")
    elif copy.leaks:
        problems.append(
            "The identity check found the agency's identity in the review copy or its files."
        )
    accepted = nomination.assignments.filter(state__in=[A.ACCEPTED, A.SUBMITTED])
    accepted = selectors.exclude_conflicted(accepted).count()
    needed = nomination.cycle.reviewers_per_nomination
    if accepted < needed:
        problems.append(f"{accepted} of the {needed} reviewers needed have accepted.")
    return problems


@transaction.atomic
def nomination_open_review(*, actor, nomination):
    nomination = _lock_nomination(nomination)
    from_state = _staff_transition(
        actor, nomination, "open_review", busy="This nomination is {state}: review cannot open."
    )
    problems = open_review_problems(nomination)
    if problems:
        raise ReviewError(" ".join(problems))
    nomination.save(update_fields=["state"])
    audit_record(
        actor=actor,
        obj=nomination,
        action="review_opened",
        from_state=from_state,
        to_state=nomination.state,
    )
    for row in nomination.assignments.filter(state=A.ACCEPTED).select_related("reviewer"):
        _email_reviewer(
            row,
            nomination,
            key="review-open",
            subject="A nomination is ready for your scores",
            template="reviews/email/review_open.txt",
        )
    return nomination


def close_review_problems(nomination):
    active = nomination.assignments.filter(state__in=[A.INVITED, A.ACCEPTED])
    waiting = selectors.exclude_conflicted(active).count()
    counted = selectors.counting_reviews_qs().filter(assignment__nomination=nomination).count()
    needed = nomination.cycle.reviewers_per_nomination
    problems = []
    if waiting:
        problems.append(f"{waiting} assigned review{'s are' if waiting != 1 else ' is'} not in.")
    if counted < needed:
        problems.append(f"{counted} of the {needed} reviews needed count.")
    return problems


@transaction.atomic
def nomination_close_review(*, actor, nomination, override_reason=""):
    """Close review when every required review is in, or with a reason given by staff."""
    nomination = _lock_nomination(nomination)
    from_state = _staff_transition(
        actor, nomination, "close_review", busy="This nomination is {state}: review is not open."
    )
    problems = close_review_problems(nomination)
    override_reason = override_reason.strip()
    if problems and not override_reason:
        raise ReviewError(" ".join(problems) + " Give a reason to close review anyway.")
    nomination.save(update_fields=["state"])
    audit_record(
        actor=actor,
        obj=nomination,
        action="review_closed",
        from_state=from_state,
        to_state=nomination.state,
        message=f"Closed early: {override_reason}" if problems else "",
    )
    return nomination


# Decisions ---------------------------------------------------------------------------


STAGEABLE = {
    Outcome.FINALIST: {S.REVIEWED},
    Outcome.NOT_SELECTED: {S.REVIEWED},
    Outcome.WINNER: {S.REVIEWED, S.FINALIST},
}


def _winners_taken(category, *, exclude=None):
    """Winners in the category, plus winners staged and not yet released."""
    released = Nomination.objects.filter(category=category, state=S.WINNER)
    staged = Decision.objects.filter(
        nomination__category=category, outcome=Outcome.WINNER, released_at__isnull=True
    )
    if exclude is not None:
        staged = staged.exclude(nomination=exclude)
        released = released.exclude(pk=exclude.pk)
    return released.count() + staged.count()


@transaction.atomic
def decision_stage(*, actor, nomination, outcome):
    """Stage a decision; nothing changes for the agency until decisions are released."""
    _require_staff(actor)
    if outcome not in Outcome.values:
        raise ValidationError("Choose a decision.")
    category = Category.objects.select_for_update().get(pk=nomination.category_id)
    nomination = _lock_nomination(nomination)
    if nomination.state not in STAGEABLE[outcome]:
        raise ReviewError(
            f"This nomination is {nomination.get_state_display().lower()}: it cannot be "
            f"staged as {Outcome(outcome).label.lower()}."
        )
    if outcome == Outcome.WINNER and _winners_taken(category, exclude=nomination) >= (
        category.winners
    ):
        raise ReviewError(
            f"{category.label} already has its {category.winners} winner"
            f"{'s' if category.winners != 1 else ''} (released or staged)."
        )
    decision, _ = Decision.objects.update_or_create(
        nomination=nomination,
        defaults={"outcome": outcome, "staged_by": actor, "released_at": None},
    )
    audit_record(
        actor=actor,
        obj=nomination,
        action="decision_staged",
        message=decision.get_outcome_display(),
    )
    return decision


@transaction.atomic
def decision_unstage(*, actor, nomination):
    _require_staff(actor)
    deleted, _ = Decision.objects.filter(nomination=nomination, released_at__isnull=True).delete()
    if deleted:
        audit_record(actor=actor, obj=nomination, action="decision_unstaged")
    return bool(deleted)


def _decide(actor, nomination, method_name, action):
    from_state = _staff_transition(
        actor,
        nomination,
        method_name,
        busy="This nomination is already {state}: the decision was not made.",
    )
    nomination.save(update_fields=["state"])
    audit_record(
        actor=actor, obj=nomination, action=action, from_state=from_state, to_state=nomination.state
    )


@transaction.atomic
def nomination_advance(*, actor, nomination):
    nomination = _lock_nomination(nomination)
    _decide(actor, nomination, "advance", "nomination_advanced")
    return nomination


@transaction.atomic
def nomination_decline(*, actor, nomination):
    nomination = _lock_nomination(nomination)
    _decide(actor, nomination, "decline", "nomination_declined")
    return nomination


@transaction.atomic
def nomination_award(*, actor, nomination):
    """Finalist → winner, at most the category's winners.

    The category's row is locked first, so two concurrent awards in one
    category run one after the other and the second sees the first's winner.
    """
    category = Category.objects.select_for_update().get(pk=nomination.category_id)
    nomination = _lock_nomination(nomination)
    if nomination.state == S.FINALIST:
        taken = Nomination.objects.filter(category=category, state=S.WINNER).count()
        if taken >= category.winners:
            raise ReviewError(
                f"{category.label} already has its {category.winners} winner"
                f"{'s' if category.winners != 1 else ''}."
            )
    _decide(actor, nomination, "award", "nomination_awarded")
    return nomination


@transaction.atomic
def decisions_release(*, actor, cycle):
    """Apply every staged decision of `cycle` together, then email each agency its outcome.

    All or nothing: if one decision can no longer be made, none is, and the
    error names it.
    """
    _require_staff(actor)
    # Categories first, in one order, as decision_stage and nomination_award lock them.
    list(Category.objects.select_for_update().filter(cycle=cycle).order_by("pk"))
    staged = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(nomination__cycle=cycle, released_at__isnull=True)
        .select_related("nomination__category")
        .order_by("outcome", "nomination__pk")
    )
    if not staged:
        raise ReviewError("There are no staged decisions to release.")
    now = timezone.now()
    for decision in staged:
        nomination = decision.nomination
        try:
            if decision.outcome == Outcome.NOT_SELECTED:
                nomination = nomination_decline(actor=actor, nomination=nomination)
            else:
                if nomination.state == S.REVIEWED:
                    nomination = nomination_advance(actor=actor, nomination=nomination)
                if decision.outcome == Outcome.WINNER:
                    nomination = nomination_award(actor=actor, nomination=nomination)
                # Each finalist and winner gets a draft public profile to prepare.
                profile_create_for(actor=actor, nomination=nomination)
        except (ReviewError, PermissionDenied) as error:
            raise ReviewError(f"Nothing was released. {nomination}: {error}") from error
        decision.released_at = now
        decision.released_by = actor
        decision.save(update_fields=["released_at", "released_by"])
        nomination_services.nomination_email_agency(
            nomination,
            key=f"nomination-outcome:{nomination.pk}:{decision.outcome}",
            subject=f"Decision on your nomination: {nomination}",
            template="reviews/email/outcome.txt",
            context={"outcome": decision.outcome, "outcome_label": decision.get_outcome_display()},
        )
    audit_record(
        actor=actor, obj=cycle, action="decisions_released", message=f"{len(staged)} decisions"
    )
    return staged


# Reminders -----------------------------------------------------------------------------


@transaction.atomic
def reviewers_remind(*, actor, cycle, reviewer=None, moment=None):
    """Email each reviewer with pending assignments in `cycle` one reminder (once a day).

    Returns the reviewers reminded.
    """
    moment = moment or timezone.now()
    pending = Assignment.objects.filter(
        nomination__cycle=cycle,
        state__in=[A.INVITED, A.ACCEPTED],
        nomination__state__in=[S.SUBMITTED, S.IN_REVIEW],
    ).select_related("reviewer")
    pending = selectors.exclude_conflicted(pending)
    if reviewer is not None:
        pending = pending.filter(reviewer=reviewer)
    by_reviewer = defaultdict(list)
    for row in pending:
        by_reviewer[row.reviewer].append(row)
    day = timezone.localdate(moment).isoformat()
    for person, rows in by_reviewer.items():
        outbox_enqueue(
            key=f"review-reminder:{cycle.pk}:{person.pk}:{day}",
            to=person.email,
            subject="Reminder: reviews waiting for you",
            template="reviews/email/reminder.txt",
            context={
                "user": person,
                "cycle": cycle,
                "invited": sum(1 for r in rows if r.state == A.INVITED),
                "accepted": sum(1 for r in rows if r.state == A.ACCEPTED),
                "overdue": sum(1 for r in rows if r.is_overdue(moment)),
                "url": site_url(reverse("reviews:queue")),
            },
        )
        Assignment.objects.filter(pk__in=[r.pk for r in rows]).update(reminded_at=moment)
    if by_reviewer:
        audit_record(
            actor=actor,
            obj=cycle,
            action="reviewers_reminded",
            message=f"{len(by_reviewer)} reviewers",
        )
    return list(by_reviewer)
