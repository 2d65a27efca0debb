"""Task wrappers of the kernel; the work is in `core.processing`.

The dotted path `dz_awards.core.tasks.deliver_outbox_email` is stored with
queued work: renaming or moving the task strands what is already queued.
"""

from django.db import transaction
from django.tasks import task

from dz_awards.core import processing


@task
def deliver_outbox_email(email_id: int) -> None:
    """Send one outbox email at most once; after a failure, queue the retry with back-off."""
    retry_at = processing.outbox_deliver(email_id)
    # Backends that cannot defer leave the row pending for `manage.py outbox_retry`.
    if retry_at is not None and deliver_outbox_email.get_backend().supports_defer:
        retry = deliver_outbox_email.using(run_after=retry_at)
        transaction.on_commit(lambda: retry.enqueue(email_id))
