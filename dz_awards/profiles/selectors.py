"""Reads of profiles. The public reads only `published_profiles`."""

from django.shortcuts import get_object_or_404

from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile


def published_profiles():
    return Profile.objects.filter(state=ProfileState.PUBLISHED)


def published_profile_get(slug):
    return get_object_or_404(published_profiles(), slug=slug)
