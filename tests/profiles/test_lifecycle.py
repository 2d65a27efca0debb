"""The profile lifecycle (`services.lifecycle`): every service over every state, the
two-person rule, the PDF made on publication, and profiles created for finalists and
winners.

Real parts only: the services with their transactions, the background tasks run
on commit by the immediate backend, real WeasyPrint PDFs.
"""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from dz_awards.core.selectors import audit_events_for
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.profiles import services
from dz_awards.profiles.enums import Award, ProfileState
from dz_awards.profiles.models import Profile, ProfilePdf
from dz_awards.profiles.tasks import render_profile_pdf
from reviews import services as review_services
from reviews.enums import Outcome
from tests import factories
from tests.profiles.helpers import audit_actions as _actions
from tests.profiles.helpers import decided_nomination as _decided
from tests.profiles.helpers import profile_in as _profile
from tests.profiles.helpers import profile_state as _state
from tests.profiles.helpers import profile_version as _version
from tests.profiles.helpers import read_stored as _read_stored

P = ProfileState
S = NominationState
ALL_STATES = list(ProfileState)


@pytest.fixture
def outsider(db):
    return factories.UserFactory()


# The lifecycle over every state --------------------------------------------------------


def _send_proof(user, profile):
    return services.profile_send_proof(actor=user, profile=profile)


def _approve(user, profile):
    return services.profile_approve(user=user, profile=profile)


def _request_changes(user, profile):
    return services.profile_request_changes(
        user=user, profile=profile, comment="Please spell our chief's name right."
    )


def _publish(user, profile):
    return services.profile_publish(actor=user, profile=profile)


def _retract(user, profile):
    return services.profile_retract(actor=user, profile=profile, reason="Asked by the agency.")


def _reopen(user, profile):
    return services.profile_reopen(actor=user, profile=profile)


# name: (call, states it leaves from, state it goes to, who may, who may not)
LIFECYCLE = {
    "send_proof": (_send_proof, {P.DRAFT}, P.PROOF_SENT, "publisher", "owner"),
    "approve": (_approve, {P.PROOF_SENT}, P.AGENCY_APPROVED, "owner", "publisher"),
    "request_changes": (_request_changes, {P.PROOF_SENT}, P.DRAFT, "owner", "publisher"),
    "publish": (_publish, {P.AGENCY_APPROVED}, P.PUBLISHED, "publisher", "owner"),
    "retract": (_retract, {P.PUBLISHED}, P.RETRACTED, "publisher", "owner"),
    "reopen": (
        _reopen,
        {P.PROOF_SENT, P.AGENCY_APPROVED, P.RETRACTED},
        P.DRAFT,
        "publisher",
        "owner",
    ),
}


CASES = [(name, state) for name in LIFECYCLE for state in ALL_STATES]


@pytest.mark.parametrize(("name", "state"), CASES)
@pytest.mark.usefixtures("owner")
def test_lifecycle_service_moves_only_from_its_states(name, state, request, agency, preparer):
    call, sources, target, role, _wrong = LIFECYCLE[name]
    profile = _profile(state, agency, preparer)
    user = request.getfixturevalue(role)
    if state in sources:
        result = call(user, profile)
        assert result.state == target
        assert _state(profile) == target
        assert _actions(profile)[-1:] != []
        last = audit_events_for(profile).first()
        assert (last.from_state, last.to_state, last.actor) == (state, target, user)
    else:
        with pytest.raises(services.ProfileError):
            call(user, profile)
        assert _state(profile) == state
        assert _actions(profile) == []


@pytest.mark.parametrize(("name", "state"), CASES)
@pytest.mark.usefixtures("owner", "publisher")
def test_lifecycle_service_by_the_wrong_role_is_denied_in_every_state(
    name, state, request, agency, preparer
):
    call, _sources, _target, _role, wrong = LIFECYCLE[name]
    profile = _profile(state, agency, preparer)
    with pytest.raises(PermissionDenied):
        call(request.getfixturevalue(wrong), profile)
    assert _state(profile) == state
    assert _actions(profile) == []


@pytest.mark.parametrize(("name", "state"), CASES)
def test_lifecycle_service_by_someone_without_a_role_is_denied(
    name, state, agency, preparer, outsider
):
    call = LIFECYCLE[name][0]
    profile = _profile(state, agency, preparer)
    with pytest.raises(PermissionDenied):
        call(outsider, profile)
    assert _state(profile) == state


def test_send_proof_without_an_agency_account_is_refused(preparer):
    profile = _profile(P.DRAFT, None, None)
    with pytest.raises(services.ProfileError, match="no agency account"):
        services.profile_send_proof(actor=preparer, profile=profile)
    assert _state(profile) == P.DRAFT


# The two-person rule -------------------------------------------------------------------


def test_the_preparer_cannot_publish_and_another_staff_member_can(
    agency, owner, preparer, publisher
):
    profile = _profile(P.DRAFT, agency, None)
    services.profile_send_proof(actor=preparer, profile=profile)
    services.profile_approve(user=owner, profile=profile)

    with pytest.raises(services.ProfileError) as error:
        services.profile_publish(actor=preparer, profile=profile)
    assert str(error.value) == (
        "You prepared this proof, so another staff member must publish it (two-person rule)."
    )
    assert _state(profile) == P.AGENCY_APPROVED

    published = services.profile_publish(actor=publisher, profile=profile)
    assert published.state == P.PUBLISHED
    stored = Profile.objects.get(pk=profile.pk)
    assert (stored.prepared_by, stored.approved_by, stored.published_by) == (
        preparer,
        owner,
        publisher,
    )
    assert _actions(profile) == ["proof_sent", "proof_approved", "profile_published"]


def test_a_superuser_who_prepared_the_proof_cannot_publish_either(agency, owner):
    boss = factories.StaffFactory(is_superuser=True)
    profile = _profile(P.DRAFT, agency, None)
    services.profile_send_proof(actor=boss, profile=profile)
    services.profile_approve(user=owner, profile=profile)
    with pytest.raises(services.ProfileError, match="two-person rule"):
        services.profile_publish(actor=boss, profile=profile)
    assert _state(profile) == P.AGENCY_APPROVED


# The PDF task ------------------------------------------------------------------------------


def test_publishing_renders_and_stores_the_pdf_of_the_current_version(
    agency, preparer, publisher, django_capture_on_commit_callbacks
):
    profile = _profile(P.AGENCY_APPROVED, agency, preparer, title="Peer Support That Stays")
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_publish(actor=publisher, profile=profile)
    stored = ProfilePdf.objects.get(profile=profile)
    data = _read_stored(stored.file.name)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.version == _version(profile) == 1
    assert stored.is_current
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= stored.pages == len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Peer Support That Stays" in text
    assert profile.agency_name in text


def test_an_edit_makes_the_stored_pdf_stale_until_the_new_one_is_rendered(
    agency, preparer, publisher, django_capture_on_commit_callbacks
):
    profile = _profile(P.AGENCY_APPROVED, agency, preparer)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_publish(actor=publisher, profile=profile)
    old = ProfilePdf.objects.get(profile=profile)
    old_name, old_sha = old.file.name, old.sha256

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.profile_save(actor=publisher, profile=profile, data={"title": "Renamed program"})
    stale = ProfilePdf.objects.select_related("profile").get(profile=profile)
    assert (stale.version, stale.profile.version) == (1, 2)
    assert not stale.is_current

    for callback in callbacks:
        callback()
    fresh = ProfilePdf.objects.select_related("profile").get(profile=profile)
    assert fresh.version == 2
    assert fresh.is_current
    assert fresh.sha256 != old_sha
    assert fresh.sha256 == hashlib.sha256(_read_stored(fresh.file.name)).hexdigest()
    assert not (Path(django_settings.MEDIA_ROOT) / old_name).exists()


def test_the_pdf_task_stores_nothing_for_a_profile_that_is_not_published(agency, preparer):
    profile = _profile(P.DRAFT, agency, preparer)
    result = render_profile_pdf.enqueue(str(profile.pk))
    assert result.return_value is None
    assert not ProfilePdf.objects.exists()


# Creating profiles -------------------------------------------------------------------------


def test_profiles_create_for_cycle_makes_a_draft_for_each_finalist_and_winner(preparer):
    cycle = factories.CycleFactory()
    finalist, winner = _decided(S.FINALIST, cycle=cycle), _decided(S.WINNER, cycle=cycle)
    _decided(S.NOT_SELECTED, cycle=cycle)
    _decided(S.FINALIST)  # another cycle
    created = services.profiles_create_for_cycle(actor=preparer, cycle=cycle)
    assert {(p.nomination, p.award, p.state) for p in created} == {
        (finalist, Award.FINALIST, P.DRAFT),
        (winner, Award.WINNER, P.DRAFT),
    }
    profile = Profile.objects.get(nomination=winner)
    assert (profile.title, profile.agency_name, profile.year) == (
        winner.title,
        winner.agency.name,
        cycle.year,
    )
    assert services.profiles_create_for_cycle(actor=preparer, cycle=cycle) == []
    assert Profile.objects.count() == 2


def test_profiles_create_for_cycle_by_non_staff_is_denied(owner):
    cycle = factories.CycleFactory()
    _decided(S.FINALIST, cycle=cycle)
    with pytest.raises(PermissionDenied):
        services.profiles_create_for_cycle(actor=owner, cycle=cycle)
    assert not Profile.objects.exists()


def test_releasing_decisions_creates_a_draft_profile_for_finalists_and_winners(preparer):
    category = factories.CategoryFactory()
    finalist, winner, declined = (
        _decided(S.REVIEWED, cycle=category.cycle, category=category) for _ in range(3)
    )
    for nomination, outcome in [
        (finalist, Outcome.FINALIST),
        (winner, Outcome.WINNER),
        (declined, Outcome.NOT_SELECTED),
    ]:
        review_services.decision_stage(actor=preparer, nomination=nomination, outcome=outcome)
    review_services.decisions_release(actor=preparer, cycle=category.cycle)
    assert sorted(Profile.objects.values_list("nomination", "award", "state")) == sorted(
        [(finalist.pk, Award.FINALIST, P.DRAFT), (winner.pk, Award.WINNER, P.DRAFT)]
    )


def test_a_new_profile_lists_each_outcome_with_its_measure(staff):
    outcome = {
        "metric": "Sick days after incidents",
        "before": "12",
        "after": "7",
        "period": "2024",
    }
    nomination = factories.NominationFactory(complete=True, outcomes=[outcome])
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.WINNER)
    nomination.refresh_from_db()
    profile = services.profile_create_for(actor=staff, nomination=nomination)
    assert "- Sick days after incidents: 12 → 7 (2024)" in profile.results


def test_only_staff_create_a_profile(db):
    nomination = factories.NominationFactory(complete=True)
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.WINNER)
    nomination.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.profile_create_for(actor=factories.UserFactory(), nomination=nomination)
    assert not Profile.objects.filter(nomination=nomination).exists()
