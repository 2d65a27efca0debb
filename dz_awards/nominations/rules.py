"""Who may act on a nomination. Who may *see* one is decided by the scoped selectors.

Used as django-fsm `permission=` predicates (called with the nomination and the
user) and by views to decide which buttons to show. Membership itself is the
agencies app's rule (`agencies.rules.is_agency_member`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.rules import is_agency_member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User
    from dz_awards.nominations.models import Nomination


def can_act_for(nomination: Nomination, user: User | AnonymousUser) -> bool:
    """Submit, resubmit, edit, withdraw: an approved member of the nominating agency."""
    return is_agency_member(user, nomination.agency_id)


def can_screen(nomination: Nomination, user: User | AnonymousUser) -> bool:
    """Return for changes, screen out: program staff."""
    return is_program_staff(user)
