"""Who may act on a nomination. Who may *see* one is decided by the scoped selectors.

Used as django-fsm `permission=` predicates (called with the nomination and the
user) and by views to decide which buttons to show.
"""

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.enums import MembershipStatus


def is_agency_member(user, agency_id):
    return bool(
        user.is_authenticated
        and user.is_active
        and user.memberships.filter(agency_id=agency_id, status=MembershipStatus.APPROVED).exists()
    )


def can_act_for(nomination, user):
    """Submit, resubmit, edit, withdraw: an approved member of the nominating agency."""
    return is_agency_member(user, nomination.agency_id)


def can_screen(nomination, user):
    """Return for changes, screen out: program staff."""
    return is_program_staff(user)
