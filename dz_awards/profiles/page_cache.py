"""Public library pages served from the shared cache, never stale, compressed once.

`cached_library_page` wraps the directory, a profile's page, the Atom feed,
the sitemap, the JSON API and the open-data CSV. For an anonymous visitor's
GET or HEAD it:

1. reads the library's version (one query; `dz_awards.profiles.library`);
2. answers 304 when the request's `If-None-Match` names that version, or its
   `If-Modified-Since` is not older than the last change (see `SETTLED`):
   nothing is rendered;
3. otherwise serves the page stored under (version, path, sorted query), or
   renders it, stores it with its gzipped copy, and serves it. An edit raises
   the version, so the next request looks for a new key: never an old page.
   Each process also keeps the pages of the current version it served last
   (`_recent`, bounded in bytes), so a page asked for again costs no cache
   round trip: the shared cache sends the whole pickled page each time, 1.7 MB
   for the sitemap of 10,000 programs, which made a cache hit slower than the
   page's own query. The version read on every request names the key, so a
   page kept here is never served after a change.

Pages are public data: `Cache-Control: public, no-cache` (a browser or proxy
may keep a copy but asks before each use; the answer is a 304 of one query
while the library is unchanged, so a copy is never shown after an edit),
gzipped when the client accepts it (compressed once, when stored, not per
request).

Signed-in people get the page rendered for them as before, uncompressed and
`private, no-store` (`core.cache_control`): their navigation is personal and
their pages carry a CSRF token (the sign-out form), which a compressed
response would expose to BREACH. Anonymous pages carry no token (the
directory's form is a GET), so compressing them exposes no secret. A visitor
with a message waiting (after signing out) also gets a fresh page, so the
message shows once and is not stored. Only 200 answers are stored.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

from dz_awards.profiles.library import VERSIONED_TIMEOUT, Version, library_version

if TYPE_CHECKING:
    from django.http import HttpRequest

    type View = Callable[..., HttpResponseBase]

# Storable anywhere, reused only after asking (a 304 while the library is unchanged):
# a `max-age` would let a browser show a retracted program for that long.
PUBLIC_PAGE = "public, no-cache"
# Headers a stored page keeps from the view that made it.
KEPT_HEADERS = (
    "Access-Control-Allow-Origin",
    "X-Content-Type-Options",
    "Content-Disposition",
    "X-Robots-Tag",
)
# Below this a gzip header costs more than it saves (Django's GZipMiddleware agrees).
MIN_COMPRESSED_LENGTH = 200
# `Last-Modified` has whole seconds: two changes in one second would share it, so it
# is sent only once the last change is this old (a second, plus clock differences
# between servers). Any later change then falls in a later second.
SETTLED = timedelta(seconds=5)
STREAM_CHUNK = 64 * 1024
# The pages a process keeps for itself, at most this many bytes (both encodings).
RECENT_MAX_BYTES = 32 * 1024 * 1024
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredPage:
    """A rendered page as the cache keeps it: its type, kept headers and both encodings.

    A page that was streamed (the CSV) is sent back streamed, in chunks.
    """

    content_type: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes | None
    streamed: bool = False

    def response(self, *, gzip: bool) -> HttpResponseBase:
        use_gzip = gzip and self.gzipped is not None
        content = self.gzipped if use_gzip and self.gzipped is not None else self.body
        response: HttpResponseBase
        if self.streamed:
            chunks = (content[i : i + STREAM_CHUNK] for i in range(0, len(content), STREAM_CHUNK))
            response = StreamingHttpResponse(chunks, content_type=self.content_type)
        else:
            response = HttpResponse(content, content_type=self.content_type)
        for name, value in self.headers:
            response[name] = value
        if use_gzip:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(content))
        return response


def _body(response: HttpResponseBase) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)  # type: ignore[arg-type]  # bytes chunks
    return response.content  # type: ignore[attr-defined]  # not streamed: an HttpResponse


def store(response: HttpResponseBase) -> StoredPage:
    """What the cache keeps of a 200 answer (a streamed one is read whole, once)."""
    body = _body(response)
    gzipped = compress_string(body) if len(body) >= MIN_COMPRESSED_LENGTH else None
    if gzipped is not None and len(gzipped) >= len(body):
        gzipped = None
    return StoredPage(
        content_type=response["Content-Type"],
        headers=tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name)),
        body=body,
        gzipped=gzipped,
        streamed=isinstance(response, StreamingHttpResponse),
    )


def page_key(version: Version, request: HttpRequest) -> str:
    """The cache key of this page at this version: the path and the sorted query.

    The same filters in another order are the same page; the host is part of
    it because the feed, sitemap and API write absolute links.
    """
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    text = repr((request.get_host(), request.path, query))
    return f"library:page:{version.key}:{hashlib.sha256(text.encode()).hexdigest()}"


def etag_of(version: Version) -> str:
    """Weak: the same page is sent gzipped or not, byte-different but equivalent."""
    return f'W/"library-{version.key}"'


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    # len() counts the waiting messages without marking them as shown.
    return not (messages is not None and len(messages))


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def last_modified(version: Version) -> int | None:
    """The last change, in whole seconds, once no other change can share its second."""
    if timezone.now() - version.changed_at < SETTLED:
        return None
    return int(version.changed_at.timestamp())


def _finish(response: HttpResponseBase, version: Version) -> HttpResponseBase:
    response["ETag"] = etag_of(version)
    modified = last_modified(version)
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = PUBLIC_PAGE
    # The page differs for signed-in people (by their session cookie) and by encoding.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response


# Every `RecentPages` of this process, for `forget_recent_pages`.
_every_store: list[RecentPages] = []


class RecentPages:
    """The stored pages of one library version that this process served last.

    Keyed like the shared cache (the key holds the version), least recently
    used first out beyond `max_bytes`; a key of another version empties it,
    since the pages of an older version will never be asked for again.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.version_key = ""
        self.pages: OrderedDict[str, StoredPage] = OrderedDict()
        self.size = 0
        _every_store.append(self)

    def get(self, version: Version, key: str) -> StoredPage | None:
        if version.key != self.version_key:
            return None
        page = self.pages.get(key)
        if page is not None:
            self.pages.move_to_end(key)
        return page

    def put(self, version: Version, key: str, page: StoredPage) -> None:
        if version.key != self.version_key:
            self.clear()
            self.version_key = version.key
        size = len(page.body) + len(page.gzipped or b"")
        if size > self.max_bytes or key in self.pages:
            return
        self.pages[key] = page
        self.size += size
        while self.size > self.max_bytes:
            _key, old = self.pages.popitem(last=False)
            self.size -= len(old.body) + len(old.gzipped or b"")

    def clear(self) -> None:
        self.pages.clear()
        self.size = 0
        self.version_key = ""


_recent = RecentPages(RECENT_MAX_BYTES)


def forget_recent_pages() -> None:
    """Empty every store of this process (the library changed, here): the pages, and
    any other kept by version (the PDF summaries of `views.public`)."""
    for store in _every_store:
        store.clear()


def cached_library_page(view: View) -> View:
    """Serve `view`'s 200 answers to anonymous visitors from the cache, by library version.

    Wrap it inside any rate limit, so a cached answer still counts.
    """

    @wraps(view)
    def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        version = library_version()
        if version is None:
            return view(request, *args, **kwargs)
        not_modified = get_conditional_response(
            request,
            etag=etag_of(version),
            last_modified=last_modified(version),
        )
        if not_modified is not None:
            return _finish(not_modified, version)
        key = page_key(version, request)
        stored = _recent.get(version, key)
        if stored is None:
            stored = cache.get(key)
            if stored is None:
                response = view(request, *args, **kwargs)
                render = getattr(response, "render", None)
                if callable(render):
                    render()
                if response.status_code != 200:
                    return response
                stored = store(response)
                cache.set(key, stored, VERSIONED_TIMEOUT)
            _recent.put(version, key, stored)
        return _finish(stored.response(gzip=accepts_gzip(request)), version)

    return cached


_handler: BaseHandler | None = None


def _page_handler() -> BaseHandler:
    """The site's middleware and URLs, loaded once per process, as a server runs them."""
    global _handler  # noqa: PLW0603 - one per process, like the server's own handler
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    return _handler


def front_page_request() -> WSGIRequest:
    """An anonymous visitor's GET of the directory's first page at `SITE_URL`.

    The same host, scheme and encoding a visitor's browser sends, so the page is
    stored under the key that visitor's request will look for (`page_key`).
    """
    site = urlsplit(settings.SITE_URL)
    secure = site.scheme == "https"
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": site.path.rstrip("/"),
        "PATH_INFO": reverse("profiles:directory"),
        "QUERY_STRING": "",
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(site.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": site.netloc,
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": site.scheme or "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if secure and proxy_header:
        environ[proxy_header[0]] = proxy_header[1]
    return WSGIRequest(environ)


def warm_front_page() -> None:
    """Render the directory's first page into the cache, for the library's new version.

    Called once a change is committed (`library.library_changed`), by the process
    that made it: the publish pays the render (tens of milliseconds) and the first
    visitor after it is served a stored page. Through the site's whole middleware,
    exactly as a visitor's request; without the request signals, which would close
    the database connection of the request that made the change. Anything that
    goes wrong is logged and left to the first visitor, who renders the page as
    before: a change never fails because of it.
    """
    try:
        response = _page_handler().get_response(front_page_request())
    except Exception:  # a render error must not undo or fail a committed change
        logger.exception("The directory's first page could not be prepared after a change")
        return
    if response.status_code != 200:
        logger.warning(
            "The directory's first page answered %s when prepared after a change: "
            "SITE_URL must be the site's public address (its host in ALLOWED_HOSTS, "
            "https when HTTPS is on)",
            response.status_code,
        )
