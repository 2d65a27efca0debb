"""Program staff review pages: reviewers, the review of a cycle, one nomination's
review copy and assignments, progress, the scoreboard, decisions and exports.

Every page is for program staff only (others get 404). Every change is a POST
handled by a service in `reviews.services`; a refusal is shown in
plain words and any text typed is kept.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.csv_export import csv_response
from dz_awards.cycles.models import Cycle
from dz_awards.nominations import selectors as nomination_selectors
from dz_awards.nominations.enums import EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence
from dz_awards.nominations.snapshots import readable_items
from dz_awards.nominations.views.staff import StaffNominationMixin
from reviews import charts, selectors, services
from reviews.enums import AssignmentState, Outcome
from reviews.forms.staff import (
    UNSTAGE,
    AssignmentAddForm,
    CloseReviewForm,
    DecisionStageForm,
    RemindForm,
    ReviewCopyForm,
    ReviewerInviteForm,
)
from reviews.models import Assignment

S = NominationState
A = AssignmentState

# The review copy can change while these last (see services.review_copy_save).
COPY_EDITABLE_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.REVIEWED})
DECIDABLE_STATES = frozenset({S.REVIEWED, S.FINALIST})


def stage_choices(state):
    """The decisions a nomination in `state` may be staged as (services.STAGEABLE)."""
    return [
        (outcome.value, outcome.label)
        for outcome in Outcome
        if state in services.STAGEABLE[outcome]
    ]


def refusal(error):
    """What to tell staff when a service refuses a change."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return "You may not make this change."
    return str(error)


REFUSALS = (services.ReviewError, ValidationError, PermissionDenied)


def _safe_next(request, fallback):
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class CycleMixin(StaffRequiredMixin):
    """The cycle named in the URL (staff see every cycle)."""

    def get_cycle(self):
        if not hasattr(self, "_cycle"):
            self._cycle = get_object_or_404(Cycle, pk=self.kwargs["cycle"])
        return self._cycle

    def get_context_data(self, **kwargs):
        # The URL's `cycle` (a number) arrives in kwargs: the page gets the object.
        kwargs["cycle"] = self.get_cycle()
        return super().get_context_data(**kwargs)


# Reviewers -----------------------------------------------------------------------


def invitation_status(invitation, moment):
    if invitation.accepted_at is not None:
        return "used"
    if invitation.expires_at <= moment:
        return "expired"
    return "pending"


class ReviewerListView(StaffRequiredMixin, TemplateView):
    template_name = "reviews/staff/reviewers.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        invitations = list(selectors.invitations_for_staff())
        for invitation in invitations:
            invitation.status = invitation_status(invitation, now)
        return super().get_context_data(
            reviewers=list(selectors.reviewers_for_staff()),
            pending=[i for i in invitations if i.status == "pending"],
            used=[i for i in invitations if i.status == "used"],
            expired=[i for i in invitations if i.status == "expired"],
            **kwargs,
        )


class ReviewerInviteView(StaffRequiredMixin, FormView):
    template_name = "reviews/staff/reviewer_invite.html"
    form_class = ReviewerInviteForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            invitation, _token = services.reviewer_invite(
                actor=self.request.user,
                email=data["email"],
                full_name=data["full_name"],
                home_agency=data["home_agency"],
                state=data["state"],
                panel=data["panel"],
            )
        except REFUSALS as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)
        days = settings.REVIEWER_INVITATION_DAYS
        messages.success(
            self.request,
            f"An invitation link was emailed to {invitation.email}. It works once, "
            f"for {days} day{'s' if days != 1 else ''}.",
        )
        return redirect("staff:reviewers")


# The review of a cycle -----------------------------------------------------------------


COPY_STATUS_LABELS = {
    "missing": "Missing",
    "checking": "Identity check running",
    "identity": "Identity found",
    "ready": "Ready",
}


def copy_status(copy):
    """missing / checking / identity (the check found the agency) / ready."""
    if copy is None or not copy.is_ready:
        return "missing"
    if not copy.is_checked:
        return "checking"
    if copy.leaks:
        return "identity"
    return "ready"


def open_review_blockers(status, accepted, needed):
    """In short words, what stops review from opening (the service says it in full)."""
    blockers = []
    if status == "missing":
        blockers.append("review copy not written")
    elif status == "checking":
        blockers.append("identity check not finished")
    elif status == "identity":
        blockers.append("identity found in the review copy")
    if accepted < needed:
        blockers.append(f"{accepted} of {needed} reviewers accepted")
    return blockers


@dataclass
class OverviewRow:
    nomination: object
    copy: object
    status: str
    status_label: str
    blockers: list


@dataclass
class OverviewCategory:
    category: object
    rows: list


class ReviewOverviewView(CycleMixin, TemplateView):
    template_name = "reviews/staff/overview.html"

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        needed = cycle.reviewers_per_nomination
        categories = list(selectors.review_categories(cycle))
        by_category = {category.pk: OverviewCategory(category, []) for category in categories}
        uncategorised = OverviewCategory(None, [])
        counts = dict.fromkeys((S.SUBMITTED, S.IN_REVIEW, S.REVIEWED), 0)
        for nomination in selectors.staff_review_nominations(self.request.user, cycle):
            copy = getattr(nomination, "review_copy", None)
            status = copy_status(copy)
            row = OverviewRow(
                nomination=nomination,
                copy=copy,
                status=status,
                status_label=COPY_STATUS_LABELS[status],
                blockers=open_review_blockers(status, nomination.accepted_count, needed)
                if nomination.state == S.SUBMITTED
                else [],
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
            messages.error(request, f"No reviewers were assigned. {refusal(error)}")
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


# One nomination: review copy, assignments, opening and closing review ------------------


def prefilled_text(revision):
    """The latest submission's answers as plain text, for staff to redact."""
    if revision is None:
        return ""
    return "\n\n".join(
        f"{label}\n{text}"
        for label, text in readable_items(revision.content)
        if label not in selectors.NOT_FOR_REVIEWERS and text.strip()
    )


class ReviewCopyView(StaffNominationMixin, FormView):
    template_name = "reviews/staff/review_copy.html"
    form_class = ReviewCopyForm

    def get_latest(self):
        if not hasattr(self, "_latest"):
            revisions = list(nomination_selectors.revisions_of(self.get_nomination()))
            self._latest = revisions[-1] if revisions else None
        return self._latest

    def get_files(self):
        latest = self.get_latest()
        if latest is None:
            return Evidence.objects.none()
        return nomination_selectors.evidence_of_revision(latest).filter(
            status=EvidenceStatus.READY, removed_at__isnull=True
        )

    def get_copy(self):
        if not hasattr(self, "_copy"):
            self._copy = selectors.review_copy_of(self.get_nomination())
        return self._copy

    def get_initial(self):
        copy = self.get_copy()
        if copy.pk is None:
            # First visit: the submission itself, for staff to redact.
            return {"redacted_text": prefilled_text(self.get_latest())}
        return {
            "executive_summary": copy.executive_summary,
            "redacted_title": copy.redacted_title,
            "redacted_text": copy.redacted_text,
            "files": list(copy.files.all()),
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "files": self.get_files()}

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        copy = self.get_copy()
        agency = nomination.agency
        return super().get_context_data(
            copy=copy,
            saved=copy.pk is not None,
            status=copy_status(copy if copy.pk else None),
            latest=self.get_latest(),
            editable=nomination.state in COPY_EDITABLE_STATES,
            looked_for=[
                ("Agency name", agency.name),
                ("City", agency.city),
                ("ORI", agency.ori or "none given"),
            ],
            **kwargs,
        )

    def form_valid(self, form):
        nomination = self.get_nomination()
        data = form.cleaned_data
        try:
            services.review_copy_save(
                actor=self.request.user,
                nomination=nomination,
                executive_summary=data["executive_summary"],
                redacted_title=data["redacted_title"],
                redacted_text=data["redacted_text"],
                files=data["files"],
            )
        except REFUSALS as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            "The review copy is saved. The identity check runs now; reload this page "
            "in a moment to see its result.",
        )
        return redirect("staff:nomination-review-copy", pk=nomination.pk)


class NominationAssignmentsView(StaffNominationMixin, FormView):
    template_name = "reviews/staff/assignments.html"
    form_class = AssignmentAddForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "candidates": selectors.panel_candidates(self.get_nomination()),
        }

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        copy = selectors.review_copy_of(nomination)
        context = {
            "assignments": selectors.nomination_assignments_for_staff(nomination),
            "conflicts": list(selectors.declared_conflicts_of(nomination)),
            "needed": nomination.cycle.reviewers_per_nomination,
            "copy_status": COPY_STATUS_LABELS[copy_status(copy if copy.pk else None)],
        }
        if nomination.state == S.SUBMITTED:
            context["open_problems"] = services.open_review_problems(nomination)
        if nomination.state == S.IN_REVIEW:
            context["close_problems"] = services.close_review_problems(nomination)
        return super().get_context_data(**context, **kwargs)

    def form_valid(self, form):
        nomination = self.get_nomination()
        reviewer = form.cleaned_data["reviewer"]
        try:
            services.assignment_add(
                actor=self.request.user, nomination=nomination, reviewer=reviewer
            )
        except REFUSALS as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{reviewer.full_name or reviewer.email} is assigned and gets an email.",
        )
        return redirect("staff:nomination-assignments", pk=nomination.pk)


class OpenReviewView(StaffNominationMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        nomination = self.get_nomination()
        back = _safe_next(request, reverse("staff:nomination-assignments", kwargs={"pk": pk}))
        try:
            services.nomination_open_review(actor=request.user, nomination=nomination)
        except REFUSALS as error:
            messages.error(request, f"Review of {nomination} did not open: {refusal(error)}")
        else:
            messages.success(
                request, f"Review of {nomination} is open; its reviewers are told by email."
            )
        return redirect(back)


class CloseReviewView(StaffNominationMixin, FormView):
    template_name = "reviews/staff/close_review.html"
    form_class = CloseReviewForm

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        return super().get_context_data(
            problems=services.close_review_problems(nomination)
            if nomination.state == S.IN_REVIEW
            else [],
            **kwargs,
        )

    def form_valid(self, form):
        nomination = self.get_nomination()
        try:
            services.nomination_close_review(
                actor=self.request.user,
                nomination=nomination,
                override_reason=form.cleaned_data["override_reason"],
            )
        except REFUSALS as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)
        messages.success(self.request, f"Review of {nomination} is closed.")
        return redirect("staff:review", cycle=nomination.cycle_id)


def _staff_assignment(request, pk):
    return get_object_or_404(
        Assignment.objects.select_related("nomination", "reviewer").filter(
            nomination__in=nomination_selectors.nominations_for_staff(request.user)
        ),
        pk=pk,
    )


class AssignmentRemoveView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        row = _staff_assignment(request, pk)
        name = row.reviewer.full_name or row.reviewer.email
        try:
            services.assignment_remove(actor=request.user, assignment=row)
        except REFUSALS as error:
            messages.error(request, f"{name} was not removed: {refusal(error)}")
        else:
            messages.success(request, f"{name} is no longer assigned to this nomination.")
        return redirect("staff:nomination-assignments", pk=row.nomination_id)


class AssignmentReopenView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        row = _staff_assignment(request, pk)
        name = row.reviewer.full_name or row.reviewer.email
        try:
            services.assignment_reopen(actor=request.user, assignment=row)
        except REFUSALS as error:
            messages.error(request, f"The review by {name} was not reopened: {refusal(error)}")
        else:
            messages.success(request, f"The review by {name} is reopened; they are told by email.")
        return redirect("staff:nomination-assignments", pk=row.nomination_id)


# Progress and reminders ---------------------------------------------------------------


class ProgressView(CycleMixin, TemplateView):
    template_name = "reviews/staff/progress.html"

    def get_context_data(self, **kwargs):
        rows = selectors.reviewer_progress(self.get_cycle())
        totals = {
            key: sum(row[key] for row in rows)
            for key in ("assigned", "accepted", "submitted", "declined", "conflicted", "overdue")
        }
        return super().get_context_data(rows=rows, totals=totals, **kwargs)


class RemindView(CycleMixin, View):
    http_method_names = ["post"]

    def post(self, request, cycle):
        cycle = self.get_cycle()
        form = RemindForm(request.POST)
        reviewer = None
        if form.is_valid() and form.cleaned_data["reviewer"]:
            reviewer = get_object_or_404(
                get_user_model().objects.filter(assignments__nomination__cycle=cycle).distinct(),
                pk=form.cleaned_data["reviewer"],
            )
        elif not form.is_valid():
            messages.error(request, "Choose a reviewer from the table.")
            return redirect("staff:review-progress", cycle=cycle.pk)
        try:
            reminded = services.reviewers_remind(actor=request.user, cycle=cycle, reviewer=reviewer)
        except REFUSALS as error:
            messages.error(request, f"No reminder was sent. {refusal(error)}")
            return redirect("staff:review-progress", cycle=cycle.pk)
        if not reminded:
            messages.info(
                request,
                "No reminder was sent: no reviews are waiting"
                + (f" for {reviewer.full_name or reviewer.email}." if reviewer else "."),
            )
        elif reviewer is not None:
            messages.success(request, f"A reminder was emailed to {reviewer.email}.")
        else:
            messages.success(
                request,
                f"A reminder was emailed to {len(reminded)} reviewer"
                f"{'s' if len(reminded) != 1 else ''}.",
            )
        return redirect("staff:review-progress", cycle=cycle.pk)


# Scoreboard and decisions -------------------------------------------------------------


@dataclass
class BoardSection:
    board: object  # selectors.CategoryBoard
    chart: object  # charts.Histogram, or None without a rubric


class ScoreboardView(CycleMixin, TemplateView):
    template_name = "reviews/staff/scoreboard.html"

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        board = selectors.scoreboard(cycle)
        rubric = board.rubric
        totals = selectors.review_totals_by_category(cycle) if rubric else {}
        sections = [
            BoardSection(
                category_board,
                charts.histogram(
                    totals.get(category_board.category.pk, []),
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
    line: object  # selectors.BoardLine
    choices: list  # (value, label)
    staged: object  # the unreleased Decision, or None


def _staged(nomination):
    decision = getattr(nomination, "decision", None)
    if decision is None or decision.released_at is not None:
        return None
    return decision


class DecisionsView(CycleMixin, TemplateView):
    template_name = "reviews/staff/decisions.html"

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        board = selectors.scoreboard(cycle)
        sections = []
        for category_board in board.categories:
            lines = [
                DecisionLine(
                    line=line,
                    choices=stage_choices(line.nomination.state),
                    staged=_staged(line.nomination),
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
            messages.error(request, f"{nomination}: {refusal(error)}")
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
            messages.error(request, refusal(error))
            return redirect("staff:review-release", cycle=cycle.pk)
        count = len(released)
        messages.success(
            request,
            f"{count} decision{'s' if count != 1 else ''} released. Each agency is "
            "emailed its outcome.",
        )
        return redirect("staff:review-decisions", cycle=cycle.pk)


# Exports ------------------------------------------------------------------------------


def _number(value):
    return None if value is None else round(float(value), 2)


class NominationExportView(CycleMixin, View):
    def get(self, request, cycle):
        cycle = self.get_cycle()
        board = selectors.scoreboard(cycle)
        lines = {line.nomination.pk: line for c in board.categories for line in c.lines}
        header = [
            "Nomination id",
            "Category",
            "Agency",
            "City",
            "State",
            "Title",
            "Status",
            "Reviews",
            "Mean",
            "Median",
            "Spread",
            "Normalised",
            "Rank",
            "Disagreement",
            "Staged decision",
        ]
        rows = []
        for nomination in selectors.staff_review_nominations(request.user, cycle):
            line = lines.get(nomination.pk)
            stats = line.stats if line else None
            staged = _staged(nomination)
            rows.append(
                [
                    str(nomination.pk),
                    nomination.category.label if nomination.category else "",
                    nomination.agency.name,
                    nomination.agency.city,
                    nomination.agency.state,
                    nomination.title,
                    nomination.get_state_display(),
                    stats.count if stats else 0,
                    _number(stats.mean) if stats else None,
                    _number(stats.median) if stats else None,
                    _number(stats.spread) if stats else None,
                    _number(stats.normalised) if stats else None,
                    line.rank if line else None,
                    stats.disagreement if stats else None,
                    staged.get_outcome_display() if staged else "",
                ]
            )
        return csv_response(f"review-{cycle.year}-nominations.csv", header, rows)


class ReviewExportView(CycleMixin, View):
    def get(self, request, cycle):
        cycle = self.get_cycle()
        criteria = selectors.cycle_criteria(cycle)
        header = [
            "Nomination id",
            "Title",
            "Agency",
            "Reviewer name",
            "Reviewer email",
            "State",
            "Confidence",
            "Total",
        ]
        for criterion in criteria:
            name = criterion.name
            if criterion.category_id:
                name = f"{name} ({criterion.category.label})"
            header += [f"{name}: score", f"{name}: justification"]
        header += ["Overall comment", "Submitted at"]
        rows = []
        for review in selectors.reviews_for_export(cycle):
            row = review.assignment
            nomination = row.nomination
            scores = {score.criterion_id: score for score in review.scores.all()}
            cells = [
                str(nomination.pk),
                nomination.title,
                nomination.agency.name,
                row.reviewer.full_name,
                row.reviewer.email,
                row.get_state_display(),
                review.get_confidence_display(),
                _number(review.total),
            ]
            for criterion in criteria:
                score = scores.get(criterion.pk)
                cells += [score.score if score else None, score.justification if score else ""]
            cells += [
                review.overall_comment,
                timezone.localtime(review.submitted_at).isoformat(timespec="minutes"),
            ]
            rows.append(cells)
        return csv_response(f"review-{cycle.year}-reviews.csv", header, rows)
