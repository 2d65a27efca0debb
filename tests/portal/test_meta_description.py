"""Every page tells search engines what it is: one meta description, never empty."""

import re

import pytest
from django.urls import reverse

from tests.profiles.factories import ProfileFactory

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def _descriptions(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return DESCRIPTION.findall(response.content.decode())


@pytest.mark.parametrize(
    ("url", "starts"),
    [
        (reverse("portal:home"), "The Destination Zero National Officer Safety"),
        (reverse("accounts:login"), "The Destination Zero National Officer Safety"),
        (reverse("profiles:directory"), "Officer safety and wellness programs recognized"),
    ],
)
def test_page_has_one_meta_description(client, db, url, starts):
    (description,) = _descriptions(client, url)
    assert description.startswith(starts)


def test_profile_page_describes_its_program(client, db):
    profile = ProfileFactory(summary="Peers call every officer within a day of an incident.")
    assert _descriptions(client, profile.get_absolute_url()) == [
        "Peers call every officer within a day of an incident."
    ]
