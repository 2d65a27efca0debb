"""Task wrappers for the queue; the work is in `nominations.processing`.

The dotted paths of these tasks are stored with queued work: renaming or
moving one strands what is already queued under the old path.
"""

from django.tasks import task

from dz_awards.nominations import packet_processing, processing


@task(queue_name="uploads")
def process_evidence(evidence_id: str) -> str | None:
    """Background: make an uploaded file's clean copy and read it by OCR."""
    evidence = processing.evidence_process(evidence_id)
    return evidence.status if evidence else None


@task(queue_name="uploads")
def process_evidence_image(evidence_id: str) -> str | None:
    """Background: the path images were queued under before every file was processed;
    kept so that work queued before an upgrade still runs."""
    evidence = processing.evidence_process(evidence_id)
    return evidence.status if evidence else None


@task(queue_name="uploads")
def render_staff_packet(packet_id: int) -> int | None:
    """Background: render a staff packet someone asked for; its page count."""
    packet = packet_processing.staff_packet_render(packet_id)
    return packet.pages if packet else None


@task(queue_name="uploads")
def build_packet_archive(archive_id: str) -> int | None:
    """Background: a category's staff packets, made as needed, in one zip archive."""
    archive = packet_processing.packet_archive_build(archive_id)
    return archive.packets_ready if archive else None
