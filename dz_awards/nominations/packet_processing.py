"""Background work on packets: rendering one, and a category's archive for the committee.

The task wrappers are in `nominations.tasks` (staff packets, archives) and
`reviews.tasks` (blind packets); the requests that queue them are in
`nominations.services.packets`. Nothing here takes a lock while it renders:
the slow part runs first, then the result is recorded under the row's lock
(another worker may have stored the same packet meanwhile: then the copy made
here is deleted and theirs kept). A failure is recorded where the person who
asked sees it, logged, and raised so the task fails.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from typing import TYPE_CHECKING

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from dz_awards.core.errors import ServiceError
from dz_awards.nominations import packets
from dz_awards.nominations.enums import PACKET_ARCHIVE_STATES
from dz_awards.nominations.models import Nomination, NominationPacket, PacketArchive

if TYPE_CHECKING:
    from collections.abc import Callable
    from uuid import UUID

    from django.core.files.storage import Storage

    from dz_awards.cycles.models import Category
    from dz_awards.nominations.packets import PacketInputs

    InputsOf = Callable[[Nomination], PacketInputs]

logger = logging.getLogger(__name__)


# Reads -------------------------------------------------------------------------------


def packet_stored(inputs: PacketInputs) -> NominationPacket | None:
    """The packet rendered from exactly these inputs, if it is stored."""
    return (
        NominationPacket.objects.filter(
            nomination=inputs.nomination, kind=inputs.kind, content_hash=inputs.content_hash
        )
        .exclude(file="")
        .first()
    )


def packet_archive_nominations(category: Category) -> QuerySet[Nomination]:
    """The nominations whose packets a category's archive holds, in title order."""
    return (
        Nomination.objects.filter(
            category=category, state__in=PACKET_ARCHIVE_STATES, submitted_at__isnull=False
        )
        .select_related("agency", "cycle", "category")
        .order_by("title", "pk")
    )


def _delete_after_commit(storage: Storage, names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


# Rendering ----------------------------------------------------------------------------


def packet_make(inputs: PacketInputs) -> NominationPacket:
    """The stored packet for `inputs`: found if it was made before, else rendered now.

    Storing it removes the files of the nomination's older packets of the same
    kind (after commit). A render that fails is recorded on the request's row
    and raised.
    """
    stored = packet_stored(inputs)
    if stored is not None:
        return stored
    nomination, kind, digest = inputs.nomination, inputs.kind, inputs.content_hash
    try:
        rendered = packets.render(inputs)
    except ServiceError as error:
        logger.warning(
            "The %s packet of nomination %s was not made: %s", kind, nomination.pk, error
        )
        NominationPacket.objects.update_or_create(
            nomination=nomination,
            kind=kind,
            content_hash=digest,
            defaults={"error": str(error)[:500]},
        )
        raise
    row = NominationPacket(nomination=nomination, kind=kind, content_hash=digest)
    storage = row.file.storage
    name = storage.save(
        row.file.field.generate_filename(row, "packet.pdf"), ContentFile(rendered.data)
    )
    with transaction.atomic():
        row, _created = NominationPacket.objects.select_for_update().get_or_create(
            nomination=nomination, kind=kind, content_hash=digest
        )
        if row.is_ready:
            transaction.on_commit(lambda: storage.delete(name))
            return row
        row.file.name = name
        row.pages, row.size = rendered.pages, len(rendered.data)
        row.error, row.rendered_at = "", timezone.now()
        row.save(update_fields=["file", "pages", "size", "error", "rendered_at"])
        older = (
            NominationPacket.objects.filter(nomination=nomination, kind=kind)
            .exclude(pk=row.pk)
            .exclude(file="")
        )
        names = list(older.values_list("file", flat=True))
        older.delete()
        _delete_after_commit(storage, names)
    return row


def packet_render(packet_pk: int, inputs_of: InputsOf) -> NominationPacket | None:
    """Render the packet asked for by the row `packet_pk` (background task).

    The nomination is read as it is now: if it changed since the request, the
    packet of its new content is made (and the page asking for it finds that
    one). A nomination that cannot have a packet (the review copy is no longer
    cleared, say) records why on the row. Returns the stored packet, or None
    when the request is gone.
    """
    request = NominationPacket.objects.select_related("nomination").filter(pk=packet_pk).first()
    if request is None or request.is_ready:
        return request
    try:
        inputs = inputs_of(request.nomination)
    except ServiceError as error:
        NominationPacket.objects.filter(pk=packet_pk).update(error=str(error)[:500])
        logger.info("Packet %s cannot be made: %s", packet_pk, error)
        return None
    return packet_make(inputs)


# The archive of a category -------------------------------------------------------------


def _entry_name(position: int, nomination: Nomination) -> str:
    stem = slugify(str(nomination))[:60].strip("-") or "nomination"
    return f"{position:03d}-{stem}-{str(nomination.pk)[:8]}.pdf"


CHANGED_WHILE_WRITTEN = (
    "A nomination changed while the archive was being written. Prepare the archive again."
)


def _write_archive(
    archive: PacketArchive, nominations: list[Nomination], made: list[NominationPacket]
) -> tuple[str, int]:
    """Write the packets into one zip file in storage; its stored name and size."""
    storage = archive.file.storage
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        # PDFs are compressed already: stored as they are, the archive is quick to write.
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as bundle:
            for position, (nomination, packet) in enumerate(zip(nominations, made, strict=True), 1):
                with packet.file.open("rb") as handle:
                    bundle.writestr(_entry_name(position, nomination), handle.read())
        size = spool.tell()
        spool.seek(0)
        target = archive.file.field.generate_filename(archive, "packets.zip")
        return storage.save(target, File(spool)), size


def packet_archive_build(archive_pk: UUID | str) -> PacketArchive | None:
    """Make (or find) the staff packet of each nomination of the category, counting
    them in `packets_ready` as they come, then write them into one zip archive.

    The archive replaces the category's earlier ones (their files are deleted
    after commit). A packet that cannot be made stops the build: the archive
    records which and why, and staff may ask again.
    """
    archive = (
        PacketArchive.objects.select_related("category__cycle")
        .filter(pk=archive_pk, finished_at__isnull=True, error="")
        .first()
    )
    if archive is None:
        return None
    nominations = list(packet_archive_nominations(archive.category))
    PacketArchive.objects.filter(pk=archive.pk).update(
        nominations_total=len(nominations), packets_ready=0
    )
    made = []
    for nomination in nominations:
        try:
            made.append(packet_make(packets.staff_packet_inputs(nomination)))
        except ServiceError as error:
            PacketArchive.objects.filter(pk=archive.pk).update(
                error=f"The packet of “{str(nomination)[:120]}” could not be made: {error}"[:500]
            )
            raise
        PacketArchive.objects.filter(pk=archive.pk).update(packets_ready=F("packets_ready") + 1)
    storage = archive.file.storage
    try:
        name, size = _write_archive(archive, nominations, made)
    except OSError:
        # A nomination changed meanwhile and its newer packet replaced the one read here.
        PacketArchive.objects.filter(pk=archive.pk).update(error=CHANGED_WHILE_WRITTEN)
        raise
    with transaction.atomic():
        current = PacketArchive.objects.select_for_update().filter(pk=archive.pk, error="").first()
        if current is None:
            transaction.on_commit(lambda: storage.delete(name))
            return None
        current.file.name, current.size, current.finished_at = name, size, timezone.now()
        current.packets_ready = len(made)
        current.save(update_fields=["file", "size", "finished_at", "packets_ready"])
        older = PacketArchive.objects.filter(
            category=current.category, finished_at__lt=current.finished_at
        ).exclude(file="")
        names = list(older.values_list("file", flat=True))
        older.delete()
        _delete_after_commit(storage, names)
    return current


def staff_packet_render(packet_pk: int) -> NominationPacket | None:
    """Render a requested staff packet (the task of `nominations.tasks`)."""
    return packet_render(packet_pk, packets.staff_packet_inputs)
