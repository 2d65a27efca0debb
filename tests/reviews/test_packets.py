"""The blind packet: the review copy and the chosen clean files in one PDF, for the
reviewers of the nomination only. Real PDFs, read back string by string."""

import io

import pytest
from pypdf import PdfReader

from dz_awards.demo.content.world import REVIEWER, STAFF
from dz_awards.demo.loaders.packets import load_demo_packets
from dz_awards.nominations.enums import EvidenceKind, PacketKind
from dz_awards.nominations.models import Nomination, NominationPacket, PacketArchive
from dz_awards.nominations.packet_processing import packet_make
from dz_awards.nominations.packets import PacketError
from reviews import services
from reviews.packets import blind_packet_inputs
from tests import factories
from tests.files import png_upload
from tests.hostile_pdfs import (
    INNOCENT_TEXT,
    carries_words,
    contains_words,
    every_text,
    xmp_metadata,
)
from tests.reviews import helpers

pytestmark = pytest.mark.django_db

UNCHOSEN_TEXT = "Unchosen internal memo"


def _text(data):
    return " ".join(" ".join((page.extract_text() or "").split()) for page in _pages(data))


def _pages(data):
    return PdfReader(io.BytesIO(data)).pages


def _stored(packet):
    with packet.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def blind_world(staff, category, phase):
    """A cleared copy showing a PDF whose original names the agency in its XMP, and a
    picture; a third file, uploaded too, is left out of the copy."""
    agency = helpers.identified_agency()
    nomination = helpers.ready_nomination(
        staff,
        category=category,
        agency=agency,
        uploads=[
            (helpers.pdf_file("quarterly-figures-xyz.pdf", xmp_metadata(agency.name)), "Figures"),
            (png_upload("team-photo-xyz.png", size=(40, 30)), "The team", EvidenceKind.IMAGE),
            (helpers.pdf_file("memo.pdf", helpers.pdf_with_text(UNCHOSEN_TEXT)), "Memo"),
        ],
    )
    chosen = list(nomination.evidence.order_by("created_at"))[:2]
    with helpers.on_commit():
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary=helpers.EXECUTIVE_SUMMARY,
            redacted_title=helpers.REDACTED_TITLE,
            redacted_text=helpers.REDACTED_TEXT,
            files=chosen,
        )
    assert helpers.copy_of(nomination).is_cleared
    return nomination


def test_the_blind_packet_holds_the_copy_and_the_chosen_clean_files_and_no_identity(blind_world):
    nomination = blind_world
    packet = packet_make(blind_packet_inputs(nomination))
    data = _stored(packet)
    text = _text(data)

    for written in (helpers.REDACTED_TITLE, helpers.EXECUTIVE_SUMMARY, helpers.REDACTED_TEXT):
        assert " ".join(written.split()) in text
    # The chosen PDF follows, as its clean copy: its page is there, its XMP is not.
    assert INNOCENT_TEXT in " ".join(_pages(data)[-1].extract_text().split())
    assert "File 1 (file-1.pdf)" in text
    # Every string, name and stream of the file, decoded, read once for what follows.
    everything = list(every_text(data))
    assert any("Picture supplied with the nomination (file-2.png)" in t for t in everything)
    # Not the file left out, nor anything of the agency's own: its answers, its title,
    # its file names and descriptions.
    assert UNCHOSEN_TEXT not in text
    for own in [
        nomination.title,
        nomination.problem,
        nomination.submitter_name,
        "quarterly-figures-xyz",
        "team-photo-xyz",
        "The team",
    ]:
        assert not any(contains_words(t, own) for t in everything), own
    # No identity anywhere in the file.
    for term in helpers.identity_terms(nomination.agency):
        assert not any(contains_words(t, term) for t in everything), term
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])


def test_a_chosen_pdf_without_its_clean_copy_is_left_out_by_its_neutral_name(blind_world):
    """A PDF uploaded before clean copies existed: never its original, in a packet."""
    blind_world.evidence.filter(original_name="quarterly-figures-xyz.pdf").update(clean_file="")
    inputs = blind_packet_inputs(blind_world)
    assert inputs.context["left_out"] == ["file-1.pdf"]
    assert inputs.appendices == []
    assert [item.title for item in inputs.images] == ["file-2.png"]


def test_the_original_would_have_named_the_agency(blind_world):
    """The guard above means something: the agency's upload itself carries its name."""
    upload = blind_world.evidence.order_by("created_at").first()
    with upload.file.open("rb") as handle:
        assert carries_words(handle.read(), blind_world.agency.name)


def test_a_copy_with_a_finding_has_no_blind_packet(staff, category, phase):
    agency = helpers.identified_agency()
    nomination = helpers.ready_nomination(
        staff, category=category, agency=agency, redacted_text=f"Run by {agency.name}."
    )
    assert helpers.copy_of(nomination).leaks
    with pytest.raises(PacketError, match="not cleared"):
        blind_packet_inputs(nomination)


def test_the_hash_follows_the_copy(staff, nomination):
    before = blind_packet_inputs(nomination).content_hash
    assert blind_packet_inputs(Nomination.objects.get(pk=nomination.pk)).content_hash == before
    with helpers.on_commit():
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary=helpers.EXECUTIVE_SUMMARY + " Costs were shared.",
            redacted_title=helpers.REDACTED_TITLE,
            redacted_text=helpers.REDACTED_TEXT,
            files=[],
        )
    assert blind_packet_inputs(Nomination.objects.get(pk=nomination.pk)).content_hash != before


# The reviewer's download ------------------------------------------------------------------


def _url(assignment):
    return f"/review/assignments/{assignment.pk}/packet/"


def test_a_reviewer_waits_then_downloads_the_packet_of_their_assignment(client, reviewing):
    assignment = reviewing[0]
    client.force_login(assignment.reviewer)
    page = client.get(assignment.get_absolute_url())
    assert _url(assignment).encode() in page.content
    with helpers.on_commit():
        waiting = client.get(_url(assignment))
    assert waiting["Refresh"] == "5"
    assert helpers.REDACTED_TITLE.encode() in waiting.content
    assert not helpers.identity_in(waiting.content.decode(), assignment.nomination.agency)

    response = client.get(_url(assignment))
    assert response["Content-Disposition"] == (
        f'attachment; filename="review-packet-{assignment.pk}.pdf"'
    )
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert helpers.REDACTED_TITLE in _text(b"".join(response.streaming_content))
    assert NominationPacket.objects.get().kind == PacketKind.BLIND


@pytest.mark.parametrize("who", ["another reviewer", "conflicted", "staff"])
def test_others_get_a_404(client, reviewing, category, who):
    assignment = reviewing[0]
    if who == "another reviewer":
        person = helpers.reviewer(category)
    elif who == "conflicted":
        person = assignment.reviewer
        services.conflict_declare(user=person, assignment=assignment, reason="My cousin")
    else:
        person = factories.StaffFactory()
    client.force_login(person)
    assert client.get(_url(assignment)).status_code == 404
    assert not NominationPacket.objects.exists()


def test_a_reviewer_is_told_a_render_failed_without_what_the_renderer_said(client, reviewing):
    assignment = reviewing[0]
    inputs = blind_packet_inputs(assignment.nomination)
    NominationPacket.objects.create(
        nomination=assignment.nomination,
        kind=inputs.kind,
        content_hash=inputs.content_hash,
        error="A file of the nomination could not be read (harborview-letter.pdf).",
    )
    client.force_login(assignment.reviewer)
    response = client.get(_url(assignment))
    assert "Refresh" not in response
    assert b"The packet could not be made: something went wrong" in response.content
    assert b"harborview" not in response.content


def test_no_packet_while_the_copy_is_not_cleared(client, reviewing, staff):
    assignment = reviewing[0]
    agency = assignment.nomination.agency
    with helpers.on_commit():
        services.review_copy_save(
            actor=staff,
            nomination=assignment.nomination,
            executive_summary=helpers.EXECUTIVE_SUMMARY,
            redacted_title=helpers.REDACTED_TITLE,
            redacted_text=f"Run in {agency.city}.",
            files=[],
        )
    client.force_login(assignment.reviewer)
    assert client.get(_url(assignment)).status_code == 404
    assert client.post(_url(assignment)).status_code == 404
    assert _url(assignment).encode() not in client.get(assignment.get_absolute_url()).content


# The demo --------------------------------------------------------------------------------


def test_the_demo_asks_once_for_its_archive_and_the_reviewers_packet(category, phase):
    staff = factories.StaffFactory(email=STAFF)
    panel = [helpers.reviewer(category, email=REVIEWER), *helpers.panel(category, 2)]
    nomination, rows = helpers.in_review(staff, category, panel)
    with helpers.on_commit():
        archive = load_demo_packets()
    archive.refresh_from_db()
    assert archive.category == category
    assert (archive.is_ready, archive.packets_ready, archive.nominations_total) == (True, 1, 1)
    blind = NominationPacket.objects.get(kind=PacketKind.BLIND)
    assert (blind.nomination, blind.is_ready) == (nomination, True)

    with helpers.on_commit():
        assert load_demo_packets() == archive
    assert PacketArchive.objects.count() == 1
    assert NominationPacket.objects.filter(kind=PacketKind.BLIND).get() == blind
    assert rows[0].reviewer.email == REVIEWER


def test_the_demo_without_its_reviewer_or_a_nomination_in_review_asks_for_nothing(db):
    assert load_demo_packets() is None
    factories.StaffFactory(email=STAFF)
    helpers.reviewer(email=REVIEWER)
    assert load_demo_packets() is None
    assert not PacketArchive.objects.exists()
