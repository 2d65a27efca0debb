"""The blind packet of an assignment: one PDF of what the reviewer may read.

Reached through the reviewer's own scope (`AssignmentMixin`): someone else's
assignment, a declined one, or one the reviewer is conflicted with is a 404,
as is a nomination whose review copy is not cleared. Until the packet is made,
a page says so and reloads itself (see `nominations.views.packets`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.views import View

from dz_awards.nominations.views.packets import PacketMixin, packet_pending_response
from reviews import selectors
from reviews.packets import blind_packet_inputs
from reviews.tasks import render_blind_packet
from reviews.views.reviewer.common import AssignmentMixin

if TYPE_CHECKING:
    from django.http import HttpResponse

    from dz_awards.nominations.models import NominationPacket
    from dz_awards.nominations.packets import PacketInputs


FAILED_FOR_REVIEWERS = (
    "something went wrong while it was put together. Try again, or open the files one by one "
    "from the assignment page."
)


class BlindPacketView(AssignmentMixin, PacketMixin, View):
    task = render_blind_packet

    def packet_inputs(self) -> PacketInputs:
        return blind_packet_inputs(self.get_assignment().nomination)

    def download_name(self) -> str:
        # Nothing of the nomination in the name: the assignment's number only.
        return f"review-packet-{self.get_assignment().pk}.pdf"

    def pending(self, packet: NominationPacket) -> HttpResponse:
        assignment = self.get_assignment()
        return packet_pending_response(
            self.request,
            packet=packet,
            title=selectors.blind_title(assignment.nomination),
            back_url=assignment.get_absolute_url(),
            back_label="Back to the assignment",
            # What went wrong may name a file or quote the renderer: not for reviewers.
            error=FAILED_FOR_REVIEWERS,
        )
