"""Cached public pages are never stale: every publish, edit, retract and import shows at once.

One world for the module (`tests.worlds.module_world`): two imported programs
and one the agency approved, all through the services. Each test runs in a
savepoint inside it; the database cache is a table of the same database, so
what a test stores in the cache is rolled back with it.
"""

import gzip
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from dz_awards.agencies.enums import AgencyType
from dz_awards.profiles import library, services
from dz_awards.profiles.enums import Award, ProfileState
from dz_awards.profiles.models import Profile, Topic
from dz_awards.profiles.page_cache import PUBLIC_PAGE, etag_of
from tests import factories
from tests.profiles.factories import ProfileFactory
from tests.worlds import module_world_fixture

HARBOR = "Harbor lantern wellness program"
BEACON = "Beacon pursuit safety program"
APPROVED = "Quarry peer support program"
IMPORTED = "Orchard fatigue program"
RENAMED = "Renamed meadow program"


def _program(title, year=2021):
    return services.ImportedProgram(
        year=year,
        category_code="officer-wellness",
        category_label="Officer Wellness",
        award=Award.WINNER,
        agency_name=f"{title.split()[0]} Police Department",
        city="Dayton",
        state_code="OH",
        agency_type=AgencyType.MUNICIPAL,
        sworn_officers=120,
        title=title,
        summary=f"Summary of the {title.lower()}.",
        topics=("Peer support",),
    )


def build_world():
    preparer = factories.StaffFactory(full_name="Pat Preparer")
    publisher = factories.StaffFactory(full_name="Sam Second")
    services.profiles_import(actor=None, programs=[_program(HARBOR), _program(BEACON, 2022)])
    approved = ProfileFactory(
        state=ProfileState.AGENCY_APPROVED,
        prepared_by=preparer,
        title=APPROVED,
        year=2021,
        state_code="OH",
        topics=list(Topic.objects.filter(slug="peer-support")),
    )
    return {"publisher": publisher.pk, "approved": approved.pk}


library_cache_world = module_world_fixture("library_cache_world", build_world)


@pytest.fixture
def publisher(library_cache_world, db):
    from dz_awards.accounts.models import User

    return User.objects.get(pk=library_cache_world["publisher"])


def _harbor():
    return Profile.objects.get(title=HARBOR)


def publish(library_cache_world, publisher):
    services.profile_publish(
        actor=publisher, profile=Profile.objects.get(pk=library_cache_world["approved"])
    )


def edit(library_cache_world, publisher):
    services.profile_save(actor=publisher, profile=_harbor(), data={"title": RENAMED})


def retract(library_cache_world, publisher):
    services.profile_retract(actor=publisher, profile=_harbor(), reason="Asked by the agency")


def import_one(library_cache_world, publisher):
    services.profile_import(actor=publisher, data=_program(IMPORTED))


# change: (make it, text shown after, text gone after, the profile page it concerns)
CHANGES = {
    "publish": (publish, APPROVED, None, APPROVED),
    "edit": (edit, RENAMED, HARBOR, HARBOR),
    "retract": (retract, None, HARBOR, HARBOR),
    "import": (import_one, IMPORTED, None, IMPORTED),
}
LIST_PAGES = {
    "directory": reverse("profiles:directory"),
    "directory filtered": f"{reverse('profiles:directory')}?state=OH&topic=peer-support",
    "feed": reverse("profiles:feed"),
    "api": f"{reverse('profiles:api-list')}?state=OH",
    "csv": reverse("profiles:api-csv"),
}


def _text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _slug_of(title):
    return Profile.objects.filter(title=title).values_list("slug", flat=True).first()


def _profile_url(slug):
    return reverse("profiles:detail", kwargs={"slug": slug})


def _warm(client, url):
    """Fetch `url` twice: the second answer comes from the cache, the same as the first.

    Returns the answer and its text.
    """
    first = client.get(url)
    text = _text(first)
    second = client.get(url)
    assert second.status_code == first.status_code
    if first.status_code == 200:
        assert _text(second) == text
        assert second["ETag"] == etag_of(library.library_version())
    return first, text


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("change", CHANGES)
def test_each_change_shows_at_once_on_each_cached_list_page(
    library_cache_world, publisher, change, page
):
    make, shown, gone, _concerned = CHANGES[change]
    client, url = Client(), LIST_PAGES[page]
    _response, before = _warm(client, url)
    assert HARBOR in before
    assert (shown or "") not in before or shown is None
    make(library_cache_world, publisher)
    after = _text(client.get(url))
    if shown:
        assert shown in after
    if gone:
        assert gone not in after


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_shows_at_once_in_the_sitemap(library_cache_world, publisher, change):
    make, _shown, gone, concerned = CHANGES[change]
    client, url = Client(), reverse("profiles:sitemap")
    slug = _slug_of(concerned)
    _response, before = _warm(client, url)
    # The sitemap dates each profile by the day: the change is made on a later one.
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        make(library_cache_world, publisher)
    slug = slug or _slug_of(concerned)
    after = _text(client.get(url))
    assert after != before
    if gone and change == "retract":
        assert _profile_url(slug) not in after
    elif change in ("publish", "import"):
        assert _profile_url(slug) in after


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_shows_at_once_on_the_profile_page(library_cache_world, publisher, change):
    make, shown, gone, concerned = CHANGES[change]
    client = Client()
    slug = _slug_of(concerned)
    url = _profile_url(slug) if slug else None
    if url:
        before, _text_before = _warm(client, url)
        assert before.status_code == (404 if change == "publish" else 200)
    make(library_cache_world, publisher)
    url = url or _profile_url(_slug_of(concerned))
    after = client.get(url)
    if change == "retract":
        assert after.status_code == 404
    else:
        assert after.status_code == 200
        assert shown in _text(after)
        if gone:
            assert gone not in _text(after)


@pytest.mark.parametrize(
    "url",
    [
        reverse("profiles:directory"),
        "harbor",
        reverse("profiles:feed"),
        reverse("profiles:api-list"),
    ],
)
def test_a_matching_etag_is_answered_304_without_rendering(
    library_cache_world, db, url, django_assert_num_queries
):
    url = _profile_url(_slug_of(HARBOR)) if url == "harbor" else url
    client = Client()
    etag = _warm(client, url)[0]["ETag"]
    with django_assert_num_queries(1):  # the library's version, nothing else
        response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.templates == []
    assert response.content == b""
    assert response["ETag"] == etag
    assert (
        response["Cache-Control"] == "public, no-cache"
    )  # never reused without asking: an edit shows at once


def test_the_feed_honours_if_modified_since_once_the_change_has_settled(library_cache_world, db):
    url = reverse("profiles:feed")
    changed_at = library.library_version().changed_at
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        client = Client()
        response = client.get(url)
        assert response["Last-Modified"] == http_date(int(changed_at.timestamp()))
        since = {"if-modified-since": response["Last-Modified"]}
        assert client.get(url, headers=since).status_code == 304
        older = {"if-modified-since": http_date(int(changed_at.timestamp()) - 60)}
        assert client.get(url, headers=older).status_code == 200


def test_a_change_in_the_same_second_is_never_hidden_by_if_modified_since(
    library_cache_world, publisher
):
    """Right after a change no Last-Modified is sent: whole seconds could not tell
    it from the next change."""
    url = reverse("profiles:feed")
    publish(library_cache_world, publisher)
    response = Client().get(url)
    assert not response.has_header("Last-Modified")
    since = {"if-modified-since": http_date(timezone.now().timestamp() + 1)}
    assert Client().get(url, headers=since).status_code == 200


@pytest.mark.parametrize("url", [reverse("profiles:directory"), reverse("profiles:api-csv")])
def test_signed_in_people_get_their_own_private_uncompressed_page(
    library_cache_world, publisher, url
):
    anonymous = Client()
    _warm(anonymous, url)
    staff = Client()
    staff.force_login(publisher)
    response = staff.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("Content-Encoding")
    assert not response.has_header("ETag")
    if url == reverse("profiles:directory"):
        text = _text(response)
        assert "Sam Second" in text
        assert "csrfmiddlewaretoken" in text  # the sign-out form: why it stays uncompressed


@pytest.mark.parametrize("page", [*LIST_PAGES, "sitemap"])
def test_anonymous_public_pages_are_gzipped_public_and_carry_no_csrf_token(
    library_cache_world, db, page
):
    url = LIST_PAGES.get(page) or reverse("profiles:sitemap")
    client = Client()
    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    assert plain["Cache-Control"] == PUBLIC_PAGE
    assert "Cookie" in plain["Vary"]
    assert "Accept-Encoding" in plain["Vary"]
    body = _text(plain)
    assert "csrfmiddlewaretoken" not in body
    assert "csrftoken" not in plain.cookies
    packed = client.get(url, headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    raw = b"".join(packed.streaming_content) if packed.streaming else packed.content
    assert gzip.decompress(raw).decode("utf-8-sig") == body
    assert len(raw) < len(body.encode())


def test_pages_for_other_queries_and_errors_are_not_mixed_up(library_cache_world, db):
    client = Client()
    ohio = client.get(reverse("profiles:api-list"), {"state": "OH", "year": "2021"})
    again = client.get(reverse("profiles:api-list"), {"year": "2021", "state": "OH"})
    assert again.content == ohio.content  # the same page in another order: one key
    assert [p["title"] for p in ohio.json()["results"]] == [HARBOR]
    wrong = client.get(reverse("profiles:api-list"), {"year": "1999"})
    assert wrong.status_code == 400
    assert not wrong.has_header("ETag")


def test_filter_choices_are_computed_once_per_version(
    library_cache_world, publisher, django_assert_num_queries
):
    first = library.filter_choices()
    assert first.counts["year"] == {"2021": 1, "2022": 1}
    assert first.counts["topic"] == {"peer-support": 2}
    with django_assert_num_queries(1):  # the version only
        assert library.filter_choices() == first
    import_one(library_cache_world, publisher)
    assert library.filter_choices().counts["year"] == {"2021": 2, "2022": 1}


def test_a_lost_version_row_means_new_keys_never_an_old_page(library_cache_world, db):
    url = reverse("profiles:directory")
    _warm(Client(), url)
    old_key = library.library_version().key
    library.LibraryVersion.objects.all().delete()
    assert library.library_version() is None
    assert HARBOR in _text(Client().get(url))  # rendered, not cached, without a version
    library.library_changed()
    assert library.library_version().number == 1
    assert library.library_version().key != old_key
    assert cache.get(f"library:choices:{library.library_version().key}") is None
