"""Evidence uploads against hostile files: refused with a clear message, or stored clean.

Every refusal is a ValidationError with words for the form, never another exception,
and leaves neither a row nor a file behind. The checks themselves (`uploads`): what a
file is by its content, pixel floods, file names, sizes, counts and the quota.
Processing an accepted image is in `test_processing`, the rest of adding and deleting
files in `test_evidence`, the evidence page in `test_views_agency_evidence`.
"""

import io
import struct

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, PngImagePlugin

from dz_awards.nominations import uploads
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus
from dz_awards.nominations.models import Evidence
from tests.files import HTML, MINIMAL_PDF, image_bytes, pdf_upload, png_upload, upload
from tests.files import bilevel_png as _bilevel_png
from tests.nominations.view_helpers import NOT_A_PDF, NOT_AN_IMAGE, TOO_MANY_PIXELS
from tests.nominations.view_helpers import add_file as _add
from tests.nominations.view_helpers import media_root as _media
from tests.nominations.view_helpers import processed_file as _add_and_process
from tests.nominations.view_helpers import refused_file as _refused
from tests.nominations.view_helpers import server_name as _server_name
from tests.nominations.view_helpers import stored_files as _stored_files

IMAGE = EvidenceKind.IMAGE
DOCUMENT = EvidenceKind.DOCUMENT


# Files built by hand ---------------------------------------------------------------------


def _png_with_html_text_chunk():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HTML.decode())
    return image_bytes("PNG", pnginfo=info)


def _psd():
    """A real (tiny, RGB) Photoshop file, as Pillow's PSD reader accepts."""
    header = b"8BPS" + struct.pack(">H6sHIIHH", 1, b"", 3, 48, 64, 8, 3)
    return header + struct.pack(">IIIH", 0, 0, 0, 0) + bytes(3 * 48 * 64)


def _pdf_of_size(size):
    """MINIMAL_PDF with a comment before its cross-reference table, exactly `size` bytes.

    The objects keep their offsets and `startxref` points past the comment, so the
    padded file is still a PDF a parser reads.
    """
    head, rest = MINIMAL_PDF.split(b"xref\n", 1)
    table = b"xref\n" + rest.rsplit(b"startxref", 1)[0]
    for digits in range(3, 8):
        padding = size - len(head) - 2 - len(table) - len(b"startxref\n\n%%EOF\n") - digits
        offset = len(head) + padding + 2
        if len(str(offset)) == digits:
            break
    return head + b"%" + b"x" * padding + b"\n" + table + b"startxref\n%d\n%%%%EOF\n" % offset


# Refused by content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("logo.svg", "image/svg+xml"), ("logo.png", "image/png")],
    ids=["svg-named-svg", "svg-named-png"],
)
def test_evidence_add_svg_is_refused(name, content_type, nomination, member):
    """SVG (scriptable XML) is not an allowed image, whatever it is called."""
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>"
    )
    error = _refused(member, nomination, upload(name, svg, content_type))
    assert error.messages == [NOT_AN_IMAGE]
    assert error.code == "not_an_image"


def test_evidence_add_html_behind_png_magic_bytes_is_refused(nomination, member):
    """An HTML page that starts with the PNG signature is not a PNG."""
    fake = b"\x89PNG\r\n\x1a\n" + HTML
    error = _refused(member, nomination, upload("photo.png", fake, "image/png"))
    assert error.messages == [
        (
            "This file is not a JPEG, PNG or WebP image (it could not be read). "
            "Save it as one of those and try again."
        )
    ]
    assert error.code == "not_an_image"


def test_evidence_add_png_with_html_text_chunk_is_stored_without_it(
    nomination, member, django_capture_on_commit_callbacks
):
    """A real PNG carrying HTML in a text chunk is accepted, and the stored copy has no HTML."""
    original = _png_with_html_text_chunk()
    assert b"<script" in original
    evidence = _add_and_process(
        django_capture_on_commit_callbacks,
        member,
        nomination,
        upload("photo.png", original, "image/png"),
    )
    assert evidence.status == EvidenceStatus.READY
    stored = (_media() / evidence.file.name).read_bytes()
    assert b"<script" not in stored
    assert b"<html" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("PNG", (64, 48))
        assert "Comment" not in image.info
    assert evidence.size == len(stored)


@pytest.mark.parametrize(
    ("labelled", "message"),
    [
        (("photo.png", "image/png", IMAGE), NOT_AN_IMAGE),
        (("policy.pdf", "application/pdf", DOCUMENT), NOT_A_PDF),
    ],
    ids=["as-image", "as-pdf"],
)
def test_evidence_add_executable_is_refused(labelled, message, nomination, member):
    """Windows executable bytes are refused whatever name and declared type they carry."""
    name, content_type, kind = labelled
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200) + b"PE\x00\x00"
    error = _refused(member, nomination, upload(name, exe, content_type), kind=kind)
    assert error.messages == [message]


@pytest.mark.parametrize("content_type", ["text/html", "application/pdf"])
def test_evidence_add_pdf_dot_html_is_refused(content_type, nomination, member):
    """`report.pdf.html` holding HTML is not a PDF, even when declared as one."""
    error = _refused(
        member, nomination, upload("report.pdf.html", HTML, content_type), kind=DOCUMENT
    )
    assert error.messages == [NOT_A_PDF]
    assert error.code == "not_a_pdf"


def test_evidence_add_pdf_without_trailer_is_refused(nomination, member):
    """A file that only starts like a PDF (no end-of-file marker) is refused."""
    error = _refused(member, nomination, pdf_upload(content=b"%PDF-1.4\n" + HTML), kind=DOCUMENT)
    assert error.messages == [NOT_A_PDF]


def test_evidence_add_html_between_pdf_markers_is_refused(nomination, member):
    """HTML wrapped in a PDF header and end marker has no pages a parser finds: refused."""
    polyglot = b"%PDF-1.7\n" + HTML + b"\n%%EOF\n"
    error = _refused(member, nomination, pdf_upload(content=polyglot), kind=DOCUMENT)
    assert error.messages == [NOT_A_PDF]
    assert _stored_files() == []


def test_evidence_add_password_protected_pdf_is_refused(nomination, member):
    """An encrypted PDF is refused with a message asking for a copy without a password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(MINIMAL_PDF)))
    writer.encrypt("secret", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    error = _refused(member, nomination, pdf_upload(content=encrypted.getvalue()), kind=DOCUMENT)
    assert error.code == "encrypted_pdf"
    assert "protected by a password" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.jpg", image_bytes("TIFF"), "image/jpeg"),
        ("photo.png", image_bytes("GIF"), "image/png"),
        ("photo.png", _psd(), "image/png"),
        ("photo.jpg", image_bytes("BMP"), "image/jpeg"),
    ],
    ids=["tiff-as-jpg", "gif-as-png", "psd-as-png", "bmp-as-jpg"],
)
def test_evidence_add_other_image_format_renamed_is_refused(
    name, content, content_type, nomination, member
):
    """Real TIFF, GIF, PSD or BMP images renamed to .jpg or .png are refused."""
    error = _refused(member, nomination, upload(name, content, content_type))
    assert error.messages == [NOT_AN_IMAGE]


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("photo.png", image_bytes("JPEG"), ("image/jpeg", ".jpg")),
        ("photo.jpg", image_bytes("PNG"), ("image/png", ".png")),
        ("photo.gif", image_bytes("WEBP"), ("image/webp", ".webp")),
    ],
    ids=["jpeg-named-png", "png-named-jpg", "webp-named-gif"],
)
def test_evidence_add_allowed_image_is_typed_by_content(
    name, content, stored_as, nomination, member
):
    """An allowed image is stored with the type and extension of what it is, not its name."""
    content_type, extension = stored_as
    evidence = _add(member, nomination, upload(name, content, "application/octet-stream"))
    assert (evidence.content_type, evidence.extension) == (content_type, extension)
    assert _server_name(nomination, extension).match(evidence.file.name)
    assert (evidence.width, evidence.height) == (64, 48)
    assert evidence.status == EvidenceStatus.PROCESSING


# Pixel floods ----------------------------------------------------------------------------


@pytest.mark.parametrize("side", [30_000, 10_000], ids=["900-megapixels", "100-megapixels"])
def test_evidence_add_pixel_flood_png_is_refused_with_megapixel_message(side, nomination, member):
    """A huge PNG that compresses to a few kilobytes is refused for its pixels, not decoded."""
    flood = _bilevel_png(side, side)
    assert len(flood) < 150_000
    error = _refused(member, nomination, upload("flood.png", flood, "image/png"))
    assert error.messages == [TOO_MANY_PIXELS]
    assert error.code == "too_many_pixels"


def test_evidence_add_image_over_pixel_cap_is_refused_from_its_header(nomination, member):
    """An image over the cap is refused from its header alone: it has no pixel data at all."""
    header_only = _bilevel_png(8000, 6000, idat=False)
    error = _refused(member, nomination, upload("big.png", header_only, "image/png"))
    assert error.messages == [
        (
            "This image is 8,000 by 6,000 pixels; the most we accept is 40 megapixels. "
            "Resize it and try again."
        )
    ]
    assert error.code == "too_many_pixels"


def test_evidence_add_pixel_cap_follows_settings(settings, nomination, member):
    """The cap is read from EVIDENCE_MAX_IMAGE_PIXELS at upload time."""
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 2_000_000
    error = _refused(member, nomination, png_upload(size=(2000, 1001)))
    assert error.messages == [
        (
            "This image is 2,000 by 1,001 pixels; the most we accept is 2 megapixels. "
            "Resize it and try again."
        )
    ]


# File names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\win.png", "win.png"),
        ("pho\x00to.png", "photo.png"),
        ("a" * 296 + ".png", "a" * 146 + ".png"),
        ("\u202egnp.exe", "gnp.exe"),
        (".hidden.png", "hidden.png"),
    ],
    ids=["dot-dot-slash", "backslashes", "nul", "300-characters", "bidi-override", "dotfile"],
)
def test_evidence_add_hostile_file_name_is_stored_under_server_name(
    name, shown, nomination, member, django_capture_on_commit_callbacks
):
    """The file is stored under a server-chosen name; the user's name is cleaned display text."""
    evidence = _add_and_process(
        django_capture_on_commit_callbacks,
        member,
        nomination,
        upload(name, image_bytes("PNG"), "image/png"),
    )
    assert evidence.original_name == shown
    assert "/" not in evidence.original_name
    assert "\\" not in evidence.original_name
    assert "\x00" not in evidence.original_name
    assert len(evidence.original_name) <= 150
    assert _server_name(nomination, ".png").match(evidence.file.name)
    assert _stored_files() == [evidence.file.name]
    assert (_media() / evidence.file.name).is_file()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\chief\\Desktop\\plan.pdf", "plan.pdf"),
        ("pol\x00icy\r\n.pdf", "policy.pdf"),
        ("..", "file"),
        ("", "file"),
        (None, "file"),
        ("x" * 300, "x" * 150),
        ("y" * 200 + "." + "z" * 50, "y" * 139 + "." + "z" * 10),
        ("Überprüfung café.pdf", "Überprüfung café.pdf"),
    ],
    ids=[
        "dot-dot-slash",
        "windows-path",
        "control-characters",
        "dots-only",
        "empty",
        "none",
        "long-no-extension",
        "long-extension",
        "other-scripts",
    ],
)
def test_display_name_is_safe_to_show(raw, shown):
    """The shown name has no folder part or control characters and is at most 150 long."""
    assert uploads.display_name(raw) == shown


# Limits ----------------------------------------------------------------------------------


def test_evidence_add_image_over_size_limit_is_refused(settings, nomination, member):
    """An image larger than EVIDENCE_MAX_IMAGE_BYTES is refused with both sizes."""
    settings.EVIDENCE_MAX_IMAGE_BYTES = 100
    content = image_bytes("PNG")
    error = _refused(member, nomination, upload("photo.png", content, "image/png"))
    assert error.messages == [
        f"This file is {len(content)}\xa0bytes; the most for this kind of file is 100\xa0bytes."
    ]
    assert error.code == "too_large"


def test_evidence_add_document_over_size_limit_is_refused(settings, nomination, member):
    """A PDF larger than EVIDENCE_MAX_DOCUMENT_BYTES is refused with both sizes."""
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = 1024
    error = _refused(member, nomination, pdf_upload(content=_pdf_of_size(2048)), kind=DOCUMENT)
    assert error.messages == [
        "This file is 2.0\xa0KB; the most for this kind of file is 1.0\xa0KB."
    ]


def test_evidence_add_document_at_size_limit_is_accepted(settings, nomination, member):
    """A PDF of exactly the limit is accepted, stored as being checked (a background task
    makes its clean copy)."""
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = 1024
    evidence = _add(member, nomination, pdf_upload(content=_pdf_of_size(1024)), kind=DOCUMENT)
    assert (evidence.size, evidence.status) == (1024, EvidenceStatus.PROCESSING)
    assert _server_name(nomination, ".pdf").match(evidence.file.name)


def test_evidence_add_beyond_file_count_is_refused(settings, nomination, member):
    """With EVIDENCE_MAX_FILES files attached, one more is refused."""
    settings.EVIDENCE_MAX_FILES = 2
    _add(member, nomination, pdf_upload("one.pdf"), kind=DOCUMENT)
    _add(member, nomination, pdf_upload("two.pdf"), kind=DOCUMENT)
    with pytest.raises(ValidationError) as error:
        _add(member, nomination, pdf_upload("three.pdf"), kind=DOCUMENT)
    assert error.value.messages == [
        "This nomination already has 2 files, the most allowed. Delete one to add another."
    ]
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "one.pdf",
        "two.pdf",
    ]
    assert len(_stored_files()) == 2


def test_evidence_add_rejected_files_do_not_count_towards_limits(settings, nomination, member):
    """A file rejected by the checks frees its place for another."""
    settings.EVIDENCE_MAX_FILES = 1
    first = _add(member, nomination, pdf_upload("one.pdf"), kind=DOCUMENT)
    Evidence.objects.filter(pk=first.pk).update(status=EvidenceStatus.REJECTED)
    second = _add(member, nomination, pdf_upload("two.pdf"), kind=DOCUMENT)
    assert second.original_name == "two.pdf"


def test_evidence_add_over_quota_is_refused(settings, nomination, member):
    """A file that would take the nomination past its quota is refused, saying what is left."""
    size = len(MINIMAL_PDF)
    settings.EVIDENCE_QUOTA_BYTES = 2 * size + 10
    _add(member, nomination, pdf_upload("one.pdf"), kind=DOCUMENT)
    _add(member, nomination, pdf_upload("two.pdf"), kind=DOCUMENT)
    with pytest.raises(ValidationError) as error:
        _add(member, nomination, pdf_upload("three.pdf"), kind=DOCUMENT)
    assert error.value.messages == [
        (
            f"This file is {size}\xa0bytes but only 10\xa0bytes of this nomination's "
            f"{2 * size + 10}\xa0bytes remain. Delete a file or upload a smaller one."
        )
    ]
    assert error.value.code == "over_quota"
    assert Evidence.objects.count() == 2
    assert len(_stored_files()) == 2


def test_evidence_add_empty_file_is_refused(nomination, member):
    """A zero-byte upload is refused as empty."""
    error = _refused(member, nomination, upload("empty.pdf", b"", "application/pdf"), DOCUMENT)
    assert error.messages == ["This file is empty."]
