"""The review page: the reviewer's copy beside the score sheet; score each criterion,
save a draft (by hand or in the background), submit, revise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.views import View
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refusal_message, refuse
from dz_awards.nominations.enums import NominationState
from reviews import scoring, selectors, services
from reviews.enums import AssignmentState
from reviews.forms.reviewer import ReviewForm, review_initial
from reviews.models import Criterion, Review, Rubric
from reviews.views.reviewer.common import AssignmentMixin

S = NominationState
A = AssignmentState


@dataclass(frozen=True)
class RunningTotal:
    """The weighted total of the criteria scored so far, as the score sheet shows it.

    `total` is None until a criterion has a score. Once every criterion has one it
    is the total `services.review_save` stores on submit: both come from
    `scoring.weighted_total`, and the page's script works it out the same way.
    """

    total: float | None
    scored: int
    criteria: int


def running_total(
    rubric: Rubric, criteria: list[Criterion], scores: Mapping[int, int | None]
) -> RunningTotal:
    """The weighted mean of the scores given so far (`scores`: {criterion pk: score})."""
    given = {c.pk: score for c in criteria if (score := scores.get(c.pk)) is not None}
    if not given:
        return RunningTotal(total=None, scored=0, criteria=len(criteria))
    total = scoring.weighted_total(
        given,
        {c.pk: c.weight for c in criteria if c.pk in given},
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
    )
    return RunningTotal(total=total, scored=len(given), criteria=len(criteria))


def _chosen(value: object, scale: range) -> int | None:
    """A radio group's value as a score on the scale, or None (nothing, or not a score)."""
    try:
        score = int(str(value))
    except ValueError:
        return None
    return score if score in scale else None


def saved_at_text(review: Review) -> str:
    """When the draft was last saved, as the status line says it (Eastern time)."""
    return date_format(timezone.localtime(review.updated_at), "g:i A")


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
        submitted = assignment.state == A.SUBMITTED
        sheet_rows = self._sheet_rows(form)
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
            # Only a draft saves in the background: a submitted review changes only when
            # its reviewer presses "Update submitted review".
            autosave=not reason and not submitted,
            review=review,
            submitted=submitted,
            saved_rows=self._saved_rows(),
            sheet_rows=sheet_rows,
            running=(
                running_total(
                    self.rubric, self.criteria, {c.pk: value for c, *_, value in sheet_rows}
                )
                if self.rubric
                else None
            ),
            policy=selectors.review_policy(assignment.nomination.cycle),
            show_others=self.get_rules().show_others,
            error_summary=error_summary(form, problems),
            **kwargs,
        )

    def _sheet_rows(self, form):
        """(criterion, score field, justification field, score chosen) in rubric order."""
        if form is None:
            return []
        scale = self.rubric.scale
        return [
            (criterion, score, justification, _chosen(score.value(), scale))
            for criterion, score, justification in form.rows()
        ]

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


SIGNED_OUT = {
    "status": "signed_out",
    "message": "Your session has ended. Sign in again to keep saving.",
}
STALE = (
    "This review was changed in another window or tab since this page was opened, so "
    "what is here was not saved. Your text stays on this page: copy what you need, then "
    "reload the page."
)


class ReviewAutosaveView(AssignmentMixin, View):
    """The score sheet's background save of a draft. JSON in both directions, never a redirect.

    GET returns the saved version and a fresh CSRF token (the page asks after a
    sign-in in another tab rotated the token). POST saves a draft as "Save draft"
    does, through `services.review_save(submit=False)` and its rules: the version
    the page was loaded with must still be the saved one (else 409, nothing
    overwritten), a submitted review is not changed in the background, and a
    closed phase refuses. The assignment comes from the reviewer's own scope: any
    other is a 404, as on every reviewer page.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse(SIGNED_OUT, status=401)
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 302:
            # Sent to give a second factor first: to the page's script, a session to renew.
            return JsonResponse(SIGNED_OUT, status=401)
        return response

    def get(self, request, pk):
        review = selectors.own_review(self.get_assignment())
        return JsonResponse(
            {"version": review.version if review else 1, "csrf_token": get_token(request)}
        )

    def post(self, request, pk):
        assignment = self.get_assignment()
        rubric, criteria = selectors.criteria_for(assignment.nomination)
        if rubric is None or not criteria:
            return _refused("locked", "The rubric for this cycle is not set up yet.")
        if not request.POST.get("version", "").isdigit():
            return _refused(
                "invalid", "The page is out of date: reload it to go on.", status_code=400
            )
        form = ReviewForm(request.POST, rubric=rubric, criteria=criteria)
        if not form.is_valid():
            return JsonResponse(
                {
                    "status": "invalid",
                    "message": _first_error(form),
                    "errors": {name: [str(e) for e in errs] for name, errs in form.errors.items()},
                },
                status=400,
            )
        try:
            review = services.review_save(
                user=request.user, assignment=assignment, data=form.review_input(), submit=False
            )
        except services.ReviewConflictError:
            return _refused("conflict", STALE)
        except REFUSALS as error:
            return _refused("locked", refusal_message(error))
        return JsonResponse(
            {"status": "saved", "version": review.version, "saved_at": saved_at_text(review)}
        )


def _refused(status: str, message: str, *, status_code: int = 409) -> JsonResponse:
    return JsonResponse({"status": status, "message": message}, status=status_code)


def _first_error(form: ReviewForm) -> str:
    """The first problem of an invalid form, named after its field, for the status line."""
    # The form has no error of its own (no `clean`): each belongs to a field.
    name, errors = next(iter(form.errors.items()))
    return f"{form.fields[name].label}: {errors[0]}"


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
