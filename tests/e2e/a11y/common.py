"""What scenarios of several apps share: a cycle, signed-in people, the error summary."""

import re

from tests import factories
from tests.e2e.conftest import sign_in_with_session

WRONG_PASSWORD = "not-the-right-password-99"
NEW_PASSWORD = "a-long-and-memorable-phrase-2031"


def error_summary(page):
    return page.get_by_role("alert").filter(has_text=re.compile("Please correct"))


def open_cycle():
    cycle = factories.CycleFactory(name="2031 Destination Zero Awards")
    factories.CategoryFactory(cycle=cycle, label="Officer Wellness", position=1)
    factories.CategoryFactory(cycle=cycle, label="Officer Safety", position=2)
    return cycle


def signed_in_owner(page, **agency_fields):
    """An agency with an approved owner, signed in on `page`; returns the agency."""
    agency = factories.AgencyFactory(**agency_fields)
    owner = factories.OwnerFactory(agency=agency).user
    sign_in_with_session(page, owner)
    return agency


def signed_in_staff(page):
    staff = factories.StaffFactory()
    sign_in_with_session(page, staff)
    return staff
