"""The shared cache: Django's database cache, with an increment no two processes interleave.

The cache lives in a table of the site's own database (`manage.py
createcachetable`), so every server process and every server shares it with no
extra service. Rate limits count in it, and a count must not lose a request
when two processes add to it at once. Django's `DatabaseCache.incr` reads the
value and writes it back as two statements, so two processes can both read 4
and both write 5 (django-ratelimit's own system check calls the backend "not
atomic" for this reason). Here the increment reads the row under a lock
(`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the site's transactions start
with `BEGIN IMMEDIATE`, which takes the database's write lock), so concurrent
increments queue and each one counts.
"""

import base64
import pickle
from typing import Any

from django.core.cache.backends import db
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(db.DatabaseCache):
    """Django's `DatabaseCache`, with `incr` (and so `decr`) atomic across processes."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Add `delta` to a live value under a row lock; ValueError if there is none.

        The expiry is left as it was, as every other backend does.
        """
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)  # type: ignore[attr-defined]  # set by Django, not in the stubs
        key_column, value_column = quote_name("cache_key"), quote_name("value")
        expires_column = quote_name("expires")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # Names are quoted by the backend; values are parameters.
            cursor.execute(
                f"SELECT {value_column} FROM {table} "  # noqa: S608
                f"WHERE {key_column} = %s AND {expires_column} >= %s{lock}",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            # Only this cache writes the table; Django's own backend unpickles it the same way.
            value = pickle.loads(base64.b64decode(stored.encode(), validate=True)) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",  # noqa: S608
                [encoded, key],
            )
        return value
