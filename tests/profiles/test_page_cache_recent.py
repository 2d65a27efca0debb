"""The pages a process keeps for itself (`page_cache.RecentPages`): fast, and never stale.

A page asked for again is served without a round trip to the shared cache; a
change made by another process (the version row raised in the database, this
process's hook never called) is shown by the next request all the same. And
the filter choices of a new version are stored by the change itself, once
committed, so no visitor waits for them.
"""

import gzip
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dz_awards.profiles import library, page_cache
from dz_awards.profiles.library import Version
from dz_awards.profiles.models import LibraryVersion
from dz_awards.profiles.page_cache import RecentPages, StoredPage
from dz_awards.profiles.views import public
from tests.profiles.factories import ProfileFactory


def _page(size):
    return StoredPage(content_type="text/html", headers=(), body=b"x" * size, gzipped=None)


def _version(number):
    return Version(number=number, changed_at=timezone.now())


def _shared_cache_unreachable(*args, **kwargs):
    raise AssertionError("the shared cache was asked")


def test_keeps_the_pages_of_one_version_within_its_bytes_oldest_out_first():
    recent = RecentPages(max_bytes=250)
    first, second = _version(1), _version(2)
    recent.put(first, "a", _page(100))
    recent.put(first, "b", _page(100))
    assert recent.get(first, "a") is not None  # now the most recently used
    recent.put(first, "c", _page(100))  # 300 bytes: "b" goes, not "a"
    assert [key for key in "abc" if recent.get(first, key)] == ["a", "c"]
    recent.put(first, "huge", _page(1000))  # larger than the whole: never kept
    assert recent.get(first, "huge") is None
    # Another version's page empties it; a lookup with the old version finds nothing.
    recent.put(second, "d", _page(10))
    assert recent.get(first, "a") is None
    assert recent.get(second, "d") is not None
    assert recent.size == 10


@pytest.mark.django_db
def test_a_page_asked_again_is_served_without_the_shared_cache(monkeypatch):
    ProfileFactory(title="Lantern peer support program")
    library.library_changed()
    client, url = Client(), reverse("profiles:directory")
    first = client.get(url)
    assert first.status_code == 200
    monkeypatch.setattr(page_cache.cache, "get", _shared_cache_unreachable)
    again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert "Lantern peer support program" in again.content.decode()


@pytest.mark.django_db
def test_a_change_made_by_another_process_shows_at_the_next_request():
    library.library_changed()
    client, url = Client(), reverse("profiles:directory")
    assert "Zephyr fatigue program" not in client.get(url).content.decode()
    # Another process publishes: its transaction raises the row; this process's
    # own hook (`library_changed` clearing what it keeps) never runs here.
    ProfileFactory(title="Zephyr fatigue program")
    LibraryVersion.objects.filter(pk=LibraryVersion.SINGLETON).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    assert "Zephyr fatigue program" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_change_stores_the_new_filter_choices_once_committed(django_capture_on_commit_callbacks):
    ProfileFactory(title="Orchard fatigue program", state_code="WY")
    with django_capture_on_commit_callbacks(execute=True):
        library.library_changed()
    version = library.library_version()
    library._memo.clear()  # as in another process: only the shared cache holds them
    stored = cache.get(f"library:choices:{version.key}")
    assert stored is not None
    assert stored.counts["state"] == {"WY": 1}


def _never_rendered(*args, **kwargs):
    raise AssertionError("the page was rendered for the visitor")


def _visitor_get(client, url):
    """A browser's GET at SITE_URL's host (the host the page is prepared for)."""
    host = urlsplit(settings.SITE_URL).netloc
    return client.get(url, HTTP_HOST=host, HTTP_ACCEPT_ENCODING="gzip")


@pytest.mark.django_db
def test_a_change_prepares_the_directory_first_page_for_the_next_visitor(
    django_capture_on_commit_callbacks, django_assert_num_queries, monkeypatch
):
    ProfileFactory(title="Quarry wellness program")
    with django_capture_on_commit_callbacks(execute=True):
        library.library_changed()
    page_cache.forget_recent_pages()  # as another server: only the shared cache holds it
    monkeypatch.setattr(public.DirectoryView, "get_context_data", _never_rendered)
    with django_assert_num_queries(2):  # the version, and the page from the database cache
        response = _visitor_get(Client(), reverse("profiles:directory"))
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Quarry wellness program" in gzip.decompress(response.content).decode()


@pytest.mark.django_db
def test_a_first_page_that_cannot_be_prepared_leaves_the_change_made(
    django_capture_on_commit_callbacks, settings, caplog
):
    settings.SITE_URL = "https://unlisted.example"  # not in ALLOWED_HOSTS
    before = library.library_version()
    with django_capture_on_commit_callbacks(execute=True):
        library.library_changed()
    assert library.library_version().number == (before.number + 1 if before else 1)
    assert "answered 400" in caplog.text
    assert not [key for key in page_cache._recent.pages if key]


def test_forgetting_empties_every_store_kept_by_version():
    """The pages and any other store (the PDF summaries) are emptied together."""
    other = RecentPages(max_bytes=1000)
    version = _version(1)
    other.put(version, "pdf", _page(10))
    page_cache._recent.put(version, "page", _page(10))
    page_cache.forget_recent_pages()
    assert other.get(version, "pdf") is None
    assert page_cache._recent.get(version, "page") is None
