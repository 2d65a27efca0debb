"""The directory and the profile page cost the same number of queries for 1 item as for 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dz_awards.agencies.enums import AgencyType
from dz_awards.profiles.enums import Award
from tests.profiles.factories import (
    ProfileFactory,
    ProfileImageFactory,
    ProfileResourceFactory,
    ReadingClient,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

ALL_FILTERS = {
    "q": "lighthouse",
    "category": "officer-wellness",
    "year": "2025",
    "award": "winner",
    "state": "OH",
    "agency_type": "sheriff",
    "size": "100-499",
    "topic": "peer-support",
}


def _matching(count, topics):
    """`count` profiles that every filter of ALL_FILTERS keeps, each with two images."""
    for number in range(count):
        profile = ProfileFactory(
            title=f"Lighthouse peer program {number}",
            category_code="officer-wellness",
            year=2025,
            award=Award.WINNER,
            state_code="OH",
            agency_type=AgencyType.SHERIFF,
            sworn_officers=150 + number,
            topics=topics,
        )
        ProfileImageFactory(profile=profile)
        ProfileImageFactory(profile=profile, position=1)


def _others(topics):
    """Profiles each filter drops (so every filter has something to remove)."""
    for changes in [
        {"title": "Harbor program"},
        {"category_code": "traffic-safety"},
        {"year": 2024},
        {"award": Award.FINALIST},
        {"state_code": "WY"},
        {"agency_type": AgencyType.MUNICIPAL},
        {"sworn_officers": 40},
    ]:
        values = {
            "title": "Lighthouse other",
            "category_code": "officer-wellness",
            "year": 2025,
            "award": Award.WINNER,
            "state_code": "OH",
            "agency_type": AgencyType.SHERIFF,
            "sworn_officers": 150,
            "topics": topics,
            **changes,
        }
        ProfileFactory(**values)
    ProfileFactory(
        title="Lighthouse no topic",
        state_code="OH",
        agency_type=AgencyType.SHERIFF,
        sworn_officers=150,
        year=2025,
    )


def _queries(url, params):
    client = ReadingClient()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


def _topics():
    return [
        TopicFactory(slug="peer-support", name="Peer support"),
        TopicFactory(slug="fitness", name="Fitness"),
    ]


@pytest.mark.parametrize("sort", ["", "newest", "agency"])
def test_the_directory_costs_the_same_for_1_and_20_profiles_with_every_filter(sort):
    topics = _topics()
    params = {**ALL_FILTERS, "sort": sort}
    _matching(1, topics)
    _others(topics)
    one, response = _queries(reverse("profiles:directory"), params)
    assert len(response.context["page"]) == 1
    assert all(p.thumbnail is not None for p in response.context["page"])

    _matching(19, topics)
    twenty, response = _queries(reverse("profiles:directory"), params)
    assert len(response.context["page"]) == 20
    assert all(p.thumbnail is not None for p in response.context["page"])
    assert "Peer support" in response.content.decode()
    assert twenty == one


def test_the_profile_page_costs_the_same_for_1_and_5_images_resources_and_topics():
    few = ProfileFactory(topics=[TopicFactory()])
    ProfileImageFactory(profile=few)
    ProfileResourceFactory(profile=few)
    many = ProfileFactory(topics=[TopicFactory() for _ in range(5)])
    for position in range(5):
        ProfileImageFactory(profile=many, position=position)
        ProfileResourceFactory(profile=many, position=position)
    one, _ = _queries(few.get_absolute_url(), {})
    five, response = _queries(many.get_absolute_url(), {})
    assert len(response.context["pictures"]) == 5
    assert len(response.context["resources"]) == 5
    assert five == one
