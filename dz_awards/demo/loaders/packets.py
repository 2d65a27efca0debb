"""The demo's packets: a committee archive of last year's category in review, and the
blind packet of the demo reviewer's nomination in review.

Staff (staff@example.org) ask for the archive of the category of the nomination
the demo reviewer (reviewer@example.org) is reviewing, and the reviewer's blind
packet of it is asked for, through the same services as the pages. As with the
profiles' PDF summaries, the renders are queued after commit: the background
worker of `make run` makes them at once (the test backend at commit), so the
archive page shows its progress and then the download, and the reviewer's
packet link gives the PDF. Idempotent: a category with an archive gets no
second one, and a packet already made is found, not queued again.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from dz_awards.demo.content.world import REVIEWER, STAFF
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import PacketArchive
from dz_awards.nominations.services.packets import packet_archive_request, packet_request
from reviews.packets import blind_packet_inputs
from reviews.selectors import assignments_for_reviewer
from reviews.tasks import render_blind_packet


def load_demo_packets():
    """Ask for the demo's archive and blind packet (see the module); returns the archive,
    or None when the demo reviewer has no nomination in review."""
    users = get_user_model().objects.filter(email__in=[STAFF, REVIEWER])
    people = {user.email: user for user in users}
    if STAFF not in people or REVIEWER not in people:
        return None
    assignment = (
        assignments_for_reviewer(people[REVIEWER])
        .filter(nomination__state=NominationState.IN_REVIEW)
        .order_by("pk")
        .first()
    )
    if assignment is None:
        return None
    nomination = assignment.nomination
    with transaction.atomic():
        archive = PacketArchive.objects.filter(category=nomination.category).first()
        if archive is None:
            archive = packet_archive_request(actor=people[STAFF], category=nomination.category)
        packet_request(inputs=blind_packet_inputs(nomination), task=render_blind_packet)
    return archive
