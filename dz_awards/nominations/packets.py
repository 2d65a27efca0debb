"""The nomination packet: one PDF of a whole nomination, and how any packet is made.

Staff print a nomination for the committee as one file: the answers of the
latest submitted revision in the form's order (`content.SECTIONS`), its
pictures, then each PDF file appended page for page, with a bookmark per part.
Reviewers get a blind twin of it, made the same way from the review copy
(`reviews.packets`), so the parts every packet shares live here:

- `PacketInputs`: what goes into one packet (template, context, pictures, PDFs
  to append) and `content_hash`, a hash over all of it (answers, file hashes
  and clean-copy names, the template and stylesheet, `LAYOUT_VERSION`). The
  hash names the stored file, so an unchanged nomination is never rendered
  twice and a changed one always is. Computing it reads the database only.
- `render`: reads the clean copies (never an agency's original upload) and
  renders in a child process with the time limit of `core.pdfrender`: the
  generated part is our own template through WeasyPrint's PDF/UA variant, with
  a fetcher that serves only those pictures; pikepdf then appends the PDFs.

An appended file keeps its pages as they are (text, pictures, links within the
file); its own structure tags are not merged into the packet's (qpdf cannot
merge two structure trees), so its pages' references into a structure tree are
removed rather than left pointing at the packet's own.
"""

from __future__ import annotations

import hashlib
import io
import json
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pikepdf
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils.dateformat import format as format_date

from dz_awards.core.errors import ServiceError
from dz_awards.core.pdfrender import PdfRenderError, run_with_time_limit, stylesheet
from dz_awards.nominations.content import LABELS, SECTIONS, clean_outcomes
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, PacketKind
from dz_awards.nominations.selectors import evidence_of_revision
from dz_awards.nominations.snapshots import as_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dz_awards.core.pdfrender import Files
    from dz_awards.nominations.models import Evidence, Nomination

# Bump when the way packets are put together changes (what the hash cannot see in the
# template and stylesheet): every stored packet is then made again on its next request.
LAYOUT_VERSION = "1"
STYLESHEET = "css/packet-pdf.css"
STAFF_TEMPLATE = "nominations/packets/staff.html"


class PacketError(ServiceError):
    """A packet cannot be made for this nomination now; the message says why."""


@dataclass(frozen=True)
class PacketFile:
    """One file in a packet: a picture shown in it, or a PDF appended to it."""

    evidence: Evidence
    title: str  # the bookmark of an appended PDF, the caption of a picture
    alt: str = ""


@dataclass(frozen=True)
class Appendix:
    title: str
    data: bytes


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int


@dataclass
class PacketInputs:
    """Everything that goes into one packet; `content_hash` names it."""

    nomination: Nomination
    kind: PacketKind
    template: str
    context: dict[str, Any]
    fingerprint: dict[str, Any]
    images: list[PacketFile] = field(default_factory=list)
    appendices: list[PacketFile] = field(default_factory=list)

    @cached_property
    def content_hash(self) -> str:
        what = {
            "layout": LAYOUT_VERSION,
            "template": template_fingerprint(self.template),
            "kind": str(self.kind),
            "nomination": str(self.nomination.pk),
            "images": [file_fingerprint(item) for item in self.images],
            "appendices": [file_fingerprint(item) for item in self.appendices],
            **self.fingerprint,
        }
        encoded = json.dumps(what, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()


def template_fingerprint(template: str) -> str:
    """A hash of the template's and the stylesheet's source: editing either makes
    every packet of that kind again."""
    source = get_template(template).template.source  # type: ignore[attr-defined]
    return hashlib.sha256(f"{source}\0{stylesheet(STYLESHEET)}".encode()).hexdigest()


def file_fingerprint(item: PacketFile) -> list[str]:
    """What identifies a file's clean copy: the upload's hash and the copy's own
    server-chosen name (new with every new copy), with the words shown for it."""
    evidence = item.evidence
    return [str(evidence.pk), evidence.sha256, evidence.clean_copy.name or "", item.title, item.alt]


# The staff packet -------------------------------------------------------------------


def _label(name: str) -> str:
    # The form speaks to the agency ("Your name"); the packet is read by others.
    return LABELS[name].replace("Your ", "Submitter's ")


def _extra_text(name: str, value: Any) -> str:
    if name == "start_date" and value:
        return format_date(date.fromisoformat(value), "F j, Y")
    return as_text(name, value)


def answer_sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers of a revision snapshot, section by section in the form's order."""
    sections = []
    for section in SECTIONS:
        items = [(_label(f.name), as_text(f.name, content.get(f.name))) for f in section.fields]
        items += [
            (_label(name), _extra_text(name, content.get(name)))
            for name in section.extra
            if name != "outcomes"
        ]
        outcomes = clean_outcomes(content.get("outcomes")) if "outcomes" in section.extra else None
        sections.append({"title": section.title, "items": items, "outcomes": outcomes})
    return sections


def usable(evidence: Evidence) -> bool:
    """Ready, with its clean copy made: only such a file goes into a packet."""
    return evidence.status == EvidenceStatus.READY and evidence.has_clean_copy


def staff_packet_inputs(nomination: Nomination) -> PacketInputs:
    """What the staff packet of `nomination` holds: its latest submitted revision."""
    revision = nomination.revisions.order_by("-number").first()
    if revision is None:
        raise PacketError("This nomination has not been submitted, so it has no packet yet.")
    images, appendices, left_out = [], [], []
    # A file is a picture (JPEG, PNG, WebP) or a PDF: uploads take nothing else.
    for number, evidence in enumerate(evidence_of_revision(revision), start=1):
        label = f"File {number}: {evidence.original_name}"
        if not usable(evidence):
            left_out.append(label)
        elif evidence.kind == EvidenceKind.IMAGE:
            alt = evidence.alt_text or evidence.description or f"Picture: {evidence.original_name}"
            images.append(PacketFile(evidence, label, alt))
        else:
            appendices.append(PacketFile(evidence, label))
    agency = nomination.agency
    heading = {
        "agency": agency.name,
        "city": agency.city,
        "state": agency.get_state_display(),
        "cycle": nomination.cycle.name,
        "category": nomination.category.label if nomination.category else "",
        "revision": revision.number,
        "submitted": format_date(revision.created_at, "F j, Y"),
    }
    return PacketInputs(
        nomination=nomination,
        kind=PacketKind.STAFF,
        template=STAFF_TEMPLATE,
        context={
            **heading,
            "title": revision.content.get("title") or str(nomination),
            "sections": answer_sections(revision.content),
            "appended": [item.title for item in appendices],
            "left_out": left_out,
        },
        fingerprint={"heading": heading, "content": revision.content, "left_out": left_out},
        images=images,
        appendices=appendices,
    )


# Rendering ----------------------------------------------------------------------------


def _read(item: PacketFile) -> bytes:
    """The clean copy's bytes; a failure names the file as the packet does (a blind
    packet's neutral name, never the agency's)."""
    stored = item.evidence.clean_copy
    try:
        with stored.storage.open(stored.name or "", "rb") as handle:
            return handle.read()
    except OSError as error:
        raise PdfRenderError(
            f"A file of the nomination could not be read ({item.title})."
        ) from error


def _untag(page: pikepdf.Page) -> None:
    """Cut an appended page's links into its own file's structure tree, which is not
    copied: left in place they would point into the packet's tree instead."""
    if "/StructParents" in page.obj:
        del page.obj["/StructParents"]
    # The clean copy kept links only: every annotation left is a dictionary.
    for annotation in page.obj.get("/Annots", []):
        if "/StructParent" in annotation:
            del annotation["/StructParent"]


def append_pdfs(front: bytes, appendices: Sequence[Appendix]) -> bytes:
    """`front` with each appendix's pages after it, each under a top-level bookmark."""
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(front)))
        with pdf.open_outline() as outline:
            for appendix in appendices:
                # Kept open until the packet is saved: qpdf copies page data lazily.
                source = stack.enter_context(pikepdf.open(io.BytesIO(appendix.data)))
                first = len(pdf.pages)
                pdf.pages.extend(source.pages)
                for page in pdf.pages[first:]:
                    _untag(page)
                outline.root.append(pikepdf.OutlineItem(appendix.title, first))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def assemble(html: str, css: str, files: Files, appendices: Sequence[Appendix]) -> bytes:
    """The generated part (WeasyPrint, tagged) with the PDFs appended."""
    # Loaded in the worker that renders only: WeasyPrint is heavy to import.
    from dz_awards.core.pdfhtml import html_to_pdf  # noqa: PLC0415

    return append_pdfs(html_to_pdf(html, css, files), appendices)


def render(inputs: PacketInputs) -> Rendered:
    """The packet's bytes and page count, rendered now within `PDF_RENDER_SECONDS`."""
    # WeasyPrint is loaded here, in the worker, once: the child process each render
    # runs in then shares it instead of importing it again (a second or more).
    import dz_awards.core.pdfhtml  # noqa: F401, PLC0415

    files: Files = {}
    images = []
    for number, item in enumerate(inputs.images, start=1):
        url = f"dz:image/{number}"
        files[url] = (_read(item), item.evidence.content_type)
        images.append({"url": url, "alt": item.alt, "caption": item.title})
    appendices = [Appendix(item.title, _read(item)) for item in inputs.appendices]
    html = render_to_string(inputs.template, {**inputs.context, "images": images})
    data = run_with_time_limit(
        assemble,
        html,
        stylesheet(STYLESHEET),
        files,
        appendices,
        seconds=settings.PDF_RENDER_SECONDS,
    )
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    return Rendered(data, pages)
