"""Two servers share one site: the check .ci/run runs, and the deployment's proof.

Starts what a deployment on several servers has: PostgreSQL (a fresh database
on the cluster DATABASE_URL points at), Redis (the shared cache), an
S3-compatible store (moto's standalone server, a bucket of its own), two web
servers (gunicorn, as bin/serve runs it) and one background worker. Each of the
three runs from a working directory of its own, a copy of this checkout with
its own MEDIA_ROOT: they share no local disk, only the services. The static
files are collected once and copied with the code, as a build artefact is
deployed to each server. Then it shows, one "ok:" line each:

  a. a session made by signing in on A is valid on B;
  b. a file uploaded through A, once the worker has checked it, downloads
     through B, and lives in the bucket, in no server's MEDIA_ROOT;
  c. a PDF rendered by the worker is served by A and B, the same bytes;
  d. a rate limit counts the requests to both servers together;
  e. two decisions for a category's last winner's place, sent to A and B at
     the same moment, leave exactly one winner;
  f. /healthz and /readyz answer 200 on both.

Cookies are kept per host, not per port, as a browser keeps them: one client
talking to A and B on 127.0.0.1 is a browser behind a load balancer.

Run it locally (PostgreSQL running, redis-server installed, dev requirements in
.venv): `.venv/bin/python .ci/two_servers.py`, with DATABASE_URL naming any
database of a role that may create databases (default
postgres://dz_ci:dz_ci@127.0.0.1:5432/dz_ci). It stops at the first failure,
saying what went wrong, with the end of each process's log; every process and
temporary folder goes when it ends, whichever way.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from functools import partial
from pathlib import Path
from typing import Any

import boto3
import psycopg
import redis
import requests
from botocore.config import Config
from django_otp.oath import TOTP
from multiserver import (
    PYTHON,
    REPO,
    REQUEST_SECONDS,
    VENV_BIN,
    CheckError,
    Processes,
    alerts,
    answers,
    csrf_token,
    drop_database,
    files_under,
    free_port,
    fresh_database,
    get,
    not_copied,
    post,
    require,
    run,
    wait_for,
)
from PIL import Image

DEFAULT_DATABASE_URL = "postgres://dz_ci:dz_ci@127.0.0.1:5432/dz_ci"
BUCKET = "dz-two-servers"
# Low, so that reaching it is quick; counted per client address across servers.
PASSWORD_RESET_RATE = 5
# Every wait has a deadline: a check that cannot pass fails, it never hangs.
START_SECONDS = 20
WORKER_SECONDS = 30
# The world (two_servers_world.py), made in the worker's directory.
WORLD = (Path(__file__).resolve().parent / "two_servers_world.py").read_text()


class Check:
    """The site on two servers, and the checks against it."""

    def __init__(self, root: Path, processes: Processes, base_url: str) -> None:
        self.root = root
        self.processes = processes
        self.base_database_url = base_url
        self.database_created = False
        self.laps: list[tuple[str, float]] = []
        self.lap_started = time.monotonic()

    def ok(self, text: str) -> None:
        """Print a check that held, with the seconds it took."""
        now = time.monotonic()
        print(f"ok: {text} ({now - self.lap_started:.1f} s)", flush=True)
        self.lap_started = now

    def lap(self, name: str) -> None:
        """Record how long the step `name`, just ended, took."""
        now = time.monotonic()
        self.laps.append((name, now - self.lap_started))
        self.lap_started = now

    # Services ---------------------------------------------------------------------

    def start_services(self) -> None:
        redis_port, s3_port = free_port(), free_port()
        self.processes.start(
            "redis",
            [
                *("redis-server", "--port", str(redis_port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            cwd=self.root,
            env=dict(os.environ),
        )
        self.processes.start(
            "s3",
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
            cwd=self.root,
            env=dict(os.environ),
        )
        self.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        self.s3_url = f"http://127.0.0.1:{s3_port}"
        self.database_url = fresh_database(self.base_database_url)
        self.database_created = True
        cache = redis.Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
        wait_for("Redis answers", lambda: cache.ping() or None, 10)
        self.s3 = boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            aws_access_key_id="two-servers",
            aws_secret_access_key="two-servers",  # noqa: S106 moto accepts any
            region_name="us-east-1",
            config=Config(
                connect_timeout=2, read_timeout=REQUEST_SECONDS, retries={"max_attempts": 1}
            ),
        )
        wait_for("the S3 server answers", lambda: self.s3.list_buckets() and True, 15)
        self.s3.create_bucket(Bucket=BUCKET)
        self.lap("services")

    def environment(self, folder: Path) -> dict[str, str]:
        """What every process of the site is given: the same but for its MEDIA_ROOT."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "DJANGO_", "RATE_LIMIT_"))
        }
        env.update(
            DEBUG="0",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1",
            HTTPS="0",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_ENDPOINT_URL=self.s3_url,
            AWS_ACCESS_KEY_ID="two-servers",
            AWS_SECRET_ACCESS_KEY="two-servers",  # noqa: S106 moto accepts any
            AWS_S3_REGION_NAME="us-east-1",
            MEDIA_ROOT=str(folder / "media"),
            RATE_LIMIT_PASSWORD_RESET=f"{PASSWORD_RESET_RATE}/h",
            LOG_LEVEL="WARNING",
        )
        return env

    def deploy(self) -> None:
        """Three working directories from one build: A, B and the worker's.

        The static files are collected in A while the database is migrated and the
        world made from the worker's directory, then copied to the other two with
        their manifest.
        """
        self.secret_key = secrets.token_urlsafe(50)
        self.a, self.b, self.w = (self.root / name for name in ("server-a", "server-b", "worker"))
        for folder in (self.a, self.b, self.w):
            shutil.copytree(REPO, folder, ignore=not_copied, symlinks=True)
        env = self.environment(self.w)
        self.processes.start(
            "collectstatic",
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=self.a,
            env=self.environment(self.a),
        )
        run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=self.w,
            env=env,
            what="migrate",
        )
        # The world, made in the worker's directory while the static files are collected.
        out = run(
            [PYTHON, "manage.py", "shell", "-v", "0", "-c", WORLD],
            cwd=self.w,
            env=env,
            what="the world",
        )
        line = next((text for text in out.splitlines() if text.startswith("WORLD ")), None)
        if line is None:
            raise CheckError(f"the world was not described:\n{out[-2000:]}")
        self.world = json.loads(line.removeprefix("WORLD "))
        self.lap("migrations, the world")
        self.processes.finish("collectstatic", seconds=60)
        for folder in (self.b, self.w):
            shutil.copytree(self.a / "staticfiles", folder / "staticfiles", symlinks=True)
        self.lap("static files")
        self.ports = {}
        for name, folder in (("A", self.a), ("B", self.b)):
            port = free_port()
            self.ports[name] = port
            self.processes.start(
                f"server-{name}",
                [
                    *(str(VENV_BIN / "gunicorn"), "dz_awards.wsgi:application"),
                    *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-"),
                ],
                cwd=folder,
                env=self.environment(folder),
            )
        # The worker as the Makefile's `worker` target runs it.
        self.processes.start(
            "worker",
            [PYTHON, "manage.py", "worker", "--queue-name", "default,uploads"],
            cwd=self.w,
            env=self.environment(self.w),
        )
        self.A = f"http://127.0.0.1:{self.ports['A']}"
        self.B = f"http://127.0.0.1:{self.ports['B']}"
        for server in (self.A, self.B):
            wait_for(
                f"{server}/healthz answers", partial(answers, f"{server}/healthz"), START_SECONDS
            )
        self.processes.check_alive()
        self.lap("servers answer")

    # Checks -----------------------------------------------------------------------

    def sign_in(self, server: str, email: str, password: str) -> requests.Session:
        client = requests.Session()
        form = get(client, f"{server}/accounts/login/")
        response = post(
            client,
            f"{server}/accounts/login/",
            data={"csrfmiddlewaretoken": csrf_token(form), "username": email, "password": password},
        )
        require(
            response.status_code == 302, f"sign-in on {server}: answered {response.status_code}"
        )
        return client

    def session_shared(self) -> None:
        member = self.world["member"]
        self.member = self.sign_in(self.A, member["email"], member["password"])
        page = get(self.member, f"{self.B}{self.world['evidence_url']}", allow_redirects=False)
        require(page.status_code == 200, f"signed-in page on B: answered {page.status_code}")
        require(
            f'<span class="account-name">{member["name"]}</span>' in page.text,
            "the page B served does not name the person who signed in on A",
        )
        self.ok("a session made by signing in on A is valid on B (B's page names the person)")

    def upload_shared(self) -> None:
        picture = Image.new("RGB", (96, 64))
        picture.putdata([(x * 2, y * 3, (x + y) % 256) for y in range(64) for x in range(96)])
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        sent = buffer.getvalue()
        url = self.world["evidence_url"]
        form = get(self.member, f"{self.A}{url}")
        response = post(
            self.member,
            f"{self.A}{url}",
            data={
                "csrfmiddlewaretoken": csrf_token(form),
                "kind": "image",
                "alt_text": "A colour gradient",
                "description": "Sent to server A",
            },
            files={"file": ("gradient.png", sent, "image/png")},
        )
        require(response.status_code == 302, f"upload to A: answered {response.status_code}")
        page = get(self.member, f"{self.B}{url}")
        links = set(re.findall(re.escape(url) + r"[0-9a-f-]{36}/", page.text))
        require(len(links) == 1, f"B's evidence page lists {len(links)} download links, not 1")
        download = f"{self.B}{links.pop()}"

        def ready() -> requests.Response | None:
            self.processes.check_alive()
            answer = get(self.member, download, allow_redirects=True)
            return answer if answer.status_code == 200 else None

        received = wait_for("the upload is checked and downloads from B", ready, WORKER_SECONDS)
        require(received.content, "the file downloaded from B is empty")
        with Image.open(io.BytesIO(received.content)) as image:
            require(
                image.format == "PNG" and image.size == picture.size,
                f"B sent a {image.format} of {image.size}, not the 96x64 PNG sent to A",
            )
            require(
                image.convert("RGB").tobytes() == picture.tobytes(),
                "the pixels downloaded from B differ from those sent to A",
            )
        stored = [
            item["Key"] for item in self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        ]
        require(
            any(
                self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == received.content
                for key in stored
            ),
            f"the file B served is not in the bucket (it holds {stored})",
        )
        local = [
            path for folder in (self.a, self.b, self.w) for path in files_under(folder / "media")
        ]
        require(not local, f"files written to a server's own disk: {local}")
        self.ok(
            "a PNG uploaded through A, checked by the worker, downloads through B "
            "(same pixels), stored in the bucket and in no MEDIA_ROOT"
        )

    def pdf_shared(self) -> None:
        url = self.world["pdf_url"]
        anonymous = requests.Session()

        def rendered() -> requests.Response | None:
            self.processes.check_alive()
            answer = get(anonymous, f"{self.A}{url}")
            return answer if answer.status_code == 200 else None

        from_a = wait_for("the worker renders the PDF summary", rendered, WORKER_SECONDS)
        from_b = get(anonymous, f"{self.B}{url}")
        require(from_b.status_code == 200, f"the PDF on B: answered {from_b.status_code}")
        require(from_a.content.startswith(b"%PDF-"), "A's PDF summary is not a PDF")
        require(from_a.content == from_b.content, "A and B serve different PDF bytes")
        self.ok(
            "the PDF the worker rendered is served by A and B, "
            f"the same {len(from_a.content)} bytes"
        )

    def rate_limit_shared(self) -> None:
        client = requests.Session()
        url = "/accounts/password/reset/"
        token = csrf_token(get(client, f"{self.A}{url}"))
        answers = []
        for number in range(1, PASSWORD_RESET_RATE + 2):
            server = (self.A, self.B)[number % 2]
            response = post(
                client,
                f"{server}{url}",
                data={"csrfmiddlewaretoken": token, "email": "nobody-here@example.org"},
            )
            answers.append(response.status_code)
        expected = [302] * PASSWORD_RESET_RATE + [429]
        require(
            answers == expected,
            f"password reset requests, alternately to B and A, answered {answers}; "
            f"a limit of {PASSWORD_RESET_RATE} counted across both answers {expected}",
        )
        self.ok(
            f"the rate limit counts both servers: requests 1-{PASSWORD_RESET_RATE} alternately "
            f"to B and A pass, request {PASSWORD_RESET_RATE + 1} is refused with 429"
        )

    def staff_session(self) -> requests.Session:
        staff = self.world["staff"]
        client = self.sign_in(self.A, staff["email"], staff["password"])
        form = get(client, f"{self.A}/accounts/login/code/")
        totp = TOTP(bytes.fromhex(staff["key"]), staff["step"], staff["t0"], staff["digits"])
        response = post(
            client,
            f"{self.A}/accounts/login/code/",
            data={"csrfmiddlewaretoken": csrf_token(form), "code": f"{totp.token():06d}"},
        )
        require(
            response.status_code == 302,
            f"staff's code on A: answered {response.status_code}, not a redirect",
        )
        return client

    def one_winner(self) -> None:
        staff = self.staff_session()
        decisions = get(staff, f"{self.B}{self.world['decisions_url']}", allow_redirects=False)
        require(decisions.status_code == 200, f"decisions page on B: {decisions.status_code}")
        token = csrf_token(decisions)
        barrier = threading.Barrier(2)
        outcomes: list[Any] = [None, None]

        def decide(index: int, server: str, candidate: dict[str, str]) -> None:
            client = requests.Session()
            client.cookies.update(staff.cookies)
            try:
                barrier.wait(timeout=REQUEST_SECONDS)
                sent = post(
                    client,
                    f"{server}{candidate['url']}",
                    data={"csrfmiddlewaretoken": token, "outcome": "winner"},
                )
                shown = get(client, f"{server}{self.world['decisions_url']}")
                outcomes[index] = (sent.status_code, shown.text)
            except Exception as error:  # reported below, as what the thread saw
                outcomes[index] = error

        threads = [
            threading.Thread(target=decide, args=(index, server, candidate), daemon=True)
            for index, (server, candidate) in enumerate(
                zip((self.A, self.B), self.world["candidates"], strict=True)
            )
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(REQUEST_SECONDS * 2 + 5)
        for outcome in outcomes:
            require(isinstance(outcome, tuple), f"a decision did not come back: {outcome!r}")
        require(
            [status for status, _text in outcomes] == [302, 302],
            f"the decisions answered {[status for status, _ in outcomes]}, not redirects",
        )
        shown = [alerts(text) for _status, text in outcomes]
        staged = [
            any(kind == "success" and "is staged as winner" in words for kind, words in told)
            for told in shown
        ]
        refused = [
            any(kind == "danger" and "already has its 2 winners" in words for kind, words in told)
            for told in shown
        ]
        require(
            sorted(staged) == [False, True] and staged == [not each for each in refused],
            f"the two decisions were told {shown}: not one staged and one refused",
        )
        with psycopg.connect(self.database_url, connect_timeout=10) as db:
            winners = db.execute(
                "SELECT nomination_id::text FROM reviews_decision WHERE outcome = 'winner'"
            ).fetchall()
        holders = sorted(row[0] for row in winners)
        candidates = [candidate["pk"] for candidate in self.world["candidates"]]
        require(
            len(holders) == 2
            and self.world["holder"] in holders
            and len(set(holders) & set(candidates)) == 1,
            f"the database holds winners {holders}: not the first holder and one candidate",
        )
        which = "A" if staged[0] else "B"
        self.ok(
            "two decisions for the last winner's place, sent to A and B at once: "
            f"one winner (the one sent to {which}), the other refused in words"
        )

    def health(self) -> None:
        for server, name in ((self.A, "A"), (self.B, "B")):
            for path in ("/healthz", "/readyz"):
                response = get(requests.Session(), f"{server}{path}", allow_redirects=False)
                require(response.status_code == 200, f"{path} on {name}: {response.status_code}")
        self.ok("/healthz and /readyz answer 200 on A and B")

    def close(self) -> None:
        if self.database_created:
            drop_database(self.base_database_url)


def interrupted(_signal: int, _frame: object) -> None:
    """A TERM (CI stopping) ends the run as Ctrl-C does: through the cleanup."""
    raise KeyboardInterrupt


def main() -> int:
    started = time.monotonic()
    base = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    signal.signal(signal.SIGTERM, interrupted)
    root = Path(tempfile.mkdtemp(prefix="dz-two-servers-"))
    logs = root / "logs"
    logs.mkdir()
    processes = Processes(logs)
    check = Check(root, processes, base)
    failed = True
    try:
        check.start_services()
        check.deploy()
        steps = ", ".join(f"{name} {seconds:.1f}" for name, seconds in check.laps)
        print(
            f"two servers at {check.A} and {check.B}, one worker, PostgreSQL, Redis and S3 "
            f"up in {time.monotonic() - started:.1f} s ({steps})",
            flush=True,
        )
        check.lap("printing")
        check.session_shared()
        check.upload_shared()
        check.pdf_shared()
        check.rate_limit_shared()
        check.one_winner()
        check.health()
        failed = False
    except CheckError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        print(processes.tails(), file=sys.stderr)
    except Exception:
        traceback.print_exc()
        print(processes.tails(), file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted: stopping every process", file=sys.stderr)
    finally:
        processes.stop()
        try:
            check.close()
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{'failed' if failed else 'passed'} in {time.monotonic() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
