"""Public copies of a nomination's files, made from their content alone.

The private evidence file is never linked from a public page: what the public
downloads is a new file made here.

- Images: decoded by Pillow restricted to JPEG, PNG and WebP (with the
  decompression-bomb warning as an error and our own pixel cap), the EXIF
  orientation applied to the pixels, then a fresh JPEG encoded from the pixels
  only: no EXIF, XMP, ICC profile, comment or text chunk survives. Transparent
  areas are laid on white.
- Renditions: the same picture at 480, 960 and 1600 pixels wide, never
  upscaled (an image narrower than a width gets one copy at its own size under
  the first width it does not reach, and none beyond).
- PDFs: rewritten page by page with pypdf into a new document with no document
  properties, no XMP metadata (document, page or image), no attachments, no
  JavaScript and no automatic or launch actions; links keep only http, https
  and mailto addresses.
"""

import io

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from dz_awards.core.errors import ServiceError
from dz_awards.nominations import uploads

RENDITION_WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 85
BACKGROUND = (255, 255, 255)


class MediaError(ServiceError):
    """A file could not be turned into its public copy; the message says why."""


# Images ----------------------------------------------------------------------------


def _open(data, *, max_pixels):
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


def _pixels_only(image):
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


def _jpeg(image):
    out = io.BytesIO()
    # Nothing but pixels is passed: no exif=, icc_profile= or comment=.
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def public_jpeg(data, *, max_pixels):
    """`data` (a JPEG, PNG or WebP) as a clean JPEG: returns (bytes, width, height)."""
    clean = _pixels_only(_open(data, max_pixels=max_pixels))
    return _jpeg(clean), clean.width, clean.height


def rendition_widths(width):
    """The (key, width) pairs to make for an image `width` pixels wide, never upscaling."""
    pairs = []
    for target in RENDITION_WIDTHS:
        if target < width:
            pairs.append((target, target))
        else:
            pairs.append((target, width))
            break
    return pairs


def renditions(data, *, max_pixels):
    """{key width: (JPEG bytes, width, height)} for a public JPEG made by `public_jpeg`."""
    image = _pixels_only(_open(data, max_pixels=max_pixels))
    made = {}
    for key, width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        sized = (
            image
            if width == image.width
            else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        made[key] = (_jpeg(sized), sized.width, sized.height)
    return made


# PDFs ------------------------------------------------------------------------------

# Page entries that carry metadata, private application data or automatic actions.
PAGE_KEYS_DROPPED = ("/AA", "/Metadata", "/PieceInfo")
# Annotations that embed files or play media: dropped whole.
ANNOTATIONS_DROPPED = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
LINK_SCHEMES = ("http://", "https://", "mailto:")


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _safe_action(action):
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


def _clean_annotation(annotation):
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


def _clean_resources(resources, seen):
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


def _clean_page(page, seen):
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


def public_pdf(data):
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
        seen = set()
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
