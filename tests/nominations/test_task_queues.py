"""Image checks run on their own queue, so a large upload never delays an email."""

from django_tasks_db.models import DBTaskResult

from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind
from tests.files import png_upload


def test_image_check_is_queued_on_the_uploads_queue(
    settings, member, draft, django_capture_on_commit_callbacks
):
    """With the database backend, an image upload queues its check on "uploads"."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_add(
            user=member,
            nomination=draft,
            upload=png_upload(),
            kind=EvidenceKind.IMAGE,
            alt_text="The team.",
        )
    (queued,) = DBTaskResult.objects.all()
    assert queued.queue_name == "uploads"
    assert queued.args_kwargs["args"] == [str(evidence.pk)]
