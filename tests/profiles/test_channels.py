"""The public channels of the library: Atom feed, sitemap, JSON and CSV.

Only published profiles reach any of them; a profile retracted after
publishing leaves all four at once. Markdown and HTML in any field reach the
feed as text.
"""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dz_awards.profiles import services
from dz_awards.profiles.enums import ProfileState
from tests import factories
from tests.profiles.factories import ProfileFactory, TopicFactory

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _xml(response):
    # Our own response, parsed to check its structure.
    return ET.fromstring(response.content)  # noqa: S314


def _feed(client):
    response = client.get(reverse("profiles:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response


def _feed_entries(client):
    return _xml(_feed(client)).findall(f"{ATOM}entry")


def _sitemap_locations(client):
    response = client.get(reverse("profiles:sitemap"))
    assert response.status_code == 200
    return [loc.text for loc in _xml(response).iter(f"{SITEMAP}loc")]


def _json_slugs(client):
    response = client.get(reverse("profiles:api-list"), {"page_size": 100})
    assert response.status_code == 200
    return [item["slug"] for item in response.json()["results"]]


def _csv_slugs(client):
    response = client.get(reverse("profiles:api-csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["slug"] for row in csv.DictReader(io.StringIO(text))]


def channels(client):
    """Where each slug is seen: {"feed": [...], "sitemap": [...], "json": [...], "csv": [...]}."""
    feed = [entry.find(f"{ATOM}link").get("href") for entry in _feed_entries(client)]
    return {
        "feed": [href.rstrip("/").rsplit("/", 1)[-1] for href in feed],
        "sitemap": [loc.rstrip("/").rsplit("/", 1)[-1] for loc in _sitemap_locations(client)],
        "json": _json_slugs(client),
        "csv": _csv_slugs(client),
    }


# Lifecycle: only published profiles are public anywhere.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [
        ProfileState.DRAFT,
        ProfileState.PROOF_SENT,
        ProfileState.AGENCY_APPROVED,
        ProfileState.RETRACTED,
    ],
)
def test_a_profile_that_is_not_published_is_in_no_channel(client, state):
    ProfileFactory(slug="public-one")
    # A publication date as a retracted profile keeps: the state alone decides.
    ProfileFactory(slug="hidden-one", state=state, published_at=timezone.now())

    seen = channels(client)

    for name, slugs in seen.items():
        assert "public-one" in slugs, name
        assert "hidden-one" not in slugs, name


@pytest.mark.django_db
def test_a_profile_retracted_after_publishing_leaves_every_channel_at_once(client):
    preparer, publisher = factories.StaffFactory(), factories.StaffFactory()
    profile = ProfileFactory(
        slug="peer-support",
        state=ProfileState.AGENCY_APPROVED,
        prepared_by=preparer,
        topics=[TopicFactory(slug="peer-support", name="Peer support")],
    )
    assert all("peer-support" not in slugs for slugs in channels(client).values())

    profile = services.profile_publish(actor=publisher, profile=profile)

    for name, slugs in channels(client).items():
        assert "peer-support" in slugs, name

    services.profile_retract(actor=preparer, profile=profile, reason="The agency asked.")

    for name, slugs in channels(client).items():
        assert "peer-support" not in slugs, name


# Feed.


@pytest.mark.django_db
def test_the_feed_lists_the_fifty_most_recently_published_newest_first(client):
    now = timezone.now()
    for day in range(52):
        ProfileFactory(slug=f"program-day-{day:02}", published_at=now - timedelta(days=day))

    hrefs = [entry.find(f"{ATOM}link").get("href") for entry in _feed_entries(client)]

    assert len(hrefs) == 50
    assert hrefs[0] == "http://testserver/programs/program-day-00/"
    assert hrefs[-1] == "http://testserver/programs/program-day-49/"


@pytest.mark.django_db
def test_a_feed_entry_has_title_absolute_link_summary_dates_author_and_categories(client):
    published = timezone.now() - timedelta(days=3)
    profile = ProfileFactory(
        slug="peer-support",
        title="Peer Support That Stays",
        summary="Trained peers **check in** with every officer.",
        agency_name="Riverton Police Department",
        category_label="Comprehensive Officer Wellness",
        published_at=published,
        updated_at=published + timedelta(days=1),
        topics=[
            TopicFactory(slug="peer-support", name="Peer support"),
            TopicFactory(slug="mental-health", name="Mental health"),
        ],
    )

    root = _xml(_feed(client))
    (entry,) = root.findall(f"{ATOM}entry")

    assert root.find(f"{ATOM}title").text == "Destination Zero model programs"
    assert entry.find(f"{ATOM}title").text == "Peer Support That Stays"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/programs/peer-support/"
    assert entry.find(f"{ATOM}id").text == f"urn:uuid:{profile.pk}"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "Trained peers check in with every officer."
    assert entry.find(f"{ATOM}updated").text.startswith(
        (published + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Riverton Police Department"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == [
        "Comprehensive Officer Wellness",
        "Mental health",
        "Peer support",
    ]


XSS = {
    "title": '<script>alert("title")</script>',
    "summary": (
        "<script>alert(1)</script> [click](javascript:alert(2)) "
        '<img src=x onerror="alert(3)"> <a href="javascript:alert(4)">x</a>'
    ),
    "agency_name": '"><svg onload=alert(5)>',
    "category_label": "<iframe src=javascript:alert(6)>",
}


@pytest.mark.django_db
def test_markdown_and_html_payloads_are_inert_text_in_the_feed(client):
    ProfileFactory(slug="payload", **XSS, topics=[TopicFactory(name="<b onclick=alert(7)>t</b>")])

    response = _feed(client)
    body = response.content.decode()
    root = _xml(response)
    (entry,) = root.findall(f"{ATOM}entry")

    # No markup from the profile is markup in the feed.
    for tag in ("<script", "<img", "<svg", "<iframe", "<a ", "<b "):
        assert tag not in body
    assert "&lt;script&gt;" in body
    # Text constructs only: a reader shows the payloads as text.
    assert entry.find(f"{ATOM}title").get("type") in (None, "text")
    assert entry.find(f"{ATOM}summary").get("type") == "text"
    assert entry.find(f"{ATOM}title").text == XSS["title"]
    assert entry.find(f"{ATOM}author/{ATOM}name").text == XSS["agency_name"]
    # Every address in the feed is ours and on the web.
    hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert hrefs
    assert all(href.startswith("http://testserver/") for href in hrefs)
    assert "javascript:" not in "".join(hrefs)


@pytest.mark.django_db
def test_the_feed_is_empty_but_valid_with_nothing_published(client):
    ProfileFactory(state=ProfileState.DRAFT)

    root = _xml(_feed(client))

    assert root.findall(f"{ATOM}entry") == []
    assert root.find(f"{ATOM}id") is not None


@pytest.mark.django_db
def test_the_feed_costs_the_same_queries_for_one_and_for_fifty(
    client, django_assert_max_num_queries
):
    # The library's version (for the page cache), the profiles, their topics.
    ProfileFactory(topics=[TopicFactory()])
    with django_assert_max_num_queries(3):
        _feed(client)
    topics = [TopicFactory(), TopicFactory()]
    for _ in range(49):
        ProfileFactory(topics=topics)
    with django_assert_max_num_queries(3):
        _feed(client)


# Sitemap.


@pytest.mark.django_db
def test_the_sitemap_lists_home_the_directory_and_each_published_profile(client):
    changed = timezone.now() - timedelta(days=2)
    ProfileFactory(
        slug="peer-support", published_at=changed - timedelta(days=5), updated_at=changed
    )
    ProfileFactory(slug="fatigue", published_at=changed, updated_at=changed - timedelta(days=9))
    ProfileFactory(slug="draft-one", state=ProfileState.DRAFT)

    response = client.get(reverse("profiles:sitemap"))
    urls = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod")
        for url in _xml(response).iter(f"{SITEMAP}url")
    }

    assert response["Content-Type"].startswith("application/xml")
    assert set(urls) == {
        "http://testserver/",
        "http://testserver/programs/",
        "http://testserver/programs/peer-support/",
        "http://testserver/programs/fatigue/",
    }
    # The sitemap writes times in the site's time zone, so the day is that zone's day.
    day = timezone.localdate(changed).isoformat()
    assert urls["http://testserver/programs/peer-support/"].text.startswith(day)
    assert urls["http://testserver/programs/fatigue/"].text.startswith(day)
    assert urls["http://testserver/programs/"].text.startswith(day)
