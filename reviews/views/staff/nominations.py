"""The program staff list of nominations, its CSV, and its bulk actions.

The list lives in `reviews`, above `nominations`, because it shows the review
flags (identity finding, disagreement, overdue) and offers review actions
(assigning, staging) beside the nominations app's own (return, screen out,
message). Filters and sort are in the URL; the page costs the same number of
queries whatever its length, filter or sort.

A bulk action goes: the list posts the choice (rows ticked, or every row
matching the filter) → the ids are fixed and kept in the session under a token
→ a confirmation page with the count asks for the message, reason or outcome →
its POST runs the single action's service per nomination (`reviews.bulk`) →
the results page, per nomination, at the same address. Posting the
confirmation again after the run only shows the results again.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.csv_export import csv_response, csv_stream_response
from dz_awards.nominations import selectors as nomination_selectors
from reviews import bulk, selectors
from reviews.filters import StaffNominationTableFilter
from reviews.forms.bulk import BulkConfirmForm, BulkSelectionForm, bulk_heading
from reviews.views.staff.common import sort_columns

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

    from dz_awards.nominations.models import Nomination

PER_PAGE_CHOICES = (25, 50, 100)
SESSION_KEY = "staff-bulk-runs"
# Runs kept in the session (the newest), so its size stays bounded.
KEEP_RUNS = 5

COLUMNS = (
    ("program", "Program"),
    ("agency", "Agency"),
    ("agency_state", "Agency's state"),
    ("category", "Cycle and category"),
    ("status", "Workflow status"),
    ("revisions", "Revisions"),
    ("files", "Files"),
    ("submitted", "Submitted"),
    ("flags", "Flags"),
)


def _table(user: Any) -> QuerySet[Nomination]:
    return selectors.staff_nomination_table(nomination_selectors.staff_nomination_list(user))


def filtered_nominations(
    user: Any, data: QueryDict
) -> tuple[StaffNominationTableFilter, QuerySet[Nomination], str]:
    """The filter form, the matching nominations in the asked order, and that sort."""
    filterset = StaffNominationTableFilter(data, queryset=_table(user))
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    queryset, sort = selectors.staff_nomination_table_order(queryset, data.get("sort", ""))
    return filterset, queryset, sort


def _per_page(data: QueryDict) -> int:
    value = data.get("per_page", "")
    return int(value) if value in {str(n) for n in PER_PAGE_CHOICES} else PER_PAGE_CHOICES[0]


class StaffNominationListView(StaffRequiredMixin, TemplateView):
    template_name = "reviews/staff/nominations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = self.request.GET
        filterset, queryset, sort = filtered_nominations(self.request.user, data)
        per_page = _per_page(data)
        page = Paginator(queryset, per_page).get_page(data.get("page"))
        query = data.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=filterset,
            page=page,
            query=query.urlencode(),
            columns=sort_columns(COLUMNS, sort, data),
            per_page=per_page,
            per_page_choices=PER_PAGE_CHOICES,
            sort=sort,
            actions=bulk.ACTION_CHOICES,
            **kwargs,
        )


class StaffNominationCsvView(StaffRequiredMixin, View):
    """Every nomination of the list's current view (filters and sort), not only one page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _filterset, queryset, _sort = filtered_nominations(request.user, request.GET)
        return csv_stream_response(
            "nominations.csv", bulk.CSV_HEADER, bulk.csv_rows(queryset.iterator())
        )


def _runs(request: HttpRequest) -> dict[str, dict[str, Any]]:
    return dict(request.session.get(SESSION_KEY, {}))


def _save_run(request: HttpRequest, token: str, run: dict[str, Any]) -> None:
    runs = _runs(request)
    runs.pop(token, None)
    runs[token] = run
    # Dicts keep insertion order: drop the oldest runs.
    request.session[SESSION_KEY] = dict(list(runs.items())[-KEEP_RUNS:])


def _list_url(query: str) -> str:
    return reverse("staff:nominations") + (f"?{query}" if query else "")


class BulkStartView(StaffRequiredMixin, View):
    """The list's choice: fix the ids, then download them or go to the confirmation."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BulkSelectionForm(request.POST)
        query = request.POST.get("query", "")
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(_list_url(query))
        data = QueryDict(form.cleaned_data["query"])
        _filterset, matching, _sort = filtered_nominations(request.user, data)
        if not form.cleaned_data["all_matching"]:
            chosen = _table(request.user).filter(pk__in=form.cleaned_data["selected"])
            matching, _sort = selectors.staff_nomination_table_order(chosen, data.get("sort", ""))
        if form.cleaned_data["action"] == bulk.EXPORT:
            return csv_response("nominations.csv", bulk.CSV_HEADER, bulk.csv_rows(matching))
        ids = [str(pk) for pk in matching.values_list("pk", flat=True)]
        if not ids:
            messages.error(request, "No nomination matches this choice any more.")
            return redirect(_list_url(query))
        token = uuid.uuid4().hex
        _save_run(
            request,
            token,
            {"action": form.cleaned_data["action"], "ids": ids, "query": query, "results": None},
        )
        return redirect("staff:nominations-bulk-run", token=token)


class BulkRunView(StaffRequiredMixin, TemplateView):
    """One bulk run: its confirmation page until it has run, then its results."""

    def get_run(self) -> dict[str, Any]:
        run = _runs(self.request).get(self.kwargs["token"])
        if run is None:
            raise Http404
        return run

    def get_template_names(self) -> list[str]:
        if self.get_run()["results"] is None:
            return ["reviews/staff/bulk_confirm.html"]
        return ["reviews/staff/bulk_results.html"]

    def _nominations(self, run: dict[str, Any]) -> list[Nomination]:
        """The run's nominations still in the staff scope, in the order they were chosen."""
        found = nomination_selectors.nominations_for_staff(self.request.user).in_bulk(run["ids"])
        by_text = {str(pk): nomination for pk, nomination in found.items()}
        return [by_text[pk] for pk in run["ids"] if pk in by_text]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        run = self.get_run()
        action = bulk.ACTIONS[run["action"]]
        context = {"action": action, "list_url": _list_url(run["query"])}
        if run["results"] is None:
            count = len(run["ids"])
            kwargs.setdefault("form", BulkConfirmForm(action=action, count=count))
            context |= {
                "heading": bulk_heading(action, count),
                "count": count,
                "nominations": self._nominations(run),
            }
        else:
            results = bulk.results_from_session(run["results"])
            context |= {
                "results": results,
                "done": sum(result.done for result in results),
                "refused": sum(not result.done for result in results),
            }
        return super().get_context_data(**context, **kwargs)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        run = self.get_run()
        if run["results"] is not None:
            # A second press of the button: the run is done; show what it did.
            return HttpResponseRedirect(request.path)
        action = bulk.ACTIONS[run["action"]]
        form = BulkConfirmForm(request.POST, action=action, count=len(run["ids"]))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        nominations = self._nominations(run)
        results = bulk.bulk_run(
            actor=request.user,
            action=action,
            nominations=nominations,
            data=bulk.BulkInput(
                text=form.cleaned_data.get("text", ""),
                outcome=form.cleaned_data.get("outcome", ""),
            ),
        )
        found = {result.nomination_id for result in results}
        # Chosen, then deleted before the run: nothing left to link to.
        results += [
            bulk.ItemResult("", "A nomination no longer listed", False, "It was deleted meanwhile.")
            for pk in run["ids"]
            if pk not in found
        ]
        _save_run(request, token, {**run, "results": bulk.results_to_session(results)})
        done = sum(result.done for result in results)
        summary = f"{action.label}: {done} done, {len(results) - done} refused."
        if done == len(results):
            messages.success(request, summary)
        else:
            messages.warning(request, summary)
        return HttpResponseRedirect(request.path)
