"""What every review service shares: the error, the locks, the checks, the reviewer email."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django_fsm import can_proceed

from dz_awards.core.errors import ServiceError
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import outbox_enqueue, site_url
from dz_awards.nominations import services as nomination_services
from reviews import rules, selectors
from reviews.models import Assignment

if TYPE_CHECKING:
    from dz_awards.nominations.models import Nomination


class ReviewError(ServiceError):
    """A review change that cannot be made now; the message says why, in plain words."""


def require_staff(actor: Any) -> None:
    if not rules.is_program_staff(actor):
        raise PermissionDenied


def require_work_on(user: Any, row: Assignment) -> None:
    """Only the assignment's reviewer, and never while conflicted with the nomination."""
    if not rules.may_work_on(user, row):
        raise PermissionDenied


def require_own(user: Any, row: Assignment) -> None:
    """Only the assignment's reviewer (a conflicted one may still decline or declare it)."""
    if not rules.is_own_assignment(user, row):
        raise PermissionDenied


def lock_assignment(assignment: Assignment) -> Assignment:
    """The assignment's row again, locked, with its nomination and reviewer."""
    return row_or_gone(
        Assignment.objects.select_for_update(of=("self",)).select_related(
            "nomination__cycle", "nomination__category", "reviewer"
        ),
        pk=assignment.pk,
    )


def lock_nomination(nomination: Nomination) -> Nomination:
    return nomination_services.nomination_lock(nomination)


def staff_transition(actor: Any, nomination: Nomination, method_name: str, *, busy: str) -> str:
    """Make a nomination transition for staff (unsaved); refusals become `ReviewError`."""
    try:
        return nomination_services.nomination_transition(
            nomination, method_name, actor, busy_message=busy
        )
    except nomination_services.NominationError as error:
        raise ReviewError(str(error)) from error


def reviewer_transition(row: Assignment, method_name: str, *, busy: str) -> str:
    """Make an assignment transition (unsaved); refused with `busy` ({state} filled in)."""
    method = getattr(row, method_name)
    if not can_proceed(method):
        raise ReviewError(busy.format(state=row.get_state_display().lower()))
    from_state = row.state
    method()
    return from_state


def email_reviewer(
    row: Assignment, nomination: Nomination, *, key: str, subject: str, template: str
) -> None:
    """Email the reviewer of `row` about `nomination`, keyed `<key>:<row pk>`.

    What a reviewer reads in an email is blind whatever the phase: no agency identity.
    """
    outbox_enqueue(
        key=f"{key}:{row.pk}",
        to=row.reviewer.email,
        subject=subject,
        template=template,
        context={
            "user": row.reviewer,
            "title": selectors.blind_title(nomination),
            "cycle": nomination.cycle,
            "due_at": row.due_at,
            "url": site_url(row.get_absolute_url()),
        },
    )
