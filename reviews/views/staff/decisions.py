"""The scoreboard, staging and releasing decisions, and the CSV exports of a cycle."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refusal_message, refuse
from dz_awards.nominations.enums import DECIDABLE_STATES
from dz_awards.nominations.views.staff import StaffNominationMixin
from reviews import charts, exports, rules, selectors, services
from reviews.enums import Outcome, stage_choices
from reviews.forms.staff import UNSTAGE, DecisionStageForm
from reviews.models import Decision
from reviews.views.staff.common import CycleMixin


@dataclass
class BoardSection:
    board: selectors.CategoryBoard
    chart: charts.Histogram | None  # None without a rubric


class ScoreboardView(CycleMixin, TemplateView):
    template_name = "reviews/staff/scoreboard.html"

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        board = selectors.scoreboard(cycle)
        rubric = board.rubric
        sections = [
            BoardSection(
                category_board,
                charts.histogram(
                    category_board.totals,
                    scale_min=rubric.scale_min,
                    scale_max=rubric.scale_max,
                )
                if rubric
                else None,
            )
            for category_board in board.categories
        ]
        leniency = None
        if rubric and board.reviewers and board.centre is not None:
            leniency = charts.leniency(
                [
                    (person.full_name or person.email, numbers.count, numbers.mean)
                    for person, numbers in board.reviewers
                ],
                centre=board.centre,
                scale_min=rubric.scale_min,
                scale_max=rubric.scale_max,
            )
        return super().get_context_data(
            board=board,
            sections=sections,
            leniency=leniency,
            threshold=cycle.disagreement_threshold,
            **kwargs,
        )


@dataclass
class DecisionLine:
    line: selectors.BoardLine
    choices: list[tuple[str, str]]  # only the outcomes that may be staged now
    staged: Decision | None
    not_offered: str | None = None  # why "Winner" is not among them, when it is not


def decision_line(line: selectors.BoardLine, holders: set, staged: Decision | None) -> DecisionLine:
    """A row of the decisions page: the outcomes its state allows, less a winner where
    the category has its winners (`rules.winner_refusal_among`, the service's rule)."""
    nomination = line.nomination
    choices = stage_choices(nomination.state)
    refusal = rules.winner_refusal_among(nomination.category, holders, nomination_id=nomination.pk)
    if refusal:
        choices = [(value, label) for value, label in choices if value != Outcome.WINNER]
    return DecisionLine(line=line, choices=choices, staged=staged, not_offered=refusal)


class DecisionsView(CycleMixin, TemplateView):
    template_name = "reviews/staff/decisions.html"

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        board = selectors.scoreboard(cycle)
        holders = rules.winner_holders(
            category_board.category for category_board in board.categories
        )
        sections = []
        for category_board in board.categories:
            lines = [
                decision_line(
                    line,
                    holders[category_board.category.pk],
                    selectors.staged_decision(line.nomination),
                )
                for line in category_board.lines
                if line.nomination.state in DECIDABLE_STATES
            ]
            if lines:
                sections.append((category_board, lines))
        return super().get_context_data(
            sections=sections,
            staged=list(selectors.staged_decisions(cycle)),
            unstage=UNSTAGE,
            **kwargs,
        )


class StageDecisionView(StaffNominationMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        nomination = self.get_nomination()
        back = redirect("staff:review-decisions", cycle=nomination.cycle_id)
        form = DecisionStageForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"{nomination}: choose a decision.")
            return back
        outcome = form.cleaned_data["outcome"]
        try:
            if outcome == UNSTAGE:
                removed = services.decision_unstage(actor=request.user, nomination=nomination)
            else:
                decision = services.decision_stage(
                    actor=request.user, nomination=nomination, outcome=outcome
                )
        except REFUSALS as error:
            messages.error(request, f"{nomination}: {refusal_message(error)}")
            return back
        if outcome == UNSTAGE:
            messages.success(
                request,
                f"{nomination}: the staged decision is removed."
                if removed
                else f"{nomination} had no staged decision.",
            )
        else:
            messages.success(
                request,
                f"{nomination} is staged as {decision.get_outcome_display().lower()}. "
                "Nothing changes for the agency until decisions are released.",
            )
        return back


class ReleaseView(CycleMixin, TemplateView):
    """GET: what will be released, and that the agencies get emails. POST: release."""

    template_name = "reviews/staff/release.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            staged=list(selectors.staged_decisions(self.get_cycle())), **kwargs
        )

    def post(self, request, cycle):
        cycle = self.get_cycle()
        try:
            released = services.decisions_release(actor=request.user, cycle=cycle)
        except REFUSALS as error:
            refuse(request, error)
            return redirect("staff:review-release", cycle=cycle.pk)
        count = len(released)
        messages.success(
            request,
            f"{count} decision{'s' if count != 1 else ''} released. Each agency is "
            "emailed its outcome.",
        )
        return redirect("staff:review-decisions", cycle=cycle.pk)


class NominationExportView(CycleMixin, View):
    def get(self, request, cycle):
        return exports.staff_nominations_csv(request.user, self.get_cycle())


class ReviewExportView(CycleMixin, View):
    def get(self, request, cycle):
        return exports.staff_reviews_csv(self.get_cycle())
