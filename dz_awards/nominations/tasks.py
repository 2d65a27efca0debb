from django.tasks import task

from dz_awards.nominations import services


@task(queue_name="uploads")
def process_evidence_image(evidence_id):
    """Background: strip metadata from an uploaded image by re-encoding it."""
    evidence = services.evidence_process_image(evidence_id)
    return evidence.status if evidence else None
