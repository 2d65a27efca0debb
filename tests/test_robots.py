"""`/robots.txt`: the library is open to crawlers, every signed-in area is kept out, and
the sitemap is named by its absolute address."""

from urllib.robotparser import RobotFileParser

import pytest
from django.urls import get_resolver, reverse

from tests import factories

# The areas anyone may read, written out here so that a new area must be classed.
PUBLIC_SEGMENTS = {"", "programs", "api", "sitemap.xml", "robots.txt", "data.json"}


def _top_segments(resolver=None, prefix=""):
    """The first path segment of every URL the site answers."""
    segments = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            segments |= _top_segments(pattern, route)
        else:
            segments.add(route.split("/")[0])
    return segments


def _parser(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser, response


@pytest.fixture
def robots(client, settings):
    settings.SITE_URL = "https://awards.example.gov"
    return _parser(client)


def test_robots_names_the_sitemap_by_absolute_address(robots):
    parser, response = robots
    assert parser.site_maps() == ["https://awards.example.gov/sitemap.xml"]
    assert response["Cache-Control"] == "public, max-age=86400"


def test_robots_allows_the_library(robots, db):
    """The home page, the library, a program's page and PDF, and the open data."""
    parser, _ = robots
    for path in (
        "/",
        reverse("profiles:directory"),
        reverse("profiles:detail", args=["peer-support-riverton"]),
        reverse("profiles:pdf", args=["peer-support-riverton"]),
        reverse("profiles:api-list"),
        reverse("profiles:sitemap"),
        reverse("profiles:data-json"),
    ):
        assert parser.can_fetch("*", f"https://awards.example.gov{path}"), path


def test_robots_keeps_every_signed_in_area_out(robots, db):
    """Each area of the site that is not public is disallowed, with real addresses in it."""
    parser, _ = robots
    nomination = factories.NominationFactory()
    private = _top_segments() - PUBLIC_SEGMENTS
    assert {"staff", "review", "accounts", "agencies", "nominations", "profiles", "admin"} <= (
        private
    )
    for segment in private:
        assert not parser.can_fetch("*", f"https://awards.example.gov/{segment}/x"), segment
    for path in (
        reverse("portal:dashboard"),
        reverse("accounts:login"),
        reverse("staff:nominations"),
        reverse("reviews:queue"),
        reverse("nominations:edit", args=[nomination.pk]),
        reverse("agencies:detail", args=[nomination.agency_id]),
        "/admin/",
        reverse("healthz"),
        reverse("readyz"),
    ):
        assert not parser.can_fetch("*", f"https://awards.example.gov{path}"), path


def test_robots_keeps_a_custom_admin_address_secret(client, settings):
    """A custom admin address is not published in a file every scanner reads."""
    settings.ADMIN_URL = "office-7f3a/"
    _parser_unused, response = _parser(client)
    text = response.content.decode()
    assert "office-7f3a" not in text
    assert "Disallow: /admin/" not in text
    assert "Disallow: /staff/" in text
