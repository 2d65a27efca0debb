"""Bulk actions on the staff nomination list, and its CSV.

A bulk action is the single action repeated: for each chosen nomination, the
same service the nomination's own page calls (so the same checks, the same
audit records, the same emails), each in its own transaction. One nomination
refused never undoes or stops the others; each gets its own result, done or
refused with the service's reason in words. This module changes nothing
itself: it only calls services.

It lives in `reviews` because the actions span two apps (returning, screening
out and messages are the nominations app's; assigning and staging decisions
are the reviews app's), and only `reviews` may import both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from dz_awards.core.errors import REFUSALS, refusal_message
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import Outcome

if TYPE_CHECKING:
    from dz_awards.accounts.models import User


@dataclass(frozen=True)
class BulkInput:
    """What the confirmation page asked for: the message or reason, the outcome."""

    text: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class BulkAction:
    """One action of the list: how it is named, what it asks for, what it runs per item.

    `run` calls the single action's service for one nomination and returns what
    was done, in words; a refusal is raised by the service.
    """

    key: str
    label: str
    # The confirmation page's heading and button, with the count: "Return 20 nominations".
    confirm: str
    text_label: str
    text_help: str
    asks_outcome: bool
    run: Callable[[User, Nomination, BulkInput], str]


def _return(actor: User, nomination: Nomination, data: BulkInput) -> str:
    nomination_services.nomination_return_for_changes(
        actor=actor, nomination=nomination, message=data.text
    )
    return "Returned for changes; the agency has your message."


def _screen_out(actor: User, nomination: Nomination, data: BulkInput) -> str:
    nomination_services.nomination_screen_out(actor=actor, nomination=nomination, reason=data.text)
    return "Screened out as ineligible; the agency has the reason."


def _message(actor: User, nomination: Nomination, data: BulkInput) -> str:
    nomination_services.message_post(user=actor, nomination=nomination, body=data.text)
    return "Message sent to the agency."


def _assign(actor: User, nomination: Nomination, data: BulkInput) -> str:
    created = services.assignment_fill(actor=actor, nomination=nomination)
    return f"{len(created)} reviewer{'' if len(created) == 1 else 's'} assigned."


def _stage(actor: User, nomination: Nomination, data: BulkInput) -> str:
    decision = services.decision_stage(actor=actor, nomination=nomination, outcome=data.outcome)
    return f"Staged as {decision.get_outcome_display().lower()}."


ACTIONS: dict[str, BulkAction] = {
    action.key: action
    for action in (
        BulkAction(
            key="return",
            label="Return for changes",
            confirm="Return {count} for changes",
            text_label="What should each agency change?",
            text_help="Every agency gets this same message, on its nomination and by email.",
            asks_outcome=False,
            run=_return,
        ),
        BulkAction(
            key="screen_out",
            label="Screen out as ineligible",
            confirm="Screen out {count} as ineligible",
            text_label="Why are these nominations ineligible?",
            text_help="Every agency gets this same reason, on its nomination and by email.",
            asks_outcome=False,
            run=_screen_out,
        ),
        BulkAction(
            key="message",
            label="Send a message",
            confirm="Send a message about {count}",
            text_label="Message to each agency",
            text_help="It joins each nomination's conversation; each agency gets it by email.",
            asks_outcome=False,
            run=_message,
        ),
        BulkAction(
            key="assign",
            label="Assign reviewers automatically",
            confirm="Assign reviewers to {count}",
            text_label="",
            text_help="",
            asks_outcome=False,
            run=_assign,
        ),
        BulkAction(
            key="stage",
            label="Stage a decision",
            confirm="Stage a decision for {count}",
            text_label="",
            text_help="",
            asks_outcome=True,
            run=_stage,
        ),
    )
}
# Export changes nothing: it downloads the chosen rows at once, with no confirmation.
EXPORT = "export"
ACTION_CHOICES = [
    *((action.key, action.label) for action in ACTIONS.values()),
    (EXPORT, "Download as CSV"),
]
OUTCOME_CHOICES = Outcome.choices


@dataclass(frozen=True)
class ItemResult:
    """What happened to one nomination: done, or refused and why."""

    nomination_id: str
    title: str
    done: bool
    text: str


def bulk_run(
    *, actor: User, action: BulkAction, nominations: Iterable[Nomination], data: BulkInput
) -> list[ItemResult]:
    """Run `action` for each nomination in turn, each in its own transaction.

    A refusal (the service's `ServiceError`, a validation or permission error, a
    concurrent change) is that nomination's result and the run goes on; so is a
    nomination deleted since it was chosen. Results come in the order given.
    """
    results = []
    for nomination in nominations:
        try:
            with transaction.atomic():
                text = action.run(actor, nomination, data)
        except REFUSALS as error:
            results.append(_result(nomination, done=False, text=refusal_message(error)))
        except Nomination.DoesNotExist:
            results.append(_result(nomination, done=False, text="It was deleted meanwhile."))
        else:
            results.append(_result(nomination, done=True, text=text))
    return results


def _result(nomination: Nomination, *, done: bool, text: str) -> ItemResult:
    return ItemResult(str(nomination.pk), str(nomination), done, text)


def results_to_session(results: Sequence[ItemResult]) -> list[dict[str, Any]]:
    return [asdict(result) for result in results]


def results_from_session(rows: Iterable[dict[str, Any]]) -> list[ItemResult]:
    return [ItemResult(**row) for row in rows]


# The CSV of the list: what the table shows, for every matching row.

CSV_HEADER = (
    "Program",
    "Agency",
    "City",
    "Agency's state",
    "Agency verified",
    "Cycle",
    "Category",
    "Workflow status",
    "Revisions",
    "Files",
    "Submitted",
    "Identity finding",
    "Reviewers disagree",
    "Review overdue",
)


def csv_rows(nominations: Iterable[Nomination]) -> Iterator[list[object]]:
    """One row per nomination of `reviews.selectors.staff_nomination_table`."""
    for n in nominations:
        submitted = n.submitted_at and timezone.localtime(n.submitted_at)
        yield [
            str(n),
            n.agency.name,
            n.agency.city,
            n.agency.state,
            n.agency.is_verified,
            n.cycle.year,
            n.category.label if n.category else "",
            n.get_state_display(),
            n.revision_count,  # type: ignore[attr-defined]
            n.evidence_count,  # type: ignore[attr-defined]
            submitted.strftime("%Y-%m-%d %H:%M") if submitted else "",
            n.has_identity_finding,  # type: ignore[attr-defined]
            n.has_disagreement,  # type: ignore[attr-defined]
            n.has_overdue,  # type: ignore[attr-defined]
        ]
