"""Who may act on a profile (django-fsm `permission=` predicates, called with the
profile and the user). Who may *see* one is decided by the scoped selectors."""

from dz_awards.accounts.rules import is_program_staff
from dz_awards.nominations.rules import is_agency_member


def can_prepare(profile, user):
    """Edit, send the proof, retract, reopen: program staff."""
    return is_program_staff(user)


def can_approve(profile, user):
    """Approve the proof or ask for changes: a member of the profile's agency."""
    return profile.agency_id is not None and is_agency_member(user, profile.agency_id)


def can_publish(profile, user):
    """Publish: program staff other than the one who prepared the proof (two-person rule)."""
    return is_program_staff(user) and profile.prepared_by_id not in (None, user.pk)
