"""Background tasks of review: thin wrappers around `reviews.processing`.

Task paths are stored with queued tasks (`reviews.tasks.check_review_copy`):
renaming one needs a migration of waiting tasks (see 0003_task_paths_top_level).
"""

from django.tasks import task

from dz_awards.nominations.packet_processing import packet_render
from reviews import processing
from reviews.packets import blind_packet_inputs


@task(queue_name="uploads")
def check_review_copy(copy_pk: int) -> int | None:
    """Background: look for the agency's identity in a review copy and its files."""
    findings = processing.review_copy_check(copy_pk)
    return None if findings is None else len(findings)


@task(queue_name="uploads")
def prepare_review_file(evidence_id: str) -> int | None:
    """Background: a chosen file's new clean copy is cleaned and read by OCR, then the
    review copy showing it is checked again."""
    findings = processing.review_file_prepare(evidence_id)
    return None if findings is None else len(findings)


@task(queue_name="uploads")
def render_blind_packet(packet_id: int) -> int | None:
    """Background: render a blind packet a reviewer asked for; its page count."""
    packet = packet_render(packet_id, blind_packet_inputs)
    return packet.pages if packet else None
