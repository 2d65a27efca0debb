"""The blind packet: one PDF of what a blind reviewer may read about a nomination.

The twin of the staff packet (`nominations.packets`), made the same way and
cached the same way, from the review copy only: the title without agency
identity, the executive summary and the redacted copy staff wrote, and the
files staff chose, as their clean copies (a PDF rewritten without metadata,
attachments or scripts; an image re-encoded). Nothing of the agency's own text
goes in: not its answers, not its file names, descriptions or alternative
texts. Files get neutral names ("file-2.pdf") and pictures a neutral
description, as on the reviewer's pages.

There is a packet only while the copy is cleared (written, checked since its
last edit, nothing found): the same rule that lets reviewers read it on the
page (`selectors.cleared_copy`). A copy with a finding holds everything back,
so a held-back file never reaches a packet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, PacketKind
from dz_awards.nominations.models import Evidence
from dz_awards.nominations.packets import PacketError, PacketFile, PacketInputs, usable
from reviews.selectors import cleared_copy, neutral_file_name

if TYPE_CHECKING:
    from dz_awards.nominations.models import Nomination
    from reviews.models import ReviewCopy

BLIND_TEMPLATE = "reviews/packets/blind.html"
NOT_CLEARED = (
    "There is no packet for reviewers yet: the review copy is not ready, or the identity "
    "check has not cleared it."
)


def blind_files(copy: ReviewCopy) -> QuerySet[Evidence]:
    """The files of a cleared review copy reviewers may open, in upload order: the order
    and numbering of the reviewer's page (`selectors.reviewer_files`)."""
    return copy.files.filter(status=EvidenceStatus.READY, removed_at__isnull=True).order_by(
        "created_at", "pk"
    )


def blind_packet_inputs(nomination: Nomination) -> PacketInputs:
    """What the blind packet of `nomination` holds; PacketError while the copy is not
    cleared."""
    copy = cleared_copy(nomination)
    if copy is None:
        raise PacketError(NOT_CLEARED)
    images, appendices, left_out = [], [], []
    for number, evidence in enumerate(blind_files(copy), start=1):
        name = neutral_file_name(number, evidence)
        if not usable(evidence):
            left_out.append(name)
        elif evidence.kind == EvidenceKind.IMAGE:
            images.append(
                PacketFile(evidence, name, f"Picture supplied with the nomination ({name})")
            )
        else:
            appendices.append(PacketFile(evidence, f"File {number} ({name})"))
    heading = {
        "title": copy.redacted_title.strip(),
        "cycle": nomination.cycle.name,
        "category": nomination.category.label if nomination.category else "",
    }
    written = {
        "executive_summary": copy.executive_summary,
        "redacted_text": copy.redacted_text,
    }
    return PacketInputs(
        nomination=nomination,
        kind=PacketKind.BLIND,
        template=BLIND_TEMPLATE,
        context={
            **heading,
            **written,
            "appended": [item.title for item in appendices],
            "left_out": left_out,
        },
        fingerprint={"heading": heading, "written": written, "left_out": left_out},
        images=images,
        appendices=appendices,
    )
