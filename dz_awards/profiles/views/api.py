"""Open data: published profiles as JSON (paginated) and CSV (everything).

`GET /api/programs/` answers `{count, next, previous, results}`.

- `page` (from 1) and `page_size` (default 50, at most 100: a larger value is
  read as 100). A page number that is not a whole number, or a `page_size`
  below 1, is a 400 with `{"error": ...}`; a page past the last one is a 404
  with `{"error": ...}`. With no matching profile, page 1 is an empty list.
- Filters and sort: the directory's query parameters (`q`, `category`, `year`,
  `award`, `state`, `agency_type`, `size`, `topic`, `sort`; see
  `dz_awards.profiles.filters`), in the directory's order. An invalid value
  is a 400 with `{"error", "fields"}`.
- Public data with no credentials: `Access-Control-Allow-Origin: *`.

`GET /api/programs.csv` streams every published profile, one row each, the
same fields flattened, every cell neutralised against formula injection.

Both read through `published_profiles`, so a retracted or unpublished profile
is in neither, and both cost a fixed number of queries per page (or per chunk
of the CSV) whatever its size.
"""

import json

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View

from dz_awards.core.csv_export import csv_stream_response
from dz_awards.core.errors import ServiceError
from dz_awards.core.limits import rate_limit
from dz_awards.profiles.filters import ProfileFilter
from dz_awards.profiles.page_cache import cached_library_page
from dz_awards.profiles.selectors import published_profiles
from dz_awards.profiles.serializers import (
    CSV_HEADER,
    open_data_queryset,
    profile_dict,
    profile_row,
    with_open_data,
)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
CSV_CHUNK = 500
# Reading is the work here: every read counts toward the open-data rate limit.
OPEN_DATA = ("GET", "HEAD")

# Escaped inside JSON strings (the only place they can appear), so a response
# read as HTML by mistake runs nothing; the values decode unchanged.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


class InvalidQueryError(ServiceError):
    """A query the API refuses (a 400); `fields` names the filters at fault."""

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.fields = fields


def _error(error):
    data = {"error": str(error)}
    if error.fields:
        data["fields"] = error.fields
    return json_response(data, status=400)


def _open(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def json_response(data, status=200):
    body = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return _open(HttpResponse(body, status=status, content_type="application/json; charset=utf-8"))


def _whole_number(request, name, default):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidQueryError(f"{name} must be a whole number.") from None


def _filter(request, queryset):
    """`queryset` narrowed, searched and sorted by the directory's own query parameters.

    An invalid value (a year or a category with nothing published, an unknown
    sort) is a 400 that names the parameter, never a silently unfiltered list.
    """
    filterset = ProfileFilter(request.GET, queryset=queryset)
    if not filterset.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        raise InvalidQueryError("Some filters are not valid.", errors)
    return filterset.qs


def _page_url(request, number):
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@method_decorator(rate_limit("open_data", methods=OPEN_DATA, as_json=True), name="dispatch")
class ProgramListView(View):
    http_method_names = ["get", "head", "options"]

    @method_decorator(cached_library_page)
    def get(self, request):
        try:
            page_number = _whole_number(request, "page", 1)
            page_size = _whole_number(request, "page_size", DEFAULT_PAGE_SIZE)
            if page_size < 1:
                raise InvalidQueryError("page_size must be at least 1.")
            queryset = _filter(request, with_open_data(published_profiles()))
        except InvalidQueryError as error:
            return _error(error)
        paginator = Paginator(queryset, min(page_size, MAX_PAGE_SIZE))
        try:
            page = paginator.page(page_number)
        except EmptyPage:
            return json_response({"error": "There is no such page."}, status=404)
        build_url = request.build_absolute_uri
        return json_response(
            {
                "count": paginator.count,
                "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
                "previous": (
                    _page_url(request, page.previous_page_number()) if page.has_previous() else None
                ),
                "results": [profile_dict(profile, build_url) for profile in page.object_list],
            }
        )


@method_decorator(rate_limit("open_data", methods=OPEN_DATA), name="dispatch")
class ProgramCsvView(View):
    http_method_names = ["get", "head", "options"]

    @method_decorator(cached_library_page)
    def get(self, request):
        build_url = request.build_absolute_uri
        rows = (
            profile_row(profile, build_url)
            for profile in open_data_queryset().iterator(chunk_size=CSV_CHUNK)
        )
        return _open(csv_stream_response("dz-model-programs.csv", CSV_HEADER, rows))
