"""The audit trail's hash chain: how an event's hash is computed, and the walk that checks it.

Each event's hash is SHA-256 over a canonical serialisation of everything that
says what happened (who, what, to which object, the states and message, when)
and the hash of the event before it, in id order. Altering a stored event
changes its hash; removing one breaks the link of the event after it.

A chain can be recomputed from the start by someone who can rewrite every row,
so the head hash that `audit_verify` prints is worth keeping somewhere else
(a ticket, the release notes): a later run must reach the same head or
continue from it.

The serialisation is versioned: a future change of fields gets a new prefix
and leaves the events hashed before it verifiable.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dz_awards.core.models import AuditEvent

CHAIN_FORMAT = "dz-audit-v1"

# The columns a walk reads, by the names `QuerySet.values()` gives them.
CHAIN_COLUMNS = (
    "id",
    "actor_key",
    "created_at",
    "content_type__app_label",
    "content_type__model",
    "object_id",
    "object_repr",
    "action",
    "from_state",
    "to_state",
    "message",
    "previous_hash",
    "hash",
)


def canonical_time(moment: datetime) -> str:
    """The moment in UTC to the microsecond, as every database gives it back."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_digest(
    *,
    previous_hash: str,
    actor_key: str,
    created_at: datetime,
    content_type: str,
    object_id: str,
    object_repr: str,
    action: str,
    from_state: str,
    to_state: str,
    message: str,
) -> str:
    """The SHA-256 (hex) of one event's content and the hash before it.

    `content_type` is "app_label.model", so a database restored elsewhere (with
    other content type ids) still verifies.
    """
    content = [
        CHAIN_FORMAT,
        previous_hash,
        actor_key,
        canonical_time(created_at),
        content_type,
        object_id,
        object_repr,
        action,
        from_state,
        to_state,
        message,
    ]
    serialised = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(serialised.encode()).hexdigest()


def row_digest(row: Mapping[str, Any], previous_hash: str) -> str:
    """`event_digest` of a row read with `CHAIN_COLUMNS`, chained onto `previous_hash`."""
    return event_digest(
        previous_hash=previous_hash,
        actor_key=row["actor_key"],
        created_at=row["created_at"],
        content_type=f"{row['content_type__app_label']}.{row['content_type__model']}",
        object_id=row["object_id"],
        object_repr=row["object_repr"],
        action=row["action"],
        from_state=row["from_state"],
        to_state=row["to_state"],
        message=row["message"],
    )


def event_hash(event: AuditEvent) -> str:
    """The hash an unsaved (or saved) event must carry, given its `previous_hash`."""
    return event_digest(
        previous_hash=event.previous_hash,
        actor_key=event.actor_key,
        created_at=event.created_at,
        content_type=f"{event.content_type.app_label}.{event.content_type.model}",
        object_id=event.object_id,
        object_repr=event.object_repr,
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
        message=event.message,
    )


@dataclass(frozen=True)
class ChainBreak:
    """The first event that does not match, and how."""

    id: int
    created_at: datetime
    action: str
    reason: str


@dataclass(frozen=True)
class ChainReport:
    """What a walk found: how many events verified, the last hash, and the first break."""

    verified: int
    head: str
    broken: ChainBreak | None


def walk(rows: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Check rows (in id order, read with `CHAIN_COLUMNS`) link by link; stop at the first break.

    A row breaks the chain when it does not point at the hash of the row before
    it (a row before it was removed, or its link rewritten) or when its own
    content no longer gives its stored hash (it was altered).
    """
    previous = ""
    verified = 0
    for row in rows:
        reason = ""
        if row["previous_hash"] != previous:
            reason = "it does not point at the event before it (an event was removed or altered)"
        elif row_digest(row, previous) != row["hash"]:
            reason = "its content no longer matches its hash (it was altered)"
        if reason:
            broken = ChainBreak(
                id=row["id"], created_at=row["created_at"], action=row["action"], reason=reason
            )
            return ChainReport(verified=verified, head=previous, broken=broken)
        previous = row["hash"]
        verified += 1
    return ChainReport(verified=verified, head=previous, broken=None)


def audit_chain_verify() -> ChainReport:
    """Walk the whole stored trail in id order (streamed: memory stays flat)."""
    rows = AuditEvent.objects.order_by("id").values(*CHAIN_COLUMNS)
    return walk(rows.iterator(chunk_size=2000))
