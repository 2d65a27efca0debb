"""The public profile page and its files: only published profiles, safe text, honest caching."""

import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from dz_awards.profiles import library, services
from dz_awards.profiles.enums import Award, ProfileState
from dz_awards.profiles.models import Profile
from tests import factories
from tests.files import MINIMAL_PDF
from tests.profiles.factories import (
    ProfileFactory,
    ProfileImageFactory,
    ProfilePdfFactory,
    ProfileResourceFactory,
    ReadingClient,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return ReadingClient()


P = ProfileState
HIDDEN_STATES = [P.DRAFT, P.PROOF_SENT, P.AGENCY_APPROVED, P.RETRACTED]


class Page(HTMLParser):
    """Every start tag of a page with its attributes, and the text of each <script>."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.scripts = []
        self._in_script = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._in_script = {"attrs": attributes, "text": ""}

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append(self._in_script)
            self._in_script = None

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def _with_files(profile):
    image = ProfileImageFactory(profile=profile)
    resource = ProfileResourceFactory(profile=profile)
    pdf = ProfilePdfFactory(profile=profile)
    return image, resource, pdf


def _urls(profile, image, resource):
    slug = profile.slug
    return {
        "page": reverse("profiles:detail", kwargs={"slug": slug}),
        "pdf": reverse("profiles:pdf", kwargs={"slug": slug}),
        "image": reverse("profiles:image", kwargs={"slug": slug, "image": image.pk, "width": 480}),
        "resource": reverse("profiles:resource", kwargs={"slug": slug, "resource": resource.pk}),
    }


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


# (1) Only published profiles are public ---------------------------------------------------


def test_a_published_profile_and_its_files_are_served(client):
    """The control for the test below: the same URLs answer 200 when published."""
    profile = ProfileFactory(title="Zebracrossing Safety Walks")
    urls = _urls(profile, *_with_files(profile)[:2])
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name
    assert "Zebracrossing Safety Walks" in _html(client.get(reverse("profiles:directory")))
    assert "Zebracrossing Safety Walks" in _html(
        client.get(reverse("profiles:directory"), {"q": "zebracrossing"})
    )


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_an_unpublished_profile_is_absent_and_404_everywhere(client, state):
    """Directory, search, page, PDF (even a current one), image and resource: none of them."""
    ProfileFactory(title="Published Peer Walks")
    hidden = ProfileFactory(state=state, title="Zebracrossing Hidden Walks")
    urls = _urls(hidden, *_with_files(hidden)[:2])

    directory = _html(client.get(reverse("profiles:directory")))
    assert "Published Peer Walks" in directory
    assert "Zebracrossing Hidden Walks" not in directory
    search = client.get(reverse("profiles:directory"), {"q": "zebracrossing"})
    assert "Zebracrossing Hidden Walks" not in _html(search)
    assert search.context["page"].paginator.count == 0
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name


@pytest.mark.parametrize("name", ["page", "pdf", "image", "resource"])
def test_a_retracted_profile_disappears_at_once(client, name):
    """Published, then retracted through the service: its URLs are 404 on the next request."""
    profile = ProfileFactory()
    urls = _urls(profile, *_with_files(profile)[:2])
    assert client.get(urls[name]).status_code == 200
    services.profile_retract(
        actor=factories.StaffFactory(), profile=profile, reason="The agency asked."
    )
    assert client.get(urls[name]).status_code == 404


def test_a_member_of_another_agency_gets_404_for_unpublished_files(client):
    """Unpublished images are served only to the profile's agency (proof) and staff."""
    hidden = ProfileFactory(state=P.PROOF_SENT, agency=factories.AgencyFactory())
    urls = _urls(hidden, *_with_files(hidden)[:2])
    client.force_login(factories.OwnerFactory().user)
    assert client.get(urls["image"]).status_code == 404
    assert client.get(urls["resource"]).status_code == 404
    assert client.get(urls["page"]).status_code == 404


# (2) The page ------------------------------------------------------------------------------


def test_the_page_shows_every_part_of_the_profile(client):
    profile = ProfileFactory(
        title="Peer Support That Stays",
        award=Award.FINALIST,
        year=2025,
        category_label="Comprehensive Officer Wellness",
        agency_name="Riverton Police Department",
        city="Riverton",
        state_code="WY",
        sworn_officers=148,
        need="Nobody **asked** for help.",
        approach="Peers call within 24 hours.",
        results="Sick days *fell*.",
        key_figures=[{"figure": "41%", "label": "fewer sick days"}],
        durability="In the budget since 2022.",
        replicability="One coordinator.",
        cost_funding="$18,000 a year.",
        contact_email="dortiz@riverton.example",
        video_url="https://video.example.org/watch/123",
        topics=[TopicFactory(name="Peer support", slug="peer-support")],
    )
    html = _html(client.get(profile.get_absolute_url()))
    for expected in [
        '<h1 id="profile-title">Peer Support That Stays</h1>',
        "Riverton Police Department",
        "Riverton, Wyoming",
        "Municipal police",
        "148",
        "100 to 499 sworn officers",
        "Comprehensive Officer Wellness (2025)",
        "Finalist",
        "Trained peers check in with every officer",
        "Nobody <strong>asked</strong> for help.",
        "Peers call within 24 hours.",
        "Sick days <em>fell</em>.",
        "41%",
        "fewer sick days",
        "In the budget since 2022.",
        "One coordinator.",
        "$18,000 a year.",
        'href="mailto:dortiz@riverton.example"',
        'href="https://video.example.org/watch/123"',
        'href="/programs/?topic=peer-support"',
    ]:
        assert expected in html, expected
    for heading in [
        "The need",
        "What they did",
        "Results",
        "How it lasts",
        "What it takes to replicate",
        "Cost and funding",
    ]:
        assert f">{heading}</h2>" in html, heading
    assert html.count("<h1") == 1
    assert "<iframe" not in html  # the video is a link, not an embed


def test_the_page_carries_metadata_for_search_engines_and_sharing(client):
    profile = ProfileFactory(title="Peer Support That Stays", agency_name="Riverton PD")
    ProfileImageFactory(profile=profile, alt_text="Two officers in a car")
    page = Page(_html(client.get(profile.get_absolute_url())))
    canonical = f"http://127.0.0.1:8000/programs/{profile.slug}/"

    links = {attrs.get("rel"): attrs for attrs in page.all("link")}
    assert links["canonical"]["href"] == canonical
    print_sheets = [a for a in page.all("link") if a.get("media") == "print"]
    assert [a["href"] for a in print_sheets] == ["/static/css/print.css"]
    meta = {
        attrs.get("property") or attrs.get("name"): attrs.get("content")
        for attrs in page.all("meta")
    }
    assert meta["og:title"] == "Peer Support That Stays"
    assert meta["og:url"] == canonical
    assert meta["og:type"] == "article"
    assert re.fullmatch(
        rf"http://127\.0\.0\.1:8000/programs/{profile.slug}/images/[0-9a-f-]+/960\.jpg\?v=\w+",
        meta["og:image"],
    )
    assert meta["og:image:alt"] == "Two officers in a car"
    assert meta["twitter:card"] == "summary_large_image"
    assert "robots" not in meta

    [data_block] = [s for s in page.scripts if s["attrs"].get("type") == "application/ld+json"]
    data = json.loads(data_block["text"])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["name"] == "Peer Support That Stays"
    assert data["url"] == canonical
    assert data["author"] == {
        "@type": "GovernmentOrganization",
        "name": "Riverton PD",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Riverton",
            "addressRegion": "WY",
            "addressCountry": "US",
        },
    }
    assert data["about"] == {"@type": "Thing", "name": "Comprehensive Officer Wellness"}
    assert data["image"] == [meta["og:image"]]


def test_the_page_has_no_inline_code_but_its_data_block(client):
    """The CSP forbids inline scripts: the only one is the JSON-LD data block (never run)."""
    html = _html(client.get(ProfileFactory().get_absolute_url()))
    page = Page(html)
    inline = [s["attrs"] for s in page.scripts if "src" not in s["attrs"]]
    assert inline == [{"type": "application/ld+json"}]
    assert ' style="' not in html
    assert "<style" not in html


def test_the_main_navigation_links_to_the_directory(client):
    html = _html(client.get(reverse("portal:home")))
    assert '<a class="nav-link" href="/programs/">Model programs</a>' in html


# (3) Text is inert -------------------------------------------------------------------------

XSS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">raw link</a>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '"><script>alert(1)</script>',
]
MARKDOWN_FIELDS = ["need", "approach", "results", "durability", "replicability", "cost_funding"]
TEXT_FIELDS = ["title", "summary", "contact_name", "contact_title"]


@pytest.mark.parametrize("payload", XSS)
def test_markdown_and_text_payloads_are_inert_on_the_page(client, payload):
    fields = dict.fromkeys([*MARKDOWN_FIELDS, *TEXT_FIELDS], f"Before {payload} after")
    fields["contact_phone"] = payload[:40]  # the field's limit
    profile = ProfileFactory(**fields, key_figures=[{"figure": payload, "label": payload}])
    html = _html(client.get(profile.get_absolute_url()))
    page = Page(html)

    assert [s["attrs"] for s in page.scripts if "src" not in s["attrs"]] == [
        {"type": "application/ld+json"}
    ]
    assert all(
        s["attrs"]["src"].startswith("/static/") for s in page.scripts if "src" in s["attrs"]
    )
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "srcset", "action"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), attrs
    assert page.all("iframe") == []
    assert page.all("svg") == []
    assert [a["src"] for a in page.all("img")] == []  # the payload's <img> is text
    # The JSON-LD block cannot be closed early by the text; it still reads back exactly.
    [data_block] = [s for s in page.scripts if s["attrs"].get("type") == "application/ld+json"]
    assert json.loads(data_block["text"])["name"] == f"Before {payload} after"


# (4) The PDF summary -------------------------------------------------------------------------


def _pdf_url(profile, **params):
    return reverse("profiles:pdf", kwargs={"slug": profile.slug}), params


def test_the_current_pdf_is_served_from_storage_with_its_hash_as_etag(client):
    profile = ProfileFactory(slug="peer-support")
    pdf = ProfilePdfFactory(profile=profile)
    digest = hashlib.sha256(MINIMAL_PDF).hexdigest()
    response = client.get(*_pdf_url(profile))
    assert response.status_code == 200
    assert response.body == MINIMAL_PDF
    assert response["ETag"] == f'"{digest}"' == f'"{pdf.sha256}"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="peer-support.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"


@pytest.mark.parametrize("if_none_match", ['"{}"', 'W/"{}"', '"other", "{}"', "*"])
def test_a_matching_if_none_match_gets_304_without_a_body(client, if_none_match):
    profile = ProfileFactory()
    pdf = ProfilePdfFactory(profile=profile)
    url, _ = _pdf_url(profile)
    response = client.get(url, headers={"If-None-Match": if_none_match.format(pdf.sha256)})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == f'"{pdf.sha256}"'
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_a_different_etag_gets_the_pdf(client):
    profile = ProfileFactory()
    ProfilePdfFactory(profile=profile)
    url, _ = _pdf_url(profile)
    response = client.get(url, headers={"If-None-Match": '"' + "0" * 64 + '"'})
    assert response.status_code == 200


def test_the_versioned_url_is_immutable_and_an_old_version_redirects(client):
    profile = ProfileFactory()
    pdf = ProfilePdfFactory(profile=profile)
    url, _ = _pdf_url(profile)

    current = client.get(url, {"v": pdf.sha256[:12]})
    assert current.status_code == 200
    assert current["Cache-Control"] == "public, max-age=31536000, immutable"
    assert current["ETag"] == f'"{pdf.sha256}"'

    old = client.get(url, {"v": "0123456789ab"})
    assert old.status_code == 302
    assert old["Location"] == f"{url}?v={pdf.sha256[:12]}"
    assert "immutable" not in old.get("Cache-Control", "")


def test_the_page_links_the_versioned_pdf_only_when_current(client):
    profile = ProfileFactory()
    pdf = ProfilePdfFactory(profile=profile)
    url, _ = _pdf_url(profile)
    assert f'href="{url}?v={pdf.sha256[:12]}"' in _html(client.get(profile.get_absolute_url()))

    Profile.objects.filter(pk=profile.pk).update(version=profile.version + 1)
    html = _html(client.get(profile.get_absolute_url()))
    assert url not in html
    assert "The PDF summary is being prepared" in html


def _storage_not_read(*args, **kwargs):
    raise AssertionError("the storage was read")


def test_a_pdf_asked_again_comes_from_the_process_until_the_library_changes(
    client, monkeypatch, django_assert_num_queries
):
    profile = ProfileFactory()
    pdf = ProfilePdfFactory(profile=profile)
    library.library_changed()
    url, _ = _pdf_url(profile)
    versioned = {"v": pdf.sha256[:12]}
    first = client.get(url, versioned)
    assert first.content == MINIMAL_PDF
    monkeypatch.setattr(FileSystemStorage, "open", _storage_not_read)
    with django_assert_num_queries(2):  # the library's version, once per request
        again = client.get(url, versioned)
        unchanged = client.get(url, versioned, headers={"If-None-Match": f'"{pdf.sha256}"'})
    assert again.content == MINIMAL_PDF
    for name in ("Content-Type", "Content-Disposition", "ETag", "Cache-Control"):
        assert again[name] == first[name]
    assert again["Content-Length"] == str(len(MINIMAL_PDF))
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged["Cache-Control"] == "public, max-age=31536000, immutable"
    # Retracted: gone at once, from this process too.
    services.profile_retract(actor=factories.StaffFactory(), profile=profile, reason="Ended")
    assert client.get(url, versioned).status_code == 404


@pytest.mark.parametrize("pdf_state", ["none", "stale"])
def test_without_a_current_pdf_the_url_says_it_is_being_prepared(client, pdf_state):
    profile = ProfileFactory(version=3)
    if pdf_state == "stale":
        ProfilePdfFactory(profile=profile, version=2)
    url, _ = _pdf_url(profile)
    for params in ({}, {"v": "0123456789ab"}):
        response = client.get(url, params)
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Type"].startswith("text/html")
        assert "The PDF summary is being prepared" in response.content.decode()


def test_an_edit_stops_the_old_pdf_at_once(client):
    """After an edit (version bumped), the stored PDF of the old version is not served."""
    profile = ProfileFactory()
    pdf = ProfilePdfFactory(profile=profile)
    url, _ = _pdf_url(profile)
    assert client.get(url).status_code == 200
    services.profile_save(
        actor=factories.StaffFactory(), profile=profile, data={"title": "A better title"}
    )
    assert client.get(url).status_code == 503
    assert client.get(url, {"v": pdf.sha256[:12]}).status_code == 503
    assert client.get(url, headers={"If-None-Match": f'"{pdf.sha256}"'}).status_code == 503


# (5) Images and resources -----------------------------------------------------------------


def test_images_are_responsive_with_alt_text(client):
    profile = ProfileFactory()
    image = ProfileImageFactory(profile=profile, alt_text="Peers at roll call")
    img = next(
        a
        for a in Page(_html(client.get(profile.get_absolute_url()))).all("img")
        if a.get("alt") == "Peers at roll call"
    )
    base = f"/programs/{profile.slug}/images/{image.pk}"
    tokens = {
        w: hashlib.sha256(image.renditions[w].encode()).hexdigest()[:12] for w in ("480", "960")
    }
    assert img["srcset"] == (
        f"{base}/480.jpg?v={tokens['480']} 480w, {base}/960.jpg?v={tokens['960']} 960w"
    )
    assert img["src"] == f"{base}/960.jpg?v={tokens['960']}"
    assert (img["width"], img["height"]) == ("960", "640")
    assert img["sizes"]
    # The main picture is what the page shows first: fetched before the rest.
    assert img["fetchpriority"] == "high"


def test_an_image_rendition_is_served_with_a_long_cache(client):
    profile = ProfileFactory()
    image = ProfileImageFactory(profile=profile)
    url = reverse("profiles:image", kwargs={"slug": profile.slug, "image": image.pk, "width": 480})
    token = hashlib.sha256(image.renditions["480"].encode()).hexdigest()[:12]
    response = client.get(url, {"v": token})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    with image.file.storage.open(image.renditions["480"], "rb") as handle:
        assert response.body == handle.read()
    assert "immutable" not in client.get(url)["Cache-Control"]


def test_only_the_widths_that_were_made_are_served(client):
    profile = ProfileFactory()
    image = ProfileImageFactory(profile=profile)
    other = ProfileImageFactory()  # another profile's image under this slug
    for width, expected in [(480, 200), (960, 200), (720, 404), (1200, 404)]:
        url = reverse(
            "profiles:image", kwargs={"slug": profile.slug, "image": image.pk, "width": width}
        )
        assert client.get(url).status_code == expected, width
    url = reverse("profiles:image", kwargs={"slug": profile.slug, "image": other.pk, "width": 480})
    assert client.get(url).status_code == 404


def test_a_resource_file_is_downloaded_never_rendered(client):
    profile = ProfileFactory()
    resource = ProfileResourceFactory(profile=profile, title="Peer Support General Order")
    url = reverse("profiles:resource", kwargs={"slug": profile.slug, "resource": resource.pk})
    assert f'href="{url}"' in _html(client.get(profile.get_absolute_url()))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="peer-support-general-order.pdf"'
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response.body == MINIMAL_PDF


def test_a_link_resource_is_a_plain_link_with_no_endpoint(client):
    profile = ProfileFactory()
    link = ProfileResourceFactory(
        profile=profile, file="", extension="", size=None, url="https://example.org/policy"
    )
    html = _html(client.get(profile.get_absolute_url()))
    assert 'href="https://example.org/policy"' in html
    url = reverse("profiles:resource", kwargs={"slug": profile.slug, "resource": link.pk})
    assert url not in html
    assert client.get(url).status_code == 404


def test_a_javascript_resource_link_is_not_shown(client):
    profile = ProfileFactory()
    ProfileResourceFactory(
        profile=profile, title="Bad", file="", extension="", url="javascript:alert(1)"
    )
    assert "javascript:" not in _html(client.get(profile.get_absolute_url()))


def test_signed_in_people_see_the_same_public_page(client):
    profile = ProfileFactory(title="Seen By All")
    client.force_login(factories.UserFactory())
    assert "Seen By All" in _html(client.get(profile.get_absolute_url()))


@pytest.mark.parametrize(
    ("query", "folds"),
    [({}, True), ({"q": "nothing like it"}, True), ({"award": "winner"}, False)],
)
def test_the_filters_fold_on_a_phone_unless_one_of_them_is_in_use(client, query, folds):
    """A keyword search alone (its field is above the panel) leaves the panel to fold, so
    its results or "no programs match" come first on a phone; a filter in the panel keeps
    it open, showing what is in effect."""
    ProfileFactory()
    html = _html(client.get(reverse("profiles:directory"), query))
    [details] = re.findall(r'<details class="directory-more-filters[^>]*>', html)
    assert ("data-fold-on-narrow" in details) is folds
