"""Two-factor sign-in with an authenticator app (TOTP) and backup codes, through django-otp.

Required for program staff and anyone who can open the admin (see
`two_factor_required_for` and `accounts.middleware`); offered to reviewers,
and required of those serving a cycle that asks for it. A person has at most
one authenticator device: `two_factor_start` makes an unconfirmed one (a fresh
secret), the person proves their app holds it with `two_factor_confirm`, and
from then on signing in asks for a code after the password. Enrolment also
makes ten single-use backup codes (django-otp's static tokens), shown once;
`two_factor_backup_codes_generate` replaces them all. A lost phone is
recovered by signing in with a backup code and setting up a new device
(`two_factor_start(replace=True)`), or by another program staff member's
`two_factor_reset`. Every check of a code locks the device row, so concurrent
guesses are counted one after another.

django-otp doubles the wait after each wrong code for a device (1 s, 2 s,
4 s, ...), whichever browser sent it: that is what stops guessing spread over
many sign-ins. Left alone that wait grows without bound, so anyone who knows
the password could shut the owner out for days; the count is capped so the
longest wait is a few minutes.
"""

from __future__ import annotations

import math
from base64 import b32encode
from typing import TYPE_CHECKING

import segno
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.accounts.models import User
from dz_awards.accounts.rules import is_program_staff
from dz_awards.core.errors import ServiceError
from dz_awards.core.services import audit_record

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet
    from django_otp.models import Device, ThrottlingMixin

DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# At or below this many unused backup codes, the security page asks for new ones.
BACKUP_CODES_LOW = 3
# 2 ** (9 - 1) seconds: at most about four minutes between guesses once capped.
MAX_COUNTED_FAILURES = 9


class TwoFactorError(ServiceError):
    """A code that cannot be accepted now; the message says why, in plain words."""


class WrongCodeError(TwoFactorError):
    """The code was checked and is not the device's current code."""


class TooManyCodesError(TwoFactorError):
    """Recent wrong codes mean the device does not check codes for a while."""


# The refusals that concern the code typed (shown next to the code field); any other
# TwoFactorError is about the state of the set-up itself.
CODE_REFUSALS = (WrongCodeError, TooManyCodesError)

WRONG_CODE = "That code is not right. Check the code your authenticator app shows now."
WRONG_SIGN_IN_CODE = (
    "That code is not right. Enter the code your authenticator app shows now, "
    "or one of your unused backup codes."
)
REQUIRED = (
    "Two-factor sign-in is required for program staff, so it cannot be turned off. "
    "To use a new phone, set up a new device instead."
)


# Reads ---------------------------------------------------------------------------


def confirmed_device(user: User | AnonymousUser) -> TOTPDevice | None:
    """The person's working authenticator device, or None when two-factor sign-in is off."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_required_for(user: User | AnonymousUser) -> bool:
    """Program staff, and anyone who can open the admin, must sign in with a second factor."""
    return is_program_staff(user) or bool(
        user.is_authenticated and user.is_active and user.is_superuser
    )


def two_factor_people() -> QuerySet[User]:
    """Program staff and reviewers (active), with whether each has two-factor sign-in on.

    For the staff page where a colleague's lost device is reset. Each row has
    `has_device` (an authenticator device or backup codes).
    """
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name=REVIEWERS_GROUP))
        .distinct()
        .annotate(
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
            | Exists(StaticDevice.objects.filter(user=OuterRef("pk")))
        )
        .order_by("-is_staff", "full_name", "email")
    )


def is_backup_code_device(device: Device) -> bool:
    """Whether `device` is the person's set of backup codes (not their authenticator app)."""
    return isinstance(device, StaticDevice)


def backup_codes_left(user: User) -> int:
    """How many unused backup codes the person has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def unconfirmed_device(user: User) -> TOTPDevice | None:
    """The device being set up (secret shown, not yet proven), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def grouped_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The set-up link as an inline SVG QR code.

    Colours are SVG presentation attributes, not style attributes, so the
    page's Content-Security-Policy (no 'unsafe-inline') lets it render.
    """
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="qr-code", lineclass=None
    )
    return svg.replace(
        "<svg ",
        '<svg role="img" aria-label="QR code holding your two-factor set-up key" ',
        1,
    )


def _wait_message(locked_until: datetime) -> str:
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    amount, unit = (seconds, "second") if seconds < 60 else (math.ceil(seconds / 60), "minute")
    wait = f"{amount} {unit}{'' if amount == 1 else 's'}"
    return (
        "After a wrong code, this account waits before the next try (a little longer "
        f"after each wrong code). Wait {wait}, then enter the code your app shows at that time."
    )


def _check(device: ThrottlingMixin, code: str) -> bool:
    """Whether `code` is the device's current code. The device row must be locked.

    Raises TooManyCodesError, writing nothing, while the device is waiting
    after wrong codes. A wrong code is counted (and committed with the
    caller's transaction, which must not then roll back).
    """
    allowed, data = device.verify_is_allowed()
    if not allowed:
        locked_until = (data or {}).get("locked_until") or timezone.now()
        raise TooManyCodesError(_wait_message(locked_until))
    if device.verify_token(code):
        return True
    if device.throttling_failure_count > MAX_COUNTED_FAILURES:
        device.throttling_failure_count = MAX_COUNTED_FAILURES
        device.save(update_fields=["throttling_failure_count"])
    return False


def _locked_device(user: User, *, confirmed: bool) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=confirmed)
        .order_by("-pk")
        .first()
    )


def _locked_backup_device(user: User) -> StaticDevice | None:
    return (
        StaticDevice.objects.select_for_update()
        .filter(user=user, confirmed=True)
        .order_by("pk")
        .first()
    )


def _new_backup_codes(user: User) -> tuple[list[str], bool]:
    """Ten fresh backup codes replacing any earlier ones; (codes, whether there were earlier).

    The caller holds the transaction and records the audit event.
    """
    device = _locked_backup_device(user)
    existed = device is not None
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes, existed


def normalise_backup_code(typed: str) -> str:
    """A backup code as stored: lower case, without the spaces or dashes people type."""
    return "".join(typed.split()).replace("-", "").lower()


# Writes --------------------------------------------------------------------------


@transaction.atomic
def two_factor_start(*, user: User, replace: bool = False) -> TOTPDevice:
    """Make a fresh unconfirmed device for `user` (replacing any earlier unfinished one).

    Refused while two-factor sign-in is on, unless `replace`: then the new
    device takes over from the old one once confirmed (a new phone). The view
    allows `replace` only in a session that has given its second factor.
    """
    if (
        not replace
        and TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists()
    ):
        raise TwoFactorError("Two-factor sign-in is already on for your account.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def two_factor_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor sign-in on once `code` proves the app holds the new secret.

    Steps: lock the unconfirmed device; check the code; mark it confirmed,
    remove the person's earlier device (a replaced phone, audited); on a first
    enrolment (no backup codes yet) make ten backup codes; record the audit
    events. Raises WrongCodeError (counted) or TwoFactorError.
    Returns the device and the new backup codes (empty when the old ones stay).
    """
    codes: list[str] = []
    with transaction.atomic():
        device = _locked_device(user, confirmed=False)
        if device is None:
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                raise TwoFactorError("Two-factor sign-in is already on for your account.")
            raise TwoFactorError("There is no set-up in progress. Start again.")
        verified = _check(device, code)
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            replaced, _ = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            if replaced:
                audit_record(
                    actor=user,
                    obj=user,
                    action="two_factor_device_removed",
                    message="Replaced by a new authenticator device.",
                )
            audit_record(actor=user, obj=user, action="two_factor_enabled")
            if not StaticToken.objects.filter(device__user=user).exists():
                codes, existed = _new_backup_codes(user)
                _audit_backup_codes(user=user, regenerated=existed)
    if not verified:
        raise WrongCodeError(WRONG_CODE)
    return device, codes


def _audit_backup_codes(*, user: User, regenerated: bool, count: int = BACKUP_CODE_COUNT) -> None:
    audit_record(
        actor=user,
        obj=user,
        action=(
            "two_factor_backup_codes_regenerated"
            if regenerated
            else "two_factor_backup_codes_generated"
        ),
        message=f"{count} backup codes.",
    )


@transaction.atomic
def two_factor_backup_codes_generate(*, user: User) -> list[str]:
    """Ten new backup codes for `user`; every earlier code stops working.

    Steps: lock the person's authenticator device (two-factor sign-in must be
    on); replace the codes; record the audit event. Returns the codes, which
    are shown once.
    """
    if _locked_device(user, confirmed=True) is None:
        raise TwoFactorError("Turn on two-factor sign-in first: backup codes go with it.")
    codes, existed = _new_backup_codes(user)
    _audit_backup_codes(user=user, regenerated=existed)
    return codes


def two_factor_disable(*, user: User, code: str) -> None:
    """Turn two-factor sign-in off; a current code from the app is required.

    Refused for people who must use it (program staff). Steps: lock the
    confirmed device; check the code; delete every device of the person
    (backup codes included) and record the audit events. Raises
    WrongCodeError or TwoFactorError.
    """
    if two_factor_required_for(user):
        raise TwoFactorError(REQUIRED)
    with transaction.atomic():
        device = _locked_device(user, confirmed=True)
        if device is None:
            raise TwoFactorError("Two-factor sign-in is already off for your account.")
        verified = _check(device, code)
        if verified:
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            audit_record(actor=user, obj=user, action="two_factor_device_removed")
            audit_record(actor=user, obj=user, action="two_factor_disabled")
    if not verified:
        raise WrongCodeError(WRONG_CODE)


def two_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts `code`: six digits from the app, or an unused backup code.

    A backup code works once: it is deleted as it is accepted, and its use is
    recorded with the number left. Raises WrongCodeError (counted) or
    TwoFactorError (no device, or waiting after wrong codes).
    """
    if len(code) == 6 and code.isascii() and code.isdigit():
        return _verify_app_code(user=user, code=code)
    return _verify_backup_code(user=user, code=normalise_backup_code(code))


def _verify_app_code(*, user: User, code: str) -> TOTPDevice:
    with transaction.atomic():
        device = _locked_device(user, confirmed=True)
        if device is None:
            raise TwoFactorError("Two-factor sign-in is off for this account. Sign in again.")
        verified = _check(device, code)
    if not verified:
        raise WrongCodeError(WRONG_SIGN_IN_CODE)
    return device


def _verify_backup_code(*, user: User, code: str) -> StaticDevice:
    with transaction.atomic():
        device = _locked_backup_device(user)
        if device is None:
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                raise TwoFactorError("Two-factor sign-in is off for this account. Sign in again.")
            raise WrongCodeError(WRONG_SIGN_IN_CODE)
        verified = _check(device, code)
        if verified:
            left = device.token_set.count()
            audit_record(
                actor=user,
                obj=user,
                action="two_factor_backup_code_used",
                message=f"{left} backup code{'' if left == 1 else 's'} left.",
            )
    if not verified:
        raise WrongCodeError(WRONG_SIGN_IN_CODE)
    return device


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, reason: str) -> None:
    """Another program staff member removes `user`'s devices and backup codes (a lost phone).

    Steps: check the actor is program staff and not the person; require a
    reason; delete every device of the person; record the audit event with
    the reason. The person must set up two-factor sign-in again when next
    signed in (for program staff, before any other page).
    """
    if not is_program_staff(actor):
        raise TwoFactorError("Only program staff can reset someone's two-factor sign-in.")
    if actor.pk == user.pk:
        raise TwoFactorError(
            "You cannot reset your own two-factor sign-in. Sign in with a backup code and "
            "set up a new device, or ask another program staff member."
        )
    reason = " ".join(reason.split())
    if not reason:
        raise TwoFactorError("Say why the two-factor sign-in is being reset.")
    if not (
        TOTPDevice.objects.select_for_update().filter(user=user).exists()
        or StaticDevice.objects.select_for_update().filter(user=user).exists()
    ):
        raise TwoFactorError(f"{user} has no two-factor sign-in to reset.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, obj=user, action="two_factor_reset", message=reason)


@transaction.atomic
def two_factor_install_demo(*, user: User, key_hex: str, backup_codes: list[str]) -> bool:
    """Give a demo account a confirmed device with a published secret and backup codes.

    Only the demo data calls this: the secret and codes are printed for
    anyone trying the demo. An account that already has a device keeps it.
    Returns whether a device was made.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True, key=key_hex)
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in backup_codes)
    audit_record(actor=user, obj=user, action="two_factor_enabled", message="Demo device.")
    _audit_backup_codes(user=user, regenerated=False, count=len(backup_codes))
    return True
