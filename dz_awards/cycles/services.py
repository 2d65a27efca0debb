"""Changes program staff make to a cycle: the wording of its emails to agencies.

Each runs in one transaction, checks that the actor is program staff and
records an audit event. (Cycles and categories themselves are set up in the
audited admin.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dz_awards.accounts.rules import is_program_staff
from dz_awards.core.errors import ServiceError
from dz_awards.core.placeholders import subject_and_body_problems
from dz_awards.core.services import audit_record
from dz_awards.cycles.emails import DEFAULTS, EmailKind
from dz_awards.cycles.models import Cycle, EmailTemplate

if TYPE_CHECKING:
    from dz_awards.accounts.models import User


class EmailTemplateError(ServiceError):
    """Email wording that cannot be saved; the message says why."""


def email_template_problems(kind: EmailKind, *, subject: str, body: str) -> dict[str, list[str]]:
    """What is wrong with a subject and body for `kind`, per field (empty: nothing).

    The subject is one line (a header never spans lines); both may use only
    the placeholders `kind` lists, written correctly.
    """
    return subject_and_body_problems(
        subject, body, DEFAULTS[kind].placeholders, empty_body="Write the text of the email."
    )


@transaction.atomic
def email_template_save(
    *, actor: User, cycle: Cycle, kind: EmailKind, subject: str, body: str
) -> EmailTemplate:
    """Give `cycle` its own wording for `kind` (replacing any earlier one).

    Steps: check the actor is program staff; check the placeholders (an
    unknown or malformed one is refused, never sent as a blank); lock and
    write the row; audit.
    """
    if not is_program_staff(actor):
        raise PermissionDenied
    problems = email_template_problems(kind, subject=subject, body=body)
    if problems:
        raise EmailTemplateError(" ".join(text for each in problems.values() for text in each))
    row = EmailTemplate.objects.select_for_update().filter(cycle=cycle, kind=kind).first()
    created = row is None
    if row is None:
        row = EmailTemplate(cycle=cycle, kind=kind)
    row.subject = subject.strip()
    row.body = body
    row.updated_by = actor
    row.save()
    audit_record(
        actor=actor,
        obj=row,
        action="email_template_created" if created else "email_template_changed",
        message=f"{kind.label}. Subject: {row.subject}",
    )
    return row


@transaction.atomic
def email_template_reset(*, actor: User, cycle: Cycle, kind: EmailKind) -> bool:
    """Go back to the default wording of `kind` for `cycle`; False when it had none."""
    if not is_program_staff(actor):
        raise PermissionDenied
    deleted, _ = EmailTemplate.objects.filter(cycle=cycle, kind=kind).delete()
    if deleted:
        audit_record(actor=actor, obj=cycle, action="email_template_reset", message=f"{kind.label}")
    return bool(deleted)
