"""One nomination under review: its review copy, its assignments, opening and closing review."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.errors import REFUSALS, refusal_message, refuse
from dz_awards.nominations import selectors as nomination_selectors
from dz_awards.nominations.enums import REVIEWABLE_STATES, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence, Nomination, NominationRevision
from dz_awards.nominations.snapshots import readable_items
from dz_awards.nominations.views.staff import StaffNominationMixin
from reviews import rules, selectors, services
from reviews.forms.staff import (
    AssignmentAddForm,
    CleanCopyReplaceForm,
    CloseReviewForm,
    FindingOverrideForm,
    ReviewCopyForm,
)
from reviews.models import ReviewCopy
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
            file_rows=file_rows(copy),
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


def ocr_summary(evidence: Evidence) -> str:
    """What OCR did with a file, in a sentence for staff ("OCR read 12 of 40 pages in
    31 s; stopped by the page budget")."""
    ocr = evidence.ocr or {}
    if not ocr:
        return "OCR has not run yet."
    if ocr.get("error"):
        return f"{ocr['error']}: look at its pictures yourself."
    read, total = ocr.get("pages_read", 0), ocr.get("pages_total", 0)
    unit = "page" if total == 1 else "pages"
    text = f"OCR read {read} of {total} {unit} in {round(ocr.get('seconds') or 0)} s"
    if ocr.get("stopped"):
        text += f"; stopped by the {ocr['stopped']}"
    return text + "."


def file_rows(copy: ReviewCopy) -> list[dict[str, Any]]:
    """The files chosen for reviewers, numbered as the check names them, each with its
    OCR result, the findings holding it back and those staff set aside."""
    if copy.pk is None:
        return []
    rows = []
    for number, evidence in enumerate(
        copy.files.filter(status=EvidenceStatus.READY).order_by("created_at"), start=1
    ):
        key = str(evidence.pk)
        rows.append(
            {
                "number": number,
                "evidence": evidence,
                "ocr": ocr_summary(evidence),
                "held": [f for f in copy.leaks if f.get("file") == key],
                "overridden": [f for f in copy.overridden if f.get("file") == key],
            }
        )
    return rows


class ReviewCopyFileView(StaffNominationMixin, TemplateView):
    """One file of the review copy: what the check found in it, and the two ways out —
    a corrected clean copy, or the findings set aside as a false positive, with why."""

    template_name = "reviews/staff/review_copy_file.html"

    def get_copy(self) -> ReviewCopy:
        copy = selectors.review_copy_of(self.get_nomination())
        if copy.pk is None:
            raise Http404
        return copy

    def get_row(self, copy: ReviewCopy) -> dict[str, Any]:
        row = next(
            (r for r in file_rows(copy) if str(r["evidence"].pk) == str(self.kwargs["evidence"])),
            None,
        )
        if row is None:
            raise Http404
        return row

    def get_context_data(self, **kwargs):
        copy = self.get_copy()
        row = self.get_row(copy)
        nomination = self.get_nomination()
        # The override answers the findings this page shows, as they are now; a form
        # shown again after a refusal answers the findings it now shows.
        seen = services.findings_seen(row["held"])
        override_form = kwargs.setdefault(
            "override_form", FindingOverrideForm(initial={"seen": seen})
        )
        if override_form.is_bound:
            override_form.data = override_form.data.copy()
            override_form.data[override_form.add_prefix("seen")] = seen
        replace_form = kwargs.setdefault("replace_form", CleanCopyReplaceForm())
        editable = nomination.state in REVIEWABLE_STATES
        show_override = editable and copy.is_checked and bool(row["held"])
        show_replace = editable and row["evidence"].is_pdf
        # A refusal of a form the page no longer shows (nothing is left to set aside, or
        # the nomination left review meanwhile) is shown on its own, never lost.
        refusals = [
            error
            for form, shown in ((override_form, show_override), (replace_form, show_replace))
            if not shown
            for errors in form.errors.values()
            for error in errors
        ]
        return super().get_context_data(
            copy=copy,
            row=row,
            overrides=list(
                copy.overrides.filter(evidence_id=self.kwargs["evidence"]).select_related(
                    "created_by"
                )
            ),
            editable=editable,
            show_override=show_override,
            show_replace=show_replace,
            refusals=refusals,
            **kwargs,
        )

    def post(self, request, pk, evidence):
        copy = self.get_copy()
        item = self.get_row(copy)["evidence"]
        action = request.POST.get("action")
        if action == "override":
            form = FindingOverrideForm(request.POST)
            context = "override_form"
        else:
            form = CleanCopyReplaceForm(request.POST, request.FILES)
            context = "replace_form"
        if form.is_valid():
            try:
                if action == "override":
                    services.review_copy_override(
                        actor=request.user,
                        nomination=self.get_nomination(),
                        evidence=item,
                        reason=form.cleaned_data["reason"],
                        seen=form.cleaned_data["seen"],
                    )
                    done = "The findings in this file are set aside; your reason is recorded."
                else:
                    services.review_copy_file_replace(
                        actor=request.user,
                        nomination=self.get_nomination(),
                        evidence=item,
                        upload=form.cleaned_data["file"],
                    )
                    done = (
                        "The clean copy is replaced. OCR and the identity check run now; "
                        "reload the review copy in a moment to see the result."
                    )
            except REFUSALS as error:
                refuse(request, error, form=form)
            else:
                messages.success(request, done)
                return redirect("staff:nomination-review-copy", pk=pk)
        return self.render_to_response(self.get_context_data(**{context: form}))


@dataclass(frozen=True)
class PanelChoices:
    """Who of the panel staff may assign by hand now, and who not, with why.

    `blocker` says why nobody may be assigned (the nomination is decided, or its
    review copy is not cleared); `refused` pairs each reviewer not offered with
    the reason, in words (`rules.assignment_refusal`, the service's own rule).
    """

    blocker: str | None
    offered: list[Any]
    refused: list[tuple[Any, str]]


def panel_choices(nomination: Nomination) -> PanelChoices:
    blocker = rules.assignment_blocker(nomination, selectors.review_copy_of(nomination))
    people = list(selectors.panel_candidates(nomination))
    if blocker or not people:
        return PanelChoices(blocker, [], [])
    cycle = nomination.cycle
    (item,) = services.planner_items([nomination], cycle)
    offered, refused = [], []
    for person, candidate in zip(people, services.planner_candidates(people, cycle), strict=True):
        refusal = rules.assignment_refusal(
            candidate, item, same_state_rule=cycle.conflict_same_state
        )
        if refusal is None:
            offered.append(person)
        else:
            refused.append((person, refusal))
    return PanelChoices(None, offered, refused)


class NominationAssignmentsView(StaffNominationMixin, FormView):
    template_name = "reviews/staff/assignments.html"
    form_class = AssignmentAddForm

    def get_choices(self) -> PanelChoices:
        if not hasattr(self, "_choices"):
            self._choices = panel_choices(self.get_nomination())
        return self._choices

    def get_form_kwargs(self):
        offered = [person.pk for person in self.get_choices().offered]
        return {
            **super().get_form_kwargs(),
            "candidates": selectors.panel_candidates(self.get_nomination()).filter(pk__in=offered),
        }

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        context = {
            "choices": self.get_choices(),
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

    def form_invalid(self, form):
        # A reviewer the page does not offer (posted from a page drawn before the rules
        # changed, or by hand) gets the real reason, once, as the service would say it.
        choices = self.get_choices()
        posted = self.request.POST.get("reviewer", "")
        refused = {str(person.pk): (person, reason) for person, reason in choices.refused}
        if choices.blocker or posted in refused:
            if choices.blocker:
                messages.error(self.request, choices.blocker)
            else:
                person, reason = refused[posted]
                messages.error(self.request, f"{person} cannot be assigned: {reason}.")
            return redirect("staff:nomination-assignments", pk=self.get_nomination().pk)
        return super().form_invalid(form)

    def form_valid(self, form):
        nomination = self.get_nomination()
        reviewer = form.cleaned_data["reviewer"]
        try:
            services.assignment_add(
                actor=self.request.user, nomination=nomination, reviewer=reviewer
            )
        except REFUSALS as error:
            # Said once, as the page's message: the page is drawn again from what holds
            # now, so the form offers no one the service would refuse.
            refuse(self.request, error)
            return redirect("staff:nomination-assignments", pk=nomination.pk)
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
