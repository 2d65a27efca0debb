"""/api/openapi.json: the JSON API described in OpenAPI, generated from the code that serves it.

The document is checked against the OpenAPI specification (openapi-spec-validator),
against what the API really reads (the query parameters the views ask the request
for, recorded while they run) and against what it really answers (real pages,
errors and a 429 validated with jsonschema against the document's own schemas).
Every test reads one world of two published programs, built once for the module.
"""

import gzip
import json
import re
from typing import Any

import jsonschema
import pytest
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.urls import reverse
from openapi_spec_validator import validate

from dz_awards.agencies.enums import AgencyType
from dz_awards.profiles.enums import Award
from dz_awards.profiles.views import api
from dz_awards.profiles.views.public import absolute
from tests.profiles.factories import (
    ProfileFactory,
    ProfilePdfFactory,
    ProfileResourceFactory,
    TopicFactory,
)
from tests.worlds import module_world_fixture

OPENAPI = reverse("profiles:api-openapi")
API = reverse("profiles:api-list")
CSV_URL = reverse("profiles:api-csv")
LIST_PATH = "/api/programs/"
CSV_PATH = "/api/programs.csv"


def build_world() -> list[str]:
    topic = TopicFactory(slug="peer-support", name="Peer support")
    full = ProfileFactory(
        slug="peer-support",
        year=2025,
        award=Award.WINNER,
        state_code="WY",
        agency_type=AgencyType.MUNICIPAL,
        sworn_officers=48,
        key_figures=[{"figure": "41%", "label": "fewer sick days"}],
        topics=[topic],
    )
    ProfileResourceFactory(profile=full, title="General order", position=0)
    ProfileResourceFactory(profile=full, title="Kit", file="", url="https://example.org/kit")
    ProfilePdfFactory(profile=full)
    bare = ProfileFactory(slug="bare", sworn_officers=None, agency_type="", key_figures=[])
    return [full.slug, bare.slug]


openapi_world = module_world_fixture("openapi_world", build_world)


@pytest.fixture(scope="module")
def document(openapi_world) -> dict[str, Any]:
    """The document as served (it needs no database: it is made from the code)."""
    return json.loads(api.json_text(api.openapi_document()))


def _schema_of(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the document's components beside it, so its `$ref`s resolve."""
    return {**schema, "components": document["components"]}


def _response_schema(document, path, status, media="application/json"):
    return document["paths"][path]["get"]["responses"][str(status)]["content"][media]["schema"]


def _keys_outside_schema(data: Any, schema: dict[str, Any], document, where="") -> list[str]:
    """Every key of `data`, at any depth, that the schema does not name."""
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        return min(
            (_keys_outside_schema(data, option, document, where) for option in schema["anyOf"]),
            key=len,
        )
    missing = []
    if isinstance(data, dict):
        properties = schema.get("properties", {})
        for key, value in data.items():
            if isinstance(schema.get("additionalProperties"), dict):  # a map: any key
                missing += _keys_outside_schema(
                    value, schema["additionalProperties"], document, f"{where}.{key}"
                )
            elif key not in properties:
                missing.append(f"{where}.{key}")
            else:
                missing += _keys_outside_schema(value, properties[key], document, f"{where}.{key}")
    elif isinstance(data, list) and "items" in schema:
        for item in data:
            missing += _keys_outside_schema(item, schema["items"], document, f"{where}[]")
    return missing


# The document itself.


@pytest.mark.django_db
def test_the_document_is_public_cacheable_json_and_answers_304_when_unchanged(client):
    response = client.get(OPENAPI)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["openapi"].startswith("3.")
    again = client.get(OPENAPI, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert client.post(OPENAPI).status_code == 405


@pytest.mark.django_db
def test_the_document_is_gzipped_for_clients_that_accept_it(client):
    plain = client.get(OPENAPI)
    zipped = client.get(OPENAPI, HTTP_ACCEPT_ENCODING="gzip, br")

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert len(zipped.content) < len(plain.content) / 3
    assert gzip.decompress(zipped.content) == plain.content


def test_the_document_validates_against_the_openapi_specification(document):
    validate(document)  # raises, naming the fault, when it is not valid


def test_the_document_has_title_version_contact_and_a_relative_server(document, settings):
    info = document["info"]
    assert info["title"]
    assert info["version"] == api.API_VERSION
    assert info["contact"]["email"] == settings.CONTACT_EMAIL
    assert [server["url"] for server in document["servers"]] == ["/"]


def test_the_document_describes_both_endpoints_at_todays_paths_and_nothing_else(document):
    assert set(document["paths"]) == {LIST_PATH, CSV_PATH}
    assert set(document["paths"][LIST_PATH]) == {"get"}
    assert API == LIST_PATH
    assert CSV_URL == CSV_PATH


@pytest.mark.parametrize(
    ("path", "statuses"),
    [(LIST_PATH, {"200", "304", "400", "404", "429"}), (CSV_PATH, {"200", "304", "429"})],
)
def test_each_answer_the_endpoint_can_give_is_described(document, path, statuses):
    responses = document["paths"][path]["get"]["responses"]
    assert set(responses) == statuses
    assert "Retry-After" in responses["429"]["headers"]
    assert "ETag" in responses["200"]["headers"]


def test_the_csv_is_described_as_csv_with_its_columns(document):
    ok = document["paths"][CSV_PATH]["get"]["responses"]["200"]
    assert set(ok["content"]) == {"text/csv"}
    for column in ("slug", "agency_state", "pdf_url"):
        assert column in ok["description"]


# Parameters: what the views really read.


class RecordingQueryDict(QueryDict):
    """A query string that notes every parameter name the code asks it for."""

    def __init__(self, query: str, read: set[str]) -> None:
        self.read = read
        super().__init__(query, mutable=True)

    def _note(self, key):
        self.read.add(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def copy(self):
        return RecordingQueryDict(self.urlencode(), self.read)


def _parameters_read(query: str) -> set[str]:
    read: set[str] = set()
    request = RequestFactory().get(API)
    request.GET = RecordingQueryDict(query, read)
    api._list_programs(request, None)
    return read


@pytest.mark.django_db
def test_every_query_parameter_the_list_reads_is_documented_and_no_other(openapi_world, document):
    # A valid query (every filter read and applied) and a second page (the links built).
    read = _parameters_read("page_size=1&q=peer") | _parameters_read("page=2&page_size=1")

    documented = {
        parameter["name"]
        for parameter in document["paths"][LIST_PATH]["get"]["parameters"]
        if parameter["in"] == "query"
    }
    assert {"page", "page_size", "q", "year", "topic", "sort"} <= read
    assert read == documented


def test_closed_choices_are_listed_and_page_numbers_are_whole_numbers(document):
    parameters = {p["name"]: p["schema"] for p in document["paths"][LIST_PATH]["get"]["parameters"]}
    assert parameters["award"]["enum"] == ["winner", "finalist"]
    assert "25-99" in parameters["size"]["enum"]
    assert set(parameters["sort"]["enum"]) == {"relevance", "newest", "agency"}
    assert parameters["page"]["type"] == parameters["page_size"]["type"] == "integer"
    assert parameters["q"]["maxLength"] == 200


# Answers: real ones, validated against the document.


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"page_size": 1}, {"page_size": 1, "page": 2}, {"q": "zzzz"}])
def test_real_pages_carry_only_documented_fields_and_validate(
    openapi_world, document, client, query
):
    data = client.get(API, query).json()
    schema = _response_schema(document, LIST_PATH, 200)

    assert _keys_outside_schema(data, schema, document) == []
    jsonschema.validate(data, _schema_of(document, schema))


@pytest.mark.django_db
def test_a_full_program_fills_every_documented_field(openapi_world, document, client):
    """The other way round: the schema names no field the API never sends."""
    (item,) = client.get(API, {"topic": "peer-support"}).json()["results"]
    program = document["components"]["schemas"]["Program"]

    assert set(item) == set(program["properties"])
    assert item["pdf_url"]
    assert item["resources"]
    assert item["key_figures"]
    assert set(item["agency"]) == set(document["components"]["schemas"]["Agency"]["properties"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status"),
    [({"year": "1999", "award": "champion"}, 400), ({"page": "last"}, 400), ({"page": 9}, 404)],
)
def test_errors_validate_against_their_documented_schema(
    openapi_world, document, client, query, status
):
    response = client.get(API, query)
    assert response.status_code == status

    schema = _response_schema(document, LIST_PATH, status)
    jsonschema.validate(response.json(), _schema_of(document, schema))
    assert _keys_outside_schema(response.json(), schema, document) == []


@pytest.mark.django_db
def test_the_429_validates_against_its_documented_schema(openapi_world, document, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "open_data": "1/h"}
    client.get(API, REMOTE_ADDR="198.51.100.77")
    response = client.get(API, REMOTE_ADDR="198.51.100.77")

    assert response.status_code == 429
    schema = _response_schema(document, LIST_PATH, 429)
    jsonschema.validate(response.json(), _schema_of(document, schema))


# What a plain Django view answered, kept.


@pytest.mark.django_db
@pytest.mark.parametrize("url", [API, CSV_URL])
def test_options_and_other_methods_answer_as_before(openapi_world, client, url):
    options = client.options(url)
    assert options.status_code == 200
    assert options["Allow"] == "GET, HEAD, OPTIONS"
    assert options.content == b""
    refused = client.post(url)
    assert refused.status_code == 405
    assert refused["Allow"] == "GET, HEAD, OPTIONS"
    # Not exempt from the CSRF check: a POST without a token stops there.
    assert Client(enforce_csrf_checks=True).post(url).status_code == 403


@pytest.mark.django_db
def test_the_api_root_is_still_not_found(client):
    assert client.get("/api/").status_code == 404


# Where the document is linked from.


@pytest.mark.django_db
def test_the_library_and_data_json_link_the_document(openapi_world, client):
    page = client.get(reverse("profiles:directory")).content.decode()
    assert f'href="{OPENAPI}"' in page

    catalog = client.get(reverse("profiles:data-json")).json()
    (json_distribution,) = [
        d for d in catalog["dataset"][0]["distribution"] if d["mediaType"] == "application/json"
    ]
    assert json_distribution["describedBy"] == absolute(OPENAPI)
    assert json_distribution["describedByType"] == "application/vnd.oai.openapi+json"
    # DCAT-US 1.1 distribution.json's pattern for describedByType.
    assert re.fullmatch(
        r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$", json_distribution["describedByType"]
    )
