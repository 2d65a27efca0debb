"""Account writes: registration, verification, password resets.

Registration and reset answer the same way whether or not an address is
known; what differs is only the email that goes to that address. Emails are
keyed per address and clock quarter hour (:00, :15, :30, :45), so a form
resubmitted or abused sends at most one email per address in each quarter
hour: two at most in any fifteen minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dz_awards.accounts.tokens import set_password_token
from dz_awards.core.services import audit_record, outbox_enqueue

if TYPE_CHECKING:
    from collections.abc import Iterable

    from dz_awards.accounts.models import User

EMAIL_WINDOW_SECONDS = 15 * 60


def _window() -> int:
    return int(timezone.now().timestamp() // EMAIL_WINDOW_SECONDS)


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = set_password_token.make_token(user)
    path = reverse("accounts:set-password", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def _send_set_password_link(user: User, *, purpose: Literal["verify", "reset"]) -> None:
    outbox_enqueue(
        key=f"set-password:{user.pk}:{_window()}",
        to=user.email,
        subject=(
            "Confirm your email for Destination Zero Awards"
            if purpose == "verify"
            else "Reset your Destination Zero Awards password"
        ),
        template=f"accounts/email/{purpose}.txt",
        context={
            "user": user,
            "url": set_password_url(user),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            "site_url": settings.SITE_URL,
        },
    )


@transaction.atomic
def account_register(*, email: str, full_name: str, job_title: str = "") -> None:
    """Register an address, or tell its owner it is already registered.

    - unknown address: create the user without a usable password, then email a
      link that verifies the address and sets the password;
    - known but never verified: email a fresh link;
    - known and verified: email a note saying so, with sign-in and reset links;
    - deactivated: send nothing.
    The caller shows the same page in every case.
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).strip().lower()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model.objects.create_user(email=email, full_name=full_name, job_title=job_title)
        audit_record(actor=None, obj=user, action="account_registered")
        _send_set_password_link(user, purpose="verify")
    elif not user.is_active:
        return
    elif not user.email_verified:
        _send_set_password_link(user, purpose="verify")
    else:
        outbox_enqueue(
            key=f"already-registered:{user.pk}:{_window()}",
            to=user.email,
            subject="You already have a Destination Zero Awards account",
            template="accounts/email/already_registered.txt",
            context={
                "user": user,
                "login_url": f"{settings.SITE_URL}{reverse('accounts:login')}",
                "reset_url": f"{settings.SITE_URL}{reverse('accounts:password-reset')}",
            },
        )


@transaction.atomic
def account_request_password_reset(*, email: str) -> None:
    """Email a set-password link to an active account with this address, if there is one.

    An account that never verified gets the verification link instead; both
    set the password. Unknown addresses get nothing; the caller answers alike.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    _send_set_password_link(user, purpose="reset" if user.email_verified else "verify")


@transaction.atomic
def account_set_password(*, user: User, password: str) -> User:
    """Set the password from an emailed link; that link proves the address."""
    user.set_password(password)
    fields = ["password"]
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        fields.append("email_verified_at")
        audit_record(actor=user, obj=user, action="email_verified")
    user.save(update_fields=fields)
    audit_record(actor=user, obj=user, action="password_set")
    return user


# What a person may do, as the admin edits it: each is audited when changed there.
ROLE_FIELDS = {
    "is_active": "active",
    "is_staff": "program staff",
    "is_superuser": "superuser",
    "groups": "groups",
}


def _role_text(value: bool | Iterable[object] | None) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(sorted(str(item) for item in value or [])) or "none"


def account_audit_roles(*, actor: User, user: User, changes: dict[str, tuple[Any, Any]]) -> None:
    """Record a change of a person's roles made in the admin, in the admin's transaction.

    `changes` maps each changed name of ROLE_FIELDS to (before, after). The
    admin saves the account; this writes one audit event naming every role
    before and after. Nothing changed, nothing recorded.
    """
    changes = {name: change for name, change in changes.items() if name in ROLE_FIELDS}
    if not changes:
        return
    audit_record(
        actor=actor,
        obj=user,
        action="account_roles_changed",
        message="; ".join(
            f"{ROLE_FIELDS[name]}: {_role_text(before)} → {_role_text(after)}"
            for name, (before, after) in changes.items()
        ),
    )
