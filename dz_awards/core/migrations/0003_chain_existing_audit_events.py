"""Chain the audit events recorded before the trail was hash-chained, in id order.

The digest is copied here rather than imported, so that this migration keeps
computing the first format of the chain whatever the code does later.
"""

import hashlib
import json
from datetime import UTC

from django.db import migrations

CHAIN_FORMAT = "dz-audit-v1"


def _digest(event, previous_hash):
    content = [
        CHAIN_FORMAT,
        previous_hash,
        event.actor_key,
        event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        f"{event.content_type.app_label}.{event.content_type.model}",
        event.object_id,
        event.object_repr,
        event.action,
        event.from_state,
        event.to_state,
        event.message,
    ]
    serialised = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(serialised.encode()).hexdigest()


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    previous = ""
    events = AuditEvent.objects.order_by("id").select_related("content_type")
    for event in events.iterator(chunk_size=2000):
        event.actor_key = "" if event.actor_id is None else str(event.actor_id)
        event.previous_hash = previous
        event.hash = _digest(event, previous)
        event.save(update_fields=["actor_key", "previous_hash", "hash"])
        previous = event.hash


def backwards(apps, schema_editor):
    apps.get_model("core", "AuditEvent").objects.update(actor_key="", previous_hash="", hash="")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_hash_chain"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
