"""Who may act on a profile (django-fsm `permission=` predicates, called with the
profile and the user). Who may *see* one is decided by the scoped selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.rules import is_agency_member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User
    from dz_awards.profiles.models import Profile


def can_prepare(profile: Profile, user: User | AnonymousUser) -> bool:
    """Edit, send the proof, retract, reopen: program staff."""
    return is_program_staff(user)


def can_approve(profile: Profile, user: User | AnonymousUser) -> bool:
    """Approve the proof or ask for changes: a member of the profile's agency."""
    return profile.agency_id is not None and is_agency_member(user, profile.agency_id)


def can_publish(profile: Profile, user: User | AnonymousUser) -> bool:
    """Publish: program staff other than the one who prepared the proof (two-person rule)."""
    return is_program_staff(user) and profile.prepared_by_id not in (None, user.pk)
