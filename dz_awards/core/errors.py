"""One error model for every service, and one way for a view to tell people about it.

A service that refuses a change raises a subclass of `ServiceError` (each app
has its own: `NominationError`, `ReviewError`, `ProfileError`, …) whose message
is written for the person who tried, in plain words. Views do not format
refusals themselves: they catch `REFUSALS` and call `refuse`, which puts the one
message on the form or in the page's messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import ConcurrentTransition

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest

NOT_ALLOWED = "You may not make this change."
BUSY = "Someone else changed this at the same moment. Reload the page and try again."


class ServiceError(Exception):
    """A change that cannot be made now; `message` says why, for the person who tried."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# What a view catches around a service call: each is a refusal, never a crash.
REFUSALS: tuple[type[Exception], ...] = (
    ServiceError,
    ValidationError,
    PermissionDenied,
    ConcurrentTransition,
)


def refusal_message(error: BaseException, *, busy: str = BUSY) -> str:
    """The one sentence to show for a refused change.

    `busy` replaces the generic text for a concurrent change (django-fsm's
    optimistic lock), so a page can name what was changed ("this profile").
    """
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return NOT_ALLOWED
    if isinstance(error, ConcurrentTransition):
        return busy
    return str(error)


def refuse(
    request: HttpRequest,
    error: BaseException,
    *,
    form: forms.Form | None = None,
    busy: str = BUSY,
) -> str:
    """Tell the person why the change was refused: on `form` if given, else as a message.

    Returns the text, for pages that show it elsewhere too (a JSON answer).
    """
    text = refusal_message(error, busy=busy)
    if form is not None:
        form.add_error(None, text)
    else:
        messages.error(request, text)
    return text
