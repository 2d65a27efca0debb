"""Profiles in the admin: read-only, since every change goes through the services;
topics are edited there."""

import pytest
from django.urls import reverse

from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, Topic
from tests import factories
from tests.profiles.factories import ProfileFactory
from tests.profiles.helpers import profile_state as _state

P = ProfileState


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.StaffFactory(is_superuser=True))
    return client


def test_admin_lists_profiles_read_only(admin_client):
    profile = ProfileFactory(title="Peer Support That Stays")
    listing = admin_client.get(reverse("admin:profiles_profile_changelist"))
    assert "Peer Support That Stays" in listing.content.decode()
    page = admin_client.get(reverse("admin:profiles_profile_change", args=[profile.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
    assert 'name="title"' not in page.content.decode()
    response = admin_client.post(
        reverse("admin:profiles_profile_change", args=[profile.pk]),
        {"title": "Changed", "state": P.DRAFT},
    )
    assert response.status_code == 403
    assert Profile.objects.get(pk=profile.pk).title == "Peer Support That Stays"
    assert _state(profile) == P.PUBLISHED
    assert admin_client.get(reverse("admin:profiles_profile_add")).status_code == 403


def test_admin_edits_topics(admin_client):
    admin_client.post(
        reverse("admin:profiles_topic_add"), {"name": "Traffic safety", "slug": "traffic-safety"}
    )
    assert list(Topic.objects.values_list("name", "slug")) == [("Traffic safety", "traffic-safety")]
