"""Real files for upload tests, made with Pillow or written by hand, never mocked."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# A small but complete PDF: header, one empty page, cross-reference table, trailer.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)

# An HTML page with a script: what must never be stored or served as an upload.
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

# The EXIF tag of the GPS block (GPSInfo), where a camera writes where a photo was taken.
GPS_IFD = 0x8825


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 30, 30), exif=None, **save_options):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        save_options["exif"] = exif
    image.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_upload(name="photo.png", **kwargs):
    return upload(name, image_bytes("PNG", **kwargs), "image/png")


def jpeg_upload(name="photo.jpg", **kwargs):
    return upload(name, image_bytes("JPEG", **kwargs), "image/jpeg")


def pdf_upload(name="policy.pdf", content=MINIMAL_PDF):
    return upload(name, content, "application/pdf")


def gps_exif(orientation=None):
    """EXIF naming the camera's maker and where the photo was taken, as a phone writes it.

    With `orientation` (an EXIF orientation, 6 for a photo taken sideways) it says
    how to turn the picture too.
    """
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"  # Make
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (38.0, 53.0, 23.0), 3: "W", 4: (77.0, 2.0, 11.0)})
    return exif


def _png_chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def bilevel_png(width, height, *, idat=True):
    """A real 1-bit PNG of any size; all-black rows compress to almost nothing.

    Without `idat` the file is only a header: whoever decodes it fails.
    """
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
    body = b""
    if idat:
        rows = (b"\x00" + bytes((width + 7) // 8)) * 1000
        packer = zlib.compressobj(9)
        data = b"".join(packer.compress(rows) for _ in range(height // 1000))
        data += packer.compress((b"\x00" + bytes((width + 7) // 8)) * (height % 1000))
        body = _png_chunk(b"IDAT", data + packer.flush())
    return b"\x89PNG\r\n\x1a\n" + header + body + _png_chunk(b"IEND", b"")
