"""The Redis cache (`REDIS_URL`) counts rate limits atomically across connections.

Against a real `redis-server` started for the session (`redis_url` fixture in
tests/conftest.py). Two cache objects each have their own connection pool,
as two server processes would.
"""

import threading

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from dz_awards.core.cache import RedisCache
from dz_awards.core.limits import rate_limit

PER_CLIENT = 60


def _cache(url, name):
    return RedisCache(url, {"KEY_PREFIX": f"test-{name}"})


def test_two_connections_adding_at_once_lose_no_count(redis_url):
    first, second = _cache(redis_url, "count"), _cache(redis_url, "count")
    assert first.add("hits", 0, 60)
    barrier = threading.Barrier(2)

    def count(cache):
        barrier.wait()
        for _ in range(PER_CLIENT):
            cache.incr("hits")

    threads = [threading.Thread(target=count, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert first.get("hits") == 2 * PER_CLIENT
    assert second.get("hits") == 2 * PER_CLIENT
    first.delete("hits")


def test_incr_of_a_missing_key_fails_and_creates_no_key_without_expiry(redis_url):
    cache = _cache(redis_url, "missing")
    with pytest.raises(ValueError, match="not found"):
        cache.incr("gone")
    assert cache.get("gone") is None
    assert not cache._cache.get_client(write=False).exists(cache.make_key("gone"))


def test_a_rate_limit_counts_requests_sent_through_two_connections(redis_url):
    """The limit is 3 a minute: three requests pass, shared between the two, then 429."""
    caches_settings = {
        name: {"BACKEND": "dz_awards.core.cache.RedisCache", "LOCATION": redis_url}
        for name in ("default", "other")
    }
    answers = []

    def view(request):
        return HttpResponse("ok")

    limited = rate_limit("open_data", methods=("GET",))(view)
    request = RequestFactory().get("/api/programs/", REMOTE_ADDR="203.0.113.9")
    with override_settings(CACHES=caches_settings, RATE_LIMITS={"open_data": "3/m"}):
        for cache_name in ("default", "other", "default", "other"):
            with override_settings(RATELIMIT_USE_CACHE=cache_name):
                answers.append(limited(request).status_code)
    assert answers == [200, 200, 200, 429]
