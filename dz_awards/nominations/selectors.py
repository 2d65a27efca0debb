"""Reads of nominations. Scoped selectors are the access control: what they do not
return, the requesting user cannot reach (the view answers 404)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.selectors import agencies_for_member
from dz_awards.core.models import AuditEvent
from dz_awards.nominations.enums import STAFF_VISIBLE_STATES, EvidenceStatus, NominationState
from dz_awards.nominations.models import (
    DraftConflict,
    Evidence,
    Nomination,
    NominationMessage,
    NominationRevision,
    ThreadRead,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime, timedelta
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


# --- Unread messages and what needs the agency or staff now --------------------------
#
# Each person reads a thread for themselves (`ThreadRead`): an agency member the
# messages from program staff, a staff member the messages from the agency. A
# message is unread while no reading mark of that person covers its id.


def _unread_messages(user: User, *, audience: Audience) -> QuerySet[NominationMessage]:
    """Messages of the nomination at OuterRef("pk") that `user` has not read yet."""
    return NominationMessage.objects.filter(
        nomination=OuterRef("pk"), from_staff=audience == "agency"
    ).exclude(
        Exists(
            ThreadRead.objects.filter(
                nomination=OuterRef("nomination"),
                user=user,
                last_read_message_id__gte=OuterRef("pk"),
            )
        )
    )


def with_unread_counts(
    nominations: QuerySet[Nomination], user: User, *, audience: Audience
) -> QuerySet[Nomination]:
    """`nominations`, each with `unread_count`: the messages `user` has not read (one
    subquery, however many rows)."""
    count = (
        _unread_messages(user, audience=audience)
        .order_by()
        .values("nomination")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return nominations.annotate(unread_count=Coalesce(Subquery(count), Value(0)))


def unread_message_ids(nomination: Nomination, user: User, *, audience: Audience) -> set[int]:
    """Ids of the nomination's messages `user` has not read yet (before marking them)."""
    read = (
        ThreadRead.objects.filter(nomination=nomination, user=user)
        .values_list("last_read_message_id", flat=True)
        .first()
    )
    return set(
        NominationMessage.objects.filter(
            nomination=nomination, from_staff=audience == "agency", pk__gt=read or 0
        ).values_list("pk", flat=True)
    )


def threads_unread(user: User, *, audience: Audience) -> QuerySet[Nomination]:
    """The nominations whose thread has messages `user` has not read, newest first.

    For the agency: its members' nominations; for staff: every nomination staff see.
    """
    scope = nominations_for_staff(user) if audience == "staff" else nominations_for_member(user)
    return (
        with_unread_counts(scope, user, audience=audience)
        # Annotated by `with_unread_counts`, which the type checker does not follow.
        .filter(unread_count__gt=0)  # type: ignore[misc]
        .order_by("-unread_count", "title", "pk")
    )


def nominations_returned_for_member(user: AnyUser) -> QuerySet[Nomination]:
    """The user's agencies' nominations that staff returned for changes."""
    return nominations_for_member(user).filter(state=NominationState.RETURNED).order_by("title")


def _closing_soon(moment: datetime, within: timedelta) -> Q:
    return Q(
        state=NominationState.DRAFT,
        cycle__opens_at__lte=moment,
        cycle__closes_at__gt=moment,
        cycle__closes_at__lte=moment + within,
    )


def drafts_closing_for_member(
    user: AnyUser, *, moment: datetime, within: timedelta
) -> QuerySet[Nomination]:
    """Drafts of the user's agencies whose cycle's deadline is less than `within` away."""
    return (
        nominations_for_member(user)
        .filter(_closing_soon(moment, within))
        .order_by("cycle__closes_at", "title")
    )


def member_todo_counts(user: User, *, moment: datetime, within: timedelta) -> dict[str, int]:
    """How many returned nominations, drafts near their deadline and threads with unread
    messages the user's agencies have: one query, counting what the lists above list."""
    return (
        nominations_for_member(user)
        .alias(has_unread=Exists(_unread_messages(user, audience="agency")))
        .aggregate(
            returned=Count("pk", filter=Q(state=NominationState.RETURNED)),
            closing=Count("pk", filter=_closing_soon(moment, within)),
            unread=Count("pk", filter=Q(has_unread=True)),
        )
    )


def nominations_to_screen(user: AnyUser) -> QuerySet[Nomination]:
    """Submitted nominations waiting for staff: return, screen out or take into review."""
    return nominations_for_staff(user).filter(state=NominationState.SUBMITTED)


def staff_todo_counts(user: User) -> dict[str, int]:
    """How many nominations wait to be screened and how many threads have agency
    messages `user` has not read: one query."""
    return (
        nominations_for_staff(user)
        .alias(has_unread=Exists(_unread_messages(user, audience="staff")))
        .aggregate(
            screen=Count("pk", filter=Q(state=NominationState.SUBMITTED)),
            unread=Count("pk", filter=Q(has_unread=True)),
        )
    )
