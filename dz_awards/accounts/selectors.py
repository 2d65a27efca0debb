"""Reads of accounts: the people who hold a role."""

from dz_awards.accounts.models import User


def program_staff() -> list[User]:
    """Every active member of program staff: the people `rules.is_program_staff` admits."""
    return list(User.objects.filter(is_staff=True, is_active=True))
