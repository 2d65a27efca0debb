"""/healthz, /readyz and the worker heartbeat `/readyz` reads (dz_awards.core.health)."""

import json
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_save
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dz_awards.core.health import last_readiness, record_worker_heartbeat
from dz_awards.core.models import WorkerHeartbeat
from tests.services import BUCKET

# Every failure reads the same from outside: nothing about the deployment leaks.
NOT_READY = b"not ready"


@pytest.fixture(autouse=True)
def _fresh_answer(settings):
    """Each test's /readyz runs its checks (a process keeps its last answer for a while)."""
    settings.READYZ_CACHE_SECONDS = 0
    settings.READYZ_TOKEN = ""
    settings.TASK_QUEUES = ["default", "uploads"]
    last_readiness.clear()
    yield
    last_readiness.clear()


def health_records(caplog):
    return [record for record in caplog.records if record.name == "dz_awards.health"]


def readyz(client, headers=None):
    return client.get(reverse("readyz"), headers=headers or {})


def test_healthz_answers_ok_without_the_database(client):
    """No database access is allowed in this test: /healthz reads nothing."""
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ready_with_a_fresh_heartbeat_for_every_queue(client, caplog):
    record_worker_heartbeat("w1", ["default", "uploads"])
    with caplog.at_level(logging.WARNING, logger="dz_awards.health"):
        response = readyz(client)
    assert (response.status_code, response.content) == (200, b"ready")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert health_records(caplog) == []
    # The storage check wrote its probe once; the next checks only ask for it.
    assert storages["default"].listdir("readyz") == ([], ["probe"])
    last_readiness.clear()
    assert readyz(client).status_code == 200
    assert storages["default"].listdir("readyz") == ([], ["probe"])


@pytest.mark.django_db
def test_readyz_counts_workers_of_separate_queues_together(client):
    record_worker_heartbeat("mail", ["default"])
    record_worker_heartbeat("images", ["uploads"])
    assert readyz(client).status_code == 200


def _stale(seconds):
    def make():
        record_worker_heartbeat("w1", ["default", "uploads"])
        WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=seconds))

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("heartbeats", "logged"),
    [
        (lambda: None, "default, uploads"),
        (_stale(121), "default, uploads"),
        (lambda: record_worker_heartbeat("w1", ["default"]), "queue(s) uploads"),
    ],
    ids=["no worker", "stale heartbeat", "a queue without a worker"],
)
def test_readyz_is_not_ready_without_a_fresh_worker(client, caplog, heartbeats, logged):
    heartbeats()
    with caplog.at_level(logging.WARNING, logger="dz_awards.health"):
        response = readyz(client)
    assert (response.status_code, response.content) == (503, NOT_READY)
    assert response["Cache-Control"] == "no-store"
    [record] = health_records(caplog)
    assert "worker: no worker seen within 120 s" in record.getMessage()
    assert logged in record.getMessage()


@pytest.mark.django_db
def test_readyz_heartbeat_limit_comes_from_settings(client, settings):
    _stale(100)()
    assert readyz(client).status_code == 200
    last_readiness.clear()
    settings.WORKER_HEARTBEAT_MAX_AGE = 90
    assert readyz(client).status_code == 503


class BrokenError(Exception):
    pass


def _break_cache(monkeypatch):
    def fail(*args, **kwargs):
        raise BrokenError("connection refused by 10.0.0.7:6379")

    monkeypatch.setattr(cache, "set", fail)


def _forget_cache(monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)


def _break_storage(monkeypatch):
    def fail(name):
        raise BrokenError("AccessDenied on bucket dz-private")

    monkeypatch.setattr(storages["default"], "exists", fail)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("breakage", "logged"),
    [
        (_break_cache, "cache: BrokenError: connection refused by 10.0.0.7:6379"),
        (_forget_cache, "cache: a value written to the cache could not be read back"),
        (_break_storage, "storage: BrokenError: AccessDenied on bucket dz-private"),
    ],
    ids=["cache raises", "cache loses values", "storage raises"],
)
def test_readyz_is_not_ready_when_a_part_fails_and_says_why_only_in_the_log(
    client, caplog, monkeypatch, breakage, logged
):
    record_worker_heartbeat("w1", ["default", "uploads"])
    breakage(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="dz_awards.health"):
        response = readyz(client)
    assert (response.status_code, response.content) == (503, NOT_READY)
    [record] = health_records(caplog)
    assert record.getMessage() == f"Not ready: {logged}"


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_database_fails(client, caplog):
    def refuse(execute, sql, params, many, context):
        raise DatabaseError("server closed the connection unexpectedly")

    with (
        caplog.at_level(logging.WARNING, logger="dz_awards.health"),
        connection.execute_wrapper(refuse),
    ):
        response = readyz(client)
    assert (response.status_code, response.content) == (503, NOT_READY)
    [record] = health_records(caplog)
    message = record.getMessage()
    assert "database: DatabaseError: server closed the connection unexpectedly" in message
    assert "worker: unknown" in message


@pytest.mark.django_db
def test_readyz_gives_each_checks_status_only_with_the_token(client, settings, monkeypatch):
    settings.READYZ_TOKEN = "s3cret-token"
    record_worker_heartbeat("w1", ["default", "uploads"])
    _break_storage(monkeypatch)
    response = readyz(client, {"X-Readyz-Token": "s3cret-token"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "ready": False,
        "checks": {"database": "ok", "worker": "ok", "cache": "ok", "storage": "failing"},
    }
    wrong = readyz(client, {"X-Readyz-Token": "s3cret-tokeN"})
    assert (wrong.status_code, wrong.content) == (503, NOT_READY)


@pytest.mark.django_db
def test_readyz_reuses_its_last_answer_for_a_while(client, settings, django_assert_num_queries):
    """Load balancers ask every few seconds from every server: a burst costs one round of checks."""
    settings.READYZ_CACHE_SECONDS = 60
    record_worker_heartbeat("w1", ["default", "uploads"])
    assert readyz(client).status_code == 200
    WorkerHeartbeat.objects.all().delete()
    with django_assert_num_queries(0):
        assert readyz(client).status_code == 200
    last_readiness.clear()
    assert readyz(client).status_code == 503


# --- the worker ------------------------------------------------------------------------


@task
def note_run(label: str) -> str:
    return label


@pytest.mark.django_db(transaction=True)
def test_worker_runs_queued_tasks_and_beats_while_it_runs(settings, restore_signal_handlers):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "uploads"]}
    }
    old = WorkerHeartbeat.objects.create(
        worker_id="gone", queues="default", seen_at=timezone.now() - timedelta(days=2)
    )
    with transaction.atomic():
        note_run.enqueue("first")
        note_run.using(queue_name="uploads").enqueue("second")
    beats = []

    def seen(sender, instance, **kwargs):
        beats.append((instance.worker_id, instance.queues, instance.pid is not None))

    post_save.connect(seen, sender=WorkerHeartbeat)
    try:
        call_command(
            "worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--queue-name=default,uploads",
            "--worker-id=test-worker",
            verbosity=0,
            stdout=StringIO(),
        )
    finally:
        post_save.disconnect(seen, sender=WorkerHeartbeat)
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "SUCCESSFUL",
        "SUCCESSFUL",
    ]
    assert beats
    assert set(beats) == {("test-worker", "default,uploads", True)}
    # A clean stop removes its own heartbeat; a day-old one was pruned at the start.
    assert not WorkerHeartbeat.objects.filter(pk=old.pk).exists()
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_probes_over_plain_http_are_not_redirected_to_https(client, settings):
    """Load balancers probe the app servers directly over HTTP; the site itself still redirects."""
    settings.SECURE_SSL_REDIRECT = True
    record_worker_heartbeat("w1", ["default", "uploads"])
    assert client.get("/").status_code == 301
    assert client.get(reverse("healthz")).status_code == 200
    assert readyz(client).status_code == 200


@pytest.mark.django_db
def test_readyz_on_s3_sees_a_missing_bucket(client, settings, caplog, s3_settings):
    """S3 answers a HEAD with 404 alike for a missing key and a missing bucket: the
    check writes its probe when it is not there, which a missing bucket refuses.
    (The 200 on S3 is shown by .ci/two_servers.py, against the same server.)"""
    record_worker_heartbeat("w1", ["default", "uploads"])
    default = s3_settings["default"]
    options = {**default["OPTIONS"], "bucket_name": f"{BUCKET}-not-there"}
    settings.STORAGES = {**s3_settings, "default": {**default, "OPTIONS": options}}
    with caplog.at_level(logging.WARNING, logger="dz_awards.health"):
        response = readyz(client)
    assert (response.status_code, response.content) == (503, NOT_READY)
    [record] = health_records(caplog)
    assert record.getMessage().startswith("Not ready: storage: NoSuchBucket: ")
