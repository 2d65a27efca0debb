"""Public copies of a nomination's files, made from their content alone.

The private evidence file is never linked from a public page: what the public
downloads is a new file made here.

- Images: decoded by Pillow restricted to JPEG, PNG and WebP (with the
  decompression-bomb warning as an error and our own pixel cap), the EXIF
  orientation applied to the pixels, then a fresh JPEG encoded from the pixels
  only: no EXIF, XMP, ICC profile, comment or text chunk survives. Transparent
  areas are laid on white.
- Renditions: the same picture at 160, 320, 480, 640, 960 and 1600 pixels
  wide, never upscaled (an image narrower than a width gets one copy at its own
  size under the first width it does not reach, and none beyond), each as a
  JPEG (what every browser shows) and in a modern format (AVIF when this
  Pillow writes it, else WebP) at a fraction of the bytes. The small widths
  are for the directory's cards (160 px wide on a desktop, up to 20rem on a
  phone, at 1x to 3x); the large ones for the profile page.
- PDFs: rewritten page by page with pypdf into a new document with no document
  properties, no XMP metadata (document, page or image), no attachments, no
  JavaScript and no automatic or launch actions; links keep only http, https
  and mailto addresses.
"""

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, features
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from dz_awards.core.errors import ServiceError
from dz_awards.nominations import uploads

RENDITION_WIDTHS = (160, 320, 480, 640, 960, 1600)
JPEG_QUALITY = 85
# AVIF is a third to a half of a JPEG's bytes at the same look; Pillow builds
# without libavif get WebP, which every current browser also shows. Speed 9 of
# libavif's 0-10 encodes a 960 px picture in about 11 ms here (speed 8: 34 ms,
# the default 6: over 100 ms) for a file about a fifth larger than speed 8's:
# every image is encoded at six widths, by the worker and when the demo loads.
# One thread: the worker shares the machine with the web processes.
MODERN_FORMAT = "AVIF" if features.check("avif") else "WEBP"
MODERN_EXTENSION = f".{MODERN_FORMAT.lower()}"
MODERN_CONTENT_TYPE = f"image/{MODERN_FORMAT.lower()}"
MODERN_OPTIONS = {
    "AVIF": {"quality": 60, "speed": 9, "max_threads": 1},
    "WEBP": {"quality": 80, "method": 4},
}
BACKGROUND = (255, 255, 255)


class MediaError(ServiceError):
    """A file could not be turned into its public copy; the message says why."""


# Images ----------------------------------------------------------------------------


def _open(data: bytes, *, max_pixels: int) -> Image.Image:
    """A decoded image (orientation applied), by the same decoder as every upload."""
    try:
        image, _format = uploads.decode_image(io.BytesIO(data), max_pixels=max_pixels)
    except (
        uploads.TooManyPixelsError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise MediaError("The image has too many pixels.") from error
    except Exception as error:
        # Only bytes already in memory are decoded here (storage is read by the
        # caller), so whatever Pillow raises is about the file's content.
        raise MediaError("The image could not be read.") from error
    return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """The pixels as RGB (or grey) on a fresh image that carries no info at all."""
    if image.mode in uploads.GREY_MODES:
        return uploads.pixels_only(image, "L")
    if uploads.has_transparency(image):
        # JPEG has no transparency: lay the picture on white.
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return uploads.pixels_only(image, "RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Nothing but pixels is passed: no exif=, icc_profile= or comment=.
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def public_jpeg(data: bytes, *, max_pixels: int) -> tuple[bytes, int, int]:
    """`data` (a JPEG, PNG or WebP) as a clean JPEG: returns (bytes, width, height)."""
    clean = _pixels_only(_open(data, max_pixels=max_pixels))
    return _jpeg(clean), clean.width, clean.height


def rendition_widths(width: int) -> list[tuple[int, int]]:
    """The (key, width) pairs to make for an image `width` pixels wide, never upscaling."""
    pairs = []
    for target in RENDITION_WIDTHS:
        if target < width:
            pairs.append((target, target))
        else:
            pairs.append((target, width))
            break
    return pairs


def _modern(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # As for the JPEG: pixels only (the image carries no info, and no exif=,
    # xmp= or icc_profile= is passed).
    image.save(out, MODERN_FORMAT, **MODERN_OPTIONS[MODERN_FORMAT])
    return out.getvalue()


@dataclass(frozen=True)
class Rendition:
    """One encoded size of a public image."""

    key: int
    width: int
    height: int
    data: bytes


def _sized(image: Image.Image, width: int, source_size: tuple[int, int]) -> Image.Image:
    """`image` at `width` px wide, its height in the proportions of the original."""
    if width == image.width:
        return image
    height = max(1, round(source_size[1] * width / source_size[0]))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def make_renditions(
    data: bytes,
    *,
    max_pixels: int,
    jpeg_keys: set[int] | None = None,
    modern_keys: set[int] | None = None,
) -> tuple[list[Rendition], list[Rendition]]:
    """The (JPEG, modern format) renditions of a public JPEG made by `public_jpeg`.

    The picture is decoded once for both formats. `jpeg_keys`/`modern_keys`
    restrict each format to those keys (the ones still missing), None makes all.
    """
    image = _pixels_only(_open(data, max_pixels=max_pixels))
    jpegs: list[Rendition] = []
    moderns: list[Rendition] = []
    # Largest first, so that a small size is drawn from a made one at least twice
    # as wide (as sharp as from the original, at a fraction of the work).
    made: list[Image.Image] = []
    for key, width in reversed(rendition_widths(image.width)):
        want_jpeg = jpeg_keys is None or key in jpeg_keys
        want_modern = modern_keys is None or key in modern_keys
        if not (want_jpeg or want_modern):
            continue
        base = next((m for m in reversed(made) if m.width >= 2 * width), image)
        sized = _sized(base, width, image.size)
        made.append(sized)
        if want_jpeg:
            jpegs.append(Rendition(key, sized.width, sized.height, _jpeg(sized)))
        if want_modern:
            moderns.append(Rendition(key, sized.width, sized.height, _modern(sized)))
    return jpegs[::-1], moderns[::-1]


def renditions(data: bytes, *, max_pixels: int) -> dict[int, tuple[bytes, int, int]]:
    """{key width: (JPEG bytes, width, height)} for a public JPEG made by `public_jpeg`."""
    jpegs, _moderns = make_renditions(data, max_pixels=max_pixels, modern_keys=set())
    return {item.key: (item.data, item.width, item.height) for item in jpegs}


# PDFs ------------------------------------------------------------------------------

# Page entries that carry metadata, private application data or automatic actions.
PAGE_KEYS_DROPPED = ("/AA", "/Metadata", "/PieceInfo")
# Annotations that embed files or play media: dropped whole.
ANNOTATIONS_DROPPED = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
LINK_SCHEMES = ("http://", "https://", "mailto:")


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _safe_action(action: Any) -> DictionaryObject | None:
    """A link's action rebuilt as a plain URI action, or None to drop it."""
    action = _resolve(action)
    if not isinstance(action, DictionaryObject) or action.get("/S") != "/URI":
        return None
    uri = _resolve(action.get("/URI"))
    text = str(uri or "").strip()
    if not text.lower().startswith(LINK_SCHEMES):
        return None
    rebuilt = DictionaryObject()
    rebuilt[NameObject("/S")] = NameObject("/URI")
    rebuilt[NameObject("/URI")] = uri
    return rebuilt


def _clean_annotation(annotation: DictionaryObject) -> None:
    for key in ("/AA", "/Metadata"):
        annotation.pop(key, None)
    if "/A" in annotation:
        action = _safe_action(annotation["/A"])
        if action is None:
            del annotation["/A"]
        else:
            annotation[NameObject("/A")] = action
    # A form field's parents may carry actions of their own.
    parent, seen = _resolve(annotation.get("/Parent")), set()
    while isinstance(parent, DictionaryObject) and id(parent) not in seen:
        seen.add(id(parent))
        for key in ("/AA", "/A"):
            parent.pop(key, None)
        parent = _resolve(parent.get("/Parent"))


def _clean_resources(resources: Any, seen: set[int]) -> None:
    """Drop /Metadata from images and forms (and forms inside forms)."""
    resources = _resolve(resources)
    if not isinstance(resources, DictionaryObject):
        return
    xobjects = _resolve(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return
    for value in xobjects.values():
        xobject = _resolve(value)
        if not isinstance(xobject, DictionaryObject) or id(xobject) in seen:
            continue
        seen.add(id(xobject))
        for key in ("/Metadata", "/PieceInfo"):
            xobject.pop(key, None)
        if xobject.get("/Subtype") == "/Form":
            _clean_resources(xobject.get("/Resources"), seen)


def _clean_page(page: Any, seen: set[int]) -> None:
    for key in PAGE_KEYS_DROPPED:
        page.pop(key, None)
    annotations = _resolve(page.get("/Annots"))
    if isinstance(annotations, ArrayObject):
        kept = ArrayObject()
        for reference in annotations:
            annotation = _resolve(reference)
            if not isinstance(annotation, DictionaryObject):
                continue
            if annotation.get("/Subtype") in ANNOTATIONS_DROPPED:
                continue
            _clean_annotation(annotation)
            kept.append(reference)
        if kept:
            page[NameObject("/Annots")] = kept
        else:
            page.pop("/Annots", None)
    _clean_resources(page.get("/Resources"), seen)


def public_pdf(data: bytes) -> bytes:
    """`data` (a PDF) rewritten without metadata, attachments or scripts; returns bytes.

    Only the pages are copied into a new document, so the source's catalog
    (names tree with its embedded files and scripts, open action, document
    actions, forms, XMP) is left behind; what the pages themselves carry is
    cleaned above.
    """
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise MediaError("The PDF is protected by a password.")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        seen: set[int] = set()
        for page in writer.pages:
            _clean_page(page, seen)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except MediaError:
        raise
    except Exception as error:
        raise MediaError("The PDF could not be read.") from error
    return out.getvalue()
