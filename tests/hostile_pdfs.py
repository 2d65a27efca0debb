"""Real hostile PDFs: each hides an agency's name in exactly one place a reader does not see.

Built with pikepdf (page content, document structure, an incremental update
written by hand) and Pillow (pictures of text). Each builder takes the words to
hide, so a test can use its agency's own name. The rest of every file is
innocent: one page of ordinary text that names no one.

`HOSTILE_PDFS` maps the name of the place to its builder. `PICTURE_PLACES` are
the ones whose words are pixels, found only by OCR; every other place is text
inside the file that a clean copy must not carry. `every_text` reads a PDF the
way a curious reader with tools would: every string, name and decoded stream of
every object, plus the raw bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from PIL import Image, ImageDraw, ImageFont

AGENCY_WORDS = "RIVERTON POLICE DEPARTMENT"
INNOCENT_TEXT = "Annual community report"

# US Letter in points, and the font every page of text uses (a standard font,
# so nothing is embedded).
PAGE_WIDTH, PAGE_HEIGHT = 612, 792


def _helvetica() -> Dictionary:
    return Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)


# Matching ---------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Case, punctuation and runs of spaces folded away, as the identity check does."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def contains_words(text: str, words: str) -> bool:
    return f" {normalise(words)} " in f" {normalise(text)} "


def every_text(data: bytes) -> Iterator[str]:
    """Everything a PDF carries as text: raw bytes, each string, name and decoded stream.

    Streams are decoded (Flate and the other filters qpdf knows), so a word
    inside a compressed object or stream is found; strings are read as
    PDFDocEncoding or UTF-16, as a reader would.
    """
    yield data.decode("latin-1")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        yield from _texts_of(pdf.trailer)
        for obj in pdf.objects:
            yield from _texts_of(obj)


def _texts_of(obj: pikepdf.Object) -> Iterator[str]:
    if isinstance(obj, String):
        yield str(obj)
        yield bytes(obj).decode("latin-1")
    elif isinstance(obj, Name):
        yield str(obj)
    elif isinstance(obj, Array):
        for item in obj:
            if isinstance(item, pikepdf.Object) and not item.is_indirect:
                yield from _texts_of(item)
    elif isinstance(obj, Dictionary | pikepdf.Stream):
        for key in obj.keys():  # noqa: SIM118 (a pikepdf dictionary iterates differently)
            yield key
            value = obj.get(key)
            if isinstance(value, pikepdf.Object) and not value.is_indirect:
                yield from _texts_of(value)
        if isinstance(obj, pikepdf.Stream):
            try:
                decoded = obj.read_bytes()
            except pikepdf.PdfError:
                decoded = obj.read_raw_bytes()
            yield decoded.decode("latin-1")
            yield decoded.decode("utf-16", "ignore")


def carries_words(data: bytes, words: str) -> bool:
    """True if the words appear anywhere in the file, compressed or not."""
    return any(contains_words(text, words) for text in every_text(data))


# Pages and pictures ------------------------------------------------------------------


def _text_page(pdf: pikepdf.Pdf, lines: list[str]) -> pikepdf.Page:
    """A page showing `lines` in Helvetica, from the top."""
    body = "".join(
        f"BT /F1 18 Tf 72 {PAGE_HEIGHT - 100 - 30 * index} Td ({line}) Tj ET\n"
        for index, line in enumerate(lines)
    )
    page = pdf.add_blank_page(page_size=(PAGE_WIDTH, PAGE_HEIGHT))
    page.obj.Resources = Dictionary(Font=Dictionary(F1=_helvetica()))
    page.obj.Contents = pdf.make_stream(body.encode("latin-1"))
    return page


def _innocent_pdf() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    _text_page(pdf, [INNOCENT_TEXT, "Traffic stops fell by a third this year."])
    return pdf


def _save(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def letterhead_png(words: str) -> bytes:
    """A letterhead as a picture: the words large and dark on white, a rule below."""
    font = _font(44)
    left, top, right, bottom = font.getbbox(words)
    width, height = right - left + 120, bottom - top + 120
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    draw.text((60 - left, 50 - top), words, fill=0, font=font)
    draw.line((60, height - 30, width - 60, height - 30), fill=0, width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scanned_page_png(words: str, *, page_number: int = 1) -> bytes:
    """A page of a report as a scanner would deliver it: text in pixels, a little grey."""
    font = _font(30)
    image = Image.new("L", (1275, 1650), 245)  # Letter at 150 dpi
    draw = ImageDraw.Draw(image)
    lines = [
        words,
        "",
        f"Report on community policing, page {page_number}",
        "Officers met residents at twelve neighbourhood meetings.",
        "Response times improved in every district.",
    ]
    for index, line in enumerate(lines):
        draw.text((120, 150 + 60 * index), line, fill=20, font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _image_page(pdf: pikepdf.Pdf, png: bytes, *, width: float, height: float) -> None:
    """A page whose only content is the picture, `width` by `height` points at the top."""
    with Image.open(io.BytesIO(png)) as picture:
        grey = picture.convert("L")
    image = pdf.make_stream(
        zlib.compress(grey.tobytes()),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=grey.width,
        Height=grey.height,
        ColorSpace=Name.DeviceGray,
        BitsPerComponent=8,
        Filter=Name.FlateDecode,
    )
    page = pdf.add_blank_page(page_size=(PAGE_WIDTH, PAGE_HEIGHT))
    page.obj.Resources = Dictionary(XObject=Dictionary(Im1=image))
    x, y = (PAGE_WIDTH - width) / 2, PAGE_HEIGHT - 40 - height
    page.obj.Contents = pdf.make_stream(f"q {width} 0 0 {height} {x} {y} cm /Im1 Do Q".encode())


# The hostile places --------------------------------------------------------------------


def earlier_revision_info(words: str) -> bytes:
    """The words as the author in the document information of the first revision.

    An incremental update, appended by hand as an editor would, points the
    trailer to new, clean document information; the old object stays in the
    bytes, uncompressed, where any text tool finds it.
    """
    pdf = _innocent_pdf()
    pdf.docinfo = pdf.make_indirect(Dictionary(Author=String(words)))
    first = _save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    with pikepdf.open(io.BytesIO(first)) as reopened:
        root = reopened.Root.objgen[0]
        size = int(reopened.trailer.Size)
    previous_xref = int(first.rstrip().rsplit(b"startxref", 1)[1].split()[0])
    update = bytearray(first)
    offset = len(update)
    update += b"%d 0 obj\n<</Producer (Office suite)>>\nendobj\n" % size
    xref = len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (size, offset)
    update += b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/Prev %d>>\n" % (
        size + 1,
        root,
        size,
        previous_xref,
    )
    update += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(update)


def xmp_metadata(words: str) -> bytes:
    """The words as the creator in the document's XMP packet (and no document information)."""
    pdf = _innocent_pdf()
    packet = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq><rdf:li>{words}</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    pdf.Root.Metadata = pdf.make_stream(packet.encode(), Type=Name.Metadata, Subtype=Name("/XML"))
    return _save(pdf)


def _text_field(pdf: pikepdf.Pdf, *, name: str, value: str) -> None:
    """A text field on page 1 with no appearance yet (the reader is asked to draw it)."""
    page = pdf.pages[0]
    widget = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String(name),
            V=String(value),
            DA=String("/Helv 12 Tf 0 g"),
            Rect=Array([72, 500, 500, 530]),
            F=4,  # printable
            P=page.obj,
        )
    )
    page.obj.Annots = Array([widget])
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([widget]),
        NeedAppearances=True,
        DA=String("/Helv 12 Tf 0 g"),
        DR=Dictionary(Font=Dictionary(Helv=_helvetica())),
    )


def form_field_value(words: str) -> bytes:
    """The words as the value typed into a form field."""
    pdf = _innocent_pdf()
    _text_field(pdf, name="submitted_by", value=words)
    return _save(pdf)


def form_field_name(words: str) -> bytes:
    """The words as a form field's name (its value is innocent)."""
    pdf = _innocent_pdf()
    _text_field(pdf, name=words, value="Yes")
    return _save(pdf)


def attachment(words: str) -> bytes:
    """The words inside an embedded file called notes.txt."""
    pdf = _innocent_pdf()
    pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(
        pdf, f"Prepared by the {words}".encode(), mime_type="text/plain"
    )
    return _save(pdf)


def attachment_name(words: str) -> bytes:
    """The words as the file name of an embedded file whose content is innocent."""
    pdf = _innocent_pdf()
    name = f"{words}.txt"
    pdf.attachments[name] = pikepdf.AttachedFileSpec(
        pdf, b"Budget figures", filename=name, mime_type="text/plain"
    )
    return _save(pdf)


def _add_annotation(pdf: pikepdf.Pdf, annotation: Dictionary) -> pikepdf.Object:
    page = pdf.pages[0]
    annotation.Type = Name.Annot
    annotation.P = page.obj
    indirect = pdf.make_indirect(annotation)
    annots = page.obj.get(Name.Annots)
    if annots is None:
        page.obj.Annots = Array([indirect])
    else:
        annots.append(indirect)
    return indirect


def annotation_contents(words: str) -> bytes:
    """A sticky note whose text (its /Contents) is the words."""
    pdf = _innocent_pdf()
    _add_annotation(
        pdf,
        Dictionary(Subtype=Name.Text, Rect=Array([500, 700, 520, 720]), Contents=String(words)),
    )
    return _save(pdf)


def annotation_popup(words: str) -> bytes:
    """A popup (the window of a sticky note) carrying the words; the note itself is empty."""
    pdf = _innocent_pdf()
    note = _add_annotation(pdf, Dictionary(Subtype=Name.Text, Rect=Array([500, 700, 520, 720])))
    popup = _add_annotation(
        pdf,
        Dictionary(
            Subtype=Name.Popup,
            Rect=Array([300, 600, 520, 700]),
            Contents=String(words),
            Parent=note,
            Open=False,
        ),
    )
    note.Popup = popup
    return _save(pdf)


def hidden_annotation(words: str) -> bytes:
    """A text box drawn with the words but flagged hidden, so no reader shows it."""
    pdf = _innocent_pdf()
    appearance = pdf.make_stream(
        f"BT /F1 14 Tf 2 6 Td ({words}) Tj ET".encode(),
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, 400, 24]),
        Resources=Dictionary(Font=Dictionary(F1=_helvetica())),
    )
    _add_annotation(
        pdf,
        Dictionary(
            Subtype=Name.FreeText,
            Rect=Array([72, 400, 472, 424]),
            F=2,  # hidden
            DA=String("/F1 14 Tf 0 g"),
            AP=Dictionary(N=appearance),
        ),
    )
    return _save(pdf)


def _javascript(words: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(f'app.alert("{words}");'))


def javascript_names(words: str) -> bytes:
    """Document-level JavaScript (the /Names /JavaScript tree) that shows the words."""
    pdf = _innocent_pdf()
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(
            Names=Array([String("greeting"), pdf.make_indirect(_javascript(words))])
        )
    )
    return _save(pdf)


def open_action_javascript(words: str) -> bytes:
    """JavaScript run when the file opens (/OpenAction) that shows the words."""
    pdf = _innocent_pdf()
    pdf.Root.OpenAction = _javascript(words)
    return _save(pdf)


def _slug(words: str) -> str:
    return quote(words.lower().replace(" ", "-"))


def _link(pdf: pikepdf.Pdf, action: Dictionary) -> None:
    _add_annotation(
        pdf,
        Dictionary(
            Subtype=Name.Link, Rect=Array([72, 650, 300, 670]), Border=Array([0, 0, 0]), A=action
        ),
    )


def launch_action(words: str) -> bytes:
    """A link that launches a program named after the words."""
    pdf = _innocent_pdf()
    _link(pdf, Dictionary(S=Name.Launch, F=String(f"{words}.exe")))
    return _save(pdf)


def uri_action(words: str) -> bytes:
    """A link to the agency's web site, whose address spells the words."""
    pdf = _innocent_pdf()
    _link(pdf, Dictionary(S=Name.URI, URI=String(f"https://{_slug(words)}.example/")))
    return _save(pdf)


def outline_action(words: str) -> bytes:
    """A bookmark with an innocent title whose action opens the agency's web site."""
    pdf = _innocent_pdf()
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Contents"))
    item = pdf.Root.Outlines.First
    item.A = Dictionary(S=Name.URI, URI=String(f"https://{_slug(words)}.example/"))
    return _save(pdf)


def structure_alt_text(words: str) -> bytes:
    """A tagged page whose paragraph carries the words as alternative text only."""
    pdf = _innocent_pdf()
    page = pdf.pages[0]
    paragraph = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.P, Pg=page.obj, K=0, Alt=String(words))
    )
    document = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Document, K=Array([paragraph]))
    )
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=document))
    paragraph.P = document
    document.P = root
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String("en-US")
    return _save(pdf)


def private_app_data(words: str) -> bytes:
    """The words in an editor's private data on the page (/PieceInfo)."""
    pdf = _innocent_pdf()
    pdf.pages[0].obj.PieceInfo = Dictionary(
        Editor=Dictionary(LastModified=String("D:20250101"), Private=String(words))
    )
    return _save(pdf)


def image_metadata(words: str) -> bytes:
    """A small picture on the page whose own XMP packet names the words."""
    pdf = _innocent_pdf()
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>'
        f"<dc:creator>{words}</dc:creator></rdf:RDF></x:xmpmeta>"
    )
    image = pdf.make_stream(
        bytes([0, 128, 255, 128]),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=2,
        Height=2,
        ColorSpace=Name.DeviceGray,
        BitsPerComponent=8,
        Metadata=pdf.make_stream(packet.encode(), Type=Name.Metadata, Subtype=Name("/XML")),
    )
    page = pdf.pages[0].obj
    page.Resources.XObject = Dictionary(Im1=image)
    page.Contents = pdf.make_stream(
        page.Contents.read_bytes() + b"q 20 0 0 20 72 72 cm /Im1 Do Q\n"
    )
    return _save(pdf)


def form_field_script(words: str) -> bytes:
    """A calculation script of a form field that has no widget on any page."""
    pdf = _innocent_pdf()
    helper = pdf.make_indirect(
        Dictionary(
            FT=Name.Tx,
            T=String("total"),
            AA=Dictionary(C=_javascript(words)),
        )
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array([helper]))
    return _save(pdf)


def layer_name(words: str) -> bytes:
    """An optional-content layer named after the words (readers list layers by name)."""
    pdf = _innocent_pdf()
    layer = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String(words)))
    pdf.Root.OCProperties = Dictionary(OCGs=Array([layer]), D=Dictionary(ON=Array([layer])))
    page = pdf.pages[0].obj
    page.Resources.Properties = Dictionary(L1=layer)
    page.Contents = pdf.make_stream(b"/OC /L1 BDC " + page.Contents.read_bytes() + b" EMC\n")
    return _save(pdf)


def document_id(words: str) -> bytes:
    """The words as the document's ID in the trailer (which readers never show)."""
    pdf = _innocent_pdf()
    pdf.trailer.ID = Array([String(words), String(words)])
    return _save(pdf)


def unused_page_resource(words: str) -> bytes:
    """A drawing of the words listed in the page's resources but never drawn on it."""
    pdf = _innocent_pdf()
    drawing = pdf.make_stream(
        f"BT /F1 14 Tf 0 0 Td ({words}) Tj ET".encode(),
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, 400, 24]),
        Resources=Dictionary(Font=Dictionary(F1=_helvetica())),
    )
    pdf.pages[0].obj.Resources.XObject = Dictionary(Unused=drawing)
    return _save(pdf)


def letterhead_image(words: str) -> bytes:
    """A page whose only content is a picture of the agency's letterhead."""
    pdf = pikepdf.new()
    png = letterhead_png(words)
    with Image.open(io.BytesIO(png)) as picture:
        ratio = picture.height / picture.width
    _image_page(pdf, png, width=500, height=500 * ratio)
    return _save(pdf)


def scanned_pdf(words: str, *, pages: int = 1) -> bytes:
    """A scan: each page is one picture of a page of text, the words at its top."""
    pdf = pikepdf.new()
    for number in range(1, pages + 1):
        _image_page(
            pdf,
            scanned_page_png(words, page_number=number),
            width=PAGE_WIDTH,
            height=PAGE_HEIGHT - 40,
        )
    return _save(pdf)


def visible_text_pdf(words: str) -> bytes:
    """The control: the words as ordinary text on the page, for every reader to see."""
    pdf = pikepdf.new()
    _text_page(pdf, [words, INNOCENT_TEXT])
    return _save(pdf)


HOSTILE_PDFS: dict[str, Callable[[str], bytes]] = {
    "document information of an earlier revision": earlier_revision_info,
    "XMP metadata": xmp_metadata,
    "form field value": form_field_value,
    "form field name": form_field_name,
    "attachment": attachment,
    "attachment file name": attachment_name,
    "annotation text": annotation_contents,
    "annotation popup": annotation_popup,
    "hidden annotation": hidden_annotation,
    "document JavaScript": javascript_names,
    "JavaScript open action": open_action_javascript,
    "launch action": launch_action,
    "URI action": uri_action,
    "outline action": outline_action,
    "structure alternative text": structure_alt_text,
    "private application data": private_app_data,
    "document ID": document_id,
    "image XMP metadata": image_metadata,
    "form field script": form_field_script,
    "layer name": layer_name,
    "unused page resource": unused_page_resource,
    "letterhead image": letterhead_image,
    "scanned page": scanned_pdf,
}

# Places whose words are pixels: no text tool finds them, OCR does.
PICTURE_PLACES = frozenset({"letterhead image", "scanned page"})
