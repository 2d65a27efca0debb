"""Rate limits on everything a stranger can make the site do.

Each limit has a name (`LIMITS`), a rate in settings (`RATE_LIMITS`, one
environment variable each, e.g. "5/h") and a decorator on the views that do
that work. django-ratelimit does the counting, in the shared cache (see
`core.cache`), so every server process and every server counts together.

- Counts are per client address as `core.net.throttle_ip` gives it: behind the
  trusted proxies, and one count for a whole IPv6 /64.
- Only the methods that do work count (POST, unless a view says otherwise):
  reading a form is never limited.
- A limit reached answers 429 with `Retry-After` and a page (or, for JSON
  clients, a JSON body) saying in words when to try again; the view does not run.
"""

import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

from dz_awards.core.net import throttle_ip

# Each limit, and what the people it stops were doing, for the 429 page.
LIMITS: dict[str, str] = {
    "registration": "asked to create accounts",
    "password_reset": "asked for password reset emails",
    "join_request": "asked to join agencies",
    "invitation": "sent invitations",
    "message": "sent messages",
    "upload": "uploaded files",
    "login": "tried to sign in with a wrong password",
    "open_data": "downloaded the library's open data",
}

OFF = "off"
# What django-ratelimit reads: a count, then a period of seconds, minutes, hours
# or days, optionally a multiple ("100/10m").
RATE = re.compile(r"[1-9]\d*/(\d*)[smhd]")

type View = Callable[..., HttpResponse]


def rate_for(name: str) -> str | None:
    """The rate of limit `name` from settings ("5/h"); None when it is turned off."""
    if name not in LIMITS:
        raise ImproperlyConfigured(f"Unknown rate limit {name!r}.")
    rate = str(settings.RATE_LIMITS.get(name, "")).strip()
    if rate.lower() == OFF:
        return None
    return rate


def rate_problems(rates: dict[str, str]) -> list[str]:
    """What is wrong with a RATE_LIMITS setting, in words (for the system check)."""
    problems = [f"{name}: no rate set" for name in LIMITS if name not in rates]
    problems += [f"{name}: not a limit this site has" for name in rates if name not in LIMITS]
    for name, rate in rates.items():
        text = str(rate).strip()
        match = RATE.fullmatch(text)
        if text.lower() != OFF and (match is None or match.group(1).startswith("0")):
            problems.append(f"{name}: {text!r} is not a rate such as 5/h or 100/10m")
    return problems


def client_key(_group: str, request: HttpRequest) -> str:
    """What a limit counts by: the client's address (its /64 for IPv6), proxies resolved."""
    return throttle_ip(request)


def _usage(
    request: HttpRequest, name: str, methods: Sequence[str], *, increment: bool
) -> dict[str, Any] | None:
    return get_usage(
        request,
        group=f"dz:{name}",
        key=client_key,
        rate=lambda _group, _request: rate_for(name),
        method=list(methods),
        increment=increment,
    )


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def wait_words(seconds: int) -> str:
    """'12 minutes', '1 hour, 5 minutes', '2 days, 3 hours': a wait in words.

    Rounded up (to the minute, or past a day to the hour): nobody is told to
    come back before the limit has lifted.
    """
    minutes = math.ceil(max(seconds, 1) / 60)
    if minutes >= 24 * 60:
        days, hours = divmod(math.ceil(minutes / 60), 24)
        parts = [_count(days, "day"), _count(hours, "hour") if hours else ""]
    else:
        hours, minutes = divmod(minutes, 60)
        parts = [
            _count(hours, "hour") if hours else "",
            _count(minutes, "minute") if minutes else "",
        ]
    return ", ".join(part for part in parts if part)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def too_many_requests(
    request: HttpRequest, *, name: str, retry_after: int, as_json: bool = False
) -> HttpResponse:
    """The 429 answer: `Retry-After` in seconds, and when to try again in words.

    JSON for JSON clients (`as_json`, or a request that asks for JSON): `error`
    holds the sentence, `errors` the same as a list (what the upload script
    shows), `retry_after` the seconds.
    """
    retry_after = max(int(retry_after), 1)
    wait = wait_words(retry_after)
    if as_json or _wants_json(request):
        message = f"Too many requests from your network. Try again in {wait}."
        body = {"status": "limited", "error": message, "errors": [message]}
        response = HttpResponse(
            json.dumps({**body, "retry_after": retry_after}),
            status=429,
            content_type="application/json; charset=utf-8",
        )
    else:
        context = {
            "doing": LIMITS[name],
            "wait": wait,
            "until": timezone.now() + timedelta(seconds=retry_after),
        }
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _redirected(response: HttpResponse) -> bool:
    return 300 <= response.status_code < 400


def rate_limit(
    name: str,
    *,
    methods: Sequence[str] = ("POST",),
    only_refusals: bool = False,
    as_json: bool = False,
) -> Callable[[View], View]:
    """Limit a view by the rate of `name`; use with `method_decorator` on a class.

    Each request with one of `methods` counts, and once the count passes the
    rate the view is not run and the answer is a 429 until the period ends.
    With `only_refusals`, a request counts only when its answer is not a
    redirect (a form shown again: a wrong password), and the 429 comes once the
    count reaches the rate, so successes cost nothing. `as_json`: the 429 is
    JSON for every client (an API).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            usage = _usage(request, name, methods, increment=not only_refusals)
            if usage is not None:
                count, limit = usage["count"], usage["limit"]
                if (count >= limit) if only_refusals else usage["should_limit"]:
                    return too_many_requests(
                        request, name=name, retry_after=usage["time_left"], as_json=as_json
                    )
            response = view(request, *args, **kwargs)
            if only_refusals and usage is not None and not _redirected(response):
                _usage(request, name, methods, increment=True)
            return response

        return limited

    return decorator
