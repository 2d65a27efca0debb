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

What it prints, and why:

- every address is a link a reader can click (WeasyPrint writes a /Link
  annotation with a /URI for each <a href>): the resources, the video, the
  profile's public page, the contact's email (mailto:) and the links in the
  Markdown. Only http, https and mailto addresses become links (`link_href`;
  the Markdown renderer keeps only those too): a `javascript:` or `file:`
  address is never one;
- an address is printed whole and wraps only after "/", ".", "@", "?", "&"
  or "=" (`breakable`): each piece between those is kept on one line, so no
  line ends at a hyphen that a reader's copy or text extraction would take for
  a word break and drop;
- a section with nothing in it is left out with its heading, so an imported
  past program (award, category, summary, topics and resource links) prints
  what it has and no empty headings;
- key figures are printed once: the figures block first, then the results
  text without the list items and sentences that only restate it
  (`results_beyond_figures`).
"""

import io
import mimetypes
import re
from html import unescape
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from pypdf import PdfReader

from dz_awards.core import pdfrender
from dz_awards.core.pdfhtml import OwnFilesFetcher, html_to_pdf
from dz_awards.core.pdfrender import Files, PdfRenderError
from dz_awards.core.services import site_url
from dz_awards.profiles import markdown
from dz_awards.profiles.models import Profile, ProfileImage

__all__ = [
    "OwnFilesFetcher",
    "PdfRenderError",
    "breakable",
    "html_to_pdf",
    "link_href",
    "render",
    "render_with_time_limit",
    "results_beyond_figures",
]

IMAGE_URL = "dz:image"
STYLESHEET = "css/profile-pdf.css"
LINK_SCHEMES = frozenset({"http", "https"})

# An address may wrap after a run of these; never at a hyphen.
_ADDRESS_BREAK = re.compile(r"(?<=[/.@?&=])(?=[^/.@?&=])")
# A piece longer than this (a long file name) is cut again, before one of its
# hyphens or at this length, so it cannot run past the margin.
PIECE_LIMIT = 30
# A piece shorter than this ("https://", "www.") is joined to the next.
SHORT_PIECE = 12
ZERO_WIDTH_SPACE = "\u200b"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[*_\"“(]*[A-Z0-9])")
# Blocks the filter leaves as they are: headings, quotes, code, tables, rules.
_KEEP_BLOCK = re.compile(r"^\s{0,3}(?:#|>|\||-{3,}\s*$|\*{3,}\s*$)|^\s{4,}")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)", re.MULTILINE)


def stylesheet() -> str:
    return pdfrender.stylesheet(STYLESHEET)


# Addresses ----------------------------------------------------------------------------


def link_href(url: str) -> str:
    """`url` when it may be a link in the PDF (an http or https address), else ""."""
    url = (url or "").strip()
    if not url or any(ch.isspace() for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else ""


def _pieces(address: str) -> list[str]:
    """The address cut after each "/", ".", "@", "?", "&" or "=", short pieces joined
    to the next (fewer pieces, fewer boxes); a piece still longer than PIECE_LIMIT is
    cut again before one of its hyphens (or at the limit), so no piece ends with a
    hyphen."""
    pieces: list[str] = []
    for part in _ADDRESS_BREAK.split(address):
        rest = pieces.pop() + part if pieces and len(pieces[-1]) < SHORT_PIECE else part
        while len(rest) > PIECE_LIMIT:
            cut = rest.rfind("-", 1, PIECE_LIMIT + 1)
            if cut <= 0:
                cut = PIECE_LIMIT
                while cut < len(rest) and rest[cut - 1] == "-":
                    cut += 1
            pieces.append(rest[:cut])
            rest = rest[cut:]
        if rest:
            pieces.append(rest)
    return pieces


def breakable(address: str) -> SafeString:
    """`address` as HTML that wraps only between its pieces: each piece (up to and
    including a "/", ".", "@", "?", "&" or "=") is kept on one line, with a zero-width
    space between pieces (what a <wbr> is, without an element of its own: each box
    of a link is one more link annotation).

    The zero-width space draws no glyph, so it is not in the text a reader copies
    or extracts; no hyphen is drawn either: the address comes back whole once the
    line breaks are removed.
    """
    pieces = (format_html('<span class="piece">{}</span>', piece) for piece in _pieces(address))
    return mark_safe(ZERO_WIDTH_SPACE.join(pieces))  # noqa: S308 - each piece escaped by format_html


# An <a> whose text is its own address (a Markdown autolink), as nh3 writes it.
_SELF_LINK = re.compile(r'(<a href="(?:mailto:)?([^"]*)"[^>]*>)\2</a>')


def _breakable_links(html: SafeString) -> SafeString:
    """Rendered Markdown with each address shown as a link's text made `breakable`."""
    return mark_safe(  # noqa: S308 - the text was escaped by nh3; `breakable` escapes it again
        _SELF_LINK.sub(lambda m: m[1] + breakable(unescape(m[2])) + "</a>", html)
    )


def _markdown(text: str) -> SafeString:
    return _breakable_links(markdown.render(text))


def _address(href: str, text: str | None = None) -> dict[str, object]:
    return {"href": href, "html": breakable(text if text is not None else href)}


def _email(email: str) -> dict[str, object] | None:
    email = (email or "").strip()
    if not email or "@" not in email or any(ch.isspace() for ch in email):
        return None
    return _address("mailto:" + quote(email, safe="@"), email)


def _resources(profile: Profile) -> list[dict[str, object]]:
    """The resources as printed: title and the address (a download's address on the
    site, or the link's own address); links that are not http(s) are left out."""
    items = []
    for resource in profile.resources.all():
        if resource.file:
            path = reverse(
                "profiles:resource", kwargs={"slug": profile.slug, "resource": resource.pk}
            )
            href = site_url(path)
        else:
            href = link_href(resource.url)
        if href:
            # A link imported as a bare address has that address as its title: printed once.
            title = "" if _bare(resource.title) == _bare(href) else resource.title
            items.append({"title": title, **_address(href)})
    return items


def _bare(address: str) -> str:
    return re.sub(r"^[a-z]+://", "", address.strip().lower()).rstrip("/")


# Key results --------------------------------------------------------------------------


def _numbers(text: str) -> set[str]:
    return {number.replace(",", "") for number in _NUMBER.findall(text)}


def _restates(text: str, shown: set[str]) -> bool:
    numbers = _numbers(text)
    return bool(numbers) and numbers <= shown


def _paragraph_beyond(block: str, shown: set[str]) -> str:
    sentences = _SENTENCE_END.split(" ".join(line.strip() for line in block.split("\n")))
    return " ".join(s for s in sentences if not _restates(s, shown))


def _list_beyond(block: str, shown: set[str]) -> str:
    items: list[str] = []
    for line in block.split("\n"):
        if _LIST_ITEM.match(line) or not items:
            items.append(line)
        else:
            items[-1] += "\n" + line
    return "\n".join(item for item in items if not _restates(item, shown))


def results_beyond_figures(results: str, key_figures: list[dict[str, str]]) -> str:
    """The results text (Markdown) without what only restates the key figures.

    The rule: the key figures are printed as a block; then each list item and
    each sentence of the results whose numbers are all already in a key figure
    (its figure or its label) is left out. A sentence with no number, or with a
    number the figures do not show, stays whole. Text with fenced code is left
    as it is.
    """
    shown: set[str] = set()
    for figure in key_figures:
        shown |= _numbers(f"{figure.get('figure', '')} {figure.get('label', '')}")
    if not shown or _FENCE.search(results or ""):
        return results or ""
    kept = []
    for block in re.split(r"\n[ \t]*\n", (results or "").strip()):
        if _KEEP_BLOCK.match(block):
            kept.append(block)
            continue
        beyond = (
            _list_beyond(block, shown)
            if _LIST_ITEM.match(block)
            else _paragraph_beyond(block, shown)
        )
        if beyond.strip():
            kept.append(beyond)
    return "\n\n".join(kept)


# The document -------------------------------------------------------------------------


def document_html(profile: Profile, *, image: ProfileImage | None = None) -> str:
    key_figures = [f for f in profile.key_figures or [] if isinstance(f, dict)]
    video = link_href(profile.video_url)
    return render_to_string(
        "profiles/pdf/summary.html",
        {
            "profile": profile,
            "image": image,
            "image_url": IMAGE_URL,
            "key_figures": key_figures,
            "results": _markdown(results_beyond_figures(profile.results, key_figures)),
            "replicability": _markdown(profile.replicability),
            "cost_funding": _markdown(profile.cost_funding),
            "summary": profile.summary,
            "topics": [topic.name for topic in profile.topics.all()],
            "resources": _resources(profile),
            "video": _address(video) if video else None,
            "contact_email": _email(profile.contact_email),
            "profile_url": _address(site_url(profile.get_absolute_url())),
            "site_url": settings.SITE_URL,
        },
    )


def _image_file(image: ProfileImage | None) -> tuple[bytes, str] | None:
    """(bytes, content type) of the image rendition the PDF shows, or None."""
    if image is None:
        return None
    name = str(image.renditions.get("960") or image.file.name)
    with image.file.storage.open(name, "rb") as handle:
        data = handle.read()
    return data, mimetypes.guess_type(name)[0] or "image/jpeg"


def render_with_time_limit(html: str, css: str, files: Files, *, seconds: float) -> bytes:
    """Render in a child process (the kernel's `run_with_time_limit`); stop it after
    `seconds`. `html_to_pdf` is looked up here, when called."""
    return pdfrender.run_with_time_limit(html_to_pdf, html, css, files, seconds=seconds)


def render(profile: Profile) -> tuple[bytes, int]:
    """(PDF bytes, number of pages) for `profile` as it is now."""
    image = profile.images.order_by("position", "pk").first()
    files: Files = {}
    image_file = _image_file(image)
    if image_file is not None:
        files[IMAGE_URL] = image_file
    html = document_html(profile, image=image if image_file else None)
    data = render_with_time_limit(html, stylesheet(), files, seconds=settings.PDF_RENDER_SECONDS)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    return data, pages
