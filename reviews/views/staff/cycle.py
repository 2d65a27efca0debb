"""The review of a cycle: its overview and automatic assignment (reviewers' workload and
reminders: `workload`)."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refusal_message
from dz_awards.cycles.models import Category
from dz_awards.nominations.enums import REVIEWABLE_STATES, NominationState
from dz_awards.nominations.models import Nomination
from reviews import rules, selectors, services
from reviews.enums import CopyStatus
from reviews.models import ReviewCopy
from reviews.views.staff.common import CycleMixin


@dataclass
class OverviewRow:
    nomination: Nomination
    copy: ReviewCopy | None
    status: CopyStatus
    blockers: list[str]  # what keeps review from opening, in a few words

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass
class OverviewCategory:
    category: Category | None
    rows: list[OverviewRow] = field(default_factory=list)


class ReviewOverviewView(CycleMixin, TemplateView):
    template_name = "reviews/staff/overview.html"

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        needed = cycle.reviewers_per_nomination
        categories = list(selectors.review_categories(cycle))
        by_category = {category.pk: OverviewCategory(category) for category in categories}
        uncategorised = OverviewCategory(None)
        counts = dict.fromkeys(
            (state for state in NominationState if state in REVIEWABLE_STATES), 0
        )
        for nomination in selectors.staff_review_nominations(self.request.user, cycle):
            copy = getattr(nomination, "review_copy", None)
            status = rules.copy_status(copy)
            blockers = (
                rules.open_review_blockers(status, nomination.accepted_count, needed)
                if nomination.state == NominationState.SUBMITTED
                else []
            )
            row = OverviewRow(
                nomination=nomination,
                copy=copy,
                status=status,
                blockers=[blocker.short for blocker in blockers],
            )
            by_category.get(nomination.category_id, uncategorised).rows.append(row)
            if nomination.state in counts:
                counts[nomination.state] += 1
        groups = [by_category[c.pk] for c in categories]
        if uncategorised.rows:
            groups.append(uncategorised)
        return super().get_context_data(
            groups=groups,
            needed=needed,
            counts=counts,
            rules=selectors.phase_rules(cycle),
            phases=list(cycle.phases.order_by("starts_at")),
            staged_count=selectors.staged_decisions(cycle).count(),
            without_panel=[c for c in categories if not c.panel_size],
            **kwargs,
        )


class AutoAssignView(CycleMixin, View):
    http_method_names = ["post"]

    def post(self, request, cycle):
        cycle = self.get_cycle()
        try:
            run = services.assignment_auto(actor=request.user, cycle=cycle)
        except REFUSALS as error:
            messages.error(request, f"No reviewers were assigned. {refusal_message(error)}")
            return redirect("staff:review", cycle=cycle.pk)
        created = len(run.created)
        if created:
            messages.success(
                request,
                f"{created} assignment{'s' if created != 1 else ''} created; "
                "each reviewer gets an email.",
            )
        else:
            messages.info(request, "No new assignments were needed or possible.")
        return render(
            request,
            "reviews/staff/auto_assign.html",
            {"cycle": cycle, "run": run, "created_count": created},
        )
