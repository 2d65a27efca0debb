"""The review form: score each criterion, save a draft, submit, revise."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refuse
from dz_awards.nominations.enums import NominationState
from reviews import selectors, services
from reviews.enums import AssignmentState
from reviews.forms.reviewer import ReviewForm, review_initial
from reviews.views.reviewer.common import AssignmentMixin

S = NominationState
A = AssignmentState


class ReviewFormView(AssignmentMixin, TemplateView):
    """Score each criterion, save a draft, submit, revise until the phase closes."""

    template_name = "reviews/reviewer/review.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            assignment = self.get_assignment()
            self.rubric, self.criteria = selectors.criteria_for(assignment.nomination)
            self.review = selectors.own_review(assignment)
        return super().dispatch(request, *args, **kwargs)

    def closed_reason(self):
        """Why the review cannot be written now, or "" when it can (first reason that holds)."""
        assignment = self.get_assignment()
        nomination = assignment.nomination
        phase = self.get_rules()
        reasons = [
            (assignment.state == A.INVITED, "Accept the assignment before writing the review."),
            (nomination.state == S.SUBMITTED, "Review of this nomination has not opened yet."),
            (nomination.state != S.IN_REVIEW, "Review of this nomination is closed."),
            (
                phase.phase is None,
                "No review phase is running now: reviews cannot be written or changed.",
            ),
            (not phase.reviews_open, "The review phase is closed: reviews cannot be changed now."),
            (not (self.rubric and self.criteria), "The rubric for this cycle is not set up yet."),
        ]
        return next((text for holds, text in reasons if holds), "")

    def make_form(self, data=None):
        if self.rubric is None:
            return None
        return ReviewForm(
            data,
            rubric=self.rubric,
            criteria=self.criteria,
            initial=None if data is not None else review_initial(self.review),
        )

    def get_context_data(self, **kwargs):
        reason = self.closed_reason()
        form = kwargs.pop("form", None) or self.make_form()
        problems = kwargs.pop("problems", None) or {}
        if form is not None and form.is_bound:
            form.mark_errors()
        assignment = self.get_assignment()
        review = self.review
        return super().get_context_data(
            assignment=assignment,
            copy=self.get_copy(),
            rubric=self.rubric,
            form=form,
            reason=reason,
            editable=not reason,
            # A posted form is shown again even when saving is no longer possible,
            # so that the reviewer can copy what they typed.
            show_form=form is not None and (not reason or form.is_bound),
            review=review,
            submitted=assignment.state == A.SUBMITTED,
            saved_rows=self._saved_rows(),
            error_summary=error_summary(form, problems),
            **kwargs,
        )

    def _saved_rows(self):
        """(criterion, score, what the score means, justification) of the saved review."""
        if self.review is None:
            return []
        saved = {score.criterion_id: score for score in self.review.scores.all()}
        rows = []
        for criterion in self.criteria:
            score = saved.get(criterion.pk)
            value = score.score if score else None
            levels = {level.score: level.text for level in criterion.levels.all()}
            rows.append(
                (criterion, value, levels.get(value, ""), score.justification if score else "")
            )
        return rows

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if form is None or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        submit = request.POST.get("action") == "submit"
        assignment = self.get_assignment()
        data = form.review_input()
        first_submit = submit and assignment.state == A.ACCEPTED
        try:
            services.review_save(user=request.user, assignment=assignment, data=data, submit=submit)
        except services.IncompleteReviewError as error:
            return self._incomplete(request, form, data, error.problems)
        except PermissionDenied:
            raise Http404 from None
        except REFUSALS as error:
            # A stale version, a phase that closed meanwhile: nothing saved, nothing lost.
            refuse(request, error)
            return self.render_to_response(self.get_context_data(form=form))
        if not submit:
            messages.success(request, "Your draft is saved. Submit the review when it is complete.")
            return redirect("reviews:review", pk=assignment.pk)
        if first_submit:
            messages.success(request, "Your review is submitted. Thank you.")
        else:
            messages.success(request, "Your submitted review is updated.")
        return redirect("reviews:assignment", pk=assignment.pk)

    def _incomplete(self, request, form, data, problems):
        """Submit refused: keep the answers as a draft when possible, and say what is missing."""
        saved = False
        if self.get_assignment().state == A.ACCEPTED:
            try:
                review = services.review_save(
                    user=request.user, assignment=self.get_assignment(), data=data, submit=False
                )
            except services.ReviewError:
                # What is missing is what the reviewer needs to read; a draft that
                # cannot be kept either (the phase closed meanwhile) changes nothing of it.
                pass
            else:
                saved = True
                self.review = review
                posted = request.POST.copy()
                posted["version"] = str(review.version)
                form = self.make_form(posted)
                form.is_valid()
        for name, message in problems.items():
            form.add_error(name if name in form.fields else None, message)
        if saved:
            messages.warning(
                request,
                "Your answers are saved as a draft. The review is not submitted yet: "
                "complete what is listed below, then submit it.",
            )
        return self.render_to_response(self.get_context_data(form=form, problems=problems))


def _anchor(bound_field):
    """The id to focus for a field: the first radio of a radio group."""
    if getattr(bound_field.field.widget, "input_type", "") == "radio":
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


def error_summary(form, problems):
    """(anchor, text) for every error of the form, in the page's order."""
    if form is None or not form.is_bound:
        return []
    summary = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        for error in form.errors.get(name, []):
            text = error if problems.get(name) == error else f"{field.label}: {error}"
            summary.append((_anchor(form[name]), text))
    summary += [(None, error) for error in form.non_field_errors()]
    return summary
