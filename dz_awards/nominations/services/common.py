"""What every nomination service shares: the errors, the lock, the checks and the
agency's email.

Other apps (review, decisions) move a nomination through `nomination_lock` and
`nomination_transition` and tell its agency through `nomination_email_agency`,
so that every change to one nomination is serialised and reported the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from dz_awards.agencies.services import agency_email_members
from dz_awards.core.errors import ServiceError
from dz_awards.core.fsm import make_transition
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import site_url
from dz_awards.cycles.emails import EmailKind
from dz_awards.nominations import rules
from dz_awards.nominations.content import TEXT_FIELDS, clean_outcomes
from dz_awards.nominations.emails import cycle_wording, wording_email_agency
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination

if TYPE_CHECKING:
    from dz_awards.accounts.models import User
    from dz_awards.nominations.validation import Problem

S = NominationState


class NominationError(ServiceError):
    """A change to a nomination that cannot be made now; the message says why."""


class IncompleteNominationError(NominationError):
    """Submission refused: `problems` lists every answer still missing or too long."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("The nomination is not complete yet.")


def nomination_lock(nomination: Nomination) -> Nomination:
    """The nomination's row again, locked for the caller's transaction.

    Other apps (review, decisions) lock a nomination through this before they
    move it, so that every change to one nomination is serialised the same way.
    A row deleted since it was read raises `Nomination.DoesNotExist` that is also a 404
    (`core.rows.row_or_gone`).
    """
    # of=("self",): lock the nomination's row only. PostgreSQL refuses FOR UPDATE on the
    # outer join that the optional category needs, and agency and cycle need no lock.
    return row_or_gone(
        Nomination.objects.select_for_update(of=("self",)).select_related(
            "agency", "cycle", "category"
        ),
        pk=nomination.pk,
    )


def require_member(user: User, nomination: Nomination) -> None:
    """PermissionDenied unless `user` may act for the nomination's agency."""
    if not rules.can_act_for(nomination, user):
        raise PermissionDenied


def require_editable(nomination: Nomination) -> None:
    """NominationError unless the agency may still change the nomination's text and files."""
    if not nomination.is_editable:
        raise NominationError(
            f"This nomination is {nomination.get_state_display().lower()} and can no longer be "
            "changed here."
        )


def nomination_email_agency(
    nomination: Nomination,
    *,
    key: str,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    kind: EmailKind | None = None,
    values: dict[str, str] | None = None,
) -> None:
    """One outbox email about `nomination` to each active member of its agency.

    Each is rendered with `nomination` and `url` (the nomination's page) besides
    `context`. When the cycle has its own wording for `kind`, that is sent
    instead, its placeholders filled with the nomination's data and `values`.
    Call inside the transaction of the change it reports.
    """
    wording = cycle_wording(nomination, kind)
    if wording is not None:
        wording_email_agency(wording, nomination, key=key, extra=values)
        return
    agency_email_members(
        nomination.agency,
        key=key,
        subject=subject,
        template=template,
        context={
            "nomination": nomination,
            "url": site_url(nomination.get_absolute_url()),
            **(context or {}),
        },
    )


def nomination_transition(
    nomination: Nomination, method_name: str, user: User, *, busy_message: str
) -> str:
    """Check permission and state for one transition, then make it (without saving).

    The caller holds the lock (`nomination_lock`), saves with `update_fields` and
    records the audit event. Refusals are `NominationError` (wrong state, with
    `{state}` filled into `busy_message`) or `PermissionDenied`. Returns the state
    it left.
    """
    return make_transition(
        nomination, method_name, user, busy_message=busy_message, error=NominationError
    )


def nomination_apply_content(nomination: Nomination, content: dict[str, Any]) -> list[str]:
    """Copy known fields from `content` onto `nomination` in memory; returns the names changed.

    Nothing is saved: services save; the draft-conflict page uses it to compare.
    """
    changed = []
    for name in [*TEXT_FIELDS, "participation", "head_attestation", "start_date"]:
        if name in content and getattr(nomination, name) != content[name]:
            setattr(nomination, name, content[name])
            changed.append(name)
    if "outcomes" in content:
        rows = clean_outcomes(content["outcomes"])
        if rows != nomination.outcomes:
            nomination.outcomes = rows
            changed.append("outcomes")
    if "category" in content:
        category = content["category"]
        category_id = category.pk if category else None
        if category_id != nomination.category_id:
            nomination.category = category
            changed.append("category")
    return changed
