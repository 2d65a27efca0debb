"""The shared cache under concurrency: increments queue on the row (PostgreSQL only).

A row lock is what is tested, and SQLite has none (there, the site's
transactions start with BEGIN IMMEDIATE and take the whole database's write lock).
"""

import threading

from django.core.cache import cache
from django.db import connection, transaction

from tests.races import POSTGRES_ONLY, WAIT_SECONDS, _wait_for_lock_waiters

pytestmark = POSTGRES_ONLY


def test_concurrent_increments_wait_for_the_row_lock_and_each_counts():
    """Three processes counting at once (threads with their own connections) each add one.

    The row is held locked while they start, so each increment must queue on
    the lock before it reads. Django's own backend reads without a lock: all
    three would read 0 and write 1.
    """
    cache.add("hits", 0, 600)
    key = cache.make_and_validate_key("hits")
    results = []

    def count():
        try:
            results.append(cache.incr("hits"))
        finally:
            connection.close()

    threads = [threading.Thread(target=count, daemon=True) for _ in range(3)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT value FROM dz_cache WHERE cache_key = %s FOR UPDATE", [key])
        for thread in threads:
            thread.start()
        _wait_for_lock_waiters(3)
    for thread in threads:
        thread.join(timeout=WAIT_SECONDS)

    assert sorted(results) == [1, 2, 3]
    assert cache.get("hits") == 3
