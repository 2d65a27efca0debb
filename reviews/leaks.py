"""The identity check run on a review copy before blind review opens.

It looks for the nominating agency's name, city and ORI in everything a blind
reviewer would read: the redacted title and copy, the executive summary, and
the files chosen for reviewers (their names, descriptions, alternative text,
and, for PDFs, the text of every page and the document properties, which
often carry the author's agency). Matching ignores case, punctuation and runs
of spaces, and a term matches only as whole words ("Mesa" does not match
"Mesas"). It flags; staff fix the copy or leave the file out.
"""

import logging
import re
import unicodedata
from dataclasses import asdict, dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError

logger = logging.getLogger(__name__)

# Reading a large scanned PDF is slow; its first pages and properties are where a
# letterhead or author shows. Pages beyond these are reported as not checked.
MAX_PDF_PAGES = 60


@dataclass(frozen=True)
class Finding:
    where: str
    what: str  # "agency name", "city", "ORI"

    def as_dict(self):
        return asdict(self)


def _normalise(text):
    # Compatibility forms fold (full-width letters), invisible format characters
    # (zero-width spaces) go, and the underscore, a word character to `re`, is a
    # separator in file names.
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def identity_terms(agency):
    """(label, normalised term) pairs to look for; empty values are skipped."""
    terms = [("agency name", agency.name), ("city", agency.city), ("ORI", agency.ori)]
    return [(label, _normalise(value)) for label, value in terms if _normalise(value or "")]


def find_terms(text, terms):
    """The labels of the terms that appear in `text` as whole words.

    An ORI is also found written with spaces or punctuation inside ("OH 07701 00").
    """
    text = text or ""
    haystack = f" {_normalise(text)} "
    return [
        label
        for label, term in terms
        if f" {term} " in haystack or (label == "ORI" and _spaced_ori(term).search(text))
    ]


def _spaced_ori(term):
    characters = [re.escape(c) for c in term.replace(" ", "")]
    return re.compile(r"(?<![^\W_])" + r"[\W_]*".join(characters) + r"(?![^\W_])", re.IGNORECASE)


def pdf_texts(path):
    """(where, text) for a PDF's properties and pages; unreadable parts say so."""
    try:
        reader = PdfReader(path)
        metadata = reader.metadata or {}
        yield "document properties", " ".join(str(value) for value in metadata.values())
        xmp = reader.root_object.get("/Metadata")
        if xmp is not None:
            yield "XMP metadata", xmp.get_object().get_data().decode("utf-8", "replace")
        yield "bookmarks", " ".join(_outline_titles(reader.outline))
        for number, page in enumerate(reader.pages, start=1):
            if number > MAX_PDF_PAGES:
                yield f"pages after {MAX_PDF_PAGES} (not checked)", ""
                break
            yield f"page {number}", page.extract_text() or ""
            yield f"page {number} notes", " ".join(_annotation_texts(page))
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as error:
        # Reported to staff as a finding ("check it by eye"); logged for whoever runs the site.
        logger.warning("A PDF could not be read for the identity check.", exc_info=True)
        yield f"unreadable ({type(error).__name__}); check it by eye", ""


def _outline_titles(items):
    for item in items or []:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield str(getattr(item, "title", "") or "")


def _annotation_texts(page):
    for reference in page.get("/Annots") or []:
        annotation = reference.get_object()
        for key in ("/Contents", "/T", "/Subj"):
            if key in annotation:
                yield str(annotation[key])


def copy_findings(copy, files):
    """Every place the agency's identity appears in the copy and `files`."""
    terms = identity_terms(copy.nomination.agency)
    findings = []

    def look(where, text):
        findings.extend(Finding(where, what) for what in find_terms(text, terms))

    look("the title for reviewers", copy.redacted_title)
    look("the executive summary", copy.executive_summary)
    look("the redacted copy", copy.redacted_text)
    for number, evidence in enumerate(files, start=1):
        label = f"file {number} ({evidence.original_name})"
        look(f"{label}: its name", evidence.original_name)
        look(f"{label}: its description", f"{evidence.description} {evidence.alt_text}")
        if evidence.extension == ".pdf":
            with evidence.file.open("rb") as handle:
                for where, text in pdf_texts(handle):
                    if "unreadable" in where or "not checked" in where:
                        findings.append(Finding(f"{label}: {where}", "unknown"))
                    look(f"{label}: {where}", text)
    return findings
