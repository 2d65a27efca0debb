"""The shared cache: Django's database cache, whose increment never loses a count."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone

from dz_awards.core.cache import DatabaseCache

pytestmark = pytest.mark.django_db


def test_default_cache_is_the_database_table():
    """Every process reads the same table: the default cache is no per-process memory."""
    assert isinstance(caches["default"], DatabaseCache)
    cache.set("shared", {"count": 3}, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dz_cache")
        assert cursor.fetchone()[0] == 1
    assert cache.get("shared") == {"count": 3}


def test_incr_and_decr_change_the_stored_value():
    cache.add("hits", 5, 60)

    assert cache.incr("hits") == 6
    assert cache.incr("hits", 10) == 16
    assert cache.decr("hits", 4) == 12
    assert cache.get("hits") == 12


def test_incr_keeps_the_expiry():
    """Counting does not extend a rate-limit window: the value still expires on time."""
    cache.add("hits", 1, 60)
    cache.incr("hits")

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert cache.get("hits") is None


def test_incr_of_a_missing_key_is_a_value_error():
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")


def test_incr_of_an_expired_key_is_a_value_error():
    cache.add("hits", 1, 60)

    with (
        time_machine.travel(timezone.now() + timedelta(seconds=61)),
        pytest.raises(ValueError, match="not found"),
    ):
        cache.incr("hits")


@pytest.mark.django_db(transaction=True)
def test_database_reset_between_transactional_tests_empties_the_cache(database_resets):
    """Browser and race tests all come from 127.0.0.1: no count outlives its test."""
    cache.set("rate-limit-count", 3, 600)

    database_resets["default"]()

    assert cache.get("rate-limit-count") is None
