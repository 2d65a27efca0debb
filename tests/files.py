"""Real files for upload tests, made with Pillow or written by hand, never mocked."""

import io

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
