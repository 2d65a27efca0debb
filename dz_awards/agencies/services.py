"""Every change to agencies and memberships. Each runs in one transaction,
records an audit event and queues its emails through the outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies import selectors
from dz_awards.agencies.enums import MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.agencies.rules import can_manage_agency, can_verify_agency
from dz_awards.core.models import OutboxEmail
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record, outbox_enqueue, outbox_enqueue_each, site_url

if TYPE_CHECKING:
    from dz_awards.accounts.models import User

AGENCY_PROFILE_FIELDS = [
    "name",
    "agency_type",
    "state",
    "city",
    "sworn_officers",
    "civilian_staff",
    "ori",
    "website",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
]


def agency_email_members(
    agency: Agency,
    *,
    key: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    owners_only: bool = False,
) -> list[OutboxEmail]:
    """One outbox email to each active, approved member of `agency` (or only its owners).

    Each is keyed `<key>:<person pk>` and rendered with `user` (the recipient)
    and `agency` besides `context`. Call inside the transaction of the change it
    reports: a rolled-back change sends nothing.
    """
    people = selectors.active_members(agency, role=MembershipRole.OWNER if owners_only else None)
    return outbox_enqueue_each(
        people, key=key, subject=subject, template=template, context={"agency": agency, **context}
    )


@transaction.atomic
def agency_create(*, user: User, **profile: Any) -> Agency:
    """Create an agency with `user` as its approved owner."""
    agency = Agency(
        created_by=user, **{k: profile[k] for k in AGENCY_PROFILE_FIELDS if k in profile}
    )
    agency.full_clean()
    agency.save()
    Membership.objects.create(
        agency=agency,
        user=user,
        role=MembershipRole.OWNER,
        status=MembershipStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=user,
    )
    audit_record(actor=user, obj=agency, action="agency_created")
    return agency


@transaction.atomic
def agency_update(*, user: User, agency: Agency, **profile: Any) -> Agency:
    """Change the agency's profile (owners and staff)."""
    if not can_manage_agency(user, agency):
        raise PermissionDenied
    agency = row_or_gone(Agency.objects.select_for_update(), pk=agency.pk)
    changed = [
        k for k in AGENCY_PROFILE_FIELDS if k in profile and getattr(agency, k) != profile[k]
    ]
    for field in changed:
        setattr(agency, field, profile[field])
    agency.full_clean()
    agency.save(update_fields=changed or None)
    if changed:
        audit_record(
            actor=user,
            obj=agency,
            action="agency_updated",
            message="Changed: " + ", ".join(changed),
        )
    return agency


@transaction.atomic
def agency_verify(*, actor: User, agency: Agency) -> Agency:
    """Mark the agency verified (staff). Verifying twice changes nothing."""
    if not can_verify_agency(actor):
        raise PermissionDenied
    agency = row_or_gone(Agency.objects.select_for_update(), pk=agency.pk)
    if agency.is_verified:
        return agency
    agency.verified_at = timezone.now()
    agency.verified_by = actor
    agency.save(update_fields=["verified_at", "verified_by"])
    audit_record(
        actor=actor,
        obj=agency,
        action="agency_verified",
        from_state="unverified",
        to_state="verified",
    )
    agency_email_members(
        agency,
        owners_only=True,
        key=f"agency-verified:{agency.pk}",
        subject=f"{agency.name} is verified",
        template="agencies/email/verified.txt",
        context={"url": site_url(agency.get_absolute_url())},
    )
    return agency


@transaction.atomic
def agency_request_join(*, user: User, agency: Agency, message: str = "") -> Membership:
    """Ask to join an agency. Its owners are emailed; asking again changes nothing.

    A declined request may be made again; an approved member is already in.
    """
    membership, created = Membership.objects.select_for_update().get_or_create(
        agency=agency, user=user, defaults={"message": message}
    )
    if not created:
        if membership.status != MembershipStatus.DECLINED:
            return membership
        membership.status = MembershipStatus.PENDING
        membership.message = message
        membership.requested_at = timezone.now()
        membership.decided_at = None
        membership.decided_by = None
        membership.save()
    event = audit_record(
        actor=user,
        obj=membership,
        action="membership_requested",
        to_state=MembershipStatus.PENDING,
        message=message,
    )
    members_url = site_url(reverse("agencies:members", kwargs={"pk": agency.pk}))
    agency_email_members(
        agency,
        owners_only=True,
        # Keyed by the request's audit event: a request made again after a decline
        # (even within the same second) is a new email, the same request never twice.
        key=f"join-request:{event.pk}",
        subject=f"{user.full_name} asks to join {agency.name}",
        template="agencies/email/join_requested.txt",
        context={"requester": user, "message": message, "url": members_url},
    )
    return membership


def _decide(*, actor: User, membership: Membership, status: str, action: str) -> Membership:
    membership = row_or_gone(
        Membership.objects.select_for_update().select_related("agency", "user"), pk=membership.pk
    )
    if not can_manage_agency(actor, membership.agency):
        raise PermissionDenied
    if membership.status != MembershipStatus.PENDING:
        return membership
    membership.status = status
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    event = audit_record(
        actor=actor,
        obj=membership,
        action=action,
        from_state=MembershipStatus.PENDING,
        to_state=status,
    )
    outbox_enqueue(
        key=f"join-decision:{event.pk}",
        to=membership.user.email,
        subject=f"Your request to join {membership.agency.name}",
        template="agencies/email/join_decided.txt",
        context={
            "membership": membership,
            "approved": status == MembershipStatus.APPROVED,
            "url": site_url(reverse("portal:dashboard")),
        },
    )
    return membership


@transaction.atomic
def membership_approve(*, actor: User, membership: Membership) -> Membership:
    """Approve a pending join request (the agency's owners, or staff)."""
    return _decide(
        actor=actor,
        membership=membership,
        status=MembershipStatus.APPROVED,
        action="membership_approved",
    )


@transaction.atomic
def membership_decline(*, actor: User, membership: Membership) -> Membership:
    """Decline a pending join request (the agency's owners, or staff)."""
    return _decide(
        actor=actor,
        membership=membership,
        status=MembershipStatus.DECLINED,
        action="membership_declined",
    )


@transaction.atomic
def membership_correct(
    *, actor: User, membership: Membership, role: str, status: str
) -> Membership:
    """Program staff correct a membership's role or status (the admin's membership rows).

    For what the site has no page for, such as making a member an owner when the
    last owner leaves. Steps: check staff; lock the row; change what differs
    (a changed status is decided now, by `actor`); record one audit event with
    the status before and after and the role change. Changing nothing records
    nothing; no email is sent.
    """
    if not is_program_staff(actor):
        raise PermissionDenied
    membership = row_or_gone(
        Membership.objects.select_for_update().select_related("agency", "user"), pk=membership.pk
    )
    from_role, from_status = membership.role, membership.status
    if (from_role, from_status) == (role, status):
        return membership
    membership.role, membership.status = role, status
    fields = ["role", "status"]
    if status != from_status:
        decided = status != MembershipStatus.PENDING
        membership.decided_at = timezone.now() if decided else None
        membership.decided_by = actor if decided else None
        fields += ["decided_at", "decided_by"]
    membership.save(update_fields=fields)
    changes = []
    if role != from_role:
        changes.append(f"role {MembershipRole(from_role).label} → {MembershipRole(role).label}")
    if status != from_status:
        changes.append(
            f"status {MembershipStatus(from_status).label} → {MembershipStatus(status).label}"
        )
    audit_record(
        actor=actor,
        obj=membership,
        action="membership_corrected",
        from_state=from_status,
        to_state=status,
        message="Corrected by program staff: " + "; ".join(changes) + ".",
    )
    return membership
