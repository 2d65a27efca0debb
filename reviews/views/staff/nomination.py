"""One nomination under review: its review copy, its assignments, opening and closing review."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.errors import REFUSALS, refusal_message, refuse
from dz_awards.nominations import selectors as nomination_selectors
from dz_awards.nominations.enums import REVIEWABLE_STATES, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence, NominationRevision
from dz_awards.nominations.snapshots import readable_items
from dz_awards.nominations.views.staff import StaffNominationMixin
from reviews import rules, selectors, services
from reviews.forms.staff import AssignmentAddForm, CloseReviewForm, ReviewCopyForm
from reviews.views.staff.common import safe_next, staff_assignment

S = NominationState


def prefilled_text(revision: NominationRevision | None) -> str:
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
            status=rules.copy_status(copy),
            latest=self.get_latest(),
            editable=nomination.state in REVIEWABLE_STATES,
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
            refuse(self.request, error, form=form)
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
        context = {
            "assignments": selectors.nomination_assignments_for_staff(nomination),
            "conflicts": list(selectors.declared_conflicts_of(nomination)),
            "needed": nomination.cycle.reviewers_per_nomination,
            "copy_status": rules.copy_status(selectors.review_copy_of(nomination)).label,
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
            refuse(self.request, error, form=form)
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
        back = safe_next(request, reverse("staff:nomination-assignments", kwargs={"pk": pk}))
        try:
            services.nomination_open_review(actor=request.user, nomination=nomination)
        except REFUSALS as error:
            messages.error(
                request, f"Review of {nomination} did not open: {refusal_message(error)}"
            )
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
            refuse(self.request, error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, f"Review of {nomination} is closed.")
        return redirect("staff:review", cycle=nomination.cycle_id)


class AssignmentRemoveView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        row = staff_assignment(request, pk)
        name = row.reviewer.full_name or row.reviewer.email
        try:
            services.assignment_remove(actor=request.user, assignment=row)
        except REFUSALS as error:
            messages.error(request, f"{name} was not removed: {refusal_message(error)}")
        else:
            messages.success(request, f"{name} is no longer assigned to this nomination.")
        return redirect("staff:nomination-assignments", pk=row.nomination_id)


class AssignmentReopenView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        row = staff_assignment(request, pk)
        name = row.reviewer.full_name or row.reviewer.email
        try:
            services.assignment_reopen(actor=request.user, assignment=row)
        except REFUSALS as error:
            messages.error(
                request, f"The review by {name} was not reopened: {refusal_message(error)}"
            )
        else:
            messages.success(request, f"The review by {name} is reopened; they are told by email.")
        return redirect("staff:nomination-assignments", pk=row.nomination_id)
