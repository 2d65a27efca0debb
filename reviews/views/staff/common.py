"""What the staff review pages share: the cycle in the URL, safe redirects, sortable
column headings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.cycles.models import Cycle
from dz_awards.nominations import selectors as nomination_selectors
from reviews.models import Assignment


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The posted `next` address if it stays on this site, else `fallback`."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    url: str  # the table sorted by this column (the other way if it is sorted so now)
    aria_sort: str  # "ascending" / "descending" on the sorted column, else ""


def sort_columns(
    columns: tuple[tuple[str, str], ...], sort: str, data: QueryDict | None = None
) -> list[Column]:
    """The headings of a table sorted by `sort`, each linking to the query `data` (less its
    page) sorted by that column."""
    headings = []
    for key, label in columns:
        query = data.copy() if data is not None else QueryDict(mutable=True)
        query.pop("page", None)
        query["sort"] = f"-{key}" if sort == key else key
        aria = {key: "ascending", f"-{key}": "descending"}.get(sort, "")
        headings.append(Column(key, label, f"?{query.urlencode()}", aria))
    return headings


def staff_assignment(request: HttpRequest, pk: int) -> Assignment:
    """An assignment of a nomination program staff may see; otherwise 404."""
    return get_object_or_404(
        Assignment.objects.select_related("nomination", "reviewer").filter(
            nomination__in=nomination_selectors.nominations_for_staff(request.user)
        ),
        pk=pk,
    )


class CycleMixin(StaffRequiredMixin):
    """The cycle named in the URL (staff see every cycle)."""

    def get_cycle(self) -> Cycle:
        if not hasattr(self, "_cycle"):
            self._cycle = get_object_or_404(Cycle, pk=self.kwargs["cycle"])
        return self._cycle

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The URL's `cycle` (a number) arrives in kwargs: the page gets the object.
        kwargs["cycle"] = self.get_cycle()
        return super().get_context_data(**kwargs)
