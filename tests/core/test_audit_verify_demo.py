"""`audit_verify` on the demo world: the whole trail the demo writes verifies, and one
altered or removed event is named. The world is built once for the module."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dz_awards.core.models import AuditEvent
from tests.demo.worlds import shared_world


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo after `demo_data` and its worker's tasks, shared by the module's tests."""
    with shared_world(
        django_db_blocker, tmp_path_factory.mktemp("demo-media"), run_tasks=True
    ) as world:
        yield world


@pytest.fixture
def demo(demo_world, db):
    return demo_world


def verify():
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def middle_event():
    """An event in the middle of the trail, by id."""
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    return AuditEvent.objects.get(pk=ids[len(ids) // 2])


def test_audit_verify_demo_trail_verifies(demo):
    count = AuditEvent.objects.count()
    head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    assert count > 50
    assert verify() == f"{count} audit events verify. Head hash: {head}\n"


def test_audit_verify_demo_event_altered_is_named(demo):
    event = middle_event()
    AuditEvent.objects.filter(pk=event.pk).update(message=event.message + " (edited)")
    when = timezone.localtime(event.created_at).isoformat(timespec="seconds")
    before = AuditEvent.objects.filter(id__lt=event.pk).count()

    with pytest.raises(CommandError) as raised:
        verify()

    assert str(raised.value) == (
        f"Audit event {event.pk} ({when}, {event.action}) does not match: its content no "
        f"longer matches its hash (it was altered). {before} events before it verify."
    )


def test_audit_verify_demo_event_deleted_names_the_next(demo):
    event = middle_event()
    following = AuditEvent.objects.filter(id__gt=event.pk).order_by("id").first()
    AuditEvent.objects.filter(pk=event.pk).delete()
    when = timezone.localtime(following.created_at).isoformat(timespec="seconds")

    with pytest.raises(CommandError) as raised:
        verify()

    assert str(raised.value).startswith(
        f"Audit event {following.pk} ({when}, {following.action}) does not match: it does "
        "not point at the event before it (an event was removed or altered)."
    )
