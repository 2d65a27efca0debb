"""Findable programs: keywords over the agency, city, state, category and topics
(web-search syntax and "did you mean" on PostgreSQL, the fallback on SQLite),
invalid filter values shown as dropped, similar programs, and the library's map."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dz_awards.profiles import selectors
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.filters import ProfileFilter
from dz_awards.profiles.models import Profile
from tests.profiles.factories import ProfileFactory, ReadingClient, TopicFactory
from tests.worlds import module_world_fixture

ON_POSTGRES = connection.vendor == "postgresql"
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="web-search syntax and trigram suggestions are PostgreSQL's"
)
needs_sqlite = pytest.mark.skipif(ON_POSTGRES, reason="the fallback search runs on SQLite only")
DIRECTORY = "/programs/"


@dataclass(frozen=True)
class World:
    harbor: str
    lakeview: str
    marlow: str
    wellness: str
    night: str
    kits: str
    draft: str


def build_world():
    peer = TopicFactory(slug="peer-support", name="Peer support")
    driving = TopicFactory(slug="driving", name="Driving")
    fitness = TopicFactory(slug="physical-fitness", name="Physical fitness")
    wellness = {"category_code": "officer-wellness", "category_label": "Officer Wellness"}
    safety = {"category_code": "officer-safety", "category_label": "Officer Safety"}

    def make(title, agency, city, state_code, category, topics, **extra):  # noqa: PLR0917
        return ProfileFactory(
            title=title,
            agency_name=agency,
            city=city,
            state_code=state_code,
            topics=topics,
            **category,
            **extra,
        ).slug

    return World(
        harbor=make(
            "Help Within a Day", "Harbor Police Department", "Port Clinton", "OH", wellness,
            [peer], year=2031,
        ),
        lakeview=make(
            "Seat Belts Every Time", "Lakeview Sheriff's Office", "Lakeview", "TX",
            {"category_code": "traffic-safety", "category_label": "Traffic Safety"}, [driving],
        ),
        marlow=make(
            "Coaching for Every Shift", "Marlow County Sheriff", "Springfield", "IN", wellness,
            [fitness, peer], year=2030,
        ),
        wellness=make("Annual Check", "Dunmore Police", "Dunmore", "WY", wellness, [], year=2029),
        night=make("Night Shift Sleep Plan", "Ashby Police", "Ashby", "OH", safety, []),
        kits=make("Tactical Medicine Kits", "Carver Police", "Carver", "CA", safety, []),
        draft=make(
            "A Draft Nobody Sees", "Harbor Police Department", "Port Clinton", "OH", wellness,
            [peer], state=ProfileState.DRAFT,
        ),
    )  # fmt: skip


findable_world = module_world_fixture("findable_world", build_world)


@pytest.fixture
def world(findable_world, db):
    return findable_world


@pytest.fixture
def client():
    return ReadingClient()


def _found(client, **params):
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    return response, {profile.slug for profile in response.context["page"]}


def _slugs(world, *names):
    return {getattr(world, name) for name in names}


# Keywords over the agency, city, state, category and topics --------------------------------

EVERYWHERE = [
    ("Ohio", ("harbor", "night")),  # a state's name
    ("Texas", ("lakeview",)),
    ("Port Clinton", ("harbor",)),  # a city
    ("Lakeview Sheriff", ("lakeview",)),  # an agency
    ("Marlow", ("marlow",)),
    ("driving", ("lakeview",)),  # a topic
    ("traffic", ("lakeview",)),  # a category
]


@pytest.mark.parametrize(("text", "names"), EVERYWHERE)
def test_keywords_find_programs_by_agency_city_state_topic_and_category(world, client, text, names):
    assert _found(client, q=text)[1] == _slugs(world, *names)


@needs_postgres
@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("TX", ("lakeview",)),  # a state's code
        ("IN", ("marlow",)),  # a code that is an English stop word
        ("or", ()),  # ... and one that is also an operator: Oregon has none
        ('"Port Clinton"', ("harbor",)),  # a phrase
        ('"Clinton Port"', ()),  # ... in its order only
        ("sheriff -lakeview", ("marlow",)),  # exclusion
        ("lakeview or marlow", ("lakeview", "marlow")),  # or
    ],
)
def test_on_postgres_codes_phrases_exclusion_and_or(world, client, text, names):
    assert _found(client, q=text)[1] == _slugs(world, *names)


@needs_postgres
def test_on_postgres_a_misspelt_agency_gets_a_did_you_mean_link(world, client):
    response, found = _found(client, q="Lakevew Sherif", year="")
    assert found == set()
    suggestions = response.context["suggestions"]
    # The closest first; another sheriff's office may follow, no police department does.
    assert suggestions[0] == {
        "name": "Lakeview Sheriff's Office",
        "url": "/programs/?q=Lakeview+Sheriff%27s+Office",
    }
    assert {s["name"] for s in suggestions} <= {
        "Lakeview Sheriff's Office",
        "Marlow County Sheriff",
    }
    html = response.content.decode()
    assert 'Did you mean <a href="/programs/?q=Lakeview+Sheriff%27s+Office">' in html
    assert _found(client, q="Lakeview Sheriff's Office")[1] == _slugs(world, "lakeview")


@needs_postgres
def test_on_postgres_no_suggestion_for_words_near_no_agency(world, client):
    response, found = _found(client, q="zzyzx")
    assert found == set()
    assert response.context["suggestions"] == []
    assert "Did you mean" not in response.content.decode()


@needs_sqlite
@pytest.mark.parametrize(
    ("text", "names"),
    [("texas lakeview", ("lakeview",)), ("tx", ("lakeview",)), ("clinton ohio", ("harbor",))],
)
def test_on_sqlite_the_fallback_ands_the_words_over_the_same_fields(world, client, text, names):
    response, found = _found(client, q=text)
    assert found == _slugs(world, *names)
    assert response.context["suggestions"] == []


@needs_sqlite
def test_on_sqlite_phrase_syntax_is_no_error(world, client):
    assert _found(client, q='"Port Clinton" -"" or')[1] == _slugs(world, "harbor")


# Invalid filter values are dropped visibly --------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value", "label"),
    [
        ("state", "ZZ", "State"),
        ("state", "NY", "State"),  # a real state with nothing published
        ("category", "nope", "Category"),
        ("year", "1999", "Award year"),
        ("topic", "nope", "Topic"),
        ("size", "huge", "Agency size"),
        ("sort", "random", "Sort by"),
        ("page", "abc", "Page"),
        ("page", "9", "Page"),
    ],
)
def test_an_invalid_filter_value_is_named_in_a_notice_and_not_used(
    world, client, param, value, label
):
    response, found = _found(client, **{param: value, "award": "winner"})
    assert response.context["dropped_filters"] == [{"name": param, "label": label, "value": value}]
    assert len(found) == 6  # the valid filter still applies; the invalid one does not
    html = response.content.decode()
    assert f"{label}: “{value}”" in html
    assert f"{param}={value}" not in html  # no link carries it on


def test_valid_filters_show_no_notice(world, client):
    response, found = _found(client, state="OH", page="1")
    assert response.context["dropped_filters"] == []
    assert found == _slugs(world, "harbor", "night")
    assert "not valid" not in response.content.decode()


# Similar programs -------------------------------------------------------------------------


def test_similar_programs_share_the_most_topics_and_category_published_only(world):
    profile = selectors.published_profile_for_page(world.harbor)
    with CaptureQueriesContext(connection) as queries:
        similar = selectors.similar_profiles(profile)
    assert len(queries) == 1
    # Marlow: a shared topic and the category; Annual Check: the category. Never
    # the profile itself, the draft (same topic and category) or one sharing nothing.
    assert [p.slug for p in similar] == [world.marlow, world.wellness]


def test_similar_programs_are_at_most_four_most_shared_first(world):
    profile = Profile.objects.get(slug=world.kits)
    assert [p.slug for p in selectors.similar_profiles(profile)] == [world.night]
    assert len(selectors.similar_profiles(profile, limit=0)) == 0


def test_the_profile_page_links_its_similar_programs(world, client):
    html = client.get(f"/programs/{world.harbor}/").content.decode()
    section = html.split('id="similar-heading"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a href="/programs/([^/]+)/">', section)
    assert links == [world.marlow, world.wellness]


# The map ------------------------------------------------------------------------------------


def test_the_map_links_each_state_with_programs_named_with_its_count(world, client):
    html = client.get(DIRECTORY).content.decode()
    svg = html.split('<svg class="tile-map"', 1)[1].split("</svg>", 1)[0]
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', svg)
    assert sorted(links) == [
        ("/programs/?state=CA", "California: 1 program"),
        ("/programs/?state=IN", "Indiana: 1 program"),
        ("/programs/?state=OH", "Ohio: 2 programs"),
        ("/programs/?state=TX", "Texas: 1 program"),
        ("/programs/?state=WY", "Wyoming: 1 program"),
    ]
    # All 56 tiles are drawn; those without programs are not links.
    assert svg.count("<rect") == 56
    assert svg.count('aria-hidden="true"') == 51
    # Every square with its outline (library.css: 1.5 wide, half of it outside) is
    # inside the drawing, the last row of territories and the right edge included.
    left, top, width, height = (float(n) for n in re.search(r'viewBox="([^"]+)"', svg)[1].split())
    squares = [tuple(int(n) for n in m) for m in re.findall(r'<rect x="(\d+)" y="(\d+)"', svg)]
    assert left <= -0.75
    assert top <= -0.75
    assert left + width >= max(x for x, _ in squares) + 44 + 0.75
    assert top + height >= max(y for _, y in squares) + 44 + 0.75


def test_the_map_table_counts_equal_the_directory_counts(world, client):
    library_map = client.get(DIRECTORY).context["library_map"]
    assert library_map.total == 6
    rows = [(row.name, row.count) for row in library_map.rows]
    assert rows == [("California", 1), ("Indiana", 1), ("Ohio", 2), ("Texas", 1), ("Wyoming", 1)]
    for row in library_map.rows:
        response = client.get(row.url)
        assert response.context["page"].paginator.count == row.count


def test_the_map_is_on_the_library_front_page_only(world, client):
    assert client.get(DIRECTORY).context["library_map"] is not None
    assert client.get(DIRECTORY, {"state": "OH"}).context["library_map"] is None


def test_the_library_links_its_open_data(world, client):
    html = client.get(DIRECTORY).content.decode()
    for url in ("/api/programs/", "/api/programs.csv", "/programs/feed/", "/data.json"):
        assert f'href="{url}"' in html


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_map_colours_meet_the_contrast_minimums():
    """Codes 4.5:1 on their fill; each tile's outline 3:1 on the page and on every fill."""
    css = (Path(django_settings.BASE_DIR) / "static/css/library.css").read_text()
    fills = dict(re.findall(r"\.(map-c\d) rect, rect\.map-c\d \{ fill: (#[0-9a-f]{6}); \}", css))
    texts = dict(re.findall(r"\.(map-c\d) text \{ fill: (#[0-9a-f]{6}); \}", css))
    outline = re.search(r"stroke: (#[0-9a-f]{6}); stroke-width: 1\.5", css).group(1)
    assert sorted(fills) == sorted(texts) == ["map-c0", "map-c1", "map-c2", "map-c3", "map-c4"]
    for name, fill in fills.items():
        assert _contrast(texts[name], fill) >= 4.5, name
    assert _contrast(outline, "#ffffff") >= 3
    assert {name for name, fill in fills.items() if _contrast(outline, fill) < 3} <= {
        "map-c3",
        "map-c4",
    }  # the dark fills stand out by themselves (at least 3:1 on white)
    assert all(_contrast(fills[name], "#ffffff") >= 3 for name in ("map-c3", "map-c4"))


def test_the_filter_reports_nothing_when_unbound(world):
    assert ProfileFilter(None, queryset=Profile.objects.none()).dropped() == []
