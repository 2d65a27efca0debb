"""Editing a profile's public copy (`services.editing`): only in editable states and only
by staff; an edit after the proof goes back to draft with a new version; key figures
and topics."""

import pytest
from django.core.exceptions import PermissionDenied

from dz_awards.core.selectors import audit_events_for
from dz_awards.profiles import services
from dz_awards.profiles.enums import EDITABLE_STATES, ProfileState
from dz_awards.profiles.models import Profile, Topic
from tests.profiles.helpers import audit_actions as _actions
from tests.profiles.helpers import profile_in as _profile
from tests.profiles.helpers import profile_state as _state
from tests.profiles.helpers import profile_version as _version

P = ProfileState
ALL_STATES = list(ProfileState)


@pytest.mark.parametrize("state", ALL_STATES)
def test_profile_save_edits_only_in_editable_states(state, agency, preparer, publisher):
    profile = _profile(state, agency, preparer)
    data = {"title": "A new title"}
    if state in EDITABLE_STATES:
        saved = services.profile_save(actor=publisher, profile=profile, data=data)
        assert saved.title == "A new title"
        assert _version(profile) == 2
    else:
        with pytest.raises(services.ProfileError, match="reopen it to edit"):
            services.profile_save(actor=publisher, profile=profile, data=data)
        assert Profile.objects.get(pk=profile.pk).title == profile.title
        assert _version(profile) == 1


@pytest.mark.parametrize("state", ALL_STATES)
def test_profile_save_by_non_staff_is_denied(state, agency, preparer, owner):
    profile = _profile(state, agency, preparer)
    with pytest.raises(PermissionDenied):
        services.profile_save(actor=owner, profile=profile, data={"title": "Mine now"})
    assert Profile.objects.get(pk=profile.pk).title == profile.title


# Edits after the proof ---------------------------------------------------------------------


@pytest.mark.parametrize("state", [P.PROOF_SENT, P.AGENCY_APPROVED])
def test_an_edit_after_the_proof_goes_back_to_draft_with_a_new_version(
    state, agency, preparer, publisher
):
    profile = _profile(state, agency, preparer)
    saved = services.profile_save(
        actor=publisher, profile=profile, data={"summary": "A better summary."}
    )
    assert (saved.state, saved.version) == (P.DRAFT, 2)
    assert (_state(profile), _version(profile)) == (P.DRAFT, 2)
    event = audit_events_for(profile).first()
    assert (event.action, event.from_state, event.to_state, event.message) == (
        "profile_edited",
        state,
        P.DRAFT,
        "summary",
    )


def test_a_save_that_changes_nothing_keeps_the_version_and_the_proof(agency, preparer):
    profile = _profile(P.PROOF_SENT, agency, preparer)
    saved = services.profile_save(actor=preparer, profile=profile, data={"title": profile.title})
    assert (saved.state, saved.version) == (P.PROOF_SENT, 1)
    assert _actions(profile) == []


def test_a_save_from_an_older_version_is_a_conflict(agency, preparer, publisher):
    profile = _profile(P.DRAFT, agency, preparer)
    services.profile_save(actor=publisher, profile=profile, data={"title": "First"})
    with pytest.raises(services.ProfileError, match="Someone else changed this profile"):
        services.profile_save(actor=preparer, profile=profile, data={"title": "Second"}, version=1)
    assert Profile.objects.get(pk=profile.pk).title == "First"


def test_profile_save_cleans_key_figures_and_sets_topics(agency, preparer):
    profile = _profile(P.DRAFT, agency, preparer)
    topic = services.topic_for_name(actor=preparer, name="  Peer   support ")
    services.profile_save(
        actor=preparer,
        profile=profile,
        data={"key_figures": [{"figure": " 41% ", "label": "fewer  sick days"}, {}]},
        topics=[topic],
    )
    stored = Profile.objects.get(pk=profile.pk)
    assert stored.key_figures == [{"figure": "41%", "label": "fewer sick days"}]
    assert list(stored.topics.all()) == [topic]
    assert (topic.name, topic.slug) == ("Peer support", "peer-support")


def test_topic_for_name_finds_an_existing_topic_in_any_case(preparer):
    first = services.topic_for_name(actor=preparer, name="Traffic safety")
    assert services.topic_for_name(actor=preparer, name="TRAFFIC SAFETY") == first
    assert Topic.objects.count() == 1


def test_topic_for_name_by_non_staff_is_denied(owner):
    with pytest.raises(PermissionDenied):
        services.topic_for_name(actor=owner, name="Traffic safety")
    assert not Topic.objects.exists()
