"""Reads of agency data. Every query a page makes goes through one of these.

Scoped selectors are the access control: what they do not return, the
requesting user cannot reach (the view answers 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.models import Agency, Membership

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User


def agencies_for_member(user: User | AnonymousUser) -> QuerySet[Agency]:
    """Agencies in which `user` has an approved membership: the scope of everything a
    member reaches (their nominations too). The same rule as `rules.is_agency_member`."""
    if not (user.is_authenticated and user.is_active):
        return Agency.objects.none()
    # No distinct(): a user has at most one membership per agency (membership_unique).
    return Agency.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.APPROVED
    )


def agency_get_for_member(user: User | AnonymousUser, pk: UUID | str) -> Agency:
    return get_object_or_404(agencies_for_member(user), pk=pk)


def memberships_of_user(user: User) -> QuerySet[Membership]:
    """The user's own memberships in any state, with their agencies, for the dashboard."""
    return Membership.objects.filter(user=user).select_related("agency").order_by("agency__name")


def agency_memberships(agency: Agency) -> QuerySet[Membership]:
    return agency.memberships.select_related("user", "decided_by").order_by(
        "status", "user__full_name"
    )


def membership_get_pending(agency: Agency, pk: int) -> Membership:
    return get_object_or_404(
        agency.memberships.select_related("user"), pk=pk, status=MembershipStatus.PENDING
    )


def membership_is_pending(user: User, agency: Agency) -> bool:
    return Membership.objects.filter(
        user=user, agency=agency, status=MembershipStatus.PENDING
    ).exists()


def agencies_joinable(user: User) -> QuerySet[Agency]:
    """Agencies a signed-in user may ask to join: all but those they already belong to.

    Only directory facts (name, city, state, type) are shown from these.
    """
    # A subquery, not exclude(memberships__user=..., memberships__status=...): on a
    # multi-valued relation exclude() does not tie both conditions to one membership,
    # so a pending or declined request would hide an agency that has any approved member.
    mine = Membership.objects.filter(user=user, status=MembershipStatus.APPROVED)
    return Agency.objects.exclude(pk__in=mine.values("agency")).only(
        "id", "name", "city", "state", "agency_type", "verified_at"
    )


def agencies_for_staff() -> QuerySet[Agency]:
    return Agency.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.APPROVED)),
        pending_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.PENDING)),
    ).select_related("verified_by")


def memberships_pending_for_staff() -> QuerySet[Membership]:
    return (
        Membership.objects.filter(status=MembershipStatus.PENDING)
        .select_related("agency", "user")
        .order_by("requested_at")
    )


def active_members(agency: Agency | None, *, role: str | None = None) -> list[User]:
    """Active, approved members of `agency` (the people its emails go to).

    With `role`, only members with that role (the owners, who approve join requests).
    """
    if agency is None:
        return []
    memberships = agency.memberships.filter(status=MembershipStatus.APPROVED, user__is_active=True)
    if role is not None:
        memberships = memberships.filter(role=role)
    return [m.user for m in memberships.select_related("user")]
