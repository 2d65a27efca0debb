"""Fixtures for profile tests: two staff members (for the two-person rule), a draft
profile, and staff signed in."""

import pytest

from dz_awards.profiles.enums import ProfileState
from tests import factories
from tests.profiles.factories import ProfileFactory


@pytest.fixture
def preparer(db):
    return factories.StaffFactory(full_name="Pat Preparer")


@pytest.fixture
def publisher(db):
    return factories.StaffFactory(full_name="Sam Second")


@pytest.fixture
def staff_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def profile(agency, preparer):
    return ProfileFactory(state=ProfileState.DRAFT, agency=agency)
