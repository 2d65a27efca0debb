"""Who may do what to an agency. Scoping (who may *see* it) lives in selectors.

Acting for an agency means an approved membership on an active account; being
its owner means the same with the owner's role. Nominations and profiles ask
`is_agency_member` rather than looking at memberships themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.enums import MembershipRole, MembershipStatus

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User
    from dz_awards.agencies.models import Agency


def _has_approved_membership(
    user: User | AnonymousUser, agency_id: UUID, *, role: str | None = None
) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    memberships = user.memberships.filter(agency_id=agency_id, status=MembershipStatus.APPROVED)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.exists()


def is_agency_member(user: User | AnonymousUser, agency_id: UUID) -> bool:
    """An approved member of the agency, in any role."""
    return _has_approved_membership(user, agency_id)


def is_agency_owner(user: User | AnonymousUser, agency: Agency) -> bool:
    """An approved member of the agency with the owner's role."""
    return _has_approved_membership(user, agency.pk, role=MembershipRole.OWNER)


def can_manage_agency(user: User | AnonymousUser, agency: Agency) -> bool:
    """Edit the profile and decide join requests: the agency's owners, or program staff."""
    return is_agency_owner(user, agency) or is_program_staff(user)


def can_verify_agency(user: User | AnonymousUser) -> bool:
    return is_program_staff(user)
