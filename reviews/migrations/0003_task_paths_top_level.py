"""The review app moved from `dz_awards.reviews` to the top-level `reviews` package.

Background tasks queued before the upgrade name their function by dotted path
(`dz_awards.reviews.tasks.…`). This rewrites the paths of tasks that have not
run yet, so the worker finds them after the upgrade instead of failing them.
Finished tasks keep their old path: it is history. The table, label and the
review migrations themselves are unchanged (the app label is still `reviews`).
"""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

OLD = "dz_awards.reviews."
NEW = "reviews."
WAITING = ["READY", "RUNNING"]


def _move(apps, old, new):
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    task_result.objects.filter(task_path__startswith=old, status__in=WAITING).update(
        task_path=Concat(Value(new), Substr(F("task_path"), len(old) + 1))
    )


def forwards(apps, schema_editor):
    _move(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _move(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_review_workflow"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
