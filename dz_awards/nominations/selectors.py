"""Reads of nominations. Scoped selectors are the access control: what they do not
return, the requesting user cannot reach (the view answers 404)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.selectors import agencies_for_member
from dz_awards.core.models import AuditEvent
from dz_awards.nominations.enums import STAFF_VISIBLE_STATES, EvidenceStatus
from dz_awards.nominations.models import (
    DraftConflict,
    Evidence,
    Nomination,
    NominationMessage,
    NominationRevision,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User
    from dz_awards.cycles.models import Cycle

    AnyUser = User | AnonymousUser

Audience = Literal["agency", "staff"]


def nominations_for_member(user: AnyUser) -> QuerySet[Nomination]:
    """Nominations of the agencies in which `user` is an approved member."""
    return Nomination.objects.filter(agency__in=agencies_for_member(user)).select_related(
        "agency", "cycle", "category"
    )


def nominations_for_staff(user: AnyUser) -> QuerySet[Nomination]:
    """Every nomination that has been submitted at least once, for program staff.

    Until its first submission a nomination is its agency's own, whatever its
    state: a draft withdrawn before it was ever submitted stays invisible too.
    """
    if not is_program_staff(user):
        return Nomination.objects.none()
    return Nomination.objects.filter(
        state__in=STAFF_VISIBLE_STATES, submitted_at__isnull=False
    ).select_related("agency", "cycle", "category")


def nomination_get_for_member(user: AnyUser, pk: UUID | str) -> Nomination:
    return get_object_or_404(nominations_for_member(user), pk=pk)


def nomination_get_for_staff(user: AnyUser, pk: UUID | str) -> Nomination:
    return get_object_or_404(nominations_for_staff(user), pk=pk)


def nomination_get(user: AnyUser, pk: UUID | str, *, audience: Audience) -> Nomination:
    """The nomination at `pk` if `user` may see it as `audience` ("agency" or "staff")."""
    if audience == "staff":
        return nomination_get_for_staff(user, pk)
    return nomination_get_for_member(user, pk)


def revisions_of(nomination: Nomination) -> QuerySet[NominationRevision]:
    return nomination.revisions.select_related("created_by").order_by("number")


def revision_get(nomination: Nomination, number: int) -> NominationRevision:
    return get_object_or_404(NominationRevision, nomination=nomination, number=number)


def evidence_of(nomination: Nomination) -> QuerySet[Evidence]:
    """The nomination's current files, as the agency sees them."""
    return (
        nomination.evidence.filter(removed_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("created_at")
    )


def submitted_evidence_ids(nomination: Nomination) -> set[str]:
    """Ids (as text) of the files any submitted revision of the nomination included."""
    return {
        item["id"]
        for revision in nomination.revisions.all()
        for item in revision.content.get("evidence", [])
        if "id" in item
    }


def evidence_of_revision(revision: NominationRevision) -> QuerySet[Evidence]:
    """The files a submitted revision included (even if the agency removed them since)."""
    ids = [item["id"] for item in revision.content.get("evidence", []) if "id" in item]
    return Evidence.objects.filter(nomination_id=revision.nomination_id, pk__in=ids).order_by(
        "created_at"
    )


def evidence_get(nomination: Nomination, pk: UUID | str) -> Evidence:
    return get_object_or_404(Evidence, nomination=nomination, pk=pk, removed_at__isnull=True)


def evidence_downloadable(
    nomination: Nomination, pk: UUID | str, *, audience: Audience = "agency"
) -> Evidence:
    """A ready file the audience may download: the agency its current files; staff the
    files of submitted revisions, never one added since and not yet submitted."""
    files = Evidence.objects.filter(nomination=nomination, status=EvidenceStatus.READY)
    if audience == "staff":
        files = files.filter(pk__in=submitted_evidence_ids(nomination))
    else:
        files = files.filter(removed_at__isnull=True)
    return get_object_or_404(files, pk=pk)


def conflict_get(nomination: Nomination, user: User, pk: int) -> DraftConflict:
    """A user's own unresolved conflict on this nomination."""
    return get_object_or_404(
        DraftConflict, nomination=nomination, user=user, pk=pk, resolved_at__isnull=True
    )


def conflicts_open(nomination: Nomination, user: User) -> QuerySet[DraftConflict]:
    return DraftConflict.objects.filter(nomination=nomination, user=user, resolved_at__isnull=True)


def messages_of(nomination: Nomination) -> QuerySet[NominationMessage]:
    return NominationMessage.objects.filter(nomination=nomination).select_related("author")


# What the agency's timeline shows. An allowlist, so that events added later (review,
# scoring, decisions) stay off the agency's pages unless chosen for them.
AGENCY_TIMELINE_ACTIONS = frozenset(
    {
        "nomination_created",
        "nomination_renewed",
        "nomination_moved",
        "nomination_submitted",
        "nomination_resubmitted",
        "nomination_returned",
        "nomination_screened_out",
        "nomination_withdrawn",
        "evidence_added",
        "evidence_deleted",
        "message_posted",
        "edit_conflict_resolved",
        # Review milestones and released outcomes; never assignments, scores or staging.
        "review_opened",
        "nomination_advanced",
        "nomination_declined",
        "nomination_awarded",
    }
)


def timelines(
    nominations: Iterable[Nomination], *, audience: Audience = "agency"
) -> dict[UUID, list[AuditEvent]]:
    """{nomination pk: [audit events, oldest first]} for many nominations, in one query.

    For the agency, only the actions in AGENCY_TIMELINE_ACTIONS.
    """
    nominations = list(nominations)
    if not nominations:
        return {}
    events = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination),
            object_id__in=[str(n.pk) for n in nominations],
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    if audience != "staff":
        events = events.filter(action__in=AGENCY_TIMELINE_ACTIONS)
    grouped: defaultdict[str, list[AuditEvent]] = defaultdict(list)
    for event in events:
        grouped[event.object_id].append(event)
    return {n.pk: grouped.get(str(n.pk), []) for n in nominations}


def dashboard_nominations(user: AnyUser) -> QuerySet[Nomination]:
    """The user's agencies' nominations, newest cycle first, with what the dashboard shows."""
    return (
        nominations_for_member(user)
        .annotate(revision_count=Count("revisions", distinct=True))
        .order_by("agency__name", "-cycle__year", "created_at")
    )


def earlier_nominations(user: AnyUser, cycle: Cycle) -> QuerySet[Nomination]:
    """Nominations of the user's agencies from other cycles, to start a renewal from."""
    return (
        nominations_for_member(user)
        .exclude(cycle=cycle)
        .exclude(title="")
        .order_by("-cycle__year", "title")
    )


def staff_nomination_list(user: AnyUser) -> QuerySet[Nomination]:
    return (
        nominations_for_staff(user)
        .annotate(
            revision_count=Count("revisions", distinct=True),
            evidence_count=Count(
                "evidence",
                filter=~Q(evidence__status=EvidenceStatus.REJECTED)
                & Q(evidence__removed_at__isnull=True),
                distinct=True,
            ),
        )
        .select_related("agency__verified_by")
    )
