"""Deadline-day benchmark: many agency sessions autosaving their drafts at once.

Creates (once; later runs reuse them) an open bench cycle with one category and
`--sessions` agencies, each with its own person (the agency's owner) and one
draft nomination, all through the services (`agency_create`,
`nomination_create`). Each person is signed in by `django.test.Client.force_login`,
which runs Django's own `login()` and stores the session in the database as
the sign-in page would (the sign-in page itself is rate limited per address, so
a hundred sign-ins from one machine would be refused); the bench then uses the
session cookie like a browser.

Each session loads its edit page once, reads the form the way the page's
script does (`new FormData(form)`: every named field, checked boxes only),
then every `--every` seconds for `--seconds` seconds posts it to the form's
`data-autosave-url` with `next=autosave`, the `X-CSRFToken` header, a new
summary text and the version the previous save returned: exactly what
static/js/autosave.js sends. A save made from a stale version is answered 409
(conflict), so a lost write shows as an error; after the run the database is
checked too: every draft must hold the last text and version its session was
told were saved.

Printed: requests, errors by status, lost writes, median and 99th-percentile
latency, and `/healthz` (one word behind the site's middleware) as the
yardstick, measured in the same run. It is not a test: it prints figures and
fails on nothing but errors. Run it against a scratch PostgreSQL database:

    export DATABASE_URL=postgres://dz_ci:dz_ci@127.0.0.1:5432/dz_bench
    make serve                                      # second terminal, same export
    .venv/bin/python bench/autosave.py              # 100 sessions, 60 seconds
    .venv/bin/python bench/autosave.py --sessions 10 --seconds 10   # a quick run
"""

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin
from urllib.request import Request, build_opener

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Sessions are signed with the server's key: `make serve` keeps it in .run/secret_key.
_KEY_FILE = Path(__file__).resolve().parents[1] / ".run" / "secret_key"
if "SECRET_KEY" not in os.environ and _KEY_FILE.exists():
    os.environ["SECRET_KEY"] = _KEY_FILE.read_text().strip()

import profiles as bench  # noqa: E402 - sets Django up
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from dz_awards.agencies.enums import AgencyType  # noqa: E402
from dz_awards.agencies.models import Agency  # noqa: E402
from dz_awards.agencies.services import agency_create  # noqa: E402
from dz_awards.cycles.models import Category, Cycle  # noqa: E402
from dz_awards.nominations.models import Nomination  # noqa: E402
from dz_awards.nominations.services import nomination_create  # noqa: E402

User = get_user_model()
EMAIL = "bench-autosave-{:03d}@example.org"
CYCLE_YEAR = 2099


# The world -------------------------------------------------------------------------


def world(sessions):
    """[(user, nomination)] for `sessions` agencies, created through the services once."""
    now = timezone.now()
    cycle, _ = Cycle.objects.update_or_create(
        year=CYCLE_YEAR,
        defaults={
            "name": f"{CYCLE_YEAR} Bench Awards",
            "opens_at": now - timedelta(days=30),
            "closes_at": now + timedelta(days=30),
        },
    )
    category, _ = Category.objects.get_or_create(
        cycle=cycle,
        code="officer-wellness",
        defaults={"label": "Officer Wellness", "description": "Programs that keep officers well."},
    )
    pairs = []
    for index in range(sessions):
        user, created = User.objects.get_or_create(
            email=EMAIL.format(index),
            defaults={"full_name": f"Bench Person {index}", "email_verified_at": now},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        agency = Agency.objects.filter(created_by=user).first() or agency_create(
            user=user,
            name=f"Bench Town {index} Police Department",
            agency_type=AgencyType.MUNICIPAL,
            state="VA",
            city=f"Bench Town {index}",
            sworn_officers=40 + index,
            contact_name=user.full_name,
            contact_email=user.email,
        )
        nomination = Nomination.objects.filter(agency=agency, cycle=cycle).first()
        if nomination is None:
            nomination = nomination_create(
                user=user, agency=agency, cycle=cycle, category=category, title="Peer Support"
            )
        pairs.append((user, nomination))
    return pairs


def session_cookie(user):
    """A signed-in session of `user` stored in the database, as Django's login() makes it."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# The browser side -------------------------------------------------------------------


class FormReader(HTMLParser):
    """The autosaving form's fields as `new FormData(form)` would send them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.url = None
        self.fields = []
        self._in_form = False
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-autosave-url" in attrs:
            self.url, self._in_form = attrs["data-autosave-url"], True
        if not self._in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append([name, attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = [name, ""]
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None and "selected" in attrs:
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


class Session:
    """One agency person's browser: a cookie jar, the form, the version it holds."""

    def __init__(self, base, cookie, nomination):
        self.base = base
        self.nomination = nomination
        self.opener = build_opener()
        self.headers = {
            "User-Agent": "dz-awards-bench",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}",
        }
        self.saved_text = None  # the last summary the server said it saved
        self.saved_version = None
        self.timings = []
        self.when = []  # perf_counter() at each save's start
        self.statuses = Counter()

    def _open(self, request):
        with self.opener.open(request, timeout=60) as response:
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            return response.status, response.read()

    def _keep_cookies(self, set_cookies):
        """Send back what the server set (the CSRF cookie), as a browser would."""
        cookies = dict(c.split("=", 1) for c in self.headers["Cookie"].split("; "))
        for header in set_cookies:
            name, value = header.split(";", 1)[0].split("=", 1)
            cookies[name.strip()] = value
        self.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())

    def load(self):
        """GET the edit page; keep the form's fields, its autosave URL and the CSRF token."""
        url = f"{self.base}/nominations/{self.nomination.pk}/edit/"
        status, body = self._open(Request(url, headers=self.headers))  # noqa: S310
        reader = FormReader()
        reader.feed(body.decode())
        if status != 200 or reader.url is None:
            sys.exit(
                f"{url} answered {status} without the autosaving form: is the server on "
                "this database?"
            )
        self.url = urljoin(url, reader.url)
        self.fields = reader.fields
        self.token = next(v for k, v in self.fields if k == "csrfmiddlewaretoken")
        self.version = int(next(v for k, v in self.fields if k == "version"))

    def save(self, number):
        """One background save of a new summary, with the version the last save returned."""
        text = f"Summary from save {number} of {self.nomination.pk}: " + bench.paragraph(
            random.Random(number), 1
        )
        data = [
            (k, str(self.version) if k == "version" else (text if k == "summary" else v))
            for k, v in self.fields
        ]
        data.append(("next", "autosave"))
        request = Request(  # noqa: S310 - loopback only
            self.url,
            data=urlencode(data).encode(),
            headers={
                **self.headers,
                "Accept": "application/json",
                "X-CSRFToken": self.token,
                "Referer": self.url,
            },
        )
        started = time.perf_counter()
        try:
            status, body = self._open(request)
        except HTTPError as error:
            status, body = error.code, error.read()
        except (URLError, OSError):
            status, body = "no answer", b""
        self.timings.append(time.perf_counter() - started)
        self.when.append(started)
        self.statuses[status] += 1
        if status == 200:
            answer = json.loads(body)
            if answer.get("status") == "saved":
                self.version = answer["version"]
                self.saved_text, self.saved_version = text, self.version

    def run(self, every, until, start_after):
        time.sleep(start_after)
        number = 0
        next_at = time.monotonic()
        while next_at < until:
            number += 1
            self.save(number)
            next_at += every
            time.sleep(max(0.0, next_at - time.monotonic()))


def lost_writes(sessions):
    """Sessions whose draft does not hold the last text and version they were told saved."""
    stored = {
        n.pk: (n.summary, n.version)
        for n in Nomination.objects.filter(pk__in=[s.nomination.pk for s in sessions])
    }
    return [
        s
        for s in sessions
        if s.saved_text is not None and stored[s.nomination.pk] != (s.saved_text, s.saved_version)
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--sessions", type=int, default=100, help="concurrent agency sessions")
    parser.add_argument("--seconds", type=float, default=60, help="how long they autosave")
    parser.add_argument("--every", type=float, default=2, help="seconds between saves")
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest saves")
    parser.add_argument("--yardstick-requests", type=int, default=200)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    print(f"database: {bench.connection.vendor} {bench.connection.settings_dict['NAME']}")
    bench.check_server(base)
    started = time.perf_counter()
    pairs = world(args.sessions)
    sessions = [Session(base, session_cookie(user), nomination) for user, nomination in pairs]
    for session in sessions:
        session.load()
    print(
        f"{len(sessions)} signed-in sessions with a draft each, ready in "
        f"{time.perf_counter() - started:.1f} s"
    )

    yardstick = bench.measure(f"{base}/healthz", requests=args.yardstick_requests, clients=16)
    print(f"one-word view: {yardstick['rps']:.1f} req/s with 16 clients (before the saves)")

    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=s.run, args=(args.every, until, random.uniform(0, args.every)), daemon=True
        )
        for s in sessions
    ]
    wall = wall_started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall

    timings = sorted(t for s in sessions for t in s.timings)
    statuses = sum((s.statuses for s in sessions), Counter())
    errors = {status: count for status, count in statuses.items() if status != 200}
    lost = lost_writes(sessions)
    p99 = statistics.quantiles(timings, n=100, method="inclusive")[98]
    print(
        f"\n{len(sessions)} sessions saving every {args.every:g} s for {args.seconds:g} s "
        f"against {base}\n"
    )
    print(f"requests           {len(timings)} ({len(timings) / wall:.1f}/s)")
    print(
        f"errors             {sum(errors.values())}"
        + (
            f" ({', '.join(f'{k}: {v}' for k, v in sorted(errors.items(), key=str))})"
            if errors
            else ""
        )
    )
    confirmed = sum(s.saved_text is not None for s in sessions)
    print(f"lost writes        {len(lost)} (of {confirmed} drafts checked in the database)")
    print(f"median latency     {statistics.median(timings) * 1000:.1f} ms")
    print(f"p99 latency        {p99 * 1000:.1f} ms")
    print(f"max latency        {timings[-1] * 1000:.1f} ms")
    if args.slowest:
        slow = sorted(
            (
                (t, w - wall_started)
                for s in sessions
                for t, w in zip(s.timings, s.when, strict=True)
            ),
            reverse=True,
        )[: args.slowest]
        print(
            "slowest (ms at s into the run): "
            + ", ".join(f"{t * 1000:.0f} at {at:.1f}" for t, at in slow)
        )


if __name__ == "__main__":
    main()
