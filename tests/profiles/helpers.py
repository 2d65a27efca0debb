"""Helpers for profile tests: a profile's state as stored, its audit trail, profiles and
decided nominations to start from, stored files, and the staff pages."""

import html as html_lib
import re

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.selectors import audit_events_for
from dz_awards.profiles.models import Profile
from tests import factories
from tests.profiles.factories import ProfileFactory


def profile_state(profile):
    """The profile's state as stored now."""
    return Profile.objects.values_list("state", flat=True).get(pk=profile.pk)


def profile_version(profile):
    """The profile's version as stored now."""
    return Profile.objects.values_list("version", flat=True).get(pk=profile.pk)


def audit_actions(profile):
    """The actions of the profile's audit events, oldest first."""
    return [e.action for e in audit_events_for(profile).order_by("created_at", "pk")]


def profile_in(state, agency, preparer, **fields):
    """A profile in `state` of `agency`, prepared by `preparer`."""
    return ProfileFactory(state=state, agency=agency, prepared_by=preparer, **fields)


def decided_nomination(state, **kwargs):
    """A complete nomination, submitted, in a decided `state` (finalist, winner...)."""
    return factories.NominationFactory(
        complete=True, state=state, submitted_at=timezone.now(), **kwargs
    )


def read_stored(name):
    """The bytes of the stored file `name`."""
    with default_storage.open(name, "rb") as handle:
        return handle.read()


# Staff pages ------------------------------------------------------------------------------


def staff_url(name, profile):
    """The address of the staff page `name` (`profile`, `profile-media`...) of `profile`."""
    return reverse(f"staff:{name}", kwargs={"pk": profile.pk})


def message_texts(response):
    """The messages the page shows, as text."""
    return [str(m) for m in response.context["messages"]]


def visible_text(response):
    """The page's visible text, tags removed and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())
