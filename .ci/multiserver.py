"""What .ci/two_servers.py runs the site with: its processes, waits, database and HTTP.

Every process in a process group of its own, stopped together; every wait with
a deadline (a check that cannot pass fails, it never hangs); a failure is a
`CheckError` whose message says what was seen.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests
from botocore.exceptions import BotoCoreError

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
DATABASE_NAME = "dz_two"
# Every wait has a deadline: a check that cannot pass fails, it never hangs.
REQUEST_SECONDS = 15
# Processes that end by themselves, once their work is done.
ONE_OFF = frozenset({"collectstatic"})
# What a working directory does not take from the checkout: at its top, the
# virtualenv, git, local data and caches; anywhere, compiled and npm files.
NOT_COPIED_AT_TOP = (
    ".venv",
    ".git",
    "media",
    "staticfiles",
    ".run",
    "db.sqlite3*",
    ".coverage",
    ".*_cache",
    ".hypothesis",
    "test-artifacts",
)
NOT_COPIED_ANYWHERE = ("__pycache__", "node_modules")


def not_copied(folder: str, names: list[str]) -> set[str]:
    """For `shutil.copytree`: the names in `folder` a working directory leaves out."""
    patterns = NOT_COPIED_ANYWHERE + (NOT_COPIED_AT_TOP if Path(folder) == REPO else ())
    return {name for name in names if any(fnmatch(name, pattern) for pattern in patterns)}


class CheckError(Exception):
    """A check that did not hold: the message says what was seen."""


def require(condition: object, text: str) -> None:
    if not condition:
        raise CheckError(text)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for[T](what: str, probe: Callable[[], T | None], seconds: float) -> T:
    """Call `probe` until it returns something other than None; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = probe()
        except (OSError, requests.RequestException, redis.RedisError, BotoCoreError) as error:
            last_error, value = error, None
        if value is not None:
            return value
        time.sleep(0.1)
    detail = f" (last error: {last_error})" if last_error else ""
    raise CheckError(f"{what}: not within {seconds:g} s{detail}")


def signal_group(process: subprocess.Popen[bytes], number: int) -> None:
    """Signal the process group `process` leads, unless it has ended (and been waited for)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, number)


class Processes:
    """Every process started, each in a process group of its own, stopped together."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.started.append((name, process))

    def finish(self, name: str, *, seconds: float) -> None:
        """Wait for the process `name` to end; fail, with its log, unless it succeeded."""
        process = dict(self.started)[name]
        try:
            status = process.wait(timeout=seconds)
        except subprocess.TimeoutExpired as error:
            raise CheckError(f"{name}: did not finish within {seconds:g} s") from error
        if status != 0:
            log = (self.logs / f"{name}.log").read_text(errors="replace")
            raise CheckError(f"{name} failed (status {status}):\n{log[-3000:]}")

    def check_alive(self) -> None:
        for name, process in self.started:
            if name in ONE_OFF:
                continue
            if process.poll() is not None:
                raise CheckError(f"{name} exited with status {process.returncode}")

    def stop(self) -> None:
        """TERM to each group still running, then KILL to any still there after 5 s."""
        for _name, process in self.started:
            signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for _name, process in self.started:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                signal_group(process, signal.SIGKILL)
                process.wait()

    def tails(self) -> str:
        parts = []
        for name, _process in self.started:
            lines = (self.logs / f"{name}.log").read_text(errors="replace").splitlines()
            parts.append(f"---- {name} (last lines) ----\n" + "\n".join(lines[-15:]))
        return "\n".join(parts)


def run(command: list[str], *, cwd: Path, env: dict[str, str], what: str) -> str:
    """Run a command to its end; its output, or a failure with that output."""
    try:
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise CheckError(f"{what}: did not finish within 120 s") from error
    if done.returncode != 0:
        raise CheckError(f"{what} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fresh_database(base: str) -> str:
    """Drop and create the check's own database on `base`'s cluster; its URL."""
    drop_database(base)
    with psycopg.connect(base, autocommit=True, connect_timeout=10) as db:
        db.execute(f"CREATE DATABASE {DATABASE_NAME}")
    return database_url(base, DATABASE_NAME)


def drop_database(base: str) -> None:
    with psycopg.connect(base, autocommit=True, connect_timeout=10) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")


def csrf_token(response: requests.Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    if match is None:
        raise CheckError(f"no CSRF token in the form at {response.url}")
    return match.group(1)


def alerts(page: str) -> list[tuple[str, str]]:
    """The messages a page shows: (success, danger, ...; the words)."""
    return re.findall(r'<div class="alert alert-(\w+)">([^<]*)</div>', page)


def get(client: requests.Session, url: str, **kwargs: Any) -> requests.Response:
    return client.get(url, timeout=REQUEST_SECONDS, **kwargs)


def post(client: requests.Session, url: str, **kwargs: Any) -> requests.Response:
    return client.post(url, timeout=REQUEST_SECONDS, allow_redirects=False, **kwargs)


def answers(url: str) -> bool | None:
    """True once `url` answers 200, None until then (for `wait_for`)."""
    return True if requests.get(url, timeout=2).status_code == 200 else None


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []
