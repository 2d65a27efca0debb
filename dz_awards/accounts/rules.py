"""Role predicates. Pages and services ask these, never the fields directly."""

from dz_awards.accounts.enums import REVIEWERS_GROUP


def is_program_staff(user):
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_reviewer(user):
    return bool(
        user.is_authenticated
        and user.is_active
        and user.groups.filter(name=REVIEWERS_GROUP).exists()
    )


def is_offered_two_factor(user):
    """Reviewers and program staff may turn on two-factor sign-in."""
    return is_program_staff(user) or is_reviewer(user)
