"""Accessibility scenarios: packets and the committee's archives.

The pages that wait for a packet or an archive reload themselves every few
seconds; the scenarios open them with `?refresh=off` so that axe reads a page
that stays put (the reloading variant differs by one sentence and its links).
A packet waiting to be rendered is a request row made here, whose render is
never queued, so no PDF is made while the page is checked.
"""

from django.utils import timezone
from playwright.sync_api import expect

from dz_awards.nominations.models import NominationPacket, PacketArchive
from dz_awards.nominations.packets import staff_packet_inputs
from reviews.packets import blind_packet_inputs
from tests import factories
from tests.e2e.a11y.common import signed_in_staff
from tests.e2e.a11y.registry import scenario
from tests.e2e.a11y.review_worlds import ready, review_world
from tests.e2e.conftest import sign_in_with_session
from tests.reviews import helpers as review

WAITING = "Preparing the packet"


def _waiting(nomination, inputs, **fields):
    return NominationPacket.objects.create(
        nomination=nomination, kind=inputs.kind, content_hash=inputs.content_hash, **fields
    )


@scenario("staff packet, being prepared", WAITING, on_phone=True)
def staff_packet_waiting(page):
    signed_in_staff(page)
    nomination = factories.submitted_nomination(title="Peer Support After Critical Incidents")
    _waiting(nomination, staff_packet_inputs(nomination))
    page.goto(f"/staff/nominations/{nomination.pk}/packet/?refresh=off")
    expect(page.get_by_text("This page no longer reloads by itself")).to_be_visible()


@scenario("staff packet, failed", WAITING)
def staff_packet_failed(page):
    signed_in_staff(page)
    nomination = factories.submitted_nomination(title="Peer Support After Critical Incidents")
    error = "The PDF took longer than 30 seconds and was stopped."
    _waiting(nomination, staff_packet_inputs(nomination), error=error)
    page.goto(f"/staff/nominations/{nomination.pk}/packet/")
    expect(page.get_by_role("alert")).to_contain_text(error)


def _archives_world():
    """A cycle with two categories: one with a ready archive, one with one being built."""
    world = review_world(panel_size=1)
    for title in ("Peer Support After Critical Incidents", "Fitness for Duty Program"):
        factories.submitted_nomination(cycle=world.cycle, category=world.wellness, title=title)
    factories.submitted_nomination(cycle=world.cycle, category=world.safety, title="Seat Belts")
    now = timezone.now()
    ready_archive = PacketArchive.objects.create(
        category=world.wellness,
        requested_by=world.staff,
        nominations_total=2,
        packets_ready=2,
        finished_at=now,
        size=48_213,
    )
    ready_archive.file.name = f"private/packets/archives/{ready_archive.pk}.zip"
    ready_archive.save(update_fields=["file"])
    building = PacketArchive.objects.create(
        category=world.safety, requested_by=world.staff, nominations_total=1
    )
    return world, ready_archive, building


@scenario("committee packets, by category", "Committee packets", on_phone=True)
def committee_packets(page):
    world, _ready, _building = _archives_world()
    sign_in_with_session(page, world.staff)
    page.goto(f"/staff/cycles/{world.cycle.pk}/packets/")
    expect(page.get_by_text("Being prepared: 0 of 1 packets ready")).to_be_visible()


@scenario("packet archive, being prepared", "Packets of Officer Safety", on_phone=True)
def packet_archive_building(page):
    world, _ready, building = _archives_world()
    sign_in_with_session(page, world.staff)
    page.goto(f"/staff/packets/archives/{building.pk}/?refresh=off")
    expect(page.get_by_text("0 of 1 packet ready")).to_be_visible()


@scenario("packet archive, ready", "Packets of Officer Wellness")
def packet_archive_ready(page):
    world, ready_archive, _building = _archives_world()
    sign_in_with_session(page, world.staff)
    page.goto(f"/staff/packets/archives/{ready_archive.pk}/")
    expect(page.get_by_role("link", name="Download the archive (zip)")).to_be_visible()


@scenario("packet archive, failed", "Packets of Officer Safety")
def packet_archive_failed(page):
    world, _ready, building = _archives_world()
    PacketArchive.objects.filter(pk=building.pk).update(
        error="The packet of “Seat Belts” could not be made: the PDF took too long."
    )
    sign_in_with_session(page, world.staff)
    page.goto(f"/staff/packets/archives/{building.pk}/")
    expect(page.get_by_role("button", name="Prepare it again")).to_be_visible()


@scenario("reviewer packet, being prepared", WAITING, on_phone=True)
def reviewer_packet_waiting(page):
    world = review_world()
    nomination = ready(world.staff, world.wellness, "Peer Support After Critical Incidents")
    rows = review.assign(world.staff, nomination, world.wellness_panel[:1])
    _waiting(nomination, blind_packet_inputs(nomination))
    sign_in_with_session(page, rows[0].reviewer)
    page.goto(f"/review/assignments/{rows[0].pk}/packet/?refresh=off")
    expect(page.get_by_text(review.REDACTED_TITLE)).to_be_visible()
