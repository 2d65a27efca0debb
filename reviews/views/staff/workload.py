"""Reviewers' workload in a cycle: each reviewer's load, lateness and leniency on one
page, and the reminders sent from it.

It took over the reviewer progress page: its address now leads here. Staff
only (others 404). The table is sorted as the URL says (`?sort=overdue`,
`?sort=-late`), like the other staff tables, and costs the same number of
queries however many reviewers it lists.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from reviews import selectors, services
from reviews.forms.workload import RemindForm
from reviews.views.staff.common import CycleMixin, sort_columns

COLUMNS = (
    ("reviewer", "Reviewer"),
    ("assigned", "Assigned"),
    ("accepted", "Accepted"),
    ("drafts", "Drafts"),
    ("submitted", "Submitted"),
    ("overdue", "Overdue"),
    ("late", "Days late"),
    ("leniency", "Leniency"),
    ("reminded", "Last reminded"),
)
TOTALS = ("assigned", "accepted", "drafts", "submitted", "declined", "conflicted", "overdue")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def workload_url(cycle_pk: int, sort: str = "") -> str:
    """The workload page, in the order `sort` names when it is one the page knows."""
    url = reverse("staff:review-workload", kwargs={"cycle": cycle_pk})
    if sort.removeprefix("-") in selectors.WORKLOAD_SORTS:
        query = QueryDict(mutable=True)
        query["sort"] = sort
        return f"{url}?{query.urlencode()}"
    return url


class WorkloadView(CycleMixin, TemplateView):
    template_name = "reviews/staff/workload.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cycle = self.get_cycle()
        rows, sort = selectors.workload_order(
            selectors.reviewer_workload(cycle), self.request.GET.get("sort", "")
        )
        return super().get_context_data(
            rows=rows,
            totals={key: sum(getattr(row, key) for row in rows) for key in TOTALS},
            late_count=sum(1 for row in rows if row.overdue),
            pending_count=sum(1 for row in rows if row.pending),
            columns=sort_columns(COLUMNS, sort),
            sort=sort,
            **kwargs,
        )


class ProgressRedirectView(CycleMixin, View):
    """The former reviewer progress page: the workload page shows all it showed."""

    def get(self, request: HttpRequest, cycle: int) -> HttpResponse:
        return HttpResponseRedirect(workload_url(self.get_cycle().pk), status=301)


class RemindView(CycleMixin, View):
    """Remind one reviewer, every late reviewer, or every reviewer with reviews waiting
    (each at most once a day), and say how many reminders went out."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, cycle: int) -> HttpResponse:
        cycle_row = self.get_cycle()
        form = RemindForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a reviewer from the table.")
            return HttpResponseRedirect(workload_url(cycle_row.pk))
        data = form.cleaned_data
        back = workload_url(cycle_row.pk, data["sort"] or "")
        reviewer = None
        if data["reviewer"]:
            reviewer = get_object_or_404(
                get_user_model()
                .objects.filter(assignments__nomination__cycle=cycle_row)
                .distinct(),
                pk=data["reviewer"],
            )
        reminded = services.reviewers_remind(
            actor=request.user,
            cycle=cycle_row,
            reviewer=reviewer,
            late_only=data["late"] and reviewer is None,
        )
        messages.add_message(
            request,
            messages.SUCCESS if reminded else messages.INFO,
            _said(reminded, reviewer, late=data["late"]),
        )
        return HttpResponseRedirect(back)


def _said(reminded: list[Any], reviewer: Any, *, late: bool) -> str:
    """What the page tells staff after reminding: how many emails went out."""
    if reviewer is not None:
        if reminded:
            return f"A reminder was emailed to {reviewer.email}."
        return (
            f"No reminder was sent to {reviewer.full_name or reviewer.email}: nothing of "
            "theirs is waiting, or they were reminded today already."
        )
    if late:
        if reminded:
            return f"A reminder was emailed to {_plural(len(reminded), 'late reviewer')}."
        return (
            "No reminder was sent: no reviewer is late, or every late reviewer was "
            "reminded today already."
        )
    if reminded:
        return f"A reminder was emailed to {_plural(len(reminded), 'reviewer')}."
    return (
        "No reminder was sent: no reviews are waiting, or every reviewer with reviews "
        "waiting was reminded today already."
    )
