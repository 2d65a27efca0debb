"""One world per test module, shared by its tests, each test in a savepoint inside it.

Building a world through the services takes a good part of a second, and a
module of a few hundred parametrized tests that all start from the same world
spent most of its time rebuilding it. `module_world` builds it once, inside a
transaction opened at module scope and rolled back after the module's last
test, so no other module sees it (they expect an empty database, on the same
xdist worker too). Each test asks for pytest-django's `db` and so runs in its
own savepoint inside that transaction: what one test changes is undone before
the next.

Only the database is rolled back. Services and tests change model instances
in memory (`nomination.state`), so a test must work on fresh instances read
back by pk (`fresh`), never on the objects the build made; and the world's
files stay in its media folder, which each test points `MEDIA_ROOT` at.

A module that shares a world runs on one xdist worker (`SHARED_WORLD_MODULES`
in tests/conftest.py) and holds no test that needs an empty database, another
clock or `transaction=True`: those live in other modules.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import models, transaction
from django.test import TestCase, override_settings


@contextmanager
def module_world[T](
    django_db_blocker: Any,
    media_root: Path,
    build: Callable[[], T],
    *,
    run_tasks: bool,
    settings: Mapping[str, Any] | None = None,
) -> Iterator[T]:
    """Build the world with `build()` once; yield what it returned; roll it all back at the end.

    `run_tasks` runs what the services queued for after commit (emails, PDFs)
    when the build is done, as a worker would; otherwise it is never run, as in a
    test of its own. A build that runs some callbacks itself
    (`TestCase.captureOnCommitCallbacks(execute=True)` in a helper) wants
    `run_tasks=False`: Django's capture would run those a second time. `settings`
    are overridden while building and running the tasks (the demo builds with
    DEBUG on). Between building and rolling back, the database is blocked again:
    only tests that ask for it (`db`) reach the world.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with (
            override_settings(**{**(settings or {}), "MEDIA_ROOT": media_root}),
            TestCase.captureOnCommitCallbacks(execute=run_tasks),
        ):
            built = build()
        with django_db_blocker.block():
            yield built
        transaction.set_rollback(True)


def module_world_fixture(
    name: str, build: Callable[[], Any], *, with_media_root: bool = False
) -> Any:
    """A module-scoped fixture called `name`: the world `build` makes, once for the module
    (`module_world`, no background tasks run), its files in a folder of its own; with
    `with_media_root`, the pair (world, that folder).

    `name` is what tests ask for, and what tests/test_scheduling.py looks for to
    keep the module on one worker.
    """

    @pytest.fixture(scope="module", name=name)
    def world_fixture(
        django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
    ) -> Iterator[Any]:
        media_root = tmp_path_factory.mktemp(name)
        with module_world(django_db_blocker, media_root, build, run_tasks=False) as world:
            yield (world, media_root) if with_media_root else world

    return world_fixture


def fresh[M: models.Model](instance: M) -> M:
    """The row of `instance` read again, so that no test sees another test's in-memory changes."""
    return type(instance)._default_manager.get(pk=instance.pk)
