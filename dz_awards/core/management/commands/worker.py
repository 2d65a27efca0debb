"""`manage.py worker`: django-tasks-db's `db_worker`, recording a heartbeat `/readyz` reads.

`db_worker` has no hook for a heartbeat, so this runs its own loop in rounds: each
round is `db_worker`'s loop in batch mode for at most one task (or until the queue
is found empty), and between rounds the worker records that it is alive (in the
database, `core.models.WorkerHeartbeat`, at most every HEARTBEAT_EVERY seconds).
A heartbeat is therefore never older than HEARTBEAT_EVERY plus the longest task
(PDF_RENDER_SECONDS, OCR_MAX_SECONDS: about a minute), well inside the default
WORKER_HEARTBEAT_MAX_AGE of two minutes. A heartbeat comes from the loop itself,
not from a side thread, so a worker stuck in its loop stops beating.

Same options as `db_worker`. A worker that stops cleanly (Ctrl-C, SIGTERM, the end
of `--batch`) removes its heartbeat.
"""

import logging
import os
import time
from typing import Any

from django.db import DatabaseError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker

from dz_awards.core.health import forget_worker, prune_worker_heartbeats, record_worker_heartbeat

logger = logging.getLogger("dz_awards.worker")

# Seconds between two heartbeats written to the database (the loop checks after each task
# and after each look at an empty queue).
HEARTBEAT_EVERY = 10.0


class _FirstRoundOnly(logging.Filter):
    """db_worker's loop announces the start and end of every batch, once a second when
    idle here: the first start is kept, and no end (this loop goes on)."""

    def __init__(self) -> None:
        super().__init__()
        self.started = False

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("No more tasks to run"):
            return False
        if message.startswith("Starting worker"):
            if self.started:
                return False
            self.started = True
        return True


class HeartbeatWorker(Worker):
    """db_worker's `Worker`, run one task (or one empty look) at a time with a heartbeat between."""

    def __init__(self, *, batch: bool, max_tasks: int | None, **options: Any) -> None:
        super().__init__(batch=True, max_tasks=1, **options)
        self.until_empty = batch
        self.total_max_tasks = max_tasks
        self.total_tasks = 0
        self.last_beat: float | None = None

    def beat(self) -> None:
        now = time.monotonic()
        if self.last_beat is not None and now - self.last_beat < HEARTBEAT_EVERY:
            return
        try:
            record_worker_heartbeat(self.worker_id, self.queue_names)
        except DatabaseError:
            # A locked SQLite file, a database restarting: the next round tries again.
            logger.warning("Could not record the heartbeat of worker %s", self.worker_id)
            return
        self.last_beat = now

    def run(self) -> None:
        round_filter = _FirstRoundOnly()
        db_worker.logger.addFilter(round_filter)
        try:
            prune_worker_heartbeats()
            self.beat()
            while self.running:
                self._run_tasks = 0
                super().run()
                # Only the first round waits the random start-up delay.
                self.startup_delay = False
                self.total_tasks += self._run_tasks
                self.beat()
                queue_empty = self._run_tasks == 0
                if queue_empty and self.until_empty:
                    return
                if self.total_max_tasks is not None and self.total_tasks >= self.total_max_tasks:
                    return
                if queue_empty and self.running:
                    time.sleep(self.interval)
        finally:
            db_worker.logger.removeFilter(round_filter)
            try:
                forget_worker(self.worker_id)
            except DatabaseError:
                logger.warning("Could not remove the heartbeat of worker %s", self.worker_id)


class Command(db_worker.Command):
    help = "Run the background worker (db_worker), recording a heartbeat for /readyz"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if exclude_queues:
            raise db_worker.CommandError("worker does not take --exclude-queues; name the queues")
        worker = HeartbeatWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                # Only the child process, which runs the loop, handles the signals.
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
