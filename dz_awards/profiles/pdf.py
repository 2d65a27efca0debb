"""The PDF summary of a profile: our own template, rendered by WeasyPrint.

`render(profile)` takes a profile and returns (bytes, page count); nothing
else. Safety, by construction:

- the HTML comes from our template; user text is escaped, and Markdown goes
  through `markdown.render` (no images, no raw HTML), so user text cannot
  name anything to fetch;
- the stylesheet is passed as a string, and the only file the document may
  load is the profile's chosen image, under a private `dz:` address;
- the URL fetcher (`OwnFilesFetcher`, from `core.pdfhtml`) answers only
  those addresses from the files we hold and refuses every other URL (file:,
  http:, data:, …) without touching the network or the disk, so nothing is
  fetched and nothing can be embedded or attached;
- rendering runs in a child process with a time limit (`PDF_RENDER_SECONDS`).

The PDF is tagged (PDF/UA-1): title from <title>, language from <html lang>,
the image carries its alternative text. US Letter, one or two pages.
"""

import io
import mimetypes

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader

from dz_awards.core import pdfrender
from dz_awards.core.pdfhtml import OwnFilesFetcher, html_to_pdf
from dz_awards.core.pdfrender import PdfRenderError
from dz_awards.profiles import markdown

__all__ = ["OwnFilesFetcher", "PdfRenderError", "html_to_pdf", "render", "render_with_time_limit"]

IMAGE_URL = "dz:image"
STYLESHEET = "css/profile-pdf.css"


def stylesheet():
    return pdfrender.stylesheet(STYLESHEET)


def document_html(profile, *, image=None):
    return render_to_string(
        "profiles/pdf/summary.html",
        {
            "profile": profile,
            "image": image,
            "image_url": IMAGE_URL,
            "results": markdown.render(profile.results),
            "replicability": markdown.render(profile.replicability),
            "cost_funding": markdown.render(profile.cost_funding),
            "summary": profile.summary,
            "site_url": settings.SITE_URL,
        },
    )


def _image_file(image):
    """(bytes, content type) of the image rendition the PDF shows, or None."""
    if image is None:
        return None
    name = image.renditions.get("960") or image.file.name
    with image.file.storage.open(name, "rb") as handle:
        data = handle.read()
    return data, mimetypes.guess_type(name)[0] or "image/jpeg"


def render_with_time_limit(html, css, files, *, seconds):
    """Render in a child process (the kernel's `run_with_time_limit`); stop it after
    `seconds`. `html_to_pdf` is looked up here, when called."""
    return pdfrender.run_with_time_limit(html_to_pdf, html, css, files, seconds=seconds)


def render(profile):
    """(PDF bytes, number of pages) for `profile` as it is now."""
    image = profile.images.order_by("position", "pk").first()
    files = {}
    image_file = _image_file(image)
    if image_file is not None:
        files[IMAGE_URL] = image_file
    html = document_html(profile, image=image if image_file else None)
    data = render_with_time_limit(html, stylesheet(), files, seconds=settings.PDF_RENDER_SECONDS)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    return data, pages
