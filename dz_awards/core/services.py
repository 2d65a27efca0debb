"""Writes shared by every domain: audit events and outbox emails.

Both must be called inside the transaction of the change they record, so that
a rolled-back change leaves neither an audit line nor an email behind.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone

from dz_awards.core.audit_chain import event_hash
from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.core.tasks import deliver_outbox_email


def _require_transaction(model: type[Model]) -> None:
    connection = connections[router.db_for_write(model)]
    if not connection.in_atomic_block:
        msg = f"{model.__name__} must be written inside the transaction of the change it records."
        raise RuntimeError(msg)


def site_url(path: str) -> str:
    """The absolute address of a site path, for links in emails (from SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


# Any constant will do: PostgreSQL's advisory locks are named by a number ("DZAU").
AUDIT_CHAIN_LOCK = 0x445A4155


def _lock_audit_chain() -> None:
    """Hold the chain until this transaction ends, so two never chain onto one event.

    On PostgreSQL a transaction-level advisory lock, taken when the
    transaction records its first event; a second transaction waits for it
    here, then reads the head the first one committed. SQLite allows one
    writing transaction at a time (IMMEDIATE mode), which is the same promise.
    Services take their row locks first and record their events last, so the
    wait never runs the other way round.
    """
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])


def audit_record(
    *,
    actor: Any,
    obj: Model,
    action: str,
    from_state: object = "",
    to_state: object = "",
    message: str = "",
    at: datetime | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `obj` (in the caller's transaction).

    Steps: lock the chain; read the hash of the last event; build the event
    (at `at`, now by default: the demo tells stories that happened earlier)
    with its hash over its content and that previous hash; insert it.
    """
    _require_transaction(AuditEvent)
    _lock_audit_chain()
    previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    signed_in = actor is not None and actor.is_authenticated
    event = AuditEvent(
        actor=actor if signed_in else None,
        actor_key=str(actor.pk) if signed_in else "",
        created_at=at or timezone.now(),
        content_type=ContentType.objects.get_for_model(obj),
        # As text now, as the database gives it back: the hash covers it.
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        message=message,
        previous_hash=previous or "",
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    return event


def outbox_enqueue(
    *, key: str, to: str, subject: str, template: str, context: dict[str, Any]
) -> OutboxEmail:
    """Queue one email, idempotent per `key`, and deliver it after commit.

    Steps: render the plain-text body from `template`; create the outbox row
    unless one with this key exists; after the transaction commits, hand the
    row to the background worker. Returns the row.
    """
    return outbox_enqueue_text(
        key=key, to=to, subject=subject, body=render_to_string(template, context)
    )


def outbox_enqueue_text(*, key: str, to: str, subject: str, body: str) -> OutboxEmail:
    """Queue one email whose plain-text body is already written (idempotent per `key`).

    For wording program staff edited (`dz_awards.core.placeholders`), which is
    filled in as text and never rendered as a template.
    """
    _require_transaction(OutboxEmail)
    # Names typed by users end up in subjects; a header never spans lines.
    subject = " ".join(subject.split())[:300]
    email, created = OutboxEmail.objects.get_or_create(
        key=key, defaults={"to": to, "subject": subject, "body": body}
    )
    if created:
        transaction.on_commit(lambda: deliver_outbox_email.enqueue(email.pk))
    return email


def outbox_enqueue_each(
    people: Iterable[Any], *, key: str, subject: str, template: str, context: dict[str, Any]
) -> list[OutboxEmail]:
    """Queue one email per person, keyed `<key>:<person pk>`; each gets `user` in its context.

    Every email that goes to a list of people (an agency's members, its owners,
    program staff) goes through this one loop.
    """
    return [
        outbox_enqueue(
            key=f"{key}:{person.pk}",
            to=person.email,
            subject=subject,
            template=template,
            context={"user": person, **context},
        )
        for person in people
    ]
