import os
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories

CHROMIUM = Path("/usr/lib/chromium/chromium")


def pytest_report_header(config):
    """Say in the log which database and browser this run used."""
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    browser = f"Chromium at {CHROMIUM}" if CHROMIUM.exists() else "none (browser tests skip)"
    required = " (required: REQUIRE_BROWSER=1)" if os.environ.get("REQUIRE_BROWSER") else ""
    return [f"database: {engine}", f"browser: {browser}{required}"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads and generated files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def staff(db):
    return factories.StaffFactory()


@pytest.fixture
def agency(db):
    return factories.AgencyFactory()


@pytest.fixture
def owner(agency):
    """An approved owner of `agency`."""
    return factories.OwnerFactory(agency=agency).user
