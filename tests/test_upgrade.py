"""Upgrading from the release where the review app lived at `dz_awards.reviews`."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

migration = importlib.import_module("reviews.migrations.0003_task_paths_top_level")

OLD_PATH = "dz_awards.reviews.tasks.check_review_copy"
NEW_PATH = "reviews.tasks.check_review_copy"
OTHER_PATH = "dz_awards.core.tasks.deliver_outbox_email"


def _task(path, status):
    return DBTaskResult.objects.create(
        task_path=path,
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        queue_name="uploads",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )


@pytest.mark.django_db
def test_queued_review_tasks_point_at_the_top_level_package_after_upgrade():
    """A review task queued before the move runs after it; history and other apps' tasks stay."""
    waiting = _task(OLD_PATH, "READY")
    running = _task(OLD_PATH, "RUNNING")
    finished = _task(OLD_PATH, "SUCCESSFUL")
    other = _task(OTHER_PATH, "READY")

    migration.forwards(apps, None)

    for row in (waiting, running, finished, other):
        row.refresh_from_db()
    assert waiting.task_path == NEW_PATH
    assert running.task_path == NEW_PATH
    # The worker can import what the row names: the path is real, not just renamed.
    assert import_string(waiting.task_path).name == "check_review_copy"
    assert finished.task_path == OLD_PATH
    assert other.task_path == OTHER_PATH


@pytest.mark.django_db
def test_downgrade_puts_the_old_paths_back():
    waiting = _task(OLD_PATH, "READY")
    migration.forwards(apps, None)
    migration.backwards(apps, None)
    waiting.refresh_from_db()
    assert waiting.task_path == OLD_PATH
