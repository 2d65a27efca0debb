"""Public copies of evidence: clean JPEGs, their sizes, and PDFs without metadata or scripts.

Real files throughout: Pillow images with GPS EXIF, and PDFs made by WeasyPrint
and pypdf with hostile extras, read back with Pillow and pypdf.
"""

import io

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from dz_awards.profiles import images
from tests.files import GPS_IFD, MINIMAL_PDF, image_bytes
from tests.files import gps_exif as _gps_exif

MAX_PIXELS = 40_000_000
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>Sgt. Hidden Author</dc:creator></rdf:Description></rdf:RDF>"
    b'</x:xmpmeta><?xpacket end="w"?>'
)


def _open(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# Images ------------------------------------------------------------------------------


def test_public_jpeg_drops_gps_exif_and_every_other_metadata():
    original = image_bytes("JPEG", size=(64, 48), exif=_gps_exif())
    assert _open(original).getexif().get_ifd(GPS_IFD)[1] == "N"
    data, width, height = images.public_jpeg(original, max_pixels=MAX_PIXELS)
    image = _open(data)
    assert image.format == "JPEG"
    assert (width, height) == (image.width, image.height) == (64, 48)
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(GPS_IFD) == {}
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert b"SpyCam" not in data


def test_public_jpeg_applies_the_orientation_before_dropping_it():
    original = image_bytes("JPEG", size=(64, 48), exif=_gps_exif(orientation=6))
    data, width, height = images.public_jpeg(original, max_pixels=MAX_PIXELS)
    assert (width, height) == (48, 64)
    assert dict(_open(data).getexif()) == {}


def test_public_jpeg_turns_a_png_with_text_and_icc_into_a_bare_jpeg():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 30), (10, 20, 30, 0)).save(
        buffer, "PNG", pnginfo=info, icc_profile=b"fake-icc-profile-bytes"
    )
    data, _width, _height = images.public_jpeg(buffer.getvalue(), max_pixels=MAX_PIXELS)
    image = _open(data)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert "icc_profile" not in image.info
    assert b"script" not in data
    # Transparent pixels are laid on white, not black.
    assert image.getpixel((20, 15)) >= (250, 250, 250)


def test_public_jpeg_keeps_grey_images_grey():
    buffer = io.BytesIO()
    Image.new("L", (20, 10), 128).save(buffer, "PNG")
    data, _width, _height = images.public_jpeg(buffer.getvalue(), max_pixels=MAX_PIXELS)
    assert _open(data).mode == "L"


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><script>alert(1)</script>",
        MINIMAL_PDF,
        b"GIF89a" + bytes(100),
        image_bytes("JPEG")[:40],
    ],
    ids=["html", "pdf", "gif", "truncated-jpeg"],
)
def test_public_jpeg_refuses_what_is_not_an_allowed_image(data):
    with pytest.raises(images.MediaError):
        images.public_jpeg(data, max_pixels=MAX_PIXELS)


def test_public_jpeg_refuses_an_image_over_the_pixel_cap_before_decoding():
    with pytest.raises(images.MediaError, match="too many pixels"):
        images.public_jpeg(image_bytes("PNG", size=(200, 100)), max_pixels=19_999)


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (2400, [(160, 160), (320, 320), (480, 480), (640, 640), (960, 960), (1600, 1600)]),
        (1600, [(160, 160), (320, 320), (480, 480), (640, 640), (960, 960), (1600, 1600)]),
        (1200, [(160, 160), (320, 320), (480, 480), (640, 640), (960, 960), (1600, 1200)]),
        (960, [(160, 160), (320, 320), (480, 480), (640, 640), (960, 960)]),
        (800, [(160, 160), (320, 320), (480, 480), (640, 640), (960, 800)]),
        (300, [(160, 160), (320, 300)]),
        (100, [(160, 100)]),
    ],
)
def test_rendition_widths_never_upscale(width, expected):
    assert images.rendition_widths(width) == expected


def test_renditions_are_clean_jpegs_of_the_right_sizes():
    source, _w, _h = images.public_jpeg(
        image_bytes("JPEG", size=(2000, 1000), exif=_gps_exif()), max_pixels=MAX_PIXELS
    )
    made = images.renditions(source, max_pixels=MAX_PIXELS)
    assert sorted(made) == [160, 320, 480, 640, 960, 1600]
    for key, (data, width, height) in made.items():
        image = _open(data)
        assert image.format == "JPEG"
        assert (image.width, image.height) == (width, height) == (key, key // 2)
        assert dict(image.getexif()) == {}


# PDFs --------------------------------------------------------------------------------


def _text_pdf():
    """A real one-page PDF with text, made by WeasyPrint."""
    from dz_awards.profiles import pdf

    html = (
        '<html lang="en"><head><title>General order</title></head>'
        "<body><p>Peer support general order 3-14</p></body></html>"
    )
    return pdf.html_to_pdf(html, "@page { size: letter }", {})


def _javascript(code):
    action = DictionaryObject()
    action[NameObject("/S")] = NameObject("/JavaScript")
    action[NameObject("/JS")] = TextStringObject(code)
    return action


def _rect(*numbers):
    return ArrayObject([FloatObject(n) for n in numbers])


def _hostile_pdf():
    """The text PDF with everything a public copy must not carry."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_text_pdf())))
    writer.add_metadata({"/Author": "Sgt. Hidden Author", "/Subject": "Internal only"})
    writer.xmp_metadata = XMP
    writer.add_attachment("officers.csv", b"name,badge\nJane Doe,4411\n")
    root = writer.root_object
    root[NameObject("/OpenAction")] = writer._add_object(_javascript("app.alert('open')"))
    document_actions = DictionaryObject()
    document_actions[NameObject("/WC")] = _javascript("app.alert('close')")
    root[NameObject("/AA")] = document_actions
    page = writer.pages[0]
    page_actions = DictionaryObject()
    page_actions[NameObject("/O")] = _javascript("app.alert('page')")
    page[NameObject("/AA")] = page_actions
    page[NameObject("/Metadata")] = writer._add_object(DictionaryObject())
    # A safe link, a scripted link and a file attachment annotation.
    writer.add_annotation(0, Link(rect=(50, 50, 200, 70), url="https://example.org/policy"))
    scripted = DictionaryObject()
    scripted[NameObject("/Type")] = NameObject("/Annot")
    scripted[NameObject("/Subtype")] = NameObject("/Link")
    scripted[NameObject("/Rect")] = _rect(50, 100, 200, 120)
    scripted[NameObject("/A")] = _javascript("app.launchURL('http://169.254.169.254/')")
    attachment = DictionaryObject()
    attachment[NameObject("/Type")] = NameObject("/Annot")
    attachment[NameObject("/Subtype")] = NameObject("/FileAttachment")
    attachment[NameObject("/Rect")] = _rect(50, 150, 70, 170)
    page[NameObject("/Annots")].extend(
        [writer._add_object(scripted), writer._add_object(attachment)]
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_hostile_pdf_carries_what_the_copy_must_drop():
    """The fixture itself: proof that the next test checks something."""
    reader = PdfReader(io.BytesIO(_hostile_pdf()))
    assert reader.metadata.author == "Sgt. Hidden Author"
    assert reader.xmp_metadata is not None
    assert list(reader.attachments) == ["officers.csv"]
    assert "/OpenAction" in reader.trailer["/Root"]
    assert "/AA" in reader.pages[0]
    assert len(reader.pages[0]["/Annots"]) == 3


def test_public_pdf_drops_metadata_attachments_and_scripts_and_keeps_the_text():
    data = images.public_pdf(_hostile_pdf())
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/Info" not in reader.trailer
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert "/Metadata" not in root
    assert reader.attachments == {}
    for key in ("/Names", "/OpenAction", "/AA", "/AcroForm"):
        assert key not in root
    page = reader.pages[0]
    assert "/AA" not in page
    assert "/Metadata" not in page
    annotations = [a.get_object() for a in page["/Annots"]]
    assert [a["/Subtype"] for a in annotations] == ["/Link", "/Link"]
    assert annotations[0]["/A"]["/URI"] == "https://example.org/policy"
    assert "/A" not in annotations[1]
    for marker in (b"/JavaScript", b"/JS", b"Hidden Author", b"officers.csv", b"Jane Doe"):
        assert marker not in data
    assert len(reader.pages) == 1
    assert "Peer support general order 3-14" in page.extract_text()


def test_public_pdf_refuses_what_is_not_a_pdf():
    with pytest.raises(images.MediaError):
        images.public_pdf(b"<html>not a pdf</html>")
