"""Decisions: staff stage an outcome per nomination, then release them all together.

Nothing changes for an agency until release. The release makes the
transitions (reviewed -> finalist -> winner, or reviewed -> not selected),
emails each agency its outcome and sends `decision_released` for each finalist
and winner, all in one transaction: if one step fails, nothing is released.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.errors import REFUSALS, refusal_message
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record, site_url
from dz_awards.cycles.emails import outcome_kind
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.nominations.signals import decision_released
from reviews.enums import STAGEABLE, Outcome
from reviews.models import Decision
from reviews.rules import winner_refusal
from reviews.selectors.policy import review_policy
from reviews.services.common import (
    ReviewError,
    lock_nomination,
    require_staff,
    staff_transition,
)

S = NominationState


def _lock_category(nomination: Nomination) -> Category:
    """The nomination's category, locked: decisions in one category go one at a time."""
    if nomination.category_id is None:
        raise ReviewError("This nomination has no category: it cannot be decided.")
    return row_or_gone(Category.objects.select_for_update(), pk=nomination.category_id)


@transaction.atomic
def decision_stage(*, actor: Any, nomination: Nomination, outcome: str) -> Decision:
    """Stage a decision; nothing changes for the agency until decisions are released."""
    require_staff(actor)
    if outcome not in Outcome.values:
        raise ValidationError("Choose a decision.")
    category = _lock_category(nomination)
    nomination = lock_nomination(nomination)
    if nomination.state not in STAGEABLE[Outcome(outcome)]:
        raise ReviewError(
            f"This nomination is {nomination.get_state_display().lower()}: it cannot be "
            f"staged as {Outcome(outcome).label.lower()}."
        )
    if outcome == Outcome.WINNER:
        refusal = winner_refusal(category, nomination=nomination)
        if refusal:
            raise ReviewError(refusal)
    decision, _ = Decision.objects.update_or_create(
        nomination=nomination,
        defaults={"outcome": outcome, "staged_by": actor, "released_at": None},
    )
    audit_record(
        actor=actor,
        obj=nomination,
        action="decision_staged",
        message=decision.get_outcome_display(),
    )
    return decision


@transaction.atomic
def decision_unstage(*, actor: Any, nomination: Nomination) -> bool:
    """Remove a staged (unreleased) decision; whether there was one."""
    require_staff(actor)
    deleted, _ = Decision.objects.filter(nomination=nomination, released_at__isnull=True).delete()
    if deleted:
        audit_record(actor=actor, obj=nomination, action="decision_unstaged")
    return bool(deleted)


def _decide(actor: Any, nomination: Nomination, method_name: str, action: str) -> None:
    from_state = staff_transition(
        actor,
        nomination,
        method_name,
        busy="This nomination is already {state}: the decision was not made.",
    )
    nomination.save(update_fields=["state"])
    audit_record(
        actor=actor, obj=nomination, action=action, from_state=from_state, to_state=nomination.state
    )


@transaction.atomic
def nomination_advance(*, actor: Any, nomination: Nomination) -> Nomination:
    """Reviewed -> finalist."""
    nomination = lock_nomination(nomination)
    _decide(actor, nomination, "advance", "nomination_advanced")
    return nomination


@transaction.atomic
def nomination_decline(*, actor: Any, nomination: Nomination) -> Nomination:
    """Reviewed -> not selected."""
    nomination = lock_nomination(nomination)
    _decide(actor, nomination, "decline", "nomination_declined")
    return nomination


@transaction.atomic
def nomination_award(*, actor: Any, nomination: Nomination) -> Nomination:
    """Finalist -> winner, within the category's winners (`winner_refusal`).

    The category's row is locked first, so two concurrent awards in one
    category run one after the other and the second sees the first's winner.
    """
    category = _lock_category(nomination)
    nomination = lock_nomination(nomination)
    if nomination.state == S.FINALIST:
        refusal = winner_refusal(category, nomination=nomination)
        if refusal:
            raise ReviewError(refusal)
    _decide(actor, nomination, "award", "nomination_awarded")
    return nomination


def _feedback_url(nomination: Nomination) -> str:
    """The address of the agency's page of reviewers' feedback on `nomination`."""
    return site_url(reverse("reviews:feedback", kwargs={"pk": nomination.pk}))


@transaction.atomic
def decisions_release(*, actor: Any, cycle: Cycle) -> list[Decision]:
    """Apply every staged decision of `cycle` together, then email each agency its outcome.

    Steps, per staged decision: make the transitions; for a finalist or winner,
    send `decision_released` (profiles starts its draft public profile); mark the
    decision released; email the agency. All or nothing: if one decision can no
    longer be made, or a receiver refuses, none is, and the error names it.
    """
    require_staff(actor)
    # Categories first, in one order, as decision_stage and nomination_award lock them.
    list(Category.objects.select_for_update().filter(cycle=cycle).order_by("pk"))
    staged = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(nomination__cycle=cycle, released_at__isnull=True)
        .select_related("nomination__category")
        .order_by("outcome", "nomination__pk")
    )
    if not staged:
        raise ReviewError("There are no staged decisions to release.")
    now = timezone.now()
    # With feedback shared, each outcome email links to the reviewers' feedback.
    shares_feedback = review_policy(cycle).share_feedback
    for decision in staged:
        nomination = decision.nomination
        try:
            if decision.outcome == Outcome.NOT_SELECTED:
                nomination = nomination_decline(actor=actor, nomination=nomination)
            else:
                if nomination.state == S.REVIEWED:
                    nomination = nomination_advance(actor=actor, nomination=nomination)
                if decision.outcome == Outcome.WINNER:
                    nomination = nomination_award(actor=actor, nomination=nomination)
                decision_released.send(
                    sender=Nomination, actor=actor, nomination=nomination, outcome=decision.outcome
                )
        except REFUSALS as error:
            raise ReviewError(
                f"Nothing was released. {nomination}: {refusal_message(error)}"
            ) from error
        decision.released_at = now
        decision.released_by = actor
        decision.save(update_fields=["released_at", "released_by"])
        feedback_url = _feedback_url(nomination) if shares_feedback else ""
        nomination_services.nomination_email_agency(
            nomination,
            key=f"nomination-outcome:{nomination.pk}:{decision.outcome}",
            subject=f"Decision on your nomination: {nomination}",
            template="reviews/email/outcome.txt",
            context={
                "outcome": decision.outcome,
                "outcome_label": decision.get_outcome_display(),
                "feedback_url": feedback_url,
            },
            kind=outcome_kind(decision.outcome),
            # The cycle's own wording may place it with {feedback_link}.
            values={"feedback_link": feedback_url},
        )
    audit_record(
        actor=actor, obj=cycle, action="decisions_released", message=f"{len(staged)} decisions"
    )
    return staged
