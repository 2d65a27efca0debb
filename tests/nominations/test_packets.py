"""The nomination packet for staff: one PDF of a whole nomination, cached by content,
and a category's packets as one zip archive. Real PDFs, read back with pikepdf and pypdf."""

import io
import zipfile

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from dz_awards.agencies.models import Agency
from dz_awards.core.pdfrender import PdfRenderError, run_with_time_limit, stylesheet
from dz_awards.nominations import packet_processing, packets
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind, NominationState, PacketKind
from dz_awards.nominations.models import Nomination, NominationPacket, PacketArchive
from dz_awards.nominations.services.packets import packet_archive_request
from tests import factories
from tests.files import png_upload
from tests.reviews.helpers import pdf_file, pdf_with_text, reviewer

pytestmark = pytest.mark.django_db

APPENDIX_TEXT = "Appendix quarterly wellness figures"


def on_commit():
    return TestCase.captureOnCommitCallbacks(execute=True)


def _submitted_with_files(**content):
    """A complete nomination submitted with one tiny image and one one-page PDF."""
    member = factories.MembershipFactory().user
    nomination = factories.NominationFactory(
        agency=member.memberships.get().agency, complete=True, **content
    )
    uploads = [
        (png_upload("chart.png", size=(40, 30)), EvidenceKind.IMAGE, "A bar chart of resignations"),
        (pdf_file("figures.pdf", pdf_with_text(APPENDIX_TEXT)), EvidenceKind.DOCUMENT, ""),
    ]
    for upload, kind, alt in uploads:
        with on_commit():
            nomination_services.evidence_add(
                user=member,
                nomination=nomination,
                upload=upload,
                kind=kind,
                description="",
                alt_text=alt,
            )
    nomination_services.nomination_submit(user=member, nomination=nomination)
    return Nomination.objects.get(pk=nomination.pk)


@pytest.fixture
def submitted():
    return _submitted_with_files()


def _text(data):
    return " ".join(" ".join((page.extract_text() or "").split()) for page in _reader(data).pages)


def _reader(data):
    return PdfReader(io.BytesIO(data))


def _outline_titles(data):
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        titles = []
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(item.title)
            stack[:0] = list(item.children)
        return titles


def _image_sizes(data):
    """(width, height) of every picture the file holds."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            (int(obj.Width), int(obj.Height))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        ]


def _read_packet(packet):
    with packet.file.open("rb") as handle:
        return handle.read()


def test_the_staff_packet_holds_the_answers_in_order_the_picture_and_the_appended_pdf(submitted):
    inputs = packets.staff_packet_inputs(submitted)
    packet = packet_processing.packet_make(inputs)
    data = _read_packet(packet)
    text = _text(data)

    # The answers, section by section in the form's order, with the agency it is from.
    order = ["Program overview", "The need", "What you did", "Results", "Durability", "Contacts"]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    for answer in [
        "Officers exposed to critical incidents rarely asked for help.",
        "General order 3-14 makes a peer contact automatic.",
        "Stress-related resignations",
        "Submitter's name",
        submitted.agency.name,
    ]:
        assert answer in text
    # The picture is drawn in the generated part; the PDF's page follows it.
    assert _image_sizes(data) == [(40, 30)]
    reader = _reader(data)
    assert APPENDIX_TEXT in " ".join(reader.pages[-1].extract_text().split())
    assert packet.pages == len(reader.pages) >= 2
    # Tagged (PDF/UA from WeasyPrint), titled, and with a bookmark per part.
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert reader.metadata.title == f"{submitted.title}: nomination packet"
    titles = _outline_titles(data)
    assert "Program overview" in titles
    assert "Contacts" in titles
    assert titles[-1] == "File 2: figures.pdf"
    # The appended page no longer points into a structure tree it did not bring.
    assert "/StructParents" not in reader.pages[-1]
    assert packet.content_hash == inputs.content_hash
    assert packet.file.name == f"private/packets/{submitted.pk}/staff-{inputs.content_hash}.pdf"


def test_an_unchanged_nomination_is_not_rendered_again_and_a_changed_one_is(submitted):
    first = packet_processing.packet_make(packets.staff_packet_inputs(submitted))
    again = packets.staff_packet_inputs(Nomination.objects.get(pk=submitted.pk))
    assert again.content_hash == first.content_hash
    assert packet_processing.packet_make(again) == first

    Agency.objects.filter(pk=submitted.agency_id).update(name="Lakeside Police Department")
    changed = packets.staff_packet_inputs(Nomination.objects.get(pk=submitted.pk))
    assert changed.content_hash != first.content_hash
    with on_commit():
        second = packet_processing.packet_make(changed)
    assert "Lakeside Police Department" in _text(_read_packet(second))
    # The older packet is gone, row and file.
    assert list(NominationPacket.objects.filter(nomination=submitted)) == [second]
    assert not first.file.storage.exists(first.file.name)


def test_the_hash_covers_a_new_clean_copy_of_a_file(submitted):
    before = packets.staff_packet_inputs(submitted).content_hash
    pdf = submitted.evidence.get(kind=EvidenceKind.DOCUMENT)
    pdf.clean_file.name = "private/elsewhere.pdf"
    pdf.save(update_fields=["clean_file"])
    assert packets.staff_packet_inputs(submitted).content_hash != before


def test_a_nomination_never_submitted_has_no_packet():
    with pytest.raises(packets.PacketError, match="not been submitted"):
        packets.staff_packet_inputs(factories.NominationFactory())


# Pages -------------------------------------------------------------------------------


def _packet_url(nomination):
    return f"/staff/nominations/{nomination.pk}/packet/"


def test_staff_wait_for_the_packet_then_download_it_as_an_attachment(client, staff, submitted):
    client.force_login(staff)
    detail = client.get(f"/staff/nominations/{submitted.pk}/")
    assert _packet_url(submitted).encode() in detail.content
    assert f"/staff/cycles/{submitted.cycle_id}/packets/".encode() in detail.content
    with on_commit():
        waiting = client.get(_packet_url(submitted))
    assert waiting.status_code == 200
    assert waiting["Refresh"] == "5"
    assert b"Preparing the packet" in waiting.content
    # The render queued after commit ran (the test task backend runs it at once).
    response = client.get(_packet_url(submitted))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="packet-')
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = b"".join(response.streaming_content)
    assert APPENDIX_TEXT in _text(data)
    assert NominationPacket.objects.filter(nomination=submitted, kind=PacketKind.STAFF).count() == 1


def test_the_waiting_page_stops_reloading_when_asked(client, staff, submitted):
    client.force_login(staff)
    response = client.get(_packet_url(submitted) + "?refresh=off")
    assert "Refresh" not in response
    assert b"no longer reloads by itself" in response.content


def test_a_failed_render_is_shown_without_reloading_and_can_be_asked_again(
    client, staff, submitted, settings
):
    client.force_login(staff)
    settings.PDF_RENDER_SECONDS = 0
    with on_commit():
        client.get(_packet_url(submitted))
    failed = client.get(_packet_url(submitted))
    assert "Refresh" not in failed
    assert b"The packet could not be made: The PDF took longer than 0 seconds" in failed.content

    with TestCase.captureOnCommitCallbacks() as queued:
        retried = client.post(_packet_url(submitted))
    assert retried.status_code == 302
    assert len(queued) == 1  # the render, queued again
    packet = NominationPacket.objects.get(nomination=submitted)
    assert (packet.error, packet.is_ready) == ("", False)


@pytest.mark.parametrize("who", ["agency member", "reviewer", "nobody"])
def test_only_staff_reach_a_packet(client, submitted, who):
    if who == "agency member":
        client.force_login(submitted.agency.memberships.get().user)
    elif who == "reviewer":
        client.force_login(reviewer())
    response = client.get(_packet_url(submitted))
    assert response.status_code == (302 if who == "nobody" else 404)
    assert not NominationPacket.objects.exists()


# The archive of a category -------------------------------------------------------------


def _category_world(titles=("Bravo program", "Alpha program")):
    """Nominations in the competition (one per title) and one withdrawn, in one category."""
    category = factories.CategoryFactory()
    kept = [
        factories.submitted_nomination(cycle=category.cycle, category=category, title=title)
        for title in titles
    ]
    withdrawn = factories.submitted_nomination(cycle=category.cycle, category=category)
    Nomination.objects.filter(pk=withdrawn.pk).update(state=NominationState.WITHDRAWN)
    return category, kept


def test_the_archive_of_a_category_holds_one_packet_per_nomination(client, staff):
    category, kept = _category_world()
    client.force_login(staff)
    url = f"/staff/cycles/{category.cycle_id}/packets/{category.pk}/archive/"
    with on_commit():
        response = client.post(url)
    archive = PacketArchive.objects.get()
    assert response.url == f"/staff/packets/archives/{archive.pk}/"

    progress = client.get(response.url)
    assert "Refresh" not in progress
    assert b"2 of 2 packets ready" in progress.content
    download = client.get(f"/staff/packets/archives/{archive.pk}/download/")
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["Content-Disposition"].startswith('attachment; filename="packets-')
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = bundle.namelist()
    assert [name[:18] for name in names] == ["001-alpha-program-", "002-bravo-program-"]
    for name, nomination in zip(names, sorted(kept, key=lambda n: n.title), strict=True):
        assert name.endswith(f"-{str(nomination.pk)[:8]}.pdf")
        assert nomination.title in _text(bundle.read(name))
    assert NominationPacket.objects.filter(kind=PacketKind.STAFF).count() == 2


def test_an_archive_being_built_shows_its_progress_and_reloads(client, staff):
    category, _kept = _category_world()
    archive = packet_archive_request(actor=staff, category=category)
    client.force_login(staff)
    response = client.get(f"/staff/packets/archives/{archive.pk}/")
    assert response["Refresh"] == "5"
    assert b"0 of 2 packets ready" in response.content
    assert client.get(f"/staff/packets/archives/{archive.pk}/download/").status_code == 404
    # Asking again while it is being built shows the same archive.
    assert packet_archive_request(actor=staff, category=category) == archive


def test_the_categories_page_lists_each_category_with_its_count(client, staff):
    category, _kept = _category_world()
    client.force_login(staff)
    response = client.get(f"/staff/cycles/{category.cycle_id}/packets/")
    rows = response.context["rows"]
    assert [(row[0].pk, row[0].packet_count, row[1]) for row in rows] == [(category.pk, 2, None)]
    assert b"Prepare the archive" in response.content


# Edges of making packets ----------------------------------------------------------------


def test_a_file_still_being_checked_is_listed_as_left_out(submitted):
    submitted.evidence.filter(kind=EvidenceKind.DOCUMENT).update(status="processing")
    inputs = packets.staff_packet_inputs(submitted)
    assert inputs.context["left_out"] == ["File 2: figures.pdf"]
    assert [item.title for item in inputs.images] == ["File 1: chart.png"]
    assert inputs.appendices == []


def test_a_clean_copy_missing_from_storage_is_a_recorded_failure(submitted):
    pdf = submitted.evidence.get(kind=EvidenceKind.DOCUMENT)
    pdf.clean_file.storage.delete(pdf.clean_file.name)
    inputs = packets.staff_packet_inputs(submitted)
    with pytest.raises(packets.PdfRenderError, match=r"could not be read \(File 2: figures\.pdf\)"):
        packet_processing.packet_make(inputs)
    packet = NominationPacket.objects.get(nomination=submitted)
    assert (packet.is_ready, packet.error) == (
        False,
        "A file of the nomination could not be read (File 2: figures.pdf).",
    )


def _tagged_appendix():
    """A one-page PDF whose page and link point into a structure tree of their own."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    page = pdf.pages[0]
    page.obj.StructParents = 0
    link = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[72, 72, 144, 144],
            StructParent=1,
        )
    )
    page.obj.Annots = pikepdf.Array([link])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_appended_pages_lose_their_links_into_a_structure_tree_they_did_not_bring():
    # In this process (the packets render in a child): the front part, tagged, then the file.
    html = '<html lang="en"><head><title>Front</title></head><body><h1>Front</h1></body></html>'
    data = packets.assemble(html, "", {}, [packets.Appendix("File 1", _tagged_appendix())])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.pages[0].obj.StructParents == 0  # the front's own tags stay
        appended = pdf.pages[1].obj
        assert "/StructParents" not in appended
        assert "/StructParent" not in appended.Annots[0]
    assert _outline_titles(data) == ["Front", "File 1"]


def test_a_render_that_fails_in_its_process_says_why():
    with pytest.raises(PdfRenderError, match="could not be rendered: ZeroDivisionError"):
        run_with_time_limit(divmod, 1, 0, seconds=30)
    with pytest.raises(PdfRenderError, match=r"The stylesheet css/missing\.css is missing"):
        stylesheet("css/missing.css")


def test_a_request_whose_nomination_can_no_longer_have_a_packet_records_why(submitted):
    packet = NominationPacket.objects.create(
        nomination=submitted, kind=PacketKind.STAFF, content_hash="0" * 64
    )
    submitted.revisions.all().delete()
    assert packet_processing.staff_packet_render(packet.pk) is None
    packet.refresh_from_db()
    assert packet.error == "This nomination has not been submitted, so it has no packet yet."
    assert packet_processing.staff_packet_render(0) is None


def test_an_archive_stops_at_a_packet_that_cannot_be_made(staff, settings):
    category, _kept = _category_world()
    settings.PDF_RENDER_SECONDS = 0
    with on_commit():
        archive = packet_archive_request(actor=staff, category=category)
    archive.refresh_from_db()
    assert archive.error.startswith("The packet of “Alpha program” could not be made: The PDF")
    assert (archive.is_ready, archive.is_building, archive.packets_ready) == (False, False, 0)
    # Asking again makes a new archive: the failed one is not reused.
    again = packet_archive_request(actor=staff, category=category)
    assert again != archive
    assert again.is_building


def test_an_archive_whose_packet_file_went_missing_says_so(staff):
    category, kept = _category_world(["Alpha program"])
    for nomination in kept:
        packet_processing.packet_make(packets.staff_packet_inputs(nomination))
    gone = NominationPacket.objects.first()
    gone.file.storage.delete(gone.file.name)
    with on_commit():
        archive = packet_archive_request(actor=staff, category=category)
    archive.refresh_from_db()
    assert archive.error == packet_processing.CHANGED_WHILE_WRITTEN


def test_a_new_archive_replaces_the_older_one_of_its_category(staff):
    category, _kept = _category_world(["Alpha program"])
    with on_commit():
        first = packet_archive_request(actor=staff, category=category)
    first.refresh_from_db()
    with on_commit():
        second = packet_archive_request(actor=staff, category=category)
    assert list(PacketArchive.objects.all()) == [second]
    assert not first.file.storage.exists(first.file.name)
    # Its task run again (a retry) finds nothing left to do.
    assert packet_processing.packet_archive_build(second.pk) is None


def test_only_staff_ask_for_an_archive():
    category = factories.CategoryFactory()
    with pytest.raises(PermissionDenied):
        packet_archive_request(actor=factories.UserFactory(), category=category)
    assert not PacketArchive.objects.exists()


def test_the_categories_page_costs_the_same_queries_for_one_category_or_many(client, staff):
    def queries(cycle):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/staff/cycles/{cycle.pk}/packets/")
        assert response.status_code == 200
        return len(captured)

    client.force_login(staff)
    counted = []
    for size in (1, 4):
        cycle = factories.CycleFactory()
        for _ in range(size):
            category = factories.CategoryFactory(cycle=cycle)
            factories.submitted_nomination(cycle=cycle, category=category)
            PacketArchive.objects.create(category=category, nominations_total=1)
        counted.append(queries(cycle))
    assert counted[0] == counted[1]
