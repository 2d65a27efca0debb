import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.test import TransactionTestCase

from tests import factories

CHROMIUM = Path("/usr/lib/chromium/chromium")


def pytest_report_header(config):
    """Say in the log which database and browser this run used."""
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    browser = f"Chromium at {CHROMIUM}" if CHROMIUM.exists() else "none (browser tests skip)"
    required = " (required: REQUIRE_BROWSER=1)" if os.environ.get("REQUIRE_BROWSER") else ""
    return [f"database: {engine}", f"browser: {browser}{required}"]


class DatabaseReset:
    """Empties one test database and puts back the rows migrations left in it.

    Django resets the database after a transactional test (the browser and race
    tests) by emptying every table (TRUNCATE on PostgreSQL) and then sending
    post_migrate again, which rebuilds the content types, permissions and role
    groups query by query: about half a second a test on PostgreSQL and a tenth
    on SQLite. A test writes few rows, so DELETE empties the tables faster, and
    the rows are put back from a copy taken once the database was created: the
    same state in about 20 ms. (Foreign keys are checked at commit, so the order
    of the tables does not matter.) `test_smoke.py` checks that the copy holds
    what post_migrate builds.
    """

    def __init__(self, alias):
        self.alias = alias
        connection = connections[alias]
        self.tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        self.rows = []
        for model in apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                rows = list(model._base_manager.using(alias).order_by("pk"))
                if rows:
                    self.rows.append((model, rows))

    def __call__(self):
        connection = connections[self.alias]
        with transaction.atomic(using=self.alias), connection.cursor() as cursor:
            for table in self.tables:
                # Names from the database's own catalogue, quoted.
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for model, rows in self.rows:
                model._base_manager.using(self.alias).bulk_create(rows)
        # Its cache may name a content type a test created: gone with the rows.
        ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases, reset after each transactional test by `DatabaseReset`."""
    with django_db_blocker.unblock():
        resets = {alias: DatabaseReset(alias) for alias in connections}
    django_fixture_teardown = TransactionTestCase._fixture_teardown

    def fixture_teardown(test_case):
        if test_case.available_apps is not None or test_case.serialized_rollback:
            # Django's reset fits those options; the suite uses neither today.
            return django_fixture_teardown(test_case)
        for alias in test_case._databases_names(include_mirrors=False):
            resets[alias]()
        return None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", fixture_teardown)
        yield resets


@pytest.fixture
def database_resets(django_db_setup):
    """The `DatabaseReset` of each test database, by alias."""
    return django_db_setup


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
