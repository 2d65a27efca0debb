"""A request on a row deleted a moment before answers 404, never a server error, and
writes nothing: nominations, agencies and profiles (reviews: tests/reviews/).

Each test deletes the row where a real race would: after the page's own lookup, just
before the service locks the row again (`core.rows.row_or_gone`, wrapped here to
delete first).
"""

import uuid
from pathlib import Path

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from dz_awards.agencies import services as agency_services
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.models import Agency
from dz_awards.core import rows
from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations.enums import EvidenceKind, NominationState
from dz_awards.nominations.models import Evidence, Nomination, NominationMessage
from dz_awards.nominations.services import common as nomination_common
from dz_awards.nominations.services import conversation
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile
from dz_awards.profiles.services import common as profile_common
from tests import factories
from tests.files import pdf_upload
from tests.profiles.factories import ProfileFactory


def delete_first(monkeypatch, module):
    """Make `module`'s `row_or_gone` delete the row it is asked for, then look."""
    real = module.row_or_gone

    def deleting(queryset, /, **lookup):
        queryset.model.objects.filter(**lookup).delete()
        return real(queryset, **lookup)

    monkeypatch.setattr(module, "row_or_gone", deleting)


def _nothing_recorded(before):
    assert list(AuditEvent.objects.values_list("action", flat=True)[before:]) == []
    assert not OutboxEmail.objects.exists()


# The helper itself ----------------------------------------------------------------------


def test_row_or_gone_error_is_both_the_models_does_not_exist_and_a_404(db):
    """Callers expecting the model's DoesNotExist (a bulk run) and views (404) both see it."""
    with pytest.raises(Nomination.DoesNotExist) as caught:
        rows.row_or_gone(Nomination.objects.select_for_update(), pk=uuid.uuid4())
    assert isinstance(caught.value, Http404)
    assert isinstance(caught.value, rows.RowGone)
    assert not isinstance(caught.value, Agency.DoesNotExist)
    assert str(caught.value) == rows.GONE_MESSAGE
    assert rows.gone_error(Nomination) is type(caught.value)


def test_row_or_gone_returns_the_row_when_it_is_there(db):
    nomination = factories.NominationFactory()
    assert rows.row_or_gone(Nomination.objects.all(), pk=nomination.pk) == nomination


# Nominations -------------------------------------------------------------------------------


@pytest.fixture
def draft(db):
    member = factories.MembershipFactory()
    nomination = factories.NominationFactory(agency=member.agency, complete=True)
    return member.user, nomination


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evidence", {"kind": EvidenceKind.LETTER}),
        ("submit", {}),
        ("delete", {}),
    ],
)
def test_agency_request_on_deleted_nomination_is_404(  # noqa: PLR0917 fixtures
    name, data, draft, client, monkeypatch, settings
):
    """An upload (the race a scanner found), a submit or a delete racing the
    nomination's deletion: 404, no file stored, no revision, nothing recorded."""
    user, nomination = draft
    client.force_login(user)
    if name == "evidence":
        data = {**data, "file": pdf_upload("letter.pdf")}
    before = AuditEvent.objects.count()
    delete_first(monkeypatch, nomination_common)
    response = client.post(reverse(f"nominations:{name}", kwargs={"pk": nomination.pk}), data)
    assert response.status_code == 404
    nomination.refresh_from_db()  # the request's transaction took the deletion back too
    assert nomination.state == NominationState.DRAFT
    assert not nomination.revisions.exists()
    assert not Evidence.objects.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
    _nothing_recorded(before)


def test_staff_message_on_deleted_nomination_is_404(db, client, monkeypatch):
    nomination = factories.submitted_nomination()
    client.force_login(factories.StaffFactory())
    before = AuditEvent.objects.count()
    delete_first(monkeypatch, conversation)
    response = client.post(
        reverse("staff:nomination-messages", kwargs={"pk": nomination.pk}), {"body": "Hello"}
    )
    assert response.status_code == 404
    assert not NominationMessage.objects.exists()
    _nothing_recorded(before)


# Agencies ----------------------------------------------------------------------------------


def test_owner_edit_of_deleted_agency_is_404(db, client, monkeypatch):
    owner = factories.OwnerFactory()
    agency = owner.agency
    client.force_login(owner.user)
    before = AuditEvent.objects.count()
    delete_first(monkeypatch, agency_services)
    response = client.post(
        reverse("agencies:edit", kwargs={"pk": agency.pk}),
        factories.agency_profile_form_data(name="Renamed Police Department"),
    )
    assert response.status_code == 404
    agency.refresh_from_db()
    assert agency.name != "Renamed Police Department"
    _nothing_recorded(before)


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_owner_decision_on_deleted_join_request_is_404(decision, db, client, monkeypatch):
    """The join request withdrawn (deleted) while the owner answers it."""
    owner = factories.OwnerFactory()
    pending = factories.MembershipFactory(agency=owner.agency, status=MembershipStatus.PENDING)
    client.force_login(owner.user)
    before = AuditEvent.objects.count()
    delete_first(monkeypatch, agency_services)
    response = client.post(
        reverse(
            f"agencies:membership-{decision}",
            kwargs={"pk": owner.agency.pk, "membership_pk": pending.pk},
        )
    )
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING
    _nothing_recorded(before)


# Profiles ----------------------------------------------------------------------------------


def test_agency_approval_of_deleted_proof_is_404(db, client, monkeypatch):
    member = factories.MembershipFactory()
    proof = ProfileFactory(
        state=ProfileState.PROOF_SENT,
        agency=member.agency,
        proof_sent_at=timezone.now(),
        prepared_by=factories.StaffFactory(),
    )
    client.force_login(member.user)
    before = AuditEvent.objects.count()
    delete_first(monkeypatch, profile_common)
    response = client.post(reverse("profiles:proof-approve", kwargs={"pk": proof.pk}))
    assert response.status_code == 404
    assert Profile.objects.get(pk=proof.pk).state == ProfileState.PROOF_SENT
    _nothing_recorded(before)
