"""The PDF summary of a profile: our own template, rendered by WeasyPrint.

`render(profile)` takes a profile and returns (bytes, page count); nothing
else. Safety, by construction:

- the HTML comes from our template; user text is escaped, and Markdown goes
  through `markdown.render` (no images, no raw HTML), so user text cannot
  name anything to fetch;
- the stylesheet is passed as a string, and the only file the document may
  load is the profile's chosen image, under a private `dz:` address;
- the URL fetcher (`OwnFilesFetcher`) answers only those addresses from the
  files we hold and refuses every other URL (file:, http:, data:, …) without
  touching the network or the disk, so nothing is fetched and nothing can be
  embedded or attached;
- rendering runs in a child process with a time limit (`PDF_RENDER_SECONDS`).

The PDF is tagged (PDF/UA-1): title from <title>, language from <html lang>,
the image carries its alternative text. US Letter, one or two pages.
"""

import io
import mimetypes
import multiprocessing
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PdfReader
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from dz_awards.core.errors import ServiceError
from dz_awards.profiles import markdown

IMAGE_URL = "dz:image"
STYLESHEET = "css/profile-pdf.css"


class PdfRenderError(ServiceError):
    """The PDF could not be made (too slow, or WeasyPrint failed); the message says which."""


class OwnFilesFetcher(URLFetcher):
    """Serves only the files it was given, by their `dz:` address; refuses everything else.

    `refused` lists every URL the document asked for and did not get (for tests
    and logs).
    """

    def __init__(self, files=None):
        super().__init__(timeout=1, allowed_protocols={"dz"}, allow_redirects=False)
        self._files = dict(files or {})
        self.refused = []

    def fetch(self, url, headers=None):
        if url not in self._files:
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url[:200]!r}: not one of our files.")
        body, content_type = self._files[url]
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def stylesheet():
    path = finders.find(STYLESHEET)
    return Path(path).read_text(encoding="utf-8")


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


def html_to_pdf(html, css, files):
    """WeasyPrint, with our fetcher only; returns the PDF bytes."""
    fetcher = OwnFilesFetcher(files)
    document = HTML(string=html, base_url="dz:", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)],
        pdf_variant="pdf/ua-1",
        attachments=[],
    )


def _child(connection, html, css, files):
    try:
        connection.send(("ok", html_to_pdf(html, css, files)))
    except Exception as error:  # reported to the parent, which raises
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def render_with_time_limit(html, css, files, *, seconds):
    """Render in a child process; stop it after `seconds`."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, html, css, files), daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise PdfRenderError(f"The PDF took longer than {seconds} seconds and was stopped.")
        status, payload = receive.recv()
    except EOFError as error:
        raise PdfRenderError("The PDF renderer stopped without a result.") from error
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
    if status != "ok":
        raise PdfRenderError(f"The PDF could not be rendered: {payload}")
    return payload


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
