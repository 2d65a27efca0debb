"""The emails about a cycle's nominations whose wording staff may change per cycle.

The default wording of each kind stays where it always was, in its template
file (`templates/<app>/email/*.txt`). A cycle may replace it with its own
subject and body (`EmailTemplate`), written in plain text with the
placeholders that kind lists here; `dz_awards.core.placeholders` checks and
fills them. Only emails to the nominating agency are here: the reviewers'
emails stay fixed, because a placeholder such as {agency_name} in one of them
would break blind review.

Each kind names its default template and, for the editor's starting text, a
stand-in context whose every value is the placeholder itself: rendering the
default file with it gives the default wording with placeholders in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import models
from django.template.loader import render_to_string


class EmailKind(models.TextChoices):
    """Each email to an agency about one of its nominations, in the order they happen."""

    RECEIPT = "receipt", "Nomination received"
    RETURNED = "returned", "Returned for changes"
    INELIGIBLE = "ineligible", "Screened out (not eligible)"
    MESSAGE = "message", "New message from program staff"
    WITHDRAWN = "withdrawn", "Nomination withdrawn"
    OUTCOME_WINNER = "outcome_winner", "Decision: winner"
    OUTCOME_FINALIST = "outcome_finalist", "Decision: finalist"
    OUTCOME_NOT_SELECTED = "outcome_not_selected", "Decision: not selected"


# What each placeholder is replaced with, for the list beside the editor.
PLACEHOLDERS: dict[str, str] = {
    "recipient_name": "The name of the person who gets the email (or “there”).",
    "agency_name": "The agency's name.",
    "nomination_title": "The nomination's title.",
    "cycle_name": "The cycle's name, e.g. 2027 Destination Zero Awards.",
    "category": "The nomination's category (empty when none is chosen).",
    "deadline": "The cycle's deadline, in Eastern time.",
    "link": "The address of the nomination's page.",
    "revision_number": "The number of the revision just submitted.",
    "submitted_at": "When it was submitted, in Eastern time.",
    "submission_copy": "A copy of every answer submitted (several lines).",
    "staff_message": "What program staff wrote to the agency.",
    "message": "The text of the new message.",
    "withdrawn_by": "Who withdrew the nomination.",
    "feedback_link": (
        "The address of the reviewers' feedback on the nomination (empty when the cycle"
        " does not share it)."
    ),
}

COMMON = (
    "recipient_name",
    "agency_name",
    "nomination_title",
    "cycle_name",
    "category",
    "deadline",
    "link",
)


class _Standin(SimpleNamespace):
    """An object whose text is a placeholder, with attributes that are placeholders too."""

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class EmailDefault:
    """One kind's default: when it is sent, its template, subject and placeholders."""

    kind: EmailKind
    sent_when: str
    template: str
    subject: str
    extra: tuple[str, ...] = ()
    standins: dict[str, Any] = field(default_factory=dict)

    @property
    def placeholders(self) -> tuple[str, ...]:
        return COMMON + self.extra

    def starting_body(self) -> str:
        """The default wording with placeholders where the data goes (the editor starts here)."""
        nomination = _Standin(
            text="{nomination_title}",
            agency={"name": "{agency_name}"},
            cycle={"name": "{cycle_name}"},
            category={"label": "{category}"},
        )
        context = {
            "user": {"full_name": "{recipient_name}"},
            "name": "{recipient_name}",
            "nomination": nomination,
            "url": "{link}",
            **self.standins,
        }
        return render_to_string(self.template, context).rstrip("\n") + "\n"


_OUTCOME = "Decision on your nomination: {nomination_title}"

DEFAULTS: dict[EmailKind, EmailDefault] = {
    each.kind: each
    for each in (
        EmailDefault(
            EmailKind.RECEIPT,
            "to the person who submits, with a copy of what was submitted",
            "nominations/email/receipt.txt",
            "Received: {nomination_title} (revision {revision_number})",
            ("revision_number", "submitted_at", "submission_copy"),
            {
                "revision": {"number": "{revision_number}"},
                "submitted_at": "{submitted_at}",
                "copy": "{submission_copy}",
            },
        ),
        EmailDefault(
            EmailKind.RETURNED,
            "to the agency's members when staff return a nomination for changes",
            "nominations/email/returned.txt",
            "Changes requested: {nomination_title}",
            ("staff_message",),
            {"message": "{staff_message}"},
        ),
        EmailDefault(
            EmailKind.INELIGIBLE,
            "to the agency's members when staff screen a nomination out",
            "nominations/email/ineligible.txt",
            "Not eligible: {nomination_title}",
            ("staff_message",),
            {"message": "{staff_message}"},
        ),
        EmailDefault(
            EmailKind.MESSAGE,
            "to the agency's members when staff write in a nomination's conversation",
            "nominations/email/message.txt",
            "New message about {nomination_title}",
            ("message",),
            {"message": {"body": "{message}"}},
        ),
        EmailDefault(
            EmailKind.WITHDRAWN,
            "to the agency's members when a nomination is withdrawn",
            "nominations/email/withdrawn.txt",
            "Withdrawn: {nomination_title}",
            ("withdrawn_by",),
            {"actor": {"full_name": "{withdrawn_by}", "email": "{withdrawn_by}"}},
        ),
        EmailDefault(
            EmailKind.OUTCOME_WINNER,
            "to the agency's members when decisions are released: a winner",
            "reviews/email/outcome.txt",
            _OUTCOME,
            extra=("feedback_link",),
            standins={"outcome": "winner"},
        ),
        EmailDefault(
            EmailKind.OUTCOME_FINALIST,
            "to the agency's members when decisions are released: a finalist",
            "reviews/email/outcome.txt",
            _OUTCOME,
            extra=("feedback_link",),
            standins={"outcome": "finalist"},
        ),
        EmailDefault(
            EmailKind.OUTCOME_NOT_SELECTED,
            "to the agency's members when decisions are released: not selected",
            "reviews/email/outcome.txt",
            _OUTCOME,
            extra=("feedback_link",),
            standins={"outcome": "not_selected"},
        ),
    )
}


def outcome_kind(outcome: str) -> EmailKind:
    """The kind of the decision email for a released outcome ("winner", "finalist", …)."""
    return EmailKind(f"outcome_{outcome}")
