"""Drafts: start, renew, save, resolve edit conflicts, delete and move to another year.

A draft saves whatever is typed (limits are checked on submission), and a save
from a stale copy never overwrites: its text is kept as a `DraftConflict` for
the person to resolve answer by answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dz_awards.agencies.rules import is_agency_member
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record
from dz_awards.cycles.models import Category, Cycle
from dz_awards.cycles.selectors import category_same_as
from dz_awards.nominations.models import DraftConflict, Nomination, snapshot_fields
from dz_awards.nominations.services.common import (
    NominationError,
    S,
    nomination_apply_content,
    nomination_lock,
    require_editable,
    require_member,
)

if TYPE_CHECKING:
    from collections.abc import Collection

    from dz_awards.accounts.models import User
    from dz_awards.agencies.models import Agency


@dataclass(frozen=True)
class DraftSaveResult:
    """What a draft save did: saved, or kept the text as `conflict` (nothing overwritten)."""

    nomination: Nomination
    conflict: DraftConflict | None = None

    @property
    def saved(self) -> bool:
        return self.conflict is None


@transaction.atomic
def nomination_create(
    *,
    user: User,
    agency: Agency,
    cycle: Cycle,
    category: Category | None = None,
    title: str = "",
) -> Nomination:
    """Start a draft for `agency` in `cycle` (open or not yet open)."""
    if not is_agency_member(user, agency.pk):
        raise PermissionDenied
    if cycle.has_closed():
        raise NominationError(f"The deadline for {cycle.name} has passed.")
    if category is not None and category.cycle_id != cycle.pk:
        raise NominationError("Choose a category of this cycle.")
    nomination = Nomination.objects.create(
        agency=agency,
        cycle=cycle,
        category=category,
        title=title,
        created_by=user,
        updated_by=user,
        submitter_name=user.full_name,
        submitter_title=user.job_title,
        submitter_email=user.email,
    )
    audit_record(actor=user, obj=nomination, action="nomination_created", to_state=S.DRAFT)
    return nomination


@transaction.atomic
def nomination_renew(*, user: User, previous: Nomination, cycle: Cycle) -> Nomination:
    """A new draft in `cycle` with the text of an earlier nomination, linked to it.

    Copies the answers only: not the state, the files or anything staff wrote.
    The category is carried over when the new cycle has one with the same code.
    """
    if not is_agency_member(user, previous.agency_id):
        raise PermissionDenied
    if previous.cycle_id == cycle.pk:
        raise NominationError("Start from a nomination of an earlier year.")
    nomination = nomination_create(
        user=user,
        agency=previous.agency,
        cycle=cycle,
        category=category_same_as(previous.category, cycle=cycle),
    )
    for name in snapshot_fields():
        setattr(nomination, name, getattr(previous, name))
    # The attestation is for this year's text: the head of the agency confirms it again.
    nomination.head_attestation = False
    nomination.previous = previous
    nomination.save()
    audit_record(
        actor=user,
        obj=nomination,
        action="nomination_renewed",
        message=f"Started from {previous} ({previous.cycle.year}).",
    )
    return nomination


@transaction.atomic
def nomination_save_draft(
    *, user: User, nomination: Nomination, content: dict[str, Any], version: int
) -> DraftSaveResult:
    """Save typed text without checking it, unless the editor's copy is stale.

    `version` is the version the editor loaded. If the nomination has been saved
    since (another tab, another person), nothing is overwritten: the editor's
    text is kept as a `DraftConflict` for them to resolve.
    """
    nomination = nomination_lock(nomination)
    require_member(user, nomination)
    require_editable(nomination)
    if version != nomination.version:
        return DraftSaveResult(nomination, _keep_conflict(nomination, user, version, content))
    changed = nomination_apply_content(nomination, content)
    if changed:
        nomination.version += 1
        nomination.updated_at = timezone.now()
        nomination.updated_by = user
        nomination.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    return DraftSaveResult(nomination)


# A stale tab autosaving every 30 seconds would otherwise add a copy each time: past
# this many open copies per person and nomination, the newest one is updated instead
# (each save carries the whole form, so the newest copy holds that tab's latest text).
MAX_OPEN_CONFLICTS = 5


def _keep_conflict(
    nomination: Nomination, user: User, version: int, content: dict[str, Any]
) -> DraftConflict:
    data = _serialisable(content)
    open_conflicts = DraftConflict.objects.filter(
        nomination=nomination, user=user, resolved_at__isnull=True
    ).order_by("-created_at", "-pk")
    newest = open_conflicts.first()
    if newest is not None and (
        newest.base_version == version or open_conflicts.count() >= MAX_OPEN_CONFLICTS
    ):
        # The same stale copy saving again (or too many copies): keep its latest text.
        newest.base_version, newest.content = version, data
        newest.save(update_fields=["base_version", "content"])
        return newest
    return DraftConflict.objects.create(
        nomination=nomination, user=user, base_version=version, content=data
    )


def _serialisable(content: dict[str, Any]) -> dict[str, Any]:
    data = dict(content)
    if data.get("category") is not None:
        data["category"] = data["category"].pk
    if data.get("start_date") is not None:
        data["start_date"] = data["start_date"].isoformat()
    return data


def conflict_content(conflict: DraftConflict) -> dict[str, Any]:
    """A conflict's kept text, with the category and date as model values again."""
    data = dict(conflict.content)
    if data.get("category"):
        data["category"] = Category.objects.filter(
            pk=data["category"], cycle_id=conflict.nomination.cycle_id
        ).first()
    if data.get("start_date"):
        data["start_date"] = date.fromisoformat(data["start_date"])
    return data


@transaction.atomic
def nomination_resolve_conflict(
    *, user: User, conflict: DraftConflict, take_mine: Collection[str], version: int
) -> Nomination:
    """Keep the saved text, except the fields in `take_mine`, taken from the kept copy.

    `version` is the saved version shown on the conflict screen; if it moved
    again meanwhile, nothing changes and the screen is shown afresh.
    """
    nomination = nomination_lock(conflict.nomination)
    require_member(user, nomination)
    require_editable(nomination)
    conflict = row_or_gone(DraftConflict.objects.select_for_update(), pk=conflict.pk)
    if conflict.resolved_at:
        raise NominationError("These edits have already been dealt with.")
    if version != nomination.version:
        raise NominationError(
            "The nomination was saved again while you were choosing. Compare once more."
        )
    mine = conflict_content(conflict)
    changed = nomination_apply_content(
        nomination, {k: v for k, v in mine.items() if k in take_mine}
    )
    if changed:
        nomination.version += 1
        nomination.updated_at = timezone.now()
        nomination.updated_by = user
        nomination.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["resolved_at"])
    audit_record(
        actor=user,
        obj=nomination,
        action="edit_conflict_resolved",
        message="Kept from the other copy: " + (", ".join(changed) or "nothing"),
    )
    return nomination


@transaction.atomic
def nomination_delete(*, user: User, nomination: Nomination) -> None:
    """Delete a draft that was never submitted, with its files (removed after commit)."""
    nomination = nomination_lock(nomination)
    require_member(user, nomination)
    if nomination.state != S.DRAFT or nomination.revisions.exists():
        raise NominationError("Only a draft that was never submitted can be deleted.")
    audit_record(
        actor=user, obj=nomination.agency, action="nomination_deleted", message=str(nomination)
    )
    nomination.delete()


@transaction.atomic
def nomination_move_to_cycle(*, user: User, nomination: Nomination, cycle: Cycle) -> Nomination:
    """Move a draft whose deadline passed into a later cycle that still takes nominations."""
    nomination = nomination_lock(nomination)
    require_member(user, nomination)
    if nomination.state != S.DRAFT:
        raise NominationError("Only a draft can move to another year.")
    now = timezone.now()
    if not nomination.cycle.has_closed(now):
        raise NominationError(f"{nomination.cycle.name} is still open: submit it there.")
    if cycle.has_closed(now) or cycle.year <= nomination.cycle.year:
        raise NominationError(f"{cycle.name} does not take nominations.")
    old_cycle = nomination.cycle
    nomination.category = category_same_as(nomination.category, cycle=cycle)
    nomination.cycle = cycle
    nomination.head_attestation = False
    nomination.version += 1
    nomination.save(update_fields=["cycle", "category", "head_attestation", "version"])
    audit_record(
        actor=user,
        obj=nomination,
        action="nomination_moved",
        message=f"Moved from {old_cycle.name} to {cycle.name}.",
    )
    return nomination
