"""Race tests: run calls in threads, all queued on one row's lock (PostgreSQL only).

`select_for_update` is a no-op on SQLite, so race tests mark themselves with
`POSTGRES_ONLY` and skip there with the reason.
"""

import threading
import time
from dataclasses import dataclass

import pytest
from django.db import connection, transaction

POSTGRES_ONLY = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="select_for_update is a no-op on SQLite; race tests need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT_SECONDS = 10


@dataclass
class Result:
    """What one racing call returned, or the exception it raised."""

    value: object = None
    error: Exception | None = None


def _lock_waiters():
    """How many other sessions of the test database are waiting for a lock."""
    with connection.cursor() as cursor:
        # Activity is read once per transaction unless the snapshot is dropped.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _wait_for_lock_waiters(count):
    deadline = time.monotonic() + WAIT_SECONDS
    while _lock_waiters() < count:
        if time.monotonic() > deadline:
            pytest.fail(f"{count} calls never queued on the row's lock.")
        time.sleep(0.01)


def race(row, *calls, in_order=False):
    """Run `calls` in threads, all queued on `row`'s lock; their results, in call order.

    By default the calls start together (a barrier) and PostgreSQL decides
    which goes first. With `in_order`, each call is queued only once the one
    before it waits, and PostgreSQL grants a row lock to its waiters in the
    order they came: the calls then run in the order given, yet each started
    before the one ahead of it finished.

    Each thread has its own database connection (Django's are per thread) and
    closes it when done, so the test database can be flushed afterwards.
    """
    barrier = threading.Barrier(1 if in_order else len(calls))
    results = [Result() for _call in calls]

    def run(index, call):
        try:
            barrier.wait(timeout=WAIT_SECONDS)
            results[index].value = call()
        except Exception as error:  # the outcome, error or not, is what the test checks
            results[index].error = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call), daemon=True)
        for index, call in enumerate(calls)
    ]
    try:
        with transaction.atomic():
            type(row).objects.select_for_update().get(pk=row.pk)
            for started, thread in enumerate(threads, start=1):
                thread.start()
                if in_order:
                    _wait_for_lock_waiters(started)
            _wait_for_lock_waiters(len(calls))
        # Committing the holder's transaction released the row: the calls now run in turn.
    finally:
        for thread in threads:
            thread.join(timeout=WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a racing call never finished"
    return results


def winners_and_losers(results):
    return (
        [r for r in results if r.error is None],
        [r for r in results if r.error is not None],
    )
