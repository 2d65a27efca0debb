"""The profile lifecycle: created for a finalist or winner, proof, approval,
publication, retraction, reopening, and asking for the PDF again.

Each transition service locks the profile's row, checks permission and state
(`dz_awards.core.fsm.make_transition`), saves with `update_fields`, records an
audit event with the state it left and queues email and PDF work after commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.services import agency_email_members
from dz_awards.core.services import audit_record, site_url
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.profiles.enums import PROFILED_STATES, Award, ProfileState
from dz_awards.profiles.library import library_changed
from dz_awards.profiles.models import Profile
from dz_awards.profiles.selectors import nominations_awaiting_profile
from dz_awards.profiles.services.common import (
    ProfileError,
    profile_lock,
    profile_slug,
    profile_transition,
    queue_pdf,
    refresh_search,
    require_staff,
)

if TYPE_CHECKING:
    from dz_awards.accounts.models import User
    from dz_awards.cycles.models import Cycle

P = ProfileState

# Why a step cannot be taken, said the same way by the service and by the
# editor that offers it.
TWO_PERSON_RULE = (
    "You prepared this proof, so another staff member must publish it (two-person rule)."
)
NO_AGENCY_ACCOUNT = "This profile has no agency account to approve a proof."


def _join(*texts: str) -> str:
    return "\n\n".join(t.strip() for t in texts if t and t.strip())


def _outcome_line(row: dict[str, Any]) -> str:
    """One outcome row as "Measure: before → after (period)"."""
    metric, before, after, period = (
        " ".join(str(row.get(key) or "").split()) for key in ("metric", "before", "after", "period")
    )
    change = " → ".join(value for value in (before, after) if value)
    line = ": ".join(value for value in (metric, change) if value)
    return f"{line} ({period})" if line and period else line


def _results_text(nomination: Nomination) -> str:
    lines = [_outcome_line(row) for row in nomination.outcomes or [] if isinstance(row, dict)]
    bullet_list = "\n".join(f"- {line}" for line in lines if line)
    return _join(nomination.goals, bullet_list, nomination.participation_rates)


@transaction.atomic
def profile_create_for(*, actor: User, nomination: Nomination) -> Profile:
    """A draft profile for a finalist or winner, started from what the agency wrote.

    Idempotent: a nomination that has a profile keeps it (its award follows the
    nomination). Returns the profile.
    """
    require_staff(actor)
    if nomination.state not in PROFILED_STATES:
        raise ProfileError("Only finalists and winners get a public profile.")
    award = Award.WINNER if nomination.state == NominationState.WINNER else Award.FINALIST
    existing = Profile.objects.select_for_update().filter(nomination=nomination).first()
    if existing is not None:
        if existing.award != award:
            existing.award = award
            existing.save(update_fields=["award"])
            if existing.state == P.PUBLISHED:
                library_changed()
        return existing
    agency, cycle, category = nomination.agency, nomination.cycle, nomination.category
    profile = Profile(
        nomination=nomination,
        slug=profile_slug(cycle.year, agency.name, nomination.title),
        award=award,
        year=cycle.year,
        category_code=category.code if category else "",
        category_label=category.label if category else "",
        agency=agency,
        agency_name=agency.name,
        city=agency.city,
        state_code=agency.state,
        agency_type=agency.agency_type,
        sworn_officers=agency.sworn_officers,
        title=nomination.title.strip()[:300] or "Untitled program",
        summary=nomination.summary,
        need=_join(nomination.problem, nomination.data_before),
        approach=_join(
            nomination.description, nomination.implementation, nomination.policy_training
        ),
        results=_results_text(nomination),
        durability=_join(nomination.sustainability, nomination.integration),
        replicability=_join(nomination.advice, nomination.resources_needed),
        cost_funding=nomination.cost_funding,
        contact_name=agency.contact_name,
        contact_title=agency.contact_title,
        contact_email=agency.contact_email,
        contact_phone=agency.contact_phone,
        updated_by=actor,
    )
    profile.save()
    refresh_search(profile.pk)
    audit_record(actor=actor, obj=profile, action="profile_created", to_state=profile.state)
    return profile


@transaction.atomic
def profile_send_proof(*, actor: User, profile: Profile) -> Profile:
    """Draft → proof sent: the agency is emailed a link to the proof (page and PDF).

    The sender becomes the preparer, who may not publish it (two-person rule).
    """
    profile = profile_lock(profile)
    from_state = profile_transition(
        profile, "send_proof", actor, busy="This profile is {state}: no proof can be sent now."
    )
    agency = profile.agency
    if agency is None:
        raise ProfileError(NO_AGENCY_ACCOUNT)
    profile.prepared_by = actor
    profile.proof_sent_at = timezone.now()
    profile.agency_comment = ""
    profile.save(update_fields=["state", "prepared_by", "proof_sent_at", "agency_comment"])
    audit_record(
        actor=actor, obj=profile, action="proof_sent", from_state=from_state, to_state=profile.state
    )
    agency_email_members(
        agency,
        key=f"profile-proof:{profile.pk}:{profile.version}",
        subject=f"Please approve your public profile: {profile.title}",
        template="profiles/email/proof.txt",
        context={"profile": profile, "url": site_url(profile_proof_path(profile))},
    )
    return profile


def profile_proof_path(profile: Profile) -> str:
    """Where the agency reads the proof (linked from the proof email)."""
    return reverse("profiles:proof", kwargs={"pk": profile.pk})


@transaction.atomic
def profile_approve(*, user: User, profile: Profile) -> Profile:
    """Proof sent → agency approved, by a member of the profile's agency."""
    profile = profile_lock(profile)
    from_state = profile_transition(
        profile, "approve", user, busy="This profile is {state}: there is no proof to approve."
    )
    profile.approved_by = user
    profile.approved_at = timezone.now()
    profile.save(update_fields=["state", "approved_by", "approved_at"])
    audit_record(
        actor=user,
        obj=profile,
        action="proof_approved",
        from_state=from_state,
        to_state=profile.state,
    )
    return profile


@transaction.atomic
def profile_request_changes(*, user: User, profile: Profile, comment: str) -> Profile:
    """Proof sent → draft, with the agency's comment for staff."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Say what should change.")
    if len(comment) > 5000:
        raise ValidationError("Keep the comment under 5,000 characters.")
    profile = profile_lock(profile)
    from_state = profile_transition(
        profile,
        "request_changes",
        user,
        busy="This profile is {state}: there is no proof to comment on.",
    )
    profile.agency_comment = comment
    profile.save(update_fields=["state", "agency_comment"])
    audit_record(
        actor=user,
        obj=profile,
        action="proof_changes_requested",
        from_state=from_state,
        to_state=profile.state,
        message=comment,
    )
    return profile


@transaction.atomic
def profile_publish(*, actor: User, profile: Profile) -> Profile:
    """Agency approved → published, by staff other than the preparer.

    After commit: the PDF summary is rendered; until it is, the PDF URL says so.
    """
    profile = profile_lock(profile)
    if is_program_staff(actor) and profile.prepared_by_id == actor.pk:
        raise ProfileError(TWO_PERSON_RULE)
    from_state = profile_transition(
        profile, "publish", actor, busy="This profile is {state}: it cannot be published now."
    )
    now = timezone.now()
    profile.published_by = actor
    profile.published_at = now
    profile.first_published_at = profile.first_published_at or now
    profile.retracted_at = None
    profile.save(
        update_fields=[
            "state",
            "published_by",
            "published_at",
            "first_published_at",
            "retracted_at",
        ]
    )
    library_changed()
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_published",
        from_state=from_state,
        to_state=profile.state,
    )
    queue_pdf(profile)
    return profile


@transaction.atomic
def profile_retract(*, actor: User, profile: Profile, reason: str) -> Profile:
    """Published → retracted: gone from every public channel at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for retracting (staff only see it).")
    profile = profile_lock(profile)
    from_state = profile_transition(
        profile,
        "retract",
        actor,
        busy="This profile is {state}: only a published one is retracted.",
    )
    profile.retracted_at = timezone.now()
    profile.retract_reason = reason
    profile.save(update_fields=["state", "retracted_at", "retract_reason"])
    library_changed()
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_retracted",
        from_state=from_state,
        to_state=profile.state,
        message=reason,
    )
    return profile


@transaction.atomic
def profile_reopen(*, actor: User, profile: Profile) -> Profile:
    """Back to draft (from a proof, an approval or a retraction) to prepare it again."""
    profile = profile_lock(profile)
    from_state = profile_transition(
        profile, "reopen", actor, busy="This profile is {state}: it cannot go back to draft."
    )
    profile.save(update_fields=["state"])
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_reopened",
        from_state=from_state,
        to_state=profile.state,
    )
    return profile


@transaction.atomic
def profile_rerender_pdf(*, actor: User, profile: Profile) -> Profile:
    """Staff ask for a published profile's PDF to be made again (after a failure)."""
    require_staff(actor)
    profile = profile_lock(profile)
    if profile.state != P.PUBLISHED:
        raise ProfileError("Only a published profile has a PDF summary to make.")
    audit_record(actor=actor, obj=profile, action="pdf_render_requested")
    queue_pdf(profile)
    return profile


def profiles_create_for_cycle(*, actor: User, cycle: Cycle) -> list[Profile]:
    """A draft profile for each finalist and winner of `cycle` that has none; returns them."""
    require_staff(actor)
    waiting = nominations_awaiting_profile().filter(cycle=cycle)
    waiting = waiting.select_related("agency", "cycle", "category")
    created = []
    with transaction.atomic():
        for nomination in waiting:
            created.append(profile_create_for(actor=actor, nomination=nomination))
    return created
