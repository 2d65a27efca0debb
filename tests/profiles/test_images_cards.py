"""Pictures on the public pages: the sizes they are shown at, in a modern format, JPEG behind.

One world for the module (`tests.worlds.module_world`), read only: three
published programs whose image has every size in both formats (made by the
real task), only the JPEGs stored before the modern format existed, or no
size yet. Each test reads the pages as a visitor and fetches what they link.
"""

import io
import re
from html.parser import HTMLParser

import pytest
from PIL import Image

from dz_awards.profiles import images, services
from dz_awards.profiles.models import Profile
from tests.files import image_bytes
from tests.profiles.factories import ProfileFactory, ProfileImageFactory, ReadingClient
from tests.worlds import module_world_fixture

CARD_SIZES = "(max-width: 575.98px) 20rem, 160px"
URL_AND_WIDTH = re.compile(r"(\S+) (\d+)w")


def build_world():
    full = ProfileFactory(title="Lighthouse full sizes program")
    image = ProfileImageFactory(
        profile=full,
        file__data=image_bytes("JPEG", (1200, 800)),
        renditions={},
        alt_text="Peers at roll call",
    )
    services.profile_image_make_renditions(image.pk)
    old = ProfileFactory(title="Lighthouse old sizes program")
    ProfileImageFactory(profile=old, alt_text="An older picture")  # JPEGs 480 and 960
    bare = ProfileFactory(title="Lighthouse no sizes program")
    ProfileImageFactory(profile=bare, renditions={}, alt_text="Not made yet")
    return {"full": full.slug, "old": old.slug, "bare": bare.slug}


cards_world = module_world_fixture("cards_world", build_world, with_media_root=True)


@pytest.fixture
def world(cards_world, db, settings):
    shared, media_root = cards_world
    settings.MEDIA_ROOT = media_root
    return shared


class Pictures(HTMLParser):
    """Each <img> of a page with the <source>s of its <picture> and the card it is in."""

    def __init__(self, html):
        super().__init__()
        self.found, self._sources, self._card = [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self._card = (attrs.get("aria-labelledby") or "").removeprefix("result-")
        elif tag == "picture":
            self._sources = []
        elif tag == "source" and self._sources is not None:
            self._sources.append(attrs)
        elif tag == "img":
            in_picture = self._sources is not None
            self.found.append(
                {"card": self._card, "img": attrs, "sources": self._sources or [], "in": in_picture}
            )

    def handle_endtag(self, tag):
        if tag == "picture":
            self._sources = None
        elif tag == "article":
            self._card = None


def _page(path):
    response = ReadingClient().get(path)
    assert response.status_code == 200
    return Pictures(response.content.decode()).found


def _card(slug):
    return [found for found in _page("/programs/?q=lighthouse") if found["card"] == slug]


def _candidates(srcset):
    return [(url, int(width)) for url, width in URL_AND_WIDTH.findall(srcset)]


def _fetched(url):
    response = ReadingClient().get(url)
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.body))
    return response, image


def test_a_card_offers_its_shown_sizes_in_the_modern_format_with_a_jpeg_img(world):
    [card] = _card(world["full"])
    assert card["in"]
    [source] = card["sources"]
    assert (source["type"], source["sizes"]) == (images.MODERN_CONTENT_TYPE, CARD_SIZES)
    extension = images.MODERN_EXTENSION
    modern = _candidates(source["srcset"])
    # 160 px on a desktop and 20rem on a phone, each at 1x and 2x: never more than 640.
    assert [width for _url, width in modern] == [160, 320, 480, 640]
    assert all(f"/{width}{extension}?v=" in url for url, width in modern)
    img = card["img"]
    assert (img["alt"], img["loading"], img["decoding"], img["sizes"]) == (
        "Peers at roll call",
        "lazy",
        "async",
        CARD_SIZES,
    )
    assert "/320.jpg?v=" in img["src"]
    assert (img["width"], img["height"]) == ("320", "213")
    assert [width for _url, width in _candidates(img["srcset"])] == [160, 320, 480, 640]


def test_what_a_card_offers_is_served_in_the_format_and_width_it_claims(world):
    [card] = _card(world["full"])
    for url, width in _candidates(card["sources"][0]["srcset"]):
        response, image = _fetched(url)
        assert response["Content-Type"] == images.MODERN_CONTENT_TYPE
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert (image.format, image.width) == (images.MODERN_FORMAT, width)
    for url, width in _candidates(card["img"]["srcset"]):
        response, image = _fetched(url)
        assert response["Content-Type"] == "image/jpeg"
        assert (image.format, image.width) == ("JPEG", width)


def test_a_card_whose_modern_sizes_are_not_made_yet_shows_the_jpegs_it_has(world):
    [card] = _card(world["old"])
    assert card["sources"] == []
    img = card["img"]
    assert "/480.jpg?v=" in img["src"]
    assert img["alt"] == "An older picture"
    _response, image = _fetched(img["src"])
    assert (image.format, image.width) == ("JPEG", 480)


def test_a_card_without_any_size_yet_shows_no_image_rather_than_a_broken_one(world):
    assert _card(world["bare"]) == []
    slugs = {found["card"] for found in _page("/programs/?q=lighthouse")}
    assert slugs == {world["full"], world["old"]}


def test_the_profile_page_main_picture_has_every_size_in_both_formats_and_comes_first(world):
    [main] = _page(f"/programs/{world['full']}/")
    [source] = main["sources"]
    assert source["type"] == images.MODERN_CONTENT_TYPE
    # The 1600 size of a 1200 px picture is the picture at its own width.
    assert [w for _u, w in _candidates(source["srcset"])] == [160, 320, 480, 640, 960, 1200]
    img = main["img"]
    assert (img["fetchpriority"], img["alt"]) == ("high", "Peers at roll call")
    assert "/960.jpg?v=" in img["src"]
    assert (img["width"], img["height"]) == ("960", "640")
    url, _width = _candidates(source["srcset"])[-1]
    assert url.split("?")[0].endswith(f"/1600{images.MODERN_EXTENSION}")
    assert _fetched(url)[1].size == (1200, 800)


@pytest.mark.parametrize(
    ("width", "extension"),
    [
        (320, "webp" if images.MODERN_FORMAT == "AVIF" else "avif"),  # not the stored format
        (2000, images.MODERN_FORMAT.lower()),  # a width never made
    ],
)
def test_only_the_formats_and_widths_made_are_served(world, width, extension):
    profile = Profile.objects.get(slug=world["full"])
    image = profile.images.get()
    url = f"/programs/{profile.slug}/images/{image.pk}/{width}.{extension}"
    assert ReadingClient().get(url).status_code == 404
