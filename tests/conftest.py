import pytest

from tests import factories


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
