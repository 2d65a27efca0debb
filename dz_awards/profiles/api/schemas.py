"""The JSON API's answers and query parameters as pydantic models.

These models are not a copy kept beside the API: every answer of
`/api/programs/` is validated against them and written from the validated
data (`dz_awards.profiles.views.api`), and `/api/openapi.json` is generated
from them. A field added to `serializers.profile_dict` but not here fails the
request loudly (`extra="forbid"`) instead of vanishing from the document.

The query parameters are generated from the directory's own filter set
(`ProfileFilter`), so a filter added there is described here. They are read as
strings: the filter set and the page parsing validate them as they always
have (a 400 that names the parameter), and the description says what they
accept.
"""

from __future__ import annotations

from typing import Annotated, Any

import django_filters
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from dz_awards.agencies.enums import AgencyType
from dz_awards.profiles.enums import Award, SizeBand
from dz_awards.profiles.filters import ORDERINGS, ProfileFilter

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100

Url = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
DateTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class OpenDataModel(BaseModel):
    """Exactly the fields given, in the order written; enums go out as their values."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Category(OpenDataModel):
    code: str = Field(description="The award category's code (the `category` filter's value).")
    label: str


class Agency(OpenDataModel):
    name: str
    city: str
    state: str = Field(description="Two-letter USPS code of the state or territory.")
    type: AgencyType | None
    sworn_officers: int | None
    size_band: SizeBand | None = Field(description="The `size` filter's band for sworn_officers.")


class KeyFigure(OpenDataModel):
    figure: str
    label: str


class Resource(OpenDataModel):
    title: str
    url: Url


class Program(OpenDataModel):
    """One published model program."""

    slug: str
    url: Url = Field(description="The program's public page.")
    title: str
    summary: str = Field(description="Plain text (the page's Markdown stripped).")
    year: int = Field(description="The award year.")
    award: Award
    category: Category
    agency: Agency
    topics: list[str] = Field(description="Topic names, A to Z.")
    key_figures: list[KeyFigure]
    resources: list[Resource] = Field(
        description="Documents and web links in the page's order (documents are on this site)."
    )
    pdf_url: Url | None = Field(
        description="The PDF summary, only while it shows the current version of the program."
    )
    published_at: DateTime | None


class ProgramPage(OpenDataModel):
    """A page of programs: the total, links to the pages either side, and the page's programs."""

    count: int = Field(description="Programs matching the query, on every page.")
    next: Url | None = Field(description="The next page with the same query; null on the last.")
    previous: Url | None = Field(description="The page before; null on the first.")
    results: list[Program]


class Problem(OpenDataModel):
    """What went wrong, in words."""

    error: str


class InvalidFilters(OpenDataModel):
    """Filters the API refuses: `fields` maps each parameter at fault to its messages."""

    error: str
    fields: dict[str, list[str]]


class RateLimited(OpenDataModel):
    """The open-data rate limit is reached (sent with `Retry-After`, in seconds)."""

    status: str
    error: str
    errors: list[str]
    retry_after: int


# What each filter accepts where its choices depend on what is published.
_PUBLISHED_CHOICES = {
    "category": "A category code of a published program (see `category.code`).",
    "year": "An award year with published programs.",
    "state": "A two-letter state or territory code with published programs.",
    "topic": "The slug of a topic of published programs.",
}


def _filter_schema(name: str, field: django_filters.Filter) -> dict[str, Any]:
    label = str(field.label or name)
    schema: dict[str, Any] = {"type": "string", "description": label}
    if name == "sort":
        schema["enum"] = list(ORDERINGS)
        schema["description"] = (
            f"{label}: relevance with keywords, newest without (the default); "
            "relevance, newest, or agency (name, A to Z)."
        )
    elif isinstance(field, django_filters.ChoiceFilter) and name not in _PUBLISHED_CHOICES:
        choices = field.extra.get("choices")
        schema["enum"] = [str(value) for value, _label in choices]
    elif name in _PUBLISHED_CHOICES:
        schema["description"] = f"{label}. {_PUBLISHED_CHOICES[name]}"
    max_length = field.extra.get("max_length")
    if max_length:
        schema["maxLength"] = max_length
    if name == "q":
        schema["description"] = f"{label}: searched in the title, text, agency, place and topics."
    return schema


def _whole_number(description: str, **bounds: int) -> dict[str, Any]:
    return {"type": "integer", "description": description, **bounds}


def _query_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {
        "page": _whole_number("Page number, from 1.", minimum=1, default=1),
        "page_size": _whole_number(
            f"Programs per page; a larger value is read as {MAX_PAGE_SIZE}.",
            minimum=1,
            default=DEFAULT_PAGE_SIZE,
        ),
    }
    for name, field in ProfileFilter.base_filters.items():
        fields[name] = _filter_schema(name, field)
    return {
        name: (Annotated[str | None, WithJsonSchema(schema)], None)
        for name, schema in fields.items()
    }


# Every query parameter of `/api/programs/`: the page, then the directory's filters.
ProgramQuery: type[BaseModel] = create_model("ProgramQuery", **_query_fields())
