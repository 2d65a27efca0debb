"""/healthz and /readyz for load balancers, and the worker heartbeat `/readyz` reads.

- `/healthz`: the process is alive and answers, behind every middleware of the
  site. It reads nothing (no database, no cache, no session); it is also the
  bench's yardstick for the cheapest possible page.
- `/readyz`: this server can do its work: the database answers, the shared cache
  keeps what it is given, the file storage holds its probe object (written by the
  first check, so a missing bucket is seen), and a background worker has
  been seen lately for every task queue. 200 "ready" or 503 "not ready", plain
  text: what failed goes to the log only (a stranger learns nothing about the
  deployment). A request whose `X-Readyz-Token` header is READYZ_TOKEN gets each
  check's status as JSON.

Load balancers ask every few seconds from every server, so `/readyz` is not rate
limited but cheap: one indexed query, one cache write and read, one storage
existence check (on S3, a HEAD request); and a process answers from its last
result for READYZ_CACHE_SECONDS.
"""

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_safe

from dz_awards.core.models import WorkerHeartbeat

logger = logging.getLogger("dz_awards.health")

# The object `/readyz` asks the storage about. The first check writes it (proving
# the store takes writes); each later one only asks whether it is there: on S3 a
# HEAD request, the cheapest there is. Asking about a key that does not exist
# would not do: S3 answers 404 alike for a missing key and a missing bucket.
# Backups leave this folder out (`core.backup`).
PROBE_FOLDER = "readyz"
STORAGE_PROBE = f"{PROBE_FOLDER}/probe"
# Heartbeats of workers gone longer than this are removed when a worker starts.
HEARTBEAT_KEEP = timedelta(days=1)
ALL_QUEUES = "*"

type Check = Callable[[], str | None]


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


# --- the worker heartbeat ---------------------------------------------------


def record_worker_heartbeat(worker_id: str, queues: Iterable[str]) -> None:
    """Note that worker `worker_id` (taking tasks from `queues`) is alive now."""
    now = timezone.now()
    listed = ",".join(queues)
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now, "queues": listed},
        create_defaults={
            "seen_at": now,
            "started_at": now,
            "queues": listed,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def forget_worker(worker_id: str) -> None:
    """A worker that stops cleanly takes its heartbeat with it, so it counts at once as gone."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def prune_worker_heartbeats() -> int:
    """Remove heartbeats of workers gone for a day (each start makes a new worker id)."""
    deleted, _ = WorkerHeartbeat.objects.filter(
        seen_at__lt=timezone.now() - HEARTBEAT_KEEP
    ).delete()
    return deleted


def queues_without_worker() -> list[str]:
    """The task queues no worker has been seen for within WORKER_HEARTBEAT_MAX_AGE seconds.

    One query on an indexed column; it raises when the database does not answer.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    served: set[str] = set()
    for queues in WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list(
        "queues", flat=True
    ):
        served.update(queues.split(","))
    if ALL_QUEUES in served:
        return []
    return [queue for queue in settings.TASK_QUEUES if queue not in served]


# --- the checks of /readyz ----------------------------------------------------
# Each returns None when all is well, else what is wrong in words (for the log).


def check_cache() -> str | None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=30)
    found = cache.get(key)
    cache.delete(key)
    return None if found == "1" else "a value written to the cache could not be read back"


def check_storage() -> str | None:
    storage = storages["default"]
    if storage.exists(STORAGE_PROBE):
        return None
    saved = storage.save(STORAGE_PROBE, ContentFile(b"ok\n"))
    if saved != STORAGE_PROBE:
        # Another process wrote the probe first; this copy got another name.
        storage.delete(saved)
    return None


def readiness() -> dict[str, str]:
    """Each check's status ("ok", or "failing"); what failed and why goes to the log."""
    results: dict[str, str] = {}
    problems: list[str] = []

    def note(name: str, problem: str | None) -> None:
        results[name] = "ok" if problem is None else "failing"
        if problem is not None:
            problems.append(f"{name}: {problem}")

    # The worker check is also the database check: one query answers both.
    try:
        missing = queues_without_worker()
    except DatabaseError as error:
        note("database", f"{type(error).__name__}: {error}")
        note("worker", "unknown: the database does not answer")
    else:
        note("database", None)
        note(
            "worker",
            f"no worker seen within {settings.WORKER_HEARTBEAT_MAX_AGE} s for queue(s) "
            f"{', '.join(missing)}"
            if missing
            else None,
        )
    checks: dict[str, Check] = {"cache": check_cache, "storage": check_storage}
    for name, check in checks.items():
        try:
            note(name, check())
        # Any failure of a part, whatever its kind, means not ready.
        except Exception as error:
            note(name, f"{type(error).__name__}: {error}")
    if problems:
        logger.warning("Not ready: %s", "; ".join(problems))
    return results


class _LastResult:
    """The last readiness of this process and when it was taken (monotonic seconds)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at: float | None = None
        self.results: dict[str, str] = {}

    def get(self, max_age: float) -> dict[str, str]:
        with self.lock:
            now = time.monotonic()
            if self.at is None or max_age <= 0 or now - self.at >= max_age:
                self.results = readiness()
                self.at = now
            return self.results

    def clear(self) -> None:
        with self.lock:
            self.at = None


last_readiness = _LastResult()


def _carries_token(request: HttpRequest) -> bool:
    token = settings.READYZ_TOKEN
    given = request.headers.get("X-Readyz-Token", "")
    return bool(token) and bool(given) and constant_time_compare(given, token)


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """200 "ready" when every check passes, else 503 "not ready"; never cached."""
    results = last_readiness.get(settings.READYZ_CACHE_SECONDS)
    ready = all(status == "ok" for status in results.values())
    status = 200 if ready else 503
    if _carries_token(request):
        response = HttpResponse(
            json.dumps({"ready": ready, "checks": results}),
            content_type="application/json",
            status=status,
        )
    else:
        response = HttpResponse(
            "ready" if ready else "not ready",
            content_type="text/plain; charset=utf-8",
            status=status,
        )
    response["Cache-Control"] = "no-store"
    return response
