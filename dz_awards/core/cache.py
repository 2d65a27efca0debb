"""The shared cache: the database's or Redis, with an increment no two processes interleave.

With `REDIS_URL` set, the cache is Redis (`RedisCache` below); without it, a
table of the site's database (`DatabaseCache`). Either way every process and
every server shares it.

The database's cache is a table (`manage.py createcachetable`), so it needs no
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

from django.core.cache.backends import db, redis
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


class RedisCache(redis.RedisCache):
    """Django's `RedisCache`, with `incr` a single atomic step.

    Django's own `incr` asks whether the key exists, then runs INCRBY: two
    round trips. A key that expires between them is created again by INCRBY
    with no expiry at all. Here one Lua script does both on the server, which
    runs scripts one at a time: the count is atomic and never outlives its
    period. (Redis's INCRBY itself never loses a count between processes.)
    """

    _INCR_IF_LIVE = (
        "if redis.call('EXISTS', KEYS[1]) == 1 then "
        "return redis.call('INCRBY', KEYS[1], ARGV[1]) end return false"
    )

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Add `delta` to a live value; ValueError if there is none."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        value = client.eval(self._INCR_IF_LIVE, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found")
        return value
