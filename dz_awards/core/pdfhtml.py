"""HTML to PDF through WeasyPrint, fetching nothing but the files we hand it.

- `OwnFilesFetcher` answers only the `dz:` addresses it was given, from bytes
  we hold, and refuses every other URL (file:, http:, data:, …) without
  touching the network or the disk, so nothing a user typed is fetched or
  embedded;
- `html_to_pdf` renders with that fetcher only, as tagged PDF/UA-1 (title from
  <title>, language from <html lang>) and with no attachments.

Imported by the workers that render (WeasyPrint is heavy to load); run it
through `core.pdfrender.run_with_time_limit`.
"""

from __future__ import annotations

from typing import Any

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from dz_awards.core.pdfrender import Files


class OwnFilesFetcher(URLFetcher):
    """Serves only the files it was given, by their `dz:` address; refuses everything else.

    `refused` lists every URL the document asked for and did not get (for tests
    and logs).
    """

    def __init__(self, files: Files | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols={"dz"}, allow_redirects=False)
        self._files = dict(files or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url not in self._files:
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url[:200]!r}: not one of our files.")
        body, content_type = self._files[url]
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def html_to_pdf(html: str, css: str, files: Files) -> bytes:
    """WeasyPrint, with our fetcher only; returns the bytes of a tagged PDF."""
    fetcher = OwnFilesFetcher(files)
    document = HTML(string=html, base_url="dz:", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)],
        pdf_variant="pdf/ua-1",
        attachments=[],
    )
