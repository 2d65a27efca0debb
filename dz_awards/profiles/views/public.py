"""The public library: the directory, a profile's page, and its files (PDF, images, resources).

Every read goes through `selectors.published_profiles` (files also allow a
signed-in agency member or staff to fetch their unpublished profile's images
for the proof and preview, served privately), so a profile that is not
published is a 404 everywhere. Nothing here renders a PDF: the summary is
rendered in the background and served from storage.
"""

import hashlib
import json
import mimetypes
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import parse_etags
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from dz_awards.core.storage import stored_file_response
from dz_awards.profiles import markdown, selectors, tilemap
from dz_awards.profiles.enums import ProfileState, size_band
from dz_awards.profiles.filters import ProfileFilter
from dz_awards.profiles.library import library_version
from dz_awards.profiles.page_cache import RecentPages, StoredPage, cached_library_page

PAGE_SIZE = 20
SITE_NAME = "Destination Zero Awards"
# A file whose URL names its content (a hash) never changes at that URL.
IMMUTABLE = "public, max-age=31536000, immutable"
# A stable URL is revalidated on every use (by its ETag), so an edit shows at once.
REVALIDATE = "public, max-age=0, must-revalidate"
# An unpublished profile's file (proof, preview): only for the signed-in person.
PRIVATE = "private, no-store"
PDF_RETRY_SECONDS = 30
# Characters that could end a <script> data block or start markup, as JSON escapes.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# The Markdown sections of the page, in reading order: (field, heading).
SECTIONS = [
    ("need", "The need"),
    ("approach", "What they did"),
    ("results", "Results"),
    ("durability", "How it lasts"),
    ("replicability", "What it takes to replicate"),
    ("cost_funding", "Cost and funding"),
]


def file_token(name):
    """A short fingerprint of a stored file's name (names change when files change)."""
    return hashlib.sha256(name.encode()).hexdigest()[:12]


def pdf_token(pdf):
    return pdf.sha256[:12]


def pdf_url(profile, pdf):
    """The versioned (cacheable for ever) URL of the PDF summary."""
    return f"{reverse('profiles:pdf', kwargs={'slug': profile.slug})}?v={pdf_token(pdf)}"


def absolute(path):
    return f"{settings.SITE_URL}{path}"


# A card's picture is 160 CSS px wide on a desktop and up to 20rem (320 px) on a
# phone (static/css/site.css): 640 px covers both at 2x (a 3x phone gets the
# same; at that size the difference does not show, the bytes do).
CARD_MAX_WIDTH = 640
# The modern formats a rendition may be stored in, best first: (extension, type).
MODERN_TYPES = (("avif", "image/avif"), ("webp", "image/webp"))


@dataclass
class Source:
    """A <source type srcset> of a <picture>: the same sizes in a modern format."""

    type: str
    srcset: str


@dataclass
class Picture:
    """One image of a profile as the page shows it: <picture> of <source>s and an <img>.

    `src`/`srcset` are JPEGs (the <img>, shown by every browser); `sources` the
    modern formats that exist so far (none for an image whose modern sizes are
    not made yet: the JPEGs alone are shown, as before they existed).
    """

    alt: str
    caption: str
    src: str
    srcset: str
    width: int | None
    height: int | None
    largest: str
    urls: dict = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)


def _widths(names, *, max_width=None):
    """The widths recorded in `names` ({"480": name}), up to `max_width` (at least one)."""
    widths = sorted(int(w) for w, name in (names or {}).items() if name and w.isdigit())
    if max_width is not None and widths:
        widths = [w for w in widths if w <= max_width] or widths[:1]
    return widths


def _image_folder(profile, image):
    """The path every size of the image is under (`…/images/<id>/`), reversed once.

    The `image`, `image-avif` and `image-webp` routes differ only in the last
    segment (`<width>.jpg`, `.avif`, `.webp`): a card's eight URLs cost one
    `reverse` instead of eight.
    """
    path = reverse("profiles:image", kwargs={"slug": profile.slug, "image": image.pk, "width": 0})
    return path.removesuffix("0.jpg")


def _image_url(folder, width, name, *, extension="jpg"):
    return f"{folder}{width}.{extension}?v={file_token(name)}"


def _descriptor(image, width):
    """The `w` a rendition really has (a narrow image's largest is its own width)."""
    return min(width, image.width) if image.width else width


def _sources(folder, image, *, max_width):
    modern = image.modern_renditions or {}
    sources = []
    for extension, content_type in MODERN_TYPES:
        names = {w: n for w, n in modern.items() if n and n.endswith(f".{extension}")}
        widths = _widths(names, max_width=max_width)
        if widths:
            srcset = ", ".join(
                f"{_image_url(folder, w, names[str(w)], extension=extension)} "
                f"{_descriptor(image, w)}w"
                for w in widths
            )
            sources.append(Source(type=content_type, srcset=srcset))
    return sources


def picture_of(profile, image, *, max_width=None, default_width=960):
    """The image's renditions as a responsive <picture>, or None before they are made.

    `max_width` leaves out larger sizes (a card never needs them);
    `default_width` is the largest width the <img>'s `src` may have.
    """
    all_widths = _widths(image.renditions)
    if not all_widths:
        return None
    widths = _widths(image.renditions, max_width=max_width)
    folder = _image_folder(profile, image)
    urls = {w: _image_url(folder, w, image.renditions[str(w)]) for w in widths}
    default = max((w for w in widths if w <= default_width), default=widths[0])
    height = None
    if image.width and image.height:
        shown = _descriptor(image, default)
        height = round(shown * image.height / image.width)
    return Picture(
        alt=image.alt_text,
        caption=image.caption,
        src=urls[default],
        srcset=", ".join(f"{urls[w]} {_descriptor(image, w)}w" for w in widths),
        width=_descriptor(image, default) if height else None,
        height=height,
        largest=_image_url(folder, all_widths[-1], image.renditions[str(all_widths[-1])]),
        urls=urls,
        sources=_sources(folder, image, max_width=max_width),
    )


def thumbnail_of(profile):
    """The first image (already prefetched) as a card's small picture, or None."""
    for image in profile.images.all():
        picture = picture_of(profile, image, max_width=CARD_MAX_WIDTH, default_width=320)
        if picture is not None:
            return picture
    return None


def json_ld(data):
    """`data` as JSON for a <script type="application/ld+json"> block, safe in HTML.

    Like `json_script`: <, > and & are escaped, so no text can close the block.
    A data block is never executed, so the CSP's script-src does not apply to it.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped just above


def structured_data(profile, *, canonical, pictures):
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": profile.title[:110],
        "name": profile.title,
        "description": profile.summary,
        "url": canonical,
        "about": {"@type": "Thing", "name": profile.category_label},
        "award": f"{profile.get_award_display()}, {profile.year} {SITE_NAME}: "
        f"{profile.category_label}",
        "author": {
            "@type": "GovernmentOrganization",
            "name": profile.agency_name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": profile.city,
                "addressRegion": profile.state_code,
                "addressCountry": "US",
            },
        },
        "publisher": {"@type": "Organization", "name": SITE_NAME, "url": settings.SITE_URL},
        "inLanguage": "en",
    }
    if profile.first_published_at:
        data["datePublished"] = profile.first_published_at.isoformat()
    if profile.published_at:
        data["dateModified"] = profile.published_at.isoformat()
    if pictures:
        data["image"] = [absolute(p.largest) for p in pictures]
    topics = [t.name for t in profile.topics.all()]
    if topics:
        data["keywords"] = topics
    return data


def profile_page_context(profile, *, proof=False):
    """Everything the profile page shows; the proof shows the same with `proof=True`."""
    pictures = [p for p in (picture_of(profile, image) for image in profile.images.all()) if p]
    resources = []
    for resource in profile.resources.all():
        if resource.file:
            url = reverse(
                "profiles:resource", kwargs={"slug": profile.slug, "resource": resource.pk}
            )
            resources.append(
                {
                    "title": resource.title,
                    "url": url,
                    "download": True,
                    "extension": resource.extension.lstrip(".").upper(),
                    "size": resource.size,
                    "print_url": absolute(url),
                }
            )
        elif resource.url.lower().startswith(("https://", "http://")):
            resources.append(
                {
                    "title": resource.title,
                    "url": resource.url,
                    "download": False,
                    "extension": "",
                    "size": None,
                    "print_url": resource.url,
                }
            )
    key_figures = [f for f in profile.key_figures or [] if isinstance(f, dict)]
    sections = [
        {"id": name.replace("_", "-"), "heading": heading, "html": markdown.render(text)}
        for name, heading in SECTIONS
        if (text := getattr(profile, name)).strip() or (name == "results" and key_figures)
    ]
    canonical = absolute(profile.get_absolute_url())
    pdf = selectors.current_pdf(profile)
    pdf_is_proof = proof and profile.state != ProfileState.PUBLISHED
    if pdf_is_proof:
        summary_pdf_url = reverse("profiles:proof-pdf", kwargs={"pk": profile.pk})
    else:
        summary_pdf_url = pdf_url(profile, pdf) if pdf else None
    video = (
        profile.video_url if profile.video_url.lower().startswith(("https://", "http://")) else ""
    )
    band = size_band(profile.sworn_officers)
    context = {
        "profile": profile,
        "proof": proof,
        "sections": sections,
        "key_figures": key_figures,
        "pictures": pictures,
        "resources": resources,
        "topics": list(profile.topics.all()),
        "pdf_url": summary_pdf_url,
        "pdf_print_url": absolute(summary_pdf_url) if summary_pdf_url else "",
        "pdf": pdf,
        "pdf_is_proof": pdf_is_proof,
        "video_url": video,
        "size_band": band.label if band else "",
        "canonical_url": canonical,
        "description": markdown.plain_text(profile.summary)[:300],
        "og_image": absolute(pictures[0].largest) if pictures else "",
        "og_image_alt": pictures[0].alt if pictures else "",
    }
    if not proof:
        context["json_ld"] = json_ld(
            structured_data(profile, canonical=canonical, pictures=pictures)
        )
    return context


@method_decorator(cached_library_page, name="get")
class DirectoryView(TemplateView):
    """/programs/: published profiles, filtered, searched and sorted by the URL's query."""

    template_name = "profiles/public/directory.html"

    def get_context_data(self, **kwargs):
        filterset = ProfileFilter(self.request.GET, queryset=selectors.directory_profiles())
        dropped = filterset.dropped()
        self._dropped_names = {item["name"] for item in dropped}
        raw_page = self.request.GET.get("page", "").strip()
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(raw_page)
        if raw_page and raw_page != str(page.number):
            dropped.append({"name": "page", "label": "Page", "value": raw_page[:20]})
        for profile in page:
            profile.thumbnail = thumbnail_of(profile)
        active_filters = self._active_filters(filterset)
        keywords = filterset.keywords
        suggestions = []
        if keywords and not page.paginator.count:
            suggestions = self._suggestions(keywords)
        # The map shows the whole library: on its front page only.
        show_map = not active_filters and not dropped and page.number == 1
        return super().get_context_data(
            filter=filterset,
            form=filterset.form,
            page=page,
            query=self._query_without("page"),
            active_filters=active_filters,
            # The folded filters (all but keywords, which sit above them) in use: their
            # panel stays open on a phone; a keyword search alone folds it, so its
            # results (or "no programs match") come first.
            folded_filters_in_use=any(item["name"] != "q" for item in active_filters),
            dropped_filters=dropped,
            suggestions=suggestions,
            keywords=keywords,
            sort=filterset.sort_key,
            library_map=tilemap.library_map() if show_map else None,
            **kwargs,
        )

    def _suggestions(self, keywords):
        """[{"name", "url"}]: close agency names, each a search for that name."""
        directory = reverse("profiles:directory")
        kept = self._query_without("q", "page")
        return [
            {
                "name": name,
                "url": f"{directory}?{urlencode({'q': name})}{'&' + kept if kept else ''}",
            }
            for name in selectors.agency_suggestions(keywords)
        ]

    def _query_without(self, *names):
        """The query string without `names` and without the values that were dropped,
        so no link carries an invalid filter on."""
        names = {*names, *getattr(self, "_dropped_names", ())}
        params = [
            (key, value)
            for key, values in self.request.GET.lists()
            if key not in names
            for value in values
            if value.strip()
        ]
        return urlencode(params)

    def _active_filters(self, filterset):
        """[{"label", "value", "remove_url"}] for each filter in effect, keywords first."""
        directory = reverse("profiles:directory")
        active = []
        for name, bound in filterset.form.fields.items():
            if name == "sort":
                continue
            value = filterset.cleaned(name)
            if not value:
                continue
            choices = dict(getattr(bound, "choices", []) or [])
            query = self._query_without(name, "page")
            active.append(
                {
                    "name": name,
                    "label": bound.label,
                    "value": str(choices.get(value, value)),
                    "remove_url": f"{directory}?{query}" if query else directory,
                }
            )
        return active


@method_decorator(cached_library_page, name="get")
class ProfileDetailView(TemplateView):
    template_name = "profiles/public/detail.html"

    def get_context_data(self, **kwargs):
        profile = selectors.published_profile_for_page(self.kwargs["slug"])
        return super().get_context_data(
            **profile_page_context(profile),
            similar=selectors.similar_profiles(profile),
            **kwargs,
        )


class ProfilePdfView(View):
    """The PDF summary, from storage, never stale and cached as long as it can be.

    The PDF is rendered in the background after each publish or edit; it is
    served only when it shows the profile's current version. Until then (a new
    profile, or just after an edit) this URL answers 503 with Retry-After, and
    the profile page shows no PDF link.

    Caching never serves a stale PDF after an edit:

    - the stable URL `/programs/<slug>/summary.pdf` is cacheable but must be
      revalidated on every use (`max-age=0, must-revalidate`); its ETag is the
      PDF's sha256, so a revalidation costs a 304 while the PDF is unchanged
      and fetches the new one as soon as it changes;
    - the profile page links to `summary.pdf?v=<first 12 of the sha256>`. That
      URL names its content, so it is cached for a year (`immutable`): a new
      PDF has a new hash, hence a new link, never a cached old one;
    - a `?v=` that is not the current hash (an old link) is redirected (302,
      not cached) to the current `?v=` URL.
    """

    def get(self, request, slug):
        version = library_version()
        key = f"{slug}?{request.GET.get('v', '')}"
        kept = _recent_pdfs.get(version, key) if version is not None else None
        if kept is not None:
            return _kept_pdf_answer(request, kept)
        profile = selectors.published_profile_with_pdf(slug)
        pdf = selectors.current_pdf(profile)
        if pdf is None:
            return self._pending(request, profile)
        token = request.GET.get("v")
        if token is not None and token != pdf_token(pdf):
            response = redirect(pdf_url(profile, pdf))
            response["Cache-Control"] = "no-cache"
            return response
        etag = f'"{pdf.sha256}"'
        cache_control = IMMUTABLE if token is not None else REVALIDATE
        if _etag_matches(request, etag):
            response = HttpResponseNotModified()
        else:
            try:
                kept = _read_pdf(pdf, f"{profile.slug}.pdf", etag, cache_control)
                if kept is None:  # too large to keep: streamed
                    response = stored_file_response(
                        pdf.file.storage,
                        pdf.file.name,
                        content_type="application/pdf",
                        filename=f"{profile.slug}.pdf",
                    )
                else:
                    if version is not None:
                        _recent_pdfs.put(version, key, kept)
                    return kept.response(gzip=False)
            except FileNotFoundError:
                return self._pending(request, profile)
        response["ETag"] = etag
        response["Cache-Control"] = cache_control
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def _pending(self, request, profile):
        response = render(
            request, "profiles/public/pdf_pending.html", {"profile": profile}, status=503
        )
        response["Retry-After"] = str(PDF_RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


# The PDF summaries this process served last, under the library's version (every
# publish, edit and retract, and every finished PDF, raises it): a PDF kept here is
# never served after a change, and a repeat costs the version query, no storage read.
_recent_pdfs = RecentPages(16 * 1024 * 1024)
PDF_KEPT_MAX_BYTES = 2 * 1024 * 1024


def _read_pdf(pdf, filename, etag, cache_control):
    """The PDF as a kept answer, or None when it is too large to keep (stream it)."""
    with pdf.file.storage.open(pdf.file.name, "rb") as handle:
        body = handle.read(PDF_KEPT_MAX_BYTES + 1)
    if len(body) > PDF_KEPT_MAX_BYTES:
        return None
    headers = (
        ("Content-Disposition", content_disposition_header(False, filename)),
        ("ETag", etag),
        ("Cache-Control", cache_control),
        ("X-Content-Type-Options", "nosniff"),
    )
    return StoredPage("application/pdf", headers, body, gzipped=None)


def _kept_pdf_answer(request, kept):
    headers = dict(kept.headers)
    if not _etag_matches(request, headers["ETag"]):
        return kept.response(gzip=False)
    response = HttpResponseNotModified()
    for name in ("ETag", "Cache-Control", "X-Content-Type-Options"):
        response[name] = headers[name]
    return response


def _etag_matches(request, etag):
    """If-None-Match, compared weakly (as RFC 9110 asks for a GET)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.removeprefix("W/") == etag for tag in parse_etags(header))


def _public_file_cache(profile, *, versioned):
    if profile.state != ProfileState.PUBLISHED:
        return PRIVATE
    return IMMUTABLE if versioned else "public, max-age=3600"


class ProfileImageView(View):
    """One rendition of a profile's image; only the widths and formats made (else 404).

    The page's URLs carry `?v=` (a fingerprint of the rendition's stored name,
    which changes when the file does), so those are cached for a year.
    """

    def get(self, request, slug, image, width, extension="jpg"):
        profile = selectors.profile_for_files_get(request.user, slug)
        item = profile.images.filter(pk=image).first()
        names = {}
        if item is not None:
            names = item.renditions if extension == "jpg" else item.modern_renditions
        name = (names or {}).get(str(width))
        if not name or not name.endswith(f".{extension}"):
            raise Http404
        content_type = mimetypes.guess_type(name)[0] or "image/jpeg"
        if not content_type.startswith("image/"):
            raise Http404
        try:
            response = stored_file_response(item.file.storage, name, content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
        response["Cache-Control"] = _public_file_cache(
            profile, versioned=request.GET.get("v") == file_token(name)
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ProfileResourceView(View):
    """A public resource file, only as a download (links are plain links on the page)."""

    def get(self, request, slug, resource):
        profile = selectors.profile_for_files_get(request.user, slug)
        item = profile.resources.filter(pk=resource).first()
        if item is None or not item.file:
            raise Http404
        extension = item.extension or ""
        content_type = mimetypes.guess_type(f"file{extension}")[0] or "application/octet-stream"
        try:
            response = stored_file_response(
                item.file.storage,
                item.file.name,
                as_attachment=True,
                filename=f"{slugify(item.title) or 'resource'}{extension}",
                content_type=content_type,
            )
        except FileNotFoundError:
            raise Http404 from None
        response["Cache-Control"] = _public_file_cache(profile, versioned=False)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        return response
