"""Reviewer invitations: a single-use, expiring link that sets up a reviewer account."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.agencies.models import Agency
from dz_awards.core.services import audit_record, outbox_enqueue, site_url
from reviews.enums import InvitationStatus
from reviews.models import Panel, ReviewerInvitation, ReviewerProfile
from reviews.services.common import ReviewError, require_staff

# What the invited person is told when the invitation cannot be used.
INVITATION_PROBLEMS = {
    InvitationStatus.USED: (
        "This invitation has already been used. Sign in with the account it set up."
    ),
    InvitationStatus.EXPIRED: "This invitation has expired. Ask program staff for a new one.",
}


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def reviewer_invite(
    *,
    actor: Any,
    email: str,
    full_name: str,
    home_agency: Agency | None = None,
    state: str = "",
    panel: Panel | None = None,
) -> tuple[ReviewerInvitation, str]:
    """Email a single-use link that sets up a reviewer account; it expires.

    Returns the invitation and its token (only its hash is stored).
    """
    require_staff(actor)
    token = secrets.token_urlsafe(32)
    invitation = ReviewerInvitation.objects.create(
        email=email.strip().lower(),
        full_name=" ".join(full_name.split()),
        home_agency=home_agency,
        state=state,
        panel=panel,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.REVIEWER_INVITATION_DAYS),
        invited_by=actor,
    )
    audit_record(actor=actor, obj=invitation, action="reviewer_invited", message=invitation.email)
    outbox_enqueue(
        key=f"reviewer-invitation:{invitation.pk}",
        to=invitation.email,
        subject="You are invited to review for the Destination Zero Awards",
        template="reviews/email/invitation.txt",
        context={
            "invitation": invitation,
            "url": site_url(invitation_path(invitation, token)),
            "days": settings.REVIEWER_INVITATION_DAYS,
        },
    )
    return invitation, token


def invitation_path(invitation: ReviewerInvitation, token: str) -> str:
    return reverse("reviews:invitation", kwargs={"pk": invitation.pk, "token": token})


def invitation_get(pk: Any, token: str | None) -> ReviewerInvitation | None:
    """The invitation if the token matches, used or not; None otherwise."""
    invitation = ReviewerInvitation.objects.filter(pk=pk).select_related("panel").first()
    if invitation is None or not hmac.compare_digest(
        invitation.token_hash, _token_hash(token or "")
    ):
        return None
    return invitation


def invitation_status(
    invitation: ReviewerInvitation, moment: datetime | None = None
) -> InvitationStatus:
    """Used, expired (at `moment`, now by default) or pending."""
    moment = moment or timezone.now()
    if invitation.accepted_at is not None:
        return InvitationStatus.USED
    if invitation.expires_at <= moment:
        return InvitationStatus.EXPIRED
    return InvitationStatus.PENDING


def invitation_problem(
    invitation: ReviewerInvitation, moment: datetime | None = None
) -> str | None:
    """Why the invitation cannot be used, for the invited person; None if it can."""
    return INVITATION_PROBLEMS.get(invitation_status(invitation, moment))


@transaction.atomic
def invitation_accept(
    *, pk: Any, token: str | None, user: Any = None, full_name: str = "", password: str = ""
) -> Any:
    """Use an invitation once: set up (or upgrade) the account and make it a reviewer.

    Signed in: the account must have the invited address. Not signed in: the
    address must not have an account yet; a new one is created with `password`
    (the emailed link proves the address). Concurrent uses: one wins. Returns
    the reviewer's account.
    """
    invitation = ReviewerInvitation.objects.select_for_update().filter(pk=pk).first()
    if invitation is None or not hmac.compare_digest(
        invitation.token_hash, _token_hash(token or "")
    ):
        raise ReviewError("This invitation link is not valid.")
    problem = invitation_problem(invitation)
    if problem:
        raise ReviewError(problem)
    users = get_user_model().objects
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise ReviewError(
                "This invitation is for another email address. Sign out, then open the link again."
            )
    else:
        if users.filter(email__iexact=invitation.email).exists():
            raise ReviewError(
                "An account already uses this address. Sign in, then open the link again."
            )
        user = users.create_user(
            invitation.email,
            password,
            full_name=" ".join((full_name or invitation.full_name).split()),
            email_verified_at=timezone.now(),
        )
    user.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    # A second invitation (say, to another panel) never clears what conflicts rely on:
    # it sets the home agency and state only when it gives them.
    profile, _ = ReviewerProfile.objects.get_or_create(user=user)
    if invitation.home_agency_id:
        profile.home_agency = invitation.home_agency
    if invitation.state:
        profile.state = invitation.state
    profile.save()
    if invitation.panel_id and invitation.panel is not None:
        invitation.panel.members.add(user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # Older links to the same address stop working: access is given once.
    ReviewerInvitation.objects.filter(
        email__iexact=invitation.email, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).exclude(pk=invitation.pk).update(expires_at=timezone.now())
    audit_record(actor=user, obj=invitation, action="reviewer_invitation_accepted")
    return user
