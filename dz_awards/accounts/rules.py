"""Role predicates. Pages and services ask these, never the fields directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dz_awards.accounts.enums import REVIEWERS_GROUP

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User


def is_program_staff(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_reviewer(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.groups.filter(name=REVIEWERS_GROUP).exists()
    )


def is_offered_two_factor(user: User | AnonymousUser) -> bool:
    """Reviewers and program staff may turn on two-factor sign-in."""
    return is_program_staff(user) or is_reviewer(user)
