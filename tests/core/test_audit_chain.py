"""The audit trail's hash chain: each event hashes its content and the event before it;
`audit_verify` walks the chain and names the first event that does not match."""

import importlib
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from dz_awards.core.audit_chain import (
    CHAIN_COLUMNS,
    audit_chain_verify,
    event_hash,
    row_digest,
    walk,
)
from dz_awards.core.models import AuditEvent
from dz_awards.core.services import audit_record
from tests.factories import AgencyFactory, UserFactory

chain_migration = importlib.import_module(
    "dz_awards.core.migrations.0003_chain_existing_audit_events"
)


def verify():
    """Run `audit_verify`; what it printed."""
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def verify_fails():
    """Run `audit_verify`, which must fail; its message."""
    with pytest.raises(CommandError) as raised:
        verify()
    return str(raised.value)


@pytest.fixture
def three_events():
    """Three events by a person on an agency, oldest first."""
    actor = UserFactory()
    agency = AgencyFactory()
    return [
        audit_record(actor=actor, obj=agency, action=action, message=f"step {number}")
        for number, action in enumerate(["agency_created", "agency_updated", "agency_verified"])
    ]


@pytest.mark.django_db
def test_audit_record_links_each_event_to_the_one_before(three_events):
    first, second, third = (AuditEvent.objects.get(pk=event.pk) for event in three_events)
    assert first.previous_hash == ""
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    for event in (first, second, third):
        assert len(event.hash) == 64
        # What was stored (read back from the database) still gives the stored hash.
        assert event_hash(event) == event.hash


@pytest.mark.django_db
def test_audit_record_keeps_actor_key_when_account_is_deleted(three_events):
    """Deleting the actor empties the foreign key, not the hashed actor key: the chain holds."""
    actor = three_events[0].actor
    actor_pk = actor.pk
    actor.delete()
    event = AuditEvent.objects.get(pk=three_events[0].pk)
    assert (event.actor, event.actor_key) == (None, str(actor_pk))
    assert verify() == f"3 audit events verify. Head hash: {three_events[2].hash}\n"


@pytest.mark.django_db
def test_audit_record_at_given_moment_is_stored_and_hashed():
    """`at=` records an event at the moment a story happened; the hash covers that moment."""
    moment = datetime(2031, 4, 5, 6, 7, 8, 123456, tzinfo=UTC)
    event = audit_record(actor=None, obj=AgencyFactory(), action="agency_created", at=moment)
    event.refresh_from_db()
    assert event.created_at == moment
    assert event.actor_key == ""
    assert event_hash(event) == event.hash
    assert verify().startswith("1 audit events verify.")


@pytest.mark.django_db
def test_audit_verify_empty_trail_verifies():
    assert verify() == "0 audit events verify. Head hash: (empty trail)\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("message", "step one, reworded"),
        ("action", "agency_deleted"),
        ("object_repr", "Another Police Department"),
        ("object_id", "999999"),
        ("from_state", "verified"),
        ("actor_key", "999999"),
        ("created_at", datetime(2020, 1, 1, tzinfo=UTC)),
    ],
)
def test_audit_verify_altered_event_is_named(three_events, field, value):
    """Changing any hashed field of one event in the database makes verify name that event."""
    altered = three_events[1]
    AuditEvent.objects.filter(pk=altered.pk).update(**{field: value})
    altered.refresh_from_db()
    when = timezone.localtime(altered.created_at).isoformat(timespec="seconds")

    message = verify_fails()

    assert message == (
        f"Audit event {altered.pk} ({when}, {altered.action}) does not match: its content "
        "no longer matches its hash (it was altered). 1 events before it verify."
    )


@pytest.mark.django_db
def test_audit_verify_deleted_event_names_the_one_after_it(three_events):
    """Removing an event breaks the link of the next one, which verify names."""
    _first, second, third = three_events
    AuditEvent.objects.filter(pk=second.pk).delete()

    message = verify_fails()

    assert message.startswith(f"Audit event {third.pk} (")
    assert "agency_verified) does not match: it does not point at the event before it" in message
    assert message.endswith("1 events before it verify.")


@pytest.mark.django_db
def test_audit_verify_altered_event_with_rehash_names_the_next_one(three_events):
    """Someone who alters an event and recomputes its hash still breaks the next link."""
    _first, second, third = three_events
    second.message = "rewritten"
    second.hash = event_hash(second)
    AuditEvent.objects.filter(pk=second.pk).update(message=second.message, hash=second.hash)

    message = verify_fails()

    assert message.startswith(f"Audit event {third.pk} (")
    assert "does not point at the event before it" in message


@pytest.mark.django_db
def test_audit_verify_first_event_removed_names_the_new_first(three_events):
    AuditEvent.objects.filter(pk=three_events[0].pk).delete()
    assert verify_fails().startswith(f"Audit event {three_events[1].pk} (")


@pytest.mark.django_db
def test_audit_record_in_rolled_back_transaction_leaves_the_chain_whole(three_events):
    """An event rolled back with its change leaves no gap: the next one chains onto the head."""

    class ChangeFailedError(Exception):
        pass

    def change_that_fails():
        with transaction.atomic():
            audit_record(actor=None, obj=AgencyFactory(), action="agency_created")
            raise ChangeFailedError

    with pytest.raises(ChangeFailedError):
        change_that_fails()
    after = audit_record(actor=None, obj=AgencyFactory(), action="agency_created")

    assert after.previous_hash == three_events[2].hash
    assert verify().startswith("4 audit events verify.")


def test_walk_reports_count_head_and_no_break_for_a_whole_chain():
    rows = []
    previous = ""
    for number in range(3):
        row = {
            "id": number + 1,
            "actor_key": "",
            "created_at": datetime(2031, 1, 1, number, tzinfo=UTC),
            "content_type__app_label": "agencies",
            "content_type__model": "agency",
            "object_id": "7",
            "object_repr": "Ünïcode “quoted” name",
            "action": "agency_updated",
            "from_state": "",
            "to_state": "",
            "message": "line one\nline two",
            "previous_hash": previous,
        }
        row["hash"] = previous = row_digest(row, previous)
        rows.append(row)
    assert set(rows[0]) == set(CHAIN_COLUMNS)

    report = walk(rows)

    assert (report.verified, report.head, report.broken) == (3, rows[2]["hash"], None)


@pytest.mark.django_db
def test_chain_migration_chains_events_recorded_before_the_chain(three_events):
    """Events stored without hashes (as before the upgrade) are chained in id order, with
    their actor's key; the result verifies."""
    actor = three_events[0].actor
    AuditEvent.objects.update(actor_key="", previous_hash="", hash="")
    assert verify_fails().startswith(f"Audit event {three_events[0].pk} (")

    chain_migration.forwards(apps, None)

    assert verify() == f"3 audit events verify. Head hash: {three_events[2].hash}\n"
    assert set(AuditEvent.objects.values_list("actor_key", flat=True)) == {str(actor.pk)}
    chain_migration.backwards(apps, None)
    assert set(AuditEvent.objects.values_list("hash", flat=True)) == {""}


@pytest.mark.django_db
def test_audit_chain_verify_reports_the_break():
    event = audit_record(actor=None, obj=AgencyFactory(), action="agency_created")
    AuditEvent.objects.filter(pk=event.pk).update(message="changed")
    report = audit_chain_verify()
    assert report.verified == 0
    assert report.head == ""
    assert report.broken is not None
    assert (report.broken.id, report.broken.action) == (event.pk, "agency_created")
