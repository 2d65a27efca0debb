"""Signed-in sessions end after a while without activity, and after SESSION_COOKIE_AGE anyway.

Two limits, both in seconds and set from the environment:

- SESSION_IDLE_TIMEOUT: people of agencies (two hours by default);
- SESSION_IDLE_TIMEOUT_STAFF: program staff and reviewers, who can see
  every agency's or confidential work (thirty minutes by default).

The session records when its person was last seen (at most once a minute, so
that a busy page does not write the session on every request) and their
limit. A request that comes later than the limit signs the person out first:
a page is then sent to the sign-in page with a message saying why; any other
request (a form post, the nomination form's background save) goes on as
anonymous, so the view answers it as it answers a signed-out visitor (the
background save with its JSON "signed_out", which the form's script shows
while keeping the text on the page).

Writing the session each minute would slide its expiry along with it, so the
absolute limit is pinned as a date at sign-in (`start_idle_clock`, on
`user_logged_in`): SESSION_COOKIE_AGE after sign-in, whatever the activity.
Sessions signed in before this existed get both on their next request.
"""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from dz_awards.accounts.rules import is_program_staff, is_reviewer

# Session keys: when the person was last seen (Unix seconds) and their idle limit.
LAST_SEEN_KEY = "idle_last_seen"
LIMIT_KEY = "idle_limit"
# How stale "last seen" may get before it is written again.
STAMP_EVERY_SECONDS = 60


def idle_limit(user: Any) -> int:
    """The idle limit, in seconds, of a signed-in person."""
    if user.is_superuser or is_program_staff(user) or is_reviewer(user):
        return int(settings.SESSION_IDLE_TIMEOUT_STAFF)
    return int(settings.SESSION_IDLE_TIMEOUT)


def _span(seconds: int) -> str:
    """ "2 hours", "1 hour", "30 minutes", "45 seconds"."""
    count, unit = seconds, "second"
    for name, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count, unit = seconds // size, name
            break
    return f"{count} {unit}" + ("s" if count != 1 else "")


def idle_message(limit: int) -> str:
    """What the person is told after being signed out."""
    return (
        f"You were signed out after {_span(limit)} without activity, to protect your "
        "account. Sign in again to continue."
    )


class IdleTimeoutMiddleware:
    """Signs out a session idle longer than its person's limit (see the module's docstring).

    Goes after the session, authentication and message middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        if request.user.is_authenticated:
            last_seen = request.session.get(LAST_SEEN_KEY)
            limit = request.session.get(LIMIT_KEY)
            if last_seen is not None and limit is not None and now - last_seen > limit:
                logout(request)
                messages.info(request, idle_message(limit))
                if request.method in {"GET", "HEAD"} and request.accepts("text/html"):
                    return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        # Read again: the view may have signed someone in or out.
        if request.user.is_authenticated:
            self._stamp(request, now)
        return response

    def _stamp(self, request: HttpRequest, now: int) -> None:
        if now - request.session.get(LAST_SEEN_KEY, 0) >= STAMP_EVERY_SECONDS:
            _start_or_refresh(request, request.user, now)


def _start_or_refresh(request: HttpRequest, user: Any, now: int) -> None:
    session = request.session
    session[LAST_SEEN_KEY] = now
    session[LIMIT_KEY] = idle_limit(user)
    if session.get("_session_expiry") is None:
        session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))


def start_idle_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On sign-in (`user_logged_in`): start the idle clock and pin the absolute end.

    Done here rather than on the first page, so that page does not write the
    session again.
    """
    if request is not None and hasattr(request, "session"):
        _start_or_refresh(request, user, int(time.time()))
