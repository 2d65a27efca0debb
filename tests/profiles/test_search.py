"""The directory: each filter narrows, filters combine with keywords, ranking, sort, pages."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from dz_awards.agencies.enums import AgencyType
from dz_awards.profiles import selectors
from dz_awards.profiles.enums import Award
from dz_awards.profiles.models import Profile
from tests.profiles.factories import ProfileFactory, ReadingClient, TopicFactory

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="full-text ranking is PostgreSQL's; SQLite has the fallback"
)
needs_sqlite = pytest.mark.skipif(
    ON_POSTGRES, reason="the directory uses the fallback only on SQLite"
)
DIRECTORY = "/programs/"


@pytest.fixture
def client():
    return ReadingClient()


def _titles(client, **params):
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    return [profile.title for profile in response.context["page"]]


# (1) Each filter narrows --------------------------------------------------------------------

FILTERS = [
    ("category", "traffic-safety", {"category_code": "traffic-safety"}, {"category_code": "x"}),
    ("year", "2024", {"year": 2024}, {"year": 2025}),
    ("award", "finalist", {"award": Award.FINALIST}, {"award": Award.WINNER}),
    ("state", "OH", {"state_code": "OH"}, {"state_code": "WY"}),
    ("agency_type", "sheriff", {"agency_type": AgencyType.SHERIFF}, {}),
    ("size", "1-24", {"sworn_officers": 24}, {"sworn_officers": 25}),
    ("size", "25-99", {"sworn_officers": 25}, {"sworn_officers": 100}),
    ("size", "100-499", {"sworn_officers": 499}, {"sworn_officers": 500}),
    ("size", "500-999", {"sworn_officers": 999}, {"sworn_officers": 1000}),
    ("size", "1000+", {"sworn_officers": 1000}, {"sworn_officers": 999}),
]


@pytest.mark.parametrize(("param", "value", "matching", "other"), FILTERS)
def test_each_filter_narrows_to_the_matching_profiles(client, param, value, matching, other):
    ProfileFactory(title="Match", **matching)
    ProfileFactory(title="Other", **other)
    assert sorted(_titles(client)) == ["Match", "Other"]
    assert _titles(client, **{param: value}) == ["Match"]


def test_the_topic_filter_narrows_to_profiles_with_the_topic(client):
    peer = TopicFactory(slug="peer-support", name="Peer support")
    driving = TopicFactory(slug="driving", name="Driving")
    ProfileFactory(title="Match", topics=[peer, driving])
    ProfileFactory(title="Other", topics=[driving])
    ProfileFactory(title="None")
    assert _titles(client, topic="peer-support") == ["Match"]
    assert sorted(_titles(client, topic="driving")) == ["Match", "Other"]


def test_a_profile_without_sworn_officers_is_in_no_size_band(client):
    ProfileFactory(title="Unknown size", sworn_officers=None)
    for band in ["1-24", "25-99", "100-499", "500-999", "1000+"]:
        assert _titles(client, size=band) == []


def test_filters_combine(client):
    ProfileFactory(title="All three", state_code="OH", award=Award.WINNER, year=2024)
    ProfileFactory(title="Wrong year", state_code="OH", award=Award.WINNER, year=2025)
    ProfileFactory(title="Wrong award", state_code="OH", award=Award.FINALIST, year=2024)
    ProfileFactory(title="Wrong state", state_code="WY", award=Award.WINNER, year=2024)
    assert _titles(client, state="OH", award="winner", year="2024") == ["All three"]


def test_categories_are_offered_by_code_under_their_latest_label(client):
    """A renamed category is one choice (its latest name); each row keeps its year's name."""
    ProfileFactory(
        title="Old", category_code="wellness", category_label="Officer Wellness", year=2023
    )
    ProfileFactory(
        title="New",
        category_code="wellness",
        category_label="Comprehensive Officer Wellness",
        year=2026,
    )
    ProfileFactory(
        title="Roads", category_code="traffic", category_label="Traffic Safety", year=2025
    )
    response = client.get(DIRECTORY)
    assert list(response.context["form"].fields["category"].choices) == [
        ("", "All categories"),
        ("wellness", "Comprehensive Officer Wellness"),
        ("traffic", "Traffic Safety"),
    ]
    assert sorted(_titles(client, category="wellness")) == ["New", "Old"]
    html = client.get(DIRECTORY, {"category": "wellness"}).content.decode()
    assert "2023 · Officer Wellness" in html
    assert "2026 · Comprehensive Officer Wellness" in html


def test_choices_list_only_what_is_published(client):
    ProfileFactory(year=2024, state_code="OH", topics=[TopicFactory(slug="a", name="Alpha")])
    ProfileFactory(
        year=2019, state_code="TX", state="draft", topics=[TopicFactory(slug="b", name="Beta")]
    )
    form = client.get(DIRECTORY).context["form"]
    assert [c[0] for c in form.fields["year"].choices] == ["", "2024"]
    assert [c[0] for c in form.fields["state"].choices] == ["", "OH"]
    assert [c[0] for c in form.fields["topic"].choices] == ["", "a"]


def test_an_invalid_filter_value_is_ignored_not_an_error(client):
    ProfileFactory(title="Kept", award=Award.WINNER)
    response = client.get(DIRECTORY, {"award": "bogus", "year": "abc", "page": "9999"})
    assert response.status_code == 200
    assert [p.title for p in response.context["page"]] == ["Kept"]


# (2) Keyword search --------------------------------------------------------------------------


def test_a_keyword_finds_words_in_the_title_summary_and_body(client):
    ProfileFactory(title="Zucchini Title", summary="x", need="")
    ProfileFactory(title="B", summary="About zucchini here", need="")
    ProfileFactory(title="C", summary="x", need="", cost_funding="Paid for by zucchini sales")
    ProfileFactory(title="D", summary="x", need="", results="nothing relevant")
    assert sorted(_titles(client, q="zucchini")) == ["B", "C", "Zucchini Title"]


def test_filters_combine_with_search(client):
    ProfileFactory(title="Kettlebell Ohio", state_code="OH", award=Award.WINNER)
    ProfileFactory(title="Kettlebell Wyoming", state_code="WY", award=Award.WINNER)
    ProfileFactory(title="Kettlebell Ohio finalist", state_code="OH", award=Award.FINALIST)
    ProfileFactory(title="Ohio without the word", state_code="OH", award=Award.WINNER)
    assert _titles(client, q="kettlebell", state="OH", award="winner") == ["Kettlebell Ohio"]
    assert sorted(_titles(client, q="kettlebell", state="OH")) == [
        "Kettlebell Ohio",
        "Kettlebell Ohio finalist",
    ]


def _ranking_world():
    ProfileFactory(
        title="General wellness", summary="Officer health.", approach="Includes yoga classes."
    )
    ProfileFactory(title="Morning yoga for patrol", summary="Stretching.", approach="Classes.")
    ProfileFactory(title="Gym access", summary="Yoga and weights.", approach="Open all day.")


@needs_postgres
def test_on_postgres_a_title_match_ranks_above_summary_and_body_matches(client):
    _ranking_world()
    assert _titles(client, q="yoga") == [
        "Morning yoga for patrol",
        "Gym access",
        "General wellness",
    ]


@needs_postgres
def test_on_postgres_search_uses_stemming_and_web_search_syntax(client):
    ProfileFactory(title="Training officers to de-escalate", summary="x")
    ProfileFactory(title="Trained dogs", summary="x")
    assert sorted(_titles(client, q="train")) == [
        "Trained dogs",
        "Training officers to de-escalate",
    ]
    assert _titles(client, q="train -dogs") == ["Training officers to de-escalate"]


@needs_postgres
def test_on_postgres_filters_combine_with_ranked_search(client):
    _ranking_world()
    Profile.objects.filter(title="Gym access").update(state_code="OH")
    ProfileFactory(title="Yoga in Ohio", state_code="OH")
    assert _titles(client, q="yoga", state="OH") == ["Yoga in Ohio", "Gym access"]


@needs_sqlite
def test_on_sqlite_the_fallback_finds_and_ranks(client):
    _ranking_world()
    assert _titles(client, q="yoga") == [
        "Morning yoga for patrol",
        "Gym access",
        "General wellness",
    ]
    assert _titles(client, q="YOGA patrol") == ["Morning yoga for patrol"]


def test_the_fallback_scores_title_3_summary_2_body_1():
    """The fallback itself, on any database: each word adds 3, 2 and 1 where it appears."""
    ProfileFactory(title="Yoga", summary="Yoga", approach="yoga mats")
    ProfileFactory(title="Gym", summary="Yoga", approach="")
    ProfileFactory(title="Mats", summary="x", approach="Yoga")
    ProfileFactory(title="Nothing", summary="x", approach="")
    found = selectors._search_fallback(selectors.published_profiles(), "yoga mats")
    # Mats: "mats" in the title (3) + "yoga" in the body (1); Yoga: 3 + 2 + 1, and "mats" 1.
    assert sorted((p.rank, p.title) for p in found) == [(4, "Mats"), (7, "Yoga")]
    found = selectors._search_fallback(selectors.published_profiles(), "yoga")
    assert sorted((p.rank, p.title) for p in found) == [(1, "Mats"), (2, "Gym"), (6, "Yoga")]


def test_a_search_with_no_words_finds_nothing_rather_than_everything():
    ProfileFactory()
    assert list(selectors._search_fallback(selectors.published_profiles(), "!!! ???")) == []


# (3) Sort, pages, what is in effect -----------------------------------------------------------


def test_sorts_newest_by_default_and_by_agency_name_on_request(client):
    ProfileFactory(title="Middle", year=2024, agency_name="Bravo PD")
    ProfileFactory(title="Newest", year=2026, agency_name="Charlie PD")
    ProfileFactory(title="Oldest", year=2020, agency_name="Alpha PD")
    assert _titles(client) == ["Newest", "Middle", "Oldest"]
    assert _titles(client, sort="agency") == ["Oldest", "Middle", "Newest"]
    assert _titles(client, sort="newest") == ["Newest", "Middle", "Oldest"]


def test_with_keywords_the_default_sort_is_relevance_and_newest_can_be_chosen(client):
    ProfileFactory(title="Old tourniquet kits", year=2020)
    ProfileFactory(title="New kits", summary="Includes a tourniquet.", year=2026)
    assert _titles(client, q="tourniquet") == ["Old tourniquet kits", "New kits"]
    assert _titles(client, q="tourniquet", sort="relevance") == ["Old tourniquet kits", "New kits"]
    assert _titles(client, q="tourniquet", sort="newest") == ["New kits", "Old tourniquet kits"]


def test_pages_of_twenty_keep_the_filters_in_their_links(client):
    for number in range(21):
        ProfileFactory(title=f"Winner {number:02}", award=Award.WINNER)
    ProfileFactory(title="A finalist", award=Award.FINALIST)
    first = client.get(DIRECTORY, {"award": "winner"})
    assert len(first.context["page"]) == 20
    assert first.context["page"].paginator.count == 21
    html = first.content.decode()
    assert 'href="?award=winner&amp;page=2"' in html
    assert "21 programs match" in html
    second = client.get(DIRECTORY, {"award": "winner", "page": "2"})
    assert len(second.context["page"]) == 1
    assert 'href="?award=winner&amp;page=1"' in second.content.decode()


def test_active_filters_are_listed_with_links_that_remove_each(client):
    ProfileFactory(state_code="OH", award=Award.WINNER)
    response = client.get(DIRECTORY, {"q": "peer", "state": "OH", "award": "winner", "page": "1"})
    active = response.context["active_filters"]
    assert [(a["label"], a["value"]) for a in active] == [
        ("Keywords", "peer"),
        ("Award", "Winner"),
        ("State", "Ohio"),
    ]
    assert [a["remove_url"] for a in active] == [
        "/programs/?state=OH&award=winner",
        "/programs/?q=peer&state=OH",
        "/programs/?q=peer&award=winner",
    ]
    html = response.content.decode()
    assert 'href="/programs/?state=OH&amp;award=winner"' in html
    assert 'Remove<span class="visually-hidden"> the filter Keywords: peer</span>' in html


def test_the_form_keeps_the_filters_in_the_url_and_needs_no_script(client):
    ProfileFactory(state_code="OH")
    html = client.get(DIRECTORY, {"state": "OH", "q": "peer"}).content.decode()
    assert '<form method="get" action="/programs/" role="search"' in html
    assert '<option value="OH" selected>Ohio</option>' in html
    assert 'name="q" value="peer"' in html
    assert re.search(r'<label\s+for="id_q"', html)


def test_no_match_says_so_with_a_way_back(client):
    ProfileFactory(title="Something")
    html = client.get(DIRECTORY, {"q": "xylophone"}).content.decode()
    assert "No programs match “xylophone”." in html
    assert '<a href="/programs/">see every program</a>' in html


def test_an_empty_library_says_so(client):
    html = client.get(DIRECTORY).content.decode()
    assert "No programs have been published yet." in html


def test_the_result_count_is_shown(client):
    for _ in range(3):
        ProfileFactory()
    assert "3 programs" in client.get(reverse("profiles:directory")).content.decode()
