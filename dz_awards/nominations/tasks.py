"""Task wrappers for the queue; the work is in `nominations.processing`.

The dotted paths of these tasks are stored with queued work: renaming or
moving one strands what is already queued under the old path.
"""

from django.tasks import task

from dz_awards.nominations import processing


@task(queue_name="uploads")
def process_evidence_image(evidence_id: str) -> str | None:
    """Background: strip metadata from an uploaded image by re-encoding it."""
    evidence = processing.evidence_process_image(evidence_id)
    return evidence.status if evidence else None
