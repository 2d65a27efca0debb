"""The certificate of a finalist or winner: our own template, rendered by WeasyPrint.

`render(certificate)` takes the names the certificate was issued with and
returns (bytes, page count). As for every PDF of the site (`core.pdfrender`):
the names are escaped by the template, the stylesheet is passed as text, and
the document loads no file at all, so the fetcher refuses anything it is asked
for; rendering runs in a child process with a time limit.

This module imports WeasyPrint (through `core.pdfhtml`): only the worker that
renders imports it (`processing`), and each render's child process inherits it.

The PDF is tagged (PDF/UA-1): title from <title>, language from <html lang>.
Its frame and rules are borders, which WeasyPrint marks as artifacts. One
landscape US Letter page.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader

from dz_awards.core import pdfrender
from dz_awards.core.pdfhtml import html_to_pdf
from dz_awards.recognition.badges import AWARD_NAME, award_label

if TYPE_CHECKING:
    from dz_awards.recognition.models import Certificate

STYLESHEET = "css/certificate-pdf.css"
# (up to how many characters, the class that sets its size): longer names, smaller type.
AGENCY_SIZES = ((50, ""), (100, "long"))
PROGRAM_SIZES = ((90, ""), (180, "long"))


def name_size(text: str, sizes: tuple[tuple[int, str], ...]) -> str:
    """The class of the type size for a name of this length ("longest" past every step)."""
    for most, size in sizes:
        if len(text) <= most:
            return size
    return "longest"


def document_html(certificate: Certificate) -> str:
    """The certificate's HTML, from the names it was issued with."""
    return render_to_string(
        "recognition/pdf/certificate.html",
        {
            "certificate": certificate,
            "award_label": award_label(certificate.award),
            "award_name": AWARD_NAME,
            "issued_on": certificate.issued_at,
            "agency_size": name_size(certificate.agency, AGENCY_SIZES),
            "program_size": name_size(certificate.program, PROGRAM_SIZES),
        },
    )


def render(certificate: Certificate) -> tuple[bytes, int]:
    """(PDF bytes, number of pages) of `certificate` as it is now."""
    html = document_html(certificate)
    css = pdfrender.stylesheet(STYLESHEET)
    # No file to hand out: the fetcher refuses whatever the document might ask for.
    data = pdfrender.run_with_time_limit(
        html_to_pdf, html, css, {}, seconds=settings.PDF_RENDER_SECONDS
    )
    return data, len(PdfReader(io.BytesIO(data)).pages)
