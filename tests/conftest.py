import os
import signal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connection, connections, router, transaction
from django.test import Client, TransactionTestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from xdist.scheduler import LoadScopeScheduling

from tests import factories

# Real Redis and S3 servers, one of each per session for every test that asks.
from tests.services import moto_endpoint, redis_url, s3_settings  # noqa: F401 - fixtures

CHROMIUM = Path("/usr/lib/chromium/chromium")


def pytest_report_header(config):
    """Say in the log which database and browser this run used."""
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    browser = f"Chromium at {CHROMIUM}" if CHROMIUM.exists() else "none (browser tests skip)"
    required = " (required: REQUIRE_BROWSER=1)" if os.environ.get("REQUIRE_BROWSER") else ""
    return [f"database: {engine}", f"browser: {browser}{required}"]


# Modules whose tests share a world built once per module (tests/worlds.py): a
# worker builds it for itself, so such a module runs on one worker only.
# `tests/test_scheduling.py` checks the list against the fixtures in use.
SHARED_WORLD_MODULES = frozenset(
    {
        "tests/demo/test_demo_data.py",
        "tests/demo/test_demo_data_profiles.py",
        "tests/demo/test_demo_data_review_features.py",
        "tests/demo/test_demo_data_reviews.py",
        "tests/nominations/test_access.py",
        "tests/profiles/test_findable.py",
        "tests/profiles/test_images_cards.py",
        "tests/profiles/test_library_cache.py",
        "tests/profiles/test_openapi.py",
        "tests/profiles/test_pdf_summary.py",
        "tests/reviews/test_feedback.py",
        "tests/reviews/test_preferences.py",
        "tests/reviews/test_transitions.py",
        "tests/reviews/views/reviewer/test_preferences.py",
    }
)


class SharedWorldScheduling(LoadScopeScheduling):
    """Tests go out one by one, except those of a shared-world module, which go together.

    (pytest-xdist's own `--dist loadgroup` reads groups from the test ids, which
    its marker no longer changes under this pytest, so the groups are named here.)
    """

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in SHARED_WORLD_MODULES else nodeid


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Leave out the tests that use no database: they run the same on any "
        "database, so a second run on another one only repeats them (CI uses this "
        "on its second database).",
    )


# Fixtures through which a test reaches the database (pytest-django's, and the ones
# every browser test uses); the `django_db` mark is the other way.
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})


def uses_database(item):
    """Whether a collected test reaches the database."""
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & DATABASE_FIXTURES) or item.get_closest_marker("django_db") is not None


DEMO_CONTENT_SKIP = pytest.mark.skip(
    reason="demo content is database-independent; PostgreSQL loads it under production settings"
)


# Tests of many seconds each: sent to the workers first, so that the run does not end
# with one worker still busy with a long one while the other has nothing left.
LONG_TESTS = ("tests/e2e/test_", "tests/demo/test_demo_data_command.py")
NOT_LONG = ("tests/e2e/test_accessibility.py",)


def _is_long(item):
    path = item.nodeid.split("::", 1)[0]
    return path.startswith(LONG_TESTS) and not path.startswith(NOT_LONG)


def pytest_collection_modifyitems(config, items):
    # Stable: the rest keep their order (xdist then sends the shared-world modules
    # first, the largest first, and the rest one by one in this order).
    items.sort(key=lambda item: not _is_long(item))
    if connection.vendor != "sqlite":
        for item in items:
            if item.get_closest_marker("demo_content") and uses_database(item):
                item.add_marker(DEMO_CONTENT_SKIP)
    if not config.getoption("--database-tests-only"):
        return
    kept = [item for item in items if uses_database(item)]
    left_out = [item for item in items if not uses_database(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    return SharedWorldScheduling(config, log)


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
        # The shared cache (rate-limit counts) is a table of no model: emptied too.
        self.tables += [
            cache._table
            for cache in caches.all(initialized_only=False)
            if isinstance(cache, BaseDatabaseCache)
            and router.db_for_write(cache.cache_model_class) == alias
        ]
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


@pytest.fixture(autouse=True)
def _force_login_gives_second_factor():
    """`client.force_login(person)` also gives the second factor, when the person has a device.

    Program staff must sign in with two-factor sign-in (accounts.middleware), and
    the factories give them a device. Tests about the pages behind the sign-in
    want a session as after the code step: this marks it verified with the
    person's authenticator device (django-otp's session key), as the code
    page does. Tests of the second step itself sign in through the forms, or
    `pop(DEVICE_ID_SESSION_KEY)` from the session afterwards.
    """
    force_login = Client.force_login

    def force_login_verified(client, user, backend=None):
        force_login(client, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    # A patch of its own: a test that undoes its `monkeypatch` must not undo this one.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login_verified)
        yield


@pytest.fixture
def restore_signal_handlers():
    """A worker installs SIGINT/SIGTERM/SIGQUIT handlers; put pytest's back afterwards."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {number: signal.getsignal(number) for number in signals}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


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
