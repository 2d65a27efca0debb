"""Who may do what to an agency. Scoping (who may *see* it) lives in selectors."""

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.enums import MembershipRole, MembershipStatus


def is_agency_owner(user, agency):
    return bool(
        user.is_authenticated
        and agency.memberships.filter(
            user=user, status=MembershipStatus.APPROVED, role=MembershipRole.OWNER
        ).exists()
    )


def can_manage_agency(user, agency):
    """Edit the profile and decide join requests: the agency's owners, or program staff."""
    return is_agency_owner(user, agency) or is_program_staff(user)


def can_verify_agency(user):
    return is_program_staff(user)
