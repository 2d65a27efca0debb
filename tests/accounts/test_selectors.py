"""Who holds a role: the people `is_program_staff` admits, as a list to email."""

import pytest

from dz_awards.accounts.rules import is_program_staff
from dz_awards.accounts.selectors import program_staff
from tests.factories import StaffFactory, UserFactory


@pytest.mark.django_db
def test_program_staff_lists_exactly_the_active_staff_the_rule_admits():
    """Active staff are listed; deactivated staff and other people are not, as the rule says."""
    active = StaffFactory()
    deactivated = StaffFactory(is_active=False)
    person = UserFactory()

    assert program_staff() == [active]
    assert [is_program_staff(u) for u in (active, deactivated, person)] == [True, False, False]
