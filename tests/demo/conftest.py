"""Fixtures of the demo tests: the module's shared demo world (see worlds.py)."""

import pytest

from tests.demo.worlds import shared_world


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as `demo_data` leaves it before the worker runs, shared by the module's tests."""
    media_root = tmp_path_factory.mktemp("demo-media")
    with shared_world(django_db_blocker, media_root, run_tasks=False) as world:
        yield world


@pytest.fixture
def demo(demo_world, db, settings):
    """The module's demo world in one test (a savepoint in it), its files readable."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = demo_world.media_root
    return demo_world
