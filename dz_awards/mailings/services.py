"""Staff's messages to every nominating agency of a cycle, a category or a state.

A message goes through the outbox: one email to each active member of each
agency, keyed `bulk-message:<message>:<agency>:<person>`, so that however
often it is queued, each person gets it once. The confirmation form carries
a token: submitting it twice finds the first message and sends nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from dz_awards.accounts.rules import is_program_staff
from dz_awards.core.errors import ServiceError
from dz_awards.core.placeholders import fill, one_line, subject_and_body_problems
from dz_awards.core.services import audit_record, outbox_enqueue_text, site_url
from dz_awards.mailings.models import BulkMessage, BulkMessageRecipient
from dz_awards.mailings.selectors import message_reach
from dz_awards.nominations.emails import moment_text

if TYPE_CHECKING:
    from dz_awards.accounts.models import User
    from dz_awards.agencies.models import Agency
    from dz_awards.cycles.models import Category, Cycle

# What a message to agencies may use, for the list beside the form.
MESSAGE_PLACEHOLDERS: dict[str, str] = {
    "recipient_name": "The name of the person who gets the email (or “there”).",
    "agency_name": "The agency's name.",
    "cycle_name": "The cycle's name.",
    "deadline": "The cycle's deadline, in Eastern time.",
    "link": "The address of the agency's dashboard.",
}


class MailingError(ServiceError):
    """A message that cannot be sent; the message says why."""


def message_problems(*, subject: str, body: str) -> dict[str, list[str]]:
    """What is wrong with a message's subject and body, per field (empty: nothing)."""
    return subject_and_body_problems(
        subject, body, MESSAGE_PLACEHOLDERS, empty_body="Write the text of the message."
    )


def message_values(cycle: Cycle, agency: Agency, person: User | None) -> dict[str, str]:
    """What each placeholder stands for in the message to `person` of `agency`."""
    return {
        "recipient_name": (person.full_name if person else "") or "there",
        "agency_name": agency.name,
        "cycle_name": cycle.name,
        "deadline": moment_text(cycle.closes_at),
        "link": site_url(reverse("portal:dashboard")),
    }


def message_render(
    cycle: Cycle, agency: Agency, person: User | None, *, subject: str, body: str
) -> tuple[str, str]:
    """The subject (one line) and body one person reads, placeholders filled in as text."""
    values = message_values(cycle, agency, person)
    return one_line(fill(subject, values)), fill(body, values)


@transaction.atomic
def bulk_message_send(
    *,
    actor: User,
    token: UUID,
    cycle: Cycle,
    category: Category | None,
    state: str,
    subject: str,
    body: str,
) -> tuple[BulkMessage, bool]:
    """Send one message to every nominating agency chosen; returns (message, sent now).

    Steps: check the actor is program staff and the placeholders; find the
    message already sent with this `token` (a double submit: nothing more is
    sent); choose the agencies (`selectors.nominating_agencies`); record the
    message and each agency; queue one outbox email per active member; audit.
    """
    if not is_program_staff(actor):
        raise PermissionDenied
    if category is not None and category.cycle_id != cycle.pk:
        raise MailingError("That category belongs to another cycle.")
    problems = message_problems(subject=subject, body=body)
    if problems:
        raise MailingError(" ".join(text for each in problems.values() for text in each))
    existing = BulkMessage.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    reach = message_reach(cycle, category=category, state=state)
    if not reach.agencies:
        raise MailingError("No agency has a submitted nomination that matches: nothing was sent.")
    try:
        with transaction.atomic():
            message = BulkMessage.objects.create(
                token=token,
                cycle=cycle,
                category=category,
                state=state,
                subject=subject.strip(),
                body=body,
                sent_by=actor,
            )
    except IntegrityError:
        # The same form submitted twice at once: the other request sent it.
        return BulkMessage.objects.get(token=token), False
    BulkMessageRecipient.objects.bulk_create(
        BulkMessageRecipient(
            message=message,
            agency=agency,
            agency_name=agency.name,
            people=len(reach.people[agency.pk]),
        )
        for agency in reach.agencies
    )
    for agency in reach.agencies:
        for person in reach.people[agency.pk]:
            person_subject, person_body = message_render(
                cycle, agency, person, subject=message.subject, body=body
            )
            outbox_enqueue_text(
                key=f"{message.outbox_key}{agency.pk}:{person.pk}",
                to=person.email,
                subject=person_subject,
                body=person_body,
            )
    audit_record(
        actor=actor,
        obj=message,
        action="bulk_message_sent",
        message=(
            f"{len(reach.agencies)} agencies, {reach.recipients} emails. Subject: {message.subject}"
        ),
    )
    return message, True
