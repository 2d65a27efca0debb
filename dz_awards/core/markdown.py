"""Markdown written in the site (a public profile's copy, a review copy staff write),
rendered to a small, safe subset of HTML.

It lives in core because more than one app shows such text: the library's
profiles, and reviewers' pages and packets (which must not depend on the library).

CommonMark with raw HTML off, then nh3 with a tag allowlist: paragraphs,
emphasis, lists, quotes, code, sub-headings and links. No images: nothing a
text says is ever fetched (by a browser or by the PDF renderer).
Links keep only http, https and mailto addresses, and open nothing with the
site's authority (rel="nofollow noopener noreferrer"). Headings are shifted to
h3/h4 so the page's own outline stays intact.
"""

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "hr",
    "h3",
    "h4",
    "a",
}
LINK_SCHEMES = ("http://", "https://", "mailto:")

_parser = MarkdownIt("commonmark", {"html": False}).disable("image")


def _allowed_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if value.strip().lower().startswith(LINK_SCHEMES) else None
    return value


def render(text: str | None) -> SafeString:
    """`text` (Markdown) as sanitised HTML, marked safe for templates."""
    tokens = _parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "h3" if token.tag in ("h1", "h2") else "h4"
    rendered = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_allowed_attribute,
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def plain_text(text: str | None) -> str:
    """`text` (Markdown) as plain text, for feeds' summaries, search and metadata."""
    rendered = _parser.render(text or "")
    return " ".join(html.unescape(nh3.clean(rendered, tags=set())).split())
