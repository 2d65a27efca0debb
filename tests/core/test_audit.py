"""The audit trail: written inside the change's transaction, readable per object."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.core.models import AuditEvent
from dz_awards.core.selectors import audit_events_for
from dz_awards.core.services import audit_record
from tests.factories import AgencyFactory, MembershipFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_transaction_raises():
    """Recording outside a transaction is a programming error, and nothing is written."""
    agency = AgencyFactory()
    with pytest.raises(RuntimeError) as raised:
        audit_record(actor=None, obj=agency, action="agency_verified")
    assert str(raised.value) == (
        "AuditEvent must be written inside the transaction of the change it records."
    )
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_audit_record_stores_actor_object_action_states_and_message():
    """Every part of the event is stored as given; the object is found again by its key."""
    actor = UserFactory()
    agency = AgencyFactory(name="Riverton Police Department", city="Riverton", state="OH")
    event = audit_record(
        actor=actor,
        obj=agency,
        action="agency_verified",
        from_state="unverified",
        to_state="verified",
        message="Checked by phone.",
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor, event.action, event.from_state, event.to_state, event.message) == (
        actor,
        "agency_verified",
        "unverified",
        "verified",
        "Checked by phone.",
    )
    assert event.subject == agency
    assert (event.object_id, event.object_repr) == (
        str(agency.pk),
        "Riverton Police Department (Riverton, OH)",
    )
    assert event.created_at is not None


@pytest.mark.django_db
def test_audit_record_enum_states_stored_as_values():
    """States passed as enum members are stored as their plain values."""
    membership = MembershipFactory()
    event = audit_record(
        actor=None,
        obj=membership,
        action="membership_approved",
        from_state=MembershipStatus.PENDING,
        to_state=MembershipStatus.APPROVED,
    )
    event.refresh_from_db()
    assert (event.from_state, event.to_state) == ("pending", "approved")


@pytest.mark.django_db
def test_audit_record_long_object_repr_truncated_to_300():
    """An object whose text is longer than the column is cut to 300 characters."""
    agency = AgencyFactory(name="N" * 200, city="C" * 120)
    event = audit_record(actor=None, obj=agency, action="agency_created")
    event.refresh_from_db()
    assert event.object_repr == str(agency)[:300]
    assert len(event.object_repr) == 300


@pytest.mark.django_db
def test_audit_record_rolled_back_with_transaction():
    """If the change's transaction rolls back, its audit event disappears with it."""
    agency = AgencyFactory()

    class ChangeFailedError(Exception):
        pass

    def change_that_fails():
        with transaction.atomic():
            audit_record(actor=None, obj=agency, action="agency_verified")
            raise ChangeFailedError

    with pytest.raises(ChangeFailedError):
        change_that_fails()
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_audit_record_without_signed_in_actor_stores_null(actor):
    """The system or an anonymous visitor is stored as no actor."""
    event = audit_record(actor=actor, obj=AgencyFactory(), action="agency_created")
    event.refresh_from_db()
    assert event.actor is None


@pytest.mark.django_db
def test_audit_event_actor_deleted_keeps_event():
    """Deleting the person keeps the event, with no actor."""
    actor = UserFactory()
    event = audit_record(actor=actor, obj=AgencyFactory(), action="agency_created")
    actor.delete()
    event.refresh_from_db()
    assert event.actor is None


@pytest.mark.django_db
def test_audit_events_for_returns_only_given_objects_newest_first():
    """The trail of an agency and its memberships excludes other objects and runs newest first."""
    agency = AgencyFactory()
    membership = MembershipFactory(agency=agency)
    other = AgencyFactory()
    first = audit_record(actor=None, obj=agency, action="agency_created")
    audit_record(actor=None, obj=other, action="agency_created")
    second = audit_record(actor=None, obj=membership, action="membership_approved")
    third = audit_record(actor=None, obj=agency, action="agency_verified")

    assert list(audit_events_for(agency, membership)) == [third, second, first]
    assert list(audit_events_for(agency)) == [third, first]
    assert list(audit_events_for()) == []


@pytest.mark.django_db
def test_audit_events_for_does_not_mix_models_with_equal_keys():
    """A user and a membership with the same id have separate trails: the model decides."""
    user = UserFactory()
    membership = MembershipFactory(id=user.pk)
    assert str(membership.pk) == str(user.pk)
    user_event = audit_record(actor=None, obj=user, action="user_changed")
    membership_event = audit_record(actor=None, obj=membership, action="membership_approved")
    assert list(audit_events_for(user)) == [user_event]
    assert list(audit_events_for(membership)) == [membership_event]
