"""Emails about a nomination in the wording its cycle chose (see `cycles.emails`).

A cycle may replace the default wording of an email to agencies with its own
plain text with placeholders. The services that send those emails ask here
first: with a cycle's own wording, the placeholders are filled in with the
nomination's data as text (never through the template engine, so a title or
message holding template syntax or markup stays what the agency typed) and
queued through the outbox with the same idempotency keys as the default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import dateformat, timezone

from dz_awards.agencies.selectors import active_members
from dz_awards.core.placeholders import fill, one_line
from dz_awards.core.services import outbox_enqueue_text, site_url
from dz_awards.cycles.emails import DEFAULTS, EmailKind
from dz_awards.cycles.models import EmailTemplate
from dz_awards.nominations.enums import STAFF_VISIBLE_STATES
from dz_awards.nominations.models import Nomination, NominationMessage
from dz_awards.nominations.snapshots import readable_items

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from dz_awards.accounts.models import User
    from dz_awards.core.models import OutboxEmail
    from dz_awards.cycles.models import Cycle

# The moment format of the default emails ("December 1, 2026, 5:00 PM EST").
MOMENT_FORMAT = "F j, Y, g:i A T"


def moment_text(moment: datetime) -> str:
    """A moment as the emails write it, in the site's (Eastern) time."""
    return dateformat.format(timezone.localtime(moment), MOMENT_FORMAT)


def submission_copy(items: Iterable[tuple[str, str]]) -> str:
    """The copy of a submission in a receipt: each answer under its label."""
    return "\n\n".join(f"== {label} ==\n{text or '(not answered)'}" for label, text in items)


def nomination_email_values(
    nomination: Nomination, *, recipient: User | None, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """What each placeholder stands for in an email about `nomination` to `recipient`."""
    category = nomination.category
    return {
        "recipient_name": (recipient.full_name if recipient else "") or "there",
        "agency_name": nomination.agency.name,
        "nomination_title": str(nomination),
        "cycle_name": nomination.cycle.name,
        "category": category.label if category else "",
        "deadline": moment_text(nomination.cycle.closes_at),
        "link": site_url(nomination.get_absolute_url()),
        **(extra or {}),
    }


def cycle_wording(nomination: Nomination, kind: EmailKind | None) -> EmailTemplate | None:
    """The nomination's cycle's own wording for `kind`, if it has one."""
    if kind is None:
        return None
    return EmailTemplate.objects.filter(cycle_id=nomination.cycle_id, kind=kind).first()


def render_wording(subject: str, body: str, values: Mapping[str, str]) -> tuple[str, str]:
    """A subject (on one line) and body with their placeholders filled in as text."""
    return one_line(fill(subject, values)), fill(body, values)


def wording_enqueue(
    wording: EmailTemplate,
    nomination: Nomination,
    *,
    key: str,
    recipient: User,
    extra: Mapping[str, str] | None = None,
) -> OutboxEmail:
    """Queue the cycle's wording for one person, keyed `key` (call inside the change's
    transaction, like every outbox email)."""
    values = nomination_email_values(nomination, recipient=recipient, extra=extra)
    subject, body = render_wording(wording.subject, wording.body, values)
    return outbox_enqueue_text(key=key, to=recipient.email, subject=subject, body=body)


def wording_email_agency(
    wording: EmailTemplate,
    nomination: Nomination,
    *,
    key: str,
    extra: Mapping[str, str] | None = None,
) -> list[OutboxEmail]:
    """The cycle's wording to each active member of the agency, keyed `<key>:<person pk>`
    as `nominations.services.nomination_email_agency` keys the default."""
    return [
        wording_enqueue(
            wording, nomination, key=f"{key}:{person.pk}", recipient=person, extra=extra
        )
        for person in active_members(nomination.agency)
    ]


# Stand-ins for the values only a moment in the workflow gives, when previewing.
SAMPLE_EXTRA = {
    "revision_number": "1",
    "submission_copy": "== Program title ==\n(The agency's answers appear here.)",
    "staff_message": "(What program staff write to the agency appears here.)",
    "message": "(The message appears here.)",
    "withdrawn_by": "(The person who withdrew it)",
    "feedback_link": "(The address of the reviewers' feedback, when the cycle shares it)",
}


def preview_nomination(cycle: Cycle) -> Nomination | None:
    """The nomination a preview shows: the cycle's most recently submitted one."""
    return (
        Nomination.objects.filter(cycle=cycle, state__in=STAFF_VISIBLE_STATES)
        .select_related("agency", "cycle", "category")
        .order_by(F("submitted_at").desc(nulls_last=True), "-created_at")
        .first()
    )


def _preview_extra(nomination: Nomination) -> dict[str, str]:
    """The workflow's own values where the nomination has them (its revision, its message)."""
    extra = dict(SAMPLE_EXTRA, submitted_at=moment_text(timezone.now()))
    revision = nomination.revisions.order_by("-number").first()
    if revision is not None:
        extra["revision_number"] = str(revision.number)
        extra["submitted_at"] = moment_text(revision.created_at)
        extra["submission_copy"] = submission_copy(readable_items(revision.content))
    if nomination.staff_message:
        extra["staff_message"] = nomination.staff_message
    message = (
        NominationMessage.objects.filter(nomination=nomination, from_staff=True)
        .order_by("-created_at")
        .first()
    )
    if message is not None:
        extra["message"] = message.body
    return extra


def sample_values(cycle: Cycle) -> dict[str, str]:
    """Placeholder values for a cycle with no submitted nomination yet."""
    return {
        "recipient_name": "Jordan Lee",
        "agency_name": "Sample County Sheriff's Office",
        "nomination_title": "Sample Officer Wellness Program",
        "cycle_name": cycle.name,
        "category": "Officer Wellness",
        "deadline": moment_text(cycle.closes_at),
        "link": site_url("/nominations/"),
        **SAMPLE_EXTRA,
        "submitted_at": moment_text(timezone.now()),
    }


def email_preview(
    cycle: Cycle, kind: EmailKind, *, subject: str | None = None, body: str | None = None
) -> tuple[str, str, Nomination | None]:
    """The email of `kind` as an agency of `cycle` would read it, with real data.

    `subject` and `body` are the wording to show (typed, not yet saved); by
    default the cycle's own wording, else the default one. Filled in with the
    cycle's most recent nomination and its first member, or sample values
    when the cycle has none. Returns (subject, body, the nomination used).
    """
    default = DEFAULTS[kind]
    if subject is None or body is None:
        wording = EmailTemplate.objects.filter(cycle=cycle, kind=kind).first()
        subject = wording.subject if wording else default.subject
        body = wording.body if wording else default.starting_body()
    nomination = preview_nomination(cycle)
    if nomination is None:
        values = sample_values(cycle)
    else:
        members = active_members(nomination.agency)
        values = nomination_email_values(
            nomination,
            recipient=members[0] if members else None,
            extra=_preview_extra(nomination),
        )
    rendered_subject, rendered_body = render_wording(subject, body, values)
    return rendered_subject, rendered_body, nomination
