"""Open data: /api/programs/ (JSON, paginated, filtered) and /api/programs.csv."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dz_awards.agencies.enums import AgencyType
from dz_awards.core.csv_export import FORMULA_STARTS
from dz_awards.profiles.enums import Award, ProfileState
from dz_awards.profiles.serializers import CSV_HEADER
from tests.profiles.factories import (
    ProfileFactory,
    ProfilePdfFactory,
    ProfileResourceFactory,
    TopicFactory,
)

API = "/api/programs/"
CSV_URL = "/api/programs.csv"


def _get(client, **params):
    return client.get(API, params)


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _full_profile(slug="peer-support", **fields):
    profile = ProfileFactory(
        slug=slug,
        title="Peer Support That Stays",
        summary="Trained peers **check in** with every officer.",
        year=2025,
        award=Award.WINNER,
        category_code="officer-wellness",
        category_label="Comprehensive Officer Wellness",
        agency_name="Riverton Police Department",
        city="Riverton",
        state_code="WY",
        agency_type=AgencyType.MUNICIPAL,
        sworn_officers=48,
        key_figures=[{"figure": "41%", "label": "fewer sick days"}],
        topics=[
            TopicFactory(slug="peer-support", name="Peer support"),
            TopicFactory(slug="mental-health", name="Mental health"),
        ],
        **fields,
    )
    ProfileResourceFactory(profile=profile, title="General order", position=0)
    ProfileResourceFactory(
        profile=profile, title="Toolkit", file="", url="https://example.org/kit", position=1
    )
    ProfileResourceFactory(
        profile=profile, title="Bad link", file="", url="javascript:alert(1)", position=2
    )
    ProfilePdfFactory(profile=profile)
    return profile


# JSON: shape.


@pytest.mark.django_db
def test_the_json_item_has_every_field_with_absolute_addresses(client):
    profile = _full_profile()
    general_order = profile.resources.get(title="General order")

    response = _get(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    data = response.json()
    assert data["count"] == 1
    assert data["next"] is None
    assert data["previous"] is None
    (item,) = data["results"]
    assert item == {
        "slug": "peer-support",
        "url": "http://testserver/programs/peer-support/",
        "title": "Peer Support That Stays",
        "summary": "Trained peers check in with every officer.",
        "year": 2025,
        "award": "winner",
        "category": {"code": "officer-wellness", "label": "Comprehensive Officer Wellness"},
        "agency": {
            "name": "Riverton Police Department",
            "city": "Riverton",
            "state": "WY",
            "type": "municipal",
            "sworn_officers": 48,
            "size_band": "25-99",
        },
        "topics": ["Mental health", "Peer support"],
        "key_figures": [{"figure": "41%", "label": "fewer sick days"}],
        "resources": [
            {
                "title": "General order",
                "url": f"http://testserver/programs/peer-support/resources/{general_order.pk}/",
            },
            {"title": "Toolkit", "url": "https://example.org/kit"},
        ],
        "pdf_url": "http://testserver/programs/peer-support/summary.pdf",
        "published_at": profile.published_at.isoformat(),
    }


@pytest.mark.django_db
def test_the_pdf_url_is_given_only_while_the_pdf_shows_the_current_version(client):
    profile = _full_profile()
    assert _get(client).json()["results"][0]["pdf_url"]

    profile.version += 1
    profile.save(update_fields=["version"])

    assert _get(client).json()["results"][0]["pdf_url"] is None


@pytest.mark.django_db
def test_a_profile_without_a_pdf_or_agency_size_reads_as_nulls(client):
    ProfileFactory(sworn_officers=None, agency_type="")

    (item,) = _get(client).json()["results"]

    assert item["pdf_url"] is None
    assert item["agency"]["sworn_officers"] is None
    assert item["agency"]["size_band"] is None
    assert item["agency"]["type"] is None


XSS = {
    "title": '</script><script>alert("t")</script>',
    "agency_name": '"><img src=x onerror=alert(1)>',
    "category_label": "<svg onload=alert(2)> & co",
}


@pytest.mark.django_db
def test_html_payloads_are_data_in_the_json_and_come_back_unchanged(client):
    ProfileFactory(
        slug="payload",
        summary="<script>alert(3)</script> [x](javascript:alert(4))",
        **XSS,
    )

    response = _get(client)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    # The encoder escapes <, > and & inside strings: no markup in the bytes at all.
    body = response.content.decode()
    assert "<" not in body
    assert ">" not in body
    (item,) = response.json()["results"]
    assert item["title"] == XSS["title"]
    assert item["agency"]["name"] == XSS["agency_name"]
    assert item["category"]["label"] == XSS["category_label"]
    assert item["summary"] == "<script>alert(3)</script> [x](javascript:alert(4))"


@pytest.mark.django_db
def test_the_api_answers_get_only(client):
    assert client.post(API).status_code == 405
    assert client.head(API).status_code == 200


# JSON: pagination.


@pytest.mark.django_db
def test_the_json_is_paginated_with_absolute_next_and_previous_keeping_filters(client):
    now = timezone.now()
    for n in range(5):
        ProfileFactory(slug=f"p{n}", year=2025, published_at=now - timedelta(hours=n))
    ProfileFactory(slug="other-year", year=2024)

    first = _get(client, year=2025, page_size=2).json()
    second = _get(client, year=2025, page_size=2, page=2).json()
    last = _get(client, year=2025, page_size=2, page=3).json()

    assert first["count"] == 5
    assert [i["slug"] for i in first["results"]] == ["p0", "p1"]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/programs/?")
    assert "year=2025" in first["next"]
    assert "page_size=2" in first["next"]
    assert "page=2" in first["next"]
    assert [i["slug"] for i in second["results"]] == ["p2", "p3"]
    assert "page=1" in second["previous"]
    assert "page=3" in second["next"]
    assert [i["slug"] for i in last["results"]] == ["p4"]
    assert last["next"] is None
    # The next link is followed as given.
    assert client.get(first["next"]).json() == second


@pytest.mark.django_db
def test_page_size_defaults_to_50_and_is_capped_at_100(client):
    ProfileFactory.create_batch(101)

    assert len(_get(client).json()["results"]) == 50
    capped = _get(client, page_size=500).json()
    assert len(capped["results"]) == 100
    assert capped["count"] == 101


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": 3}, 404),
        ({"page": 0}, 404),
        ({"page": -1}, 404),
        ({"page": "last"}, 400),
        ({"page_size": "ten"}, 400),
        ({"page_size": 0}, 400),
    ],
)
def test_a_page_out_of_range_is_a_404_and_a_bad_number_a_400_both_in_json(client, params, status):
    ProfileFactory.create_batch(3)

    response = _get(client, **{"page_size": 2, **params})

    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["error"]


@pytest.mark.django_db
def test_with_nothing_published_the_first_page_is_empty(client):
    ProfileFactory(state=ProfileState.DRAFT)

    data = _get(client).json()

    assert data == {"count": 0, "next": None, "previous": None, "results": []}


# JSON: filters (the directory's parameters).


@pytest.mark.django_db
def test_the_json_takes_the_directorys_filters(client):
    wellness = TopicFactory(slug="wellness", name="Wellness")
    ProfileFactory(
        slug="match",
        year=2025,
        award=Award.FINALIST,
        state_code="OH",
        category_code="traffic-safety",
        agency_type=AgencyType.SHERIFF,
        sworn_officers=300,
        title="Night Driving Safety",
        topics=[wellness],
    )
    ProfileFactory(slug="wrong-year", year=2024, award=Award.FINALIST, state_code="OH")
    ProfileFactory(slug="wrong-award", year=2025, award=Award.WINNER, state_code="OH")
    ProfileFactory(slug="wrong-state", year=2025, award=Award.FINALIST, state_code="WY")

    def slugs(**params):
        response = _get(client, **params)
        assert response.status_code == 200, response.json()
        return [item["slug"] for item in response.json()["results"]]

    assert slugs(year=2025, award="finalist", state="OH") == ["match"]
    assert slugs(category="traffic-safety") == ["match"]
    assert slugs(agency_type="sheriff", size="100-499", topic="wellness") == ["match"]
    assert slugs(q="night driving") == ["match"]
    assert slugs(q="night driving", year=2024) == []


@pytest.mark.django_db
def test_an_invalid_filter_is_a_400_naming_it_never_an_unfiltered_list(client):
    ProfileFactory(year=2025)

    response = _get(client, year=1999, award="champion")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"year", "award"}


# JSON: queries.


def _count_queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, **params)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.django_db
def test_a_json_page_costs_the_same_queries_for_1_and_for_30_profiles(client):
    filters = {
        "q": "peer",
        "year": 2025,
        "award": "winner",
        "state": "WY",
        "category": "officer-wellness",
        "agency_type": "municipal",
        "size": "25-99",
        "topic": "peer-support",
    }
    _full_profile(slug="first")
    one = _count_queries(client)
    one_filtered = _count_queries(client, **filters)

    topics = list(TopicFactory._meta.model.objects.all())
    for n in range(29):
        profile = _full_profile(slug=f"more-{n}") if n < 2 else ProfileFactory(topics=topics)
        if n >= 2:
            ProfileResourceFactory(profile=profile)
            ProfilePdfFactory(profile=profile)
    thirty = _count_queries(client)
    thirty_filtered = _count_queries(client, **filters)

    assert one[1] == 1
    assert thirty[1] == 30
    assert one[0] == thirty[0]
    assert one_filtered[0] == thirty_filtered[0]
    assert thirty_filtered[1] >= 3


# CSV.


@pytest.mark.django_db
def test_the_csv_has_a_row_per_published_profile_with_the_same_fields_flattened(client):
    profile = _full_profile()
    ProfileFactory(slug="older", published_at=timezone.now() - timedelta(days=30))
    ProfileFactory(slug="draft", state=ProfileState.DRAFT)
    general_order = profile.resources.get(title="General order")

    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dz-model-programs.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"
    header, *rows = _csv_rows(response)
    assert header == CSV_HEADER
    assert [row[0] for row in rows] == ["peer-support", "older"]
    row = dict(zip(header, rows[0], strict=True))
    assert row == {
        "slug": "peer-support",
        "url": "http://testserver/programs/peer-support/",
        "title": "Peer Support That Stays",
        "summary": "Trained peers check in with every officer.",
        "year": "2025",
        "award": "winner",
        "category_code": "officer-wellness",
        "category_label": "Comprehensive Officer Wellness",
        "agency_name": "Riverton Police Department",
        "agency_city": "Riverton",
        "agency_state": "WY",
        "agency_type": "municipal",
        "sworn_officers": "48",
        "size_band": "25-99",
        "topics": "Mental health; Peer support",
        "key_figures": "41% fewer sick days",
        "resources": (
            "General order <http://testserver/programs/peer-support/resources/"
            f"{general_order.pk}/>; Toolkit <https://example.org/kit>"
        ),
        "pdf_url": "http://testserver/programs/peer-support/summary.pdf",
        "published_at": profile.published_at.isoformat(),
    }


@pytest.mark.django_db
def test_every_csv_cell_that_would_start_a_formula_is_neutralised(client):
    ProfileFactory(
        slug="formulas",
        title='=HYPERLINK("http://evil.example","click")',
        summary="+1+1",
        agency_name="-2+3",
        city="@SUM(A1:A9)",
        category_code="\r=cmd",
        category_label="\t=1+2",
        key_figures=[{"figure": "=1", "label": "x"}],
        topics=[TopicFactory(name="=IMPORTXML(A1)")],
    )

    header, row = _csv_rows(client.get(CSV_URL))
    cells = dict(zip(header, row, strict=True))

    assert cells["title"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert cells["summary"] == "'+1+1"
    assert cells["agency_name"] == "'-2+3"
    assert cells["agency_city"] == "'@SUM(A1:A9)"
    assert cells["category_code"] == "'\r=cmd"
    assert cells["category_label"] == "'\t=1+2"
    assert cells["key_figures"] == "'=1 x"
    assert cells["topics"] == "'=IMPORTXML(A1)"
    for name, value in cells.items():
        assert not value.startswith(FORMULA_STARTS), name


@pytest.mark.django_db
def test_the_csv_streams_in_a_fixed_number_of_queries_per_chunk(client):
    ProfileFactory.create_batch(3, topics=[TopicFactory()])
    with CaptureQueriesContext(connection) as few:
        few_rows = _csv_rows(client.get(CSV_URL))
    ProfileFactory.create_batch(40, topics=[TopicFactory()])
    with CaptureQueriesContext(connection) as many:
        many_rows = _csv_rows(client.get(CSV_URL))

    assert len(few_rows) == 4
    assert len(many_rows) == 44
    assert len(few) == len(many)
