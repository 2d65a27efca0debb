"""Checking evidence files by what they contain, never by their name or declared type.

Images: JPEG, PNG or WebP only, recognised by Pillow restricted to those three
decoders; the pixel count is read from the header and refused above the cap
before anything is decoded; the stored copy is re-encoded (in the background)
from pixels alone, so no EXIF, XMP, GPS or text chunk survives.
Documents and letters: PDF, recognised by its header and trailer.
"""

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

from dz_awards.nominations.enums import EvidenceKind

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
PDF = ("application/pdf", ".pdf")


@dataclass(frozen=True)
class Limits:
    image_bytes: int
    document_bytes: int
    files: int
    quota_bytes: int
    image_pixels: int
    agency_quota_bytes: int

    def max_bytes(self, kind):
        return self.image_bytes if kind == EvidenceKind.IMAGE else self.document_bytes

    def describe(self):
        return {
            "image": filesizeformat(self.image_bytes),
            "document": filesizeformat(self.document_bytes),
            "files": self.files,
            "quota": filesizeformat(self.quota_bytes),
            "megapixels": self.image_pixels // 1_000_000,
        }


def limits():
    return Limits(
        image_bytes=settings.EVIDENCE_MAX_IMAGE_BYTES,
        document_bytes=settings.EVIDENCE_MAX_DOCUMENT_BYTES,
        files=settings.EVIDENCE_MAX_FILES,
        quota_bytes=settings.EVIDENCE_QUOTA_BYTES,
        image_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS,
        agency_quota_bytes=settings.EVIDENCE_AGENCY_QUOTA_BYTES,
    )


@dataclass(frozen=True)
class Checked:
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None


def display_name(name):
    """The user's file name made safe to show and to offer as a download name.

    Drops any folder part, control characters (NUL included) and leading dots;
    keeps letters of any script; at most 150 characters, keeping the extension.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        name = stem[: 150 - len(ext) - 1] + "." + ext if dot else name[:150]
    return name or "file"


def _image_error(detail=""):
    return ValidationError(
        "This file is not a JPEG, PNG or WebP image%s. Save it as one of those and try again."
        % (f" ({detail})" if detail else ""),
        code="not_an_image",
    )


def check_image(upload, *, max_pixels):
    """Identify an upload as an allowed image from its content; refuse floods before decoding."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(IMAGE_FORMATS)) as image:
                width, height = image.size
                image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own bomb check (above ~89 Mpx) fires while reading the header, before
        # ours below: still a valid image, so say what is wrong with it.
        raise ValidationError(
            f"This image has too many pixels; the most we accept is "
            f"{max_pixels // 1_000_000} megapixels. Resize it and try again.",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise _image_error() from None
    except (OSError, ValueError, SyntaxError):
        raise _image_error("it could not be read") from None
    finally:
        upload.seek(0)
    if width * height > max_pixels:
        raise ValidationError(
            f"This image is {width:,} by {height:,} pixels; the most we accept is "
            f"{max_pixels // 1_000_000} megapixels. Resize it and try again.",
            code="too_many_pixels",
        )
    content_type, extension = IMAGE_FORMATS[image_format]
    return Checked(content_type, extension, width, height)


def check_pdf(upload):
    """A PDF by its header, its trailer, and a parser that finds at least one page in it."""
    not_a_pdf = ValidationError(
        "This file is not a PDF. Save or print it as a PDF and try again.", code="not_a_pdf"
    )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise not_a_pdf
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "This PDF is protected by a password. Upload a copy without a password so that "
                "staff and reviewers can read it.",
                code="encrypted_pdf",
            )
        if len(reader.pages) < 1:
            raise not_a_pdf
    except ValidationError:
        raise
    except Exception:
        raise not_a_pdf from None
    finally:
        upload.seek(0)
    return Checked(*PDF)


def check_upload(upload, kind, *, used_bytes, used_files, agency_used_bytes=0):
    """Everything about an upload that can be known before storing it; raises ValidationError.

    `agency_used_bytes` is what all the agency's nominations hold together, files
    removed after submission included (they are kept for their revisions).
    """
    rules = limits()
    if used_files >= rules.files:
        raise ValidationError(
            f"This nomination already has {used_files} files, the most allowed. "
            "Delete one to add another.",
            code="too_many_files",
        )
    if upload.size == 0:
        raise ValidationError("This file is empty.", code="empty")
    if upload.size > rules.max_bytes(kind):
        raise ValidationError(
            f"This file is {filesizeformat(upload.size)}; the most for this kind of file is "
            f"{filesizeformat(rules.max_bytes(kind))}.",
            code="too_large",
        )
    if used_bytes + upload.size > rules.quota_bytes:
        left = max(rules.quota_bytes - used_bytes, 0)
        raise ValidationError(
            f"This file is {filesizeformat(upload.size)} but only {filesizeformat(left)} of this "
            f"nomination's {filesizeformat(rules.quota_bytes)} remain. Delete a file or upload a "
            "smaller one.",
            code="over_quota",
        )
    if agency_used_bytes + upload.size > rules.agency_quota_bytes:
        raise ValidationError(
            f"Your agency's nominations together hold {filesizeformat(agency_used_bytes)} of "
            f"files, close to the {filesizeformat(rules.agency_quota_bytes)} an agency may "
            "store. Delete files from drafts you no longer need, or write to program staff.",
            code="over_agency_quota",
        )
    if kind == EvidenceKind.IMAGE:
        return check_image(upload, max_pixels=rules.image_pixels)
    return check_pdf(upload)


def sha256_of(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


class TooManyPixelsError(ValueError):
    """An image whose header names more pixels than the cap: refused before decoding."""


# Modes kept as one grey channel when the pixels are copied.
GREY_MODES = ("1", "L", "I", "I;16", "F")


def decode_image(fileobj, *, max_pixels):
    """(pixels, format) of an allowed image, the EXIF orientation applied to the pixels.

    The one decoder of uploaded pictures (evidence and the public copies made
    from it): only the JPEG, PNG and WebP decoders are tried, Pillow's
    decompression-bomb warning is an error, and an image whose header names
    more than `max_pixels` pixels is refused (`TooManyPixelsError`) before
    anything is decoded. Any other failure is Pillow's own exception.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(fileobj, formats=list(IMAGE_FORMATS)) as image:
            if image.width * image.height > max_pixels:
                raise TooManyPixelsError("too many pixels")
            image_format = image.format
            image.load()
            # A new image either way, so it outlives the file closed here.
            return ImageOps.exif_transpose(image), image_format


def has_transparency(image):
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def pixels_only(image, mode):
    """The pixels of `image` in `mode` on a fresh image carrying no info at all.

    Copying into `Image.new` leaves the info dict behind: no EXIF, XMP, ICC
    profile, comment or text chunk survives.
    """
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def reencode_image(fileobj, *, max_pixels):
    """Decode an allowed image and encode its pixels again, with no metadata at all.

    The orientation in EXIF is applied to the pixels first, so the picture looks
    the same without it. Returns (bytes, width, height).
    """
    pixels, image_format = decode_image(fileobj, max_pixels=max_pixels)
    clean = pixels_only(pixels, _clean_mode(pixels, image_format))
    out = io.BytesIO()
    # No `optimize`: its search over encoder settings took 30 s of worker time on a
    # 16-megapixel noise image, for a few percent of size.
    if image_format == "JPEG":
        clean.save(out, "JPEG", quality=88)
    elif image_format == "PNG":
        clean.save(out, "PNG", compress_level=6)
    else:
        clean.save(out, "WEBP", quality=85)
    return out.getvalue(), clean.width, clean.height


def _clean_mode(image, image_format):
    """The mode to encode in: grey stays grey and one-bit or palette images do not grow
    into four channels unless they have transparency to keep."""
    if image_format == "JPEG":
        return "L" if image.mode in ("1", "L") else "RGB"
    if image.mode in GREY_MODES:
        return "L"
    if image.mode == "LA":
        return "LA"
    return "RGBA" if has_transparency(image) else "RGB"
