"""Two-factor sign-in with an authenticator app (TOTP, through django-otp).

Offered to reviewers and program staff. A person has at most one device:
`two_factor_start` makes an unconfirmed one (a fresh secret), the person
proves their app holds it with `two_factor_confirm`, and from then on signing
in asks for a code after the password. `two_factor_disable` needs a current
code too. Every check of a code locks the device row, so concurrent guesses
are counted one after another.

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
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.core.errors import ServiceError
from dz_awards.core.services import audit_record

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User

DEVICE_NAME = "Authenticator app"
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


# Reads ---------------------------------------------------------------------------


def confirmed_device(user: User | AnonymousUser) -> TOTPDevice | None:
    """The person's working authenticator device, or None when two-factor sign-in is off."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


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
        "Too many wrong codes were entered for this account. "
        f"Wait {wait}, then enter the code your app shows at that time."
    )


def _check(device: TOTPDevice, code: str) -> bool:
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


# Writes --------------------------------------------------------------------------


@transaction.atomic
def two_factor_start(*, user: User) -> TOTPDevice:
    """Make a fresh unconfirmed device for `user` (replacing any earlier unfinished one).

    Refused while two-factor sign-in is on: turn it off first.
    """
    if TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
        raise TwoFactorError("Two-factor sign-in is already on for your account.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def two_factor_confirm(*, user: User, code: str) -> TOTPDevice:
    """Turn two-factor sign-in on once `code` proves the app holds the new secret.

    Steps: lock the unconfirmed device; check the code; mark it confirmed,
    drop any other device of the person, and record the audit event.
    Raises WrongCodeError (counted) or TwoFactorError. Returns the device.
    """
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
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            audit_record(actor=user, obj=user, action="two_factor_enabled")
    if not verified:
        raise WrongCodeError(WRONG_CODE)
    return device


def two_factor_disable(*, user: User, code: str) -> None:
    """Turn two-factor sign-in off; a current code from the app is required.

    Steps: lock the confirmed device; check the code; delete every device of
    the person and record the audit event. Raises WrongCodeError or TwoFactorError.
    """
    with transaction.atomic():
        device = _locked_device(user, confirmed=True)
        if device is None:
            raise TwoFactorError("Two-factor sign-in is already off for your account.")
        verified = _check(device, code)
        if verified:
            TOTPDevice.objects.filter(user=user).delete()
            audit_record(actor=user, obj=user, action="two_factor_disabled")
    if not verified:
        raise WrongCodeError(WRONG_CODE)


def two_factor_verify(*, user: User, code: str) -> TOTPDevice:
    """The confirmed device that accepts `code` at sign-in.

    Raises WrongCodeError (counted) or TwoFactorError (no device, or waiting
    after wrong codes).
    """
    with transaction.atomic():
        device = _locked_device(user, confirmed=True)
        if device is None:
            raise TwoFactorError("Two-factor sign-in is off for this account. Sign in again.")
        verified = _check(device, code)
    if not verified:
        raise WrongCodeError(WRONG_CODE)
    return device
