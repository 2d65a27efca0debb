"""Writes shared by every domain: audit events and outbox emails.

Both must be called inside the transaction of the change they record, so that
a rolled-back change leaves neither an audit line nor an email behind.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Model
from django.template.loader import render_to_string

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


def audit_record(
    *,
    actor: Any,
    obj: Model,
    action: str,
    from_state: object = "",
    to_state: object = "",
    message: str = "",
) -> AuditEvent:
    """Record that `actor` did `action` to `obj` (in the caller's transaction)."""
    _require_transaction(AuditEvent)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject=obj,
        object_repr=str(obj)[:300],
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        message=message,
    )


def outbox_enqueue(
    *, key: str, to: str, subject: str, template: str, context: dict[str, Any]
) -> OutboxEmail:
    """Queue one email, idempotent per `key`, and deliver it after commit.

    Steps: render the plain-text body from `template`; create the outbox row
    unless one with this key exists; after the transaction commits, hand the
    row to the background worker. Returns the row.
    """
    _require_transaction(OutboxEmail)
    body = render_to_string(template, context)
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
