"""Clean copies of PDFs, and the text a reader of one can see.

A PDF carries much more than its pages: earlier revisions, document
information, XMP, attachments, form values, comments, scripts and actions that
call out to the network when the file is opened. A blind reviewer must get none
of that, so reviewers get a rewritten copy made by `clean_pdf` (pikepdf, on
qpdf), and the identity check reads that copy with `pdf_visible_texts`.

What the clean copy keeps: every page with its content (text, vector art,
images: pictures are read by OCR, see `core.ocr`), page geometry, fonts,
bookmark titles, the structure tree and /Lang (so a tagged PDF stays
accessible), and links that only jump to a page of the same file.

What it drops, and why:

- Incremental history: qpdf writes only the objects the newest revision
  reaches, as one revision, so what an earlier revision said is gone.
- Document information (/Info), the document ID (a new one is made) and every
  XMP packet (catalog, pages, images, fonts, any object).
- Attachments: /Names /EmbeddedFiles, /AF associated files, file-attachment
  annotations.
- Every action and script: /OpenAction and /AA of the catalog, pages,
  annotations and fields, /Names /JavaScript, annotation and bookmark /A. A
  bookmark or link whose action only went to a page of this file keeps that as
  a plain destination (/Dest): it reaches nothing outside the file and helps a
  reviewer find their way through a long report.
- Forms: appearances are generated, then fields and every annotation a reader
  sees on screen are drawn into the page (flattened), so a typed value becomes
  page text that the identity check reads; /AcroForm goes. Annotations left
  after that (popups, hidden ones, sounds, movies, 3D, attachments, widgets of
  unused fields) are removed, except plain internal links. Links keep no text.
- Structure-tree text a sighted reader never sees: /Alt, /ActualText, /E and
  /T of structure elements, and the /ID tree. The tags themselves stay. An
  alternative text the identity check cannot compare with the picture it
  describes is a leak waiting to happen, and losing it costs less than a
  reviewer learning who wrote the file.
- Private application data (/PieceInfo), web-capture data (/SpiderInfo),
  signatures' permissions (/Perms), article threads, portfolios (/Collection),
  the base /URI, page labels, optional-content (layer) settings, so hidden
  layers are drawn like the rest and their text is checked too, thumbnails,
  alternate and OPI images, reference XObjects, page transitions and beads.

Not covered: text inside a page's content stream that a viewer does not draw
(white on white, clipped, or marked-content /ActualText) is page content; the
identity check reads it like any other page text. Names of embedded fonts stay.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, String
from pypdf import PdfReader
from pypdf.errors import PdfReadError

__all__ = ["PdfCleanError", "clean_pdf", "pdf_page_count", "pdf_visible_texts"]

DAMAGED = "The PDF is damaged and could not be read. Save it again from the program that made it."
LOCKED = (
    "The PDF is protected with a password, so it cannot be checked or copied for reviewers. "
    "Save it without the password and upload it again."
)

# The catalog keeps only what shows the pages and keeps them accessible.
CATALOG_KEYS = frozenset(
    {"/Type", "/Version", "/Pages", "/Outlines", "/StructTreeRoot", "/MarkInfo", "/Lang"}
)
PAGE_MODES = frozenset({"/UseNone", "/UseOutlines", "/UseThumbs", "/FullScreen"})
PAGE_LAYOUTS = frozenset(
    {"/SinglePage", "/OneColumn", "/TwoColumnLeft", "/TwoColumnRight", "/TwoPageLeft"}
    | {"/TwoPageRight"}
)
# What a page (and a node of the page tree it inherits from) needs to be drawn.
PAGE_KEYS = frozenset(
    {"/Type", "/Parent", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox"}
    | {"/ArtBox", "/Rotate", "/Contents", "/Annots", "/StructParents", "/Tabs", "/Group"}
    | {"/UserUnit"}
)
PAGE_TREE_KEYS = frozenset(
    {"/Type", "/Parent", "/Kids", "/Count", "/Resources", "/MediaBox", "/CropBox", "/Rotate"}
)
# A kept link: where it is, how it looks, where it goes. No /Contents, /NM or /A.
LINK_KEYS = frozenset(
    {"/Type", "/Subtype", "/Rect", "/Border", "/BS", "/C", "/H", "/QuadPoints", "/F", "/P"}
    | {"/StructParent", "/Dest"}
)
OUTLINE_ITEM_KEYS = frozenset(
    {"/Title", "/Parent", "/Prev", "/Next", "/First", "/Last", "/Count", "/C", "/F", "/Dest"}
)
OUTLINE_ROOT_KEYS = frozenset({"/Type", "/First", "/Last", "/Count"})
STRUCTURE_ROOT_KEYS = frozenset(
    {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap", "/ClassMap"}
)
# Text of a structure element that is not drawn on the page.
STRUCTURE_HIDDEN_TEXT = ("/Alt", "/ActualText", "/E", "/T", "/ID")
# Keys removed from every object that has them: metadata, private data,
# attachments, actions and alternative content.
EVERYWHERE = (
    *("/Metadata", "/PieceInfo", "/AF", "/AA", "/OPI", "/Alternates", "/Thumb"),
    *("/OC", "/Ref", "/LastModified"),
)


class PdfCleanError(ValueError):
    """The bytes are not a PDF that can be read and rewritten; the message says why, plainly."""


def clean_pdf(data: bytes) -> bytes:
    """A rewritten copy of the PDF `data` with only what a reader sees (see the module).

    Page count and page content are kept. Raises PdfCleanError when the file is
    damaged beyond repair or needs a password to open.
    """
    with _open(data) as pdf:
        try:
            _flatten_forms_and_annotations(pdf)
            pages = {page.obj.objgen for page in pdf.pages}
            destinations = _Destinations(pdf, pages)
            for page in pdf.pages:
                _clean_page(page.obj, destinations)
            _clean_outlines(pdf, destinations)
            _clean_structure_tree(pdf)
            _clean_catalog(pdf)
            _clean_every_object(pdf)
            pdf.remove_unreferenced_resources()
            for key in ("/Info", "/ID"):
                if key in pdf.trailer:
                    del pdf.trailer[key]
            out = io.BytesIO()
            # No encryption; a document ID computed from the content, not kept from the input.
            pdf.save(
                out,
                encryption=False,
                deterministic_id=True,
                fix_metadata_version=False,
                preserve_pdfa=False,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
        except pikepdf.PdfError as error:
            raise PdfCleanError(DAMAGED) from error
    return out.getvalue()


def pdf_page_count(data: bytes) -> int:
    """How many pages the PDF has; PdfCleanError if it cannot be read."""
    with _open(data) as pdf:
        return len(pdf.pages)


def pdf_visible_texts(data: bytes, *, max_pages: int) -> list[tuple[str, str]]:
    """(where, text) for everything a reader of the PDF can see, page by page.

    For each page up to `max_pages`: ("page N", its text) and, when an
    annotation on it still carries text, ("page N notes", that text). Then
    ("bookmarks", the titles) and ("form fields", names and values) when the
    file has any. Past `max_pages`, one ("pages after N (not checked)", "").
    Meant for a clean copy, where notes and form fields are gone, but reads
    any PDF. Raises PdfCleanError for one that cannot be read.
    """
    with _open(data) as pdf:
        notes = [" ".join(_annotation_texts(page.obj)) for page in pdf.pages[:max_pages]]
        bookmarks = " ".join(_outline_titles(pdf))
        fields = " ".join(_field_texts(pdf))
        total = len(pdf.pages)
    try:
        reader = PdfReader(io.BytesIO(data))
        page_texts = [reader.pages[index].extract_text() for index in range(min(total, max_pages))]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        # pikepdf (qpdf) repairs more than pypdf reads: the file opened above.
        raise PdfCleanError(DAMAGED) from error
    texts: list[tuple[str, str]] = []
    for number, (text, note) in enumerate(zip(page_texts, notes, strict=True), start=1):
        texts.append((f"page {number}", text))
        if note:
            texts.append((f"page {number} notes", note))
    if total > max_pages:
        texts.append((f"pages after {max_pages} (not checked)", ""))
    if bookmarks:
        texts.append(("bookmarks", bookmarks))
    if fields:
        texts.append(("form fields", fields))
    return texts


# Opening -------------------------------------------------------------------------------


def _open(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise PdfCleanError(LOCKED) from error
    except pikepdf.PdfError as error:
        raise PdfCleanError(DAMAGED) from error


# Forms and annotations ----------------------------------------------------------------


def _flatten_forms_and_annotations(pdf: pikepdf.Pdf) -> None:
    """Draw form fields and on-screen annotations into their pages.

    qpdf makes appearances for fields that ask the reader to draw them
    (/NeedAppearances), then draws every annotation visible on screen into
    its page's content and leaves hidden ones, and those with nothing to draw,
    for the page clean-up to remove.
    """
    if "/AcroForm" in pdf.Root:
        pdf.generate_appearance_streams()
    pdf.flatten_annotations("screen")


class _Destinations:
    """Turns a link's or bookmark's target into a plain destination in this file, or None.

    Accepts an explicit destination ([page /Fit …]), a named one (looked up in
    /Dests or /Names /Dests, read before the catalog is cleaned) and a go-to
    action holding either. Anything else, including a page of another file,
    has no plain destination.
    """

    def __init__(self, pdf: pikepdf.Pdf, pages: set[tuple[int, int]]) -> None:
        self.pages = pages
        self.named: dict[str, pikepdf.Object] = {}
        old_style = pdf.Root.get("/Dests")
        if isinstance(old_style, Dictionary):
            for key in old_style.keys():  # noqa: SIM118 (a pikepdf dictionary, not a dict)
                self.named[key.removeprefix("/")] = old_style[key]
        names = pdf.Root.get("/Names")
        if isinstance(names, Dictionary) and isinstance(names.get("/Dests"), Dictionary):
            for key, value in NameTree(names.Dests).items():
                self.named[key] = value

    def of(self, holder: pikepdf.Object) -> Array | None:
        target = holder.get("/Dest")
        action = holder.get("/A")
        if target is None and isinstance(action, Dictionary) and action.get("/S") == "/GoTo":
            target = action.get("/D")
        return self._explicit(target)

    def _explicit(self, target: object) -> Array | None:
        if isinstance(target, Name | String):
            target = self.named.get(str(target).removeprefix("/"))
        if isinstance(target, Dictionary):
            target = target.get("/D")
        if not isinstance(target, Array) or len(target) < 2:
            return None
        page, fit, *numbers = list(target)
        if not isinstance(page, Dictionary) or page.objgen not in self.pages:
            return None
        if not isinstance(fit, Name) or not all(
            isinstance(n, int | float | Decimal) or n is None for n in numbers
        ):
            return Array([page, Name.Fit])
        return Array([page, fit, *numbers])


def _clean_page(page: pikepdf.Dictionary, destinations: _Destinations) -> None:
    """Keep what draws the page and its internal links; empty every other annotation."""
    annotations = page.get("/Annots")
    kept = Array()
    if isinstance(annotations, Array):
        for annotation in annotations:
            destination = (
                destinations.of(annotation)
                if isinstance(annotation, Dictionary) and annotation.get("/Subtype") == "/Link"
                else None
            )
            if destination is None:
                _empty(annotation)
                continue
            _keep_only(annotation, LINK_KEYS)
            annotation.Dest = destination
            kept.append(annotation)
    if len(kept):
        page.Annots = kept
    elif "/Annots" in page:
        del page["/Annots"]
    _keep_only(page, PAGE_KEYS)
    node = page.get("/Parent")
    seen: set[tuple[int, int]] = set()
    while isinstance(node, Dictionary) and node.objgen not in seen:
        seen.add(node.objgen)
        _keep_only(node, PAGE_TREE_KEYS)
        node = node.get("/Parent")


def _empty(obj: pikepdf.Object) -> None:
    """Remove every key of a dropped object, in case something else still points at it.

    A popup's parent, a structure element or a form field may refer to a
    removed annotation: it then reaches an empty dictionary, not its text.
    """
    if isinstance(obj, Dictionary):
        for key in list(obj.keys()):
            del obj[key]


def _keep_only(obj: pikepdf.Object, keys: frozenset[str]) -> None:
    for key in list(obj.keys()):
        if key not in keys:
            del obj[key]


# Bookmarks, structure, catalog ---------------------------------------------------------


def _outline_items(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every bookmark, each once (a damaged outline may loop)."""
    outlines = pdf.Root.get("/Outlines")
    if not isinstance(outlines, Dictionary):
        return
    seen: set[tuple[int, int]] = set()
    stack = [outlines.get("/First")]
    while stack:
        item = stack.pop()
        if not isinstance(item, Dictionary) or item.objgen in seen:
            continue
        seen.add(item.objgen)
        yield item
        stack.extend((item.get("/Next"), item.get("/First")))


def _clean_outlines(pdf: pikepdf.Pdf, destinations: _Destinations) -> None:
    """Bookmarks keep their titles and a plain destination in this file; actions go."""
    for item in _outline_items(pdf):
        destination = destinations.of(item)
        _keep_only(item, OUTLINE_ITEM_KEYS)
        if destination is None:
            if "/Dest" in item:
                del item["/Dest"]
        else:
            item.Dest = destination
    outlines = pdf.Root.get("/Outlines")
    if isinstance(outlines, Dictionary):
        _keep_only(outlines, OUTLINE_ROOT_KEYS)


def _clean_structure_tree(pdf: pikepdf.Pdf) -> None:
    """Keep the tags; remove the text they carry that is not drawn on the page."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, Dictionary):
        return
    _keep_only(root, STRUCTURE_ROOT_KEYS)
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [root.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(node)
        elif isinstance(node, Dictionary) and "/S" in node:
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            for key in STRUCTURE_HIDDEN_TEXT:
                if key in node:
                    del node[key]
            stack.append(node.get("/K"))


def _clean_catalog(pdf: pikepdf.Pdf) -> None:
    root = pdf.Root
    mode, layout = root.get("/PageMode"), root.get("/PageLayout")
    _keep_only(root, CATALOG_KEYS)
    if mode in PAGE_MODES:
        root.PageMode = mode
    if layout in PAGE_LAYOUTS:
        root.PageLayout = layout


def _clean_every_object(pdf: pikepdf.Pdf) -> None:
    """Remove metadata, private data, attachments and actions wherever they hang.

    An action (/A with a /S type) goes from any object; the /A of a structure
    element is its attributes and stays.
    """
    for obj in pdf.objects:
        if not isinstance(obj, Dictionary | pikepdf.Stream):
            continue
        for key in EVERYWHERE:
            if key in obj:
                del obj[key]
        action = obj.get("/A")
        if isinstance(action, Dictionary) and "/S" in action:
            del obj["/A"]
        if obj.get("/Type") == "/OCG":
            obj.Name = String("Layer")


# Reading -------------------------------------------------------------------------------

ANNOTATION_TEXT_KEYS = ("/Contents", "/T", "/TU", "/V")


def _annotation_texts(page: pikepdf.Dictionary) -> Iterator[str]:
    annotations = page.get("/Annots")
    if not isinstance(annotations, Array):
        return
    for annotation in annotations:
        if isinstance(annotation, Dictionary):
            for key in ANNOTATION_TEXT_KEYS:
                value = annotation.get(key)
                if isinstance(value, String):
                    yield str(value)


def _outline_titles(pdf: pikepdf.Pdf) -> Iterator[str]:
    for item in _outline_items(pdf):
        title = item.get("/Title")
        if isinstance(title, String):
            yield str(title)


def _field_texts(pdf: pikepdf.Pdf) -> Iterator[str]:
    """Names (/T, /TU) and values (/V) of every form field, reached through /Kids."""
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, Dictionary) or not isinstance(form.get("/Fields"), Array):
        return
    seen: set[tuple[int, int]] = set()
    stack = list(form.Fields)
    while stack:
        field = stack.pop()
        if not isinstance(field, Dictionary) or field.objgen in seen:
            continue
        seen.add(field.objgen)
        for key in ("/T", "/TU", "/V"):
            value = field.get(key)
            if isinstance(value, String | Name):
                yield str(value).removeprefix("/")
        kids = field.get("/Kids")
        if isinstance(kids, Array):
            stack.extend(kids)
