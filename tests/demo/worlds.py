"""Running the demo in tests, and one demo world per test module, shared by its tests.

Building the demo takes seconds, so a module whose tests only look at the
world loads it once (`shared_world`) through `tests.worlds.module_world`: in a
transaction rolled back after the module's last test, each test in its own
savepoint (pytest-django's `db`), so what one test changes, running the command
again for instance, is undone before the next. A module that shares a world
must not hold tests that need an empty database, another clock or
`transaction=True`: those build their own.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dz_awards.agencies.models import Agency, Membership
from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.models import (
    Evidence,
    Nomination,
    NominationMessage,
    NominationRevision,
)
from reviews.models import Criterion, Rubric
from tests.worlds import module_world

# The demo is content loaded through the services, the same on every database. Its
# tests that load it run on SQLite, the database `make run` uses; on PostgreSQL the
# demo is loaded once, under production settings (test_demo_data_command.py), which
# is what could differ there. Each load costs seconds, twice that on PostgreSQL.
# (tests/conftest.py skips the marked tests that use a database on any other one.)
ON_SQLITE_ONLY = pytest.mark.demo_content


def run_demo_data(*args):
    """Run `manage.py demo_data` with `args`; returns what it printed."""
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def counts():
    """How many of each thing the demo makes (its review and library: their own modules)."""
    return {
        "users": get_user_model().objects.count(),
        "agencies": Agency.objects.count(),
        "memberships": Membership.objects.count(),
        "cycles": Cycle.objects.count(),
        "categories": Category.objects.count(),
        "nominations": Nomination.objects.count(),
        "revisions": NominationRevision.objects.count(),
        "evidence": Evidence.objects.count(),
        "messages": NominationMessage.objects.count(),
        "audit events": AuditEvent.objects.count(),
        "outbox emails": OutboxEmail.objects.count(),
        "rubrics": Rubric.objects.count(),
        "criteria": Criterion.objects.count(),
    }


@dataclass(frozen=True)
class DemoWorld:
    output: str  # what demo_data printed
    media_root: Path  # where its files are


@contextmanager
def shared_world(django_db_blocker, media_root, *, run_tasks):
    """Load the demo once, with DEBUG on as `make run` has it; roll it back at the end.

    The mechanism (a module-scoped transaction, a savepoint per test) is
    `tests.worlds.module_world`; `run_tasks` is passed on to it.
    """

    def build():
        return DemoWorld(output=run_demo_data(), media_root=media_root)

    with module_world(
        django_db_blocker, media_root, build, run_tasks=run_tasks, settings={"DEBUG": True}
    ) as world:
        yield world
