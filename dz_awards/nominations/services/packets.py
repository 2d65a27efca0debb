"""Asking for packets: one nomination's (staff or blind), or a category's archive.

A packet is a cache of what a nomination says: asking for one whose content
was rendered before finds it; otherwise a request row is made (once: the row
is unique per nomination, kind and content hash, so two people asking at the
same moment queue one render) and its task is queued after commit. The
archive for the committee is a recorded staff action; while one is being
built for a category, asking again shows that one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dz_awards.accounts.rules import is_program_staff
from dz_awards.core.services import audit_record
from dz_awards.cycles.models import Category
from dz_awards.nominations.models import NominationPacket, PacketArchive
from dz_awards.nominations.packet_processing import packet_archive_nominations, packet_stored
from dz_awards.nominations.tasks import build_packet_archive

if TYPE_CHECKING:
    from django.tasks import Task

    from dz_awards.accounts.models import User
    from dz_awards.nominations.packets import PacketInputs


def packet_request(*, inputs: PacketInputs, task: Task) -> NominationPacket:
    """The stored packet for `inputs`, or the request for it, its render queued once.

    `task` renders a request row by its id (`nominations.tasks.render_staff_packet`,
    `reviews.tasks.render_blind_packet`). A request whose render failed stays
    failed (its `error` shown) until `packet_retry`.
    """
    stored = packet_stored(inputs)
    if stored is not None:
        return stored
    with transaction.atomic():
        packet, created = NominationPacket.objects.get_or_create(
            nomination=inputs.nomination, kind=inputs.kind, content_hash=inputs.content_hash
        )
        if created:
            transaction.on_commit(lambda: task.enqueue(packet.pk))
    return packet


def packet_retry(*, inputs: PacketInputs, task: Task) -> NominationPacket:
    """Ask again for a packet whose render failed: the error is cleared, the render queued."""
    with transaction.atomic():
        packet, _created = NominationPacket.objects.select_for_update().get_or_create(
            nomination=inputs.nomination, kind=inputs.kind, content_hash=inputs.content_hash
        )
        if packet.error and not packet.is_ready:
            packet.error = ""
            packet.requested_at = timezone.now()
            packet.save(update_fields=["error", "requested_at"])
            transaction.on_commit(lambda: task.enqueue(packet.pk))
    return packet


def packet_archive_request(*, actor: User, category: Category) -> PacketArchive:
    """Staff ask for a category's packets as one archive; it is built in the background.

    Steps: check the actor is program staff; lock the category (two clicks make
    one archive); return the archive already being built, if any; otherwise
    create one, record the request, and queue the build after commit.
    """
    if not is_program_staff(actor):
        raise PermissionDenied
    with transaction.atomic():
        Category.objects.select_for_update().filter(pk=category.pk).first()
        building = PacketArchive.objects.filter(
            category=category, finished_at__isnull=True, error=""
        ).first()
        if building is not None:
            return building
        archive = PacketArchive.objects.create(
            category=category,
            requested_by=actor,
            nominations_total=packet_archive_nominations(category).count(),
        )
        audit_record(
            actor=actor,
            obj=archive,
            action="packet_archive_requested",
            message=f"{category.label}: {archive.nominations_total} nominations",
        )
        transaction.on_commit(lambda: build_packet_archive.enqueue(str(archive.pk)))
    return archive
