"""The identity check run on a review copy before blind review opens.

It looks for the nominating agency's name, city and ORI in everything a blind
reviewer would read: the redacted title and copy, the executive summary, and
the files chosen for reviewers as reviewers get them. For each file: its name,
description and alternative text; for a PDF, its clean copy (page text, the
annotations and field text left in it, bookmarks: `core.pdfclean.pdf_visible_texts`);
and the text OCR found in the clean copy (scanned pages, letterheads, pictures),
stored on the file by `nominations.processing`. Matching ignores case,
punctuation and runs of spaces, and a term matches only as whole words ("Mesa"
does not match "Mesas").

Findings name the file and the place ("file 2 (report.pdf): page 3 (OCR)") and
carry the file's id and the name of the clean copy they were found in, so an
override by staff holds for that copy only. Whatever could not be read (no
clean copy yet, OCR not run or not available, pages beyond the limit) is a
finding too ("unknown"): the check never clears what it did not read. Pages OCR
left unread within its budget are not: staff see the budget's result per file.
It flags; staff fix the copy, leave the file out, or override a false positive.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from dz_awards.core.pdfclean import pdf_visible_texts

if TYPE_CHECKING:
    from dz_awards.nominations.models import Evidence
    from reviews.models import ReviewCopy

logger = logging.getLogger(__name__)

# Reading a long PDF is slow; its first pages and properties are where a letterhead or
# author shows. Pages beyond these are reported as not checked.
MAX_PDF_PAGES = 60
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Finding:
    where: str
    what: str  # "agency name", "city", "ORI", or "unknown" (could not be read)
    file: str = ""  # the evidence id, for a finding in a file
    copy: str = ""  # the stored name of the clean copy it was found in

    def as_dict(self):
        """As stored in `ReviewCopy.leaks`; a finding outside the files has no file keys."""
        found = asdict(self)
        return found if self.file else {"where": self.where, "what": self.what}


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


def pdf_texts(data: bytes) -> Iterator[tuple[str, str | None]]:
    """(where, text) of what a reader sees in a PDF's clean copy; None for a place
    that could not be read (the check reports it as "unknown")."""
    try:
        texts = pdf_visible_texts(data, max_pages=MAX_PDF_PAGES)
    except Exception as error:
        # Reported to staff as a finding ("check it by eye"); logged for whoever runs the site.
        logger.warning("A PDF could not be read for the identity check.", exc_info=True)
        yield f"unreadable ({type(error).__name__}); check it by eye", None
        return
    for where, text in texts:
        yield where, (None if "not checked" in where else text)


def ocr_texts(ocr: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    """(where, text) of what OCR found, stored on the file; None where it could not run."""
    if not ocr:
        yield "OCR has not run yet", None
        return
    if ocr.get("error"):
        yield f"{ocr['error']}; look at its pictures by eye", None
        return
    yield from ocr.get("texts") or []


def file_texts(evidence: Evidence) -> Iterator[tuple[str, str | None]]:
    """(where, text) of everything a reviewer gets of one file, as the check reads it."""
    yield "its name", evidence.original_name
    yield "its description", f"{evidence.description} {evidence.alt_text}"
    if evidence.is_pdf:
        if not evidence.has_clean_copy:
            yield "no clean copy yet, so it can be neither checked nor shown", None
            return
        with evidence.clean_file.open("rb") as handle:
            data = handle.read()
        yield from pdf_texts(data)
    yield from ocr_texts(evidence.ocr)


def copy_findings(copy: ReviewCopy, files: Iterable[Evidence]) -> list[Finding]:
    """Every place the agency's identity appears (or could not be looked for) in the
    copy and `files`, the files numbered in the order given."""
    terms = identity_terms(copy.nomination.agency)
    findings = []

    def look(where: str, text: str) -> None:
        findings.extend(Finding(where, what) for what in find_terms(text, terms))

    look("the title for reviewers", copy.redacted_title)
    look("the executive summary", copy.executive_summary)
    look("the redacted copy", copy.redacted_text)
    for number, evidence in enumerate(files, start=1):
        label = f"file {number} ({evidence.original_name})"
        found = {"file": str(evidence.pk), "copy": evidence.clean_copy.name or ""}
        for where, text in file_texts(evidence):
            if text is None:
                findings.append(Finding(f"{label}: {where}", UNKNOWN, **found))
            else:
                findings.extend(
                    Finding(f"{label}: {where}", what, **found) for what in find_terms(text, terms)
                )
    return findings
