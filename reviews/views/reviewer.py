"""The reviewer's pages: the invitation, the queue, an assignment, the review form,
files and the CSV of one's own reviews.

Everything a reviewer reads about a nomination comes from
`selectors.reviewer_copy` (or `selectors.blind_title` in lists), never from the
nomination itself: in a blind phase no page, title, file name, export or
message here carries the agency's identity. Assignments are reached only
through the reviewer's own scope, so an unassigned or conflicted one is a 404.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from dz_awards.accounts.rules import is_reviewer
from dz_awards.core.csv_export import csv_response
from dz_awards.nominations.enums import NominationState
from reviews import selectors, services
from reviews.enums import AssignmentState
from reviews.forms.reviewer import (
    ConflictForm,
    DeclineForm,
    InvitationAccountForm,
    ReviewForm,
    review_initial,
)
from reviews.models import Review

S = NominationState
A = AssignmentState

# The invitation's sign-in: the account was just created or proven by the emailed link.
INVITATION_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


class ReviewerRequiredMixin(LoginRequiredMixin):
    """Reviewers only; signed-in people without the role get 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_reviewer(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _own_review(assignment):
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def _title(nomination, rules):
    """A nomination's title in a list, as the phase allows (the same as reviewer_copy's)."""
    return selectors.blind_title(nomination) if rules.blind else str(nomination)


class _PhaseRulesByCycle:
    """The phase rules of each cycle met, read once per cycle however many rows share it."""

    def __init__(self):
        self._rules = {}

    def __call__(self, cycle):
        if cycle.pk not in self._rules:
            self._rules[cycle.pk] = selectors.phase_rules(cycle)
        return self._rules[cycle.pk]


def _review_status(review):
    if review is None:
        return "Not started"
    return "Submitted" if review.submitted_at else "Draft saved"


def _next_step(assignment, review, rules):
    """What the reviewer should do next: (text, link text, URL name); the link is optional.

    The first line whose condition holds applies.
    """
    nomination = assignment.nomination
    in_review = nomination.state == S.IN_REVIEW
    writable = in_review and rules.reviews_open
    submitted = assignment.state == A.SUBMITTED
    steps = [
        (assignment.state == A.INVITED, ("", "Accept or decline", "assignment")),
        (
            submitted and writable,
            ("Done. You can revise it until the phase closes:", "Revise", "review"),
        ),
        (submitted, ("Done", "", "")),
        (
            nomination.state == S.SUBMITTED,
            ("Scoring opens when program staff open review.", "Read the summary", "assignment"),
        ),
        (not in_review, ("Review of this nomination is closed", "", "")),
        (not rules.reviews_open, ("Scoring is closed in the current review phase", "", "")),
        (review is None, ("", "Write your review", "review")),
    ]
    return next(
        (step for holds, step in steps if holds), ("", "Finish and submit your review", "review")
    )


# Invitation --------------------------------------------------------------------------


class InvitationView(TemplateView):
    """Accept a reviewer invitation: set up an account, or add the role to one's own.

    The link's token is in the URL, so this page never sends its address as a
    Referer (only the site's origin) and is not cached. Whether the address
    already has an account is never looked up to draw the page: only the
    attempt to create one says so.
    """

    template_name = "reviews/reviewer/invitation.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = services.invitation_get(kwargs["pk"], kwargs["token"])
        if self.invitation is None:
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        # The token must never leave in a Referer: only the site's origin is sent. Not
        # "no-referrer": browsers then send `Origin: null` with the page's own form,
        # which the CSRF check rightly refuses.
        response["Referrer-Policy"] = "strict-origin"
        response["Cache-Control"] = "private, no-store"
        return response

    def _mode(self):
        user = self.request.user
        if not user.is_authenticated:
            return "new"
        if user.email.lower() == self.invitation.email.lower():
            return "confirm"
        return "other"

    def get_context_data(self, **kwargs):
        problem = services.invitation_problem(self.invitation)
        context = {
            "invitation": self.invitation,
            "problem": problem,
            "mode": self._mode(),
            "login_url": f"{reverse('accounts:login')}?{urlencode({'next': self.request.path})}",
            **kwargs,
        }
        if not problem and context["mode"] == "new":
            context.setdefault(
                "form",
                InvitationAccountForm(
                    email=self.invitation.email,
                    initial={"full_name": self.invitation.full_name},
                ),
            )
        return super().get_context_data(**context)

    def get(self, request, *args, **kwargs):
        context = self.get_context_data()
        return self.render_to_response(context, status=410 if context["problem"] else 200)

    def post(self, request, *args, **kwargs):
        if services.invitation_problem(self.invitation):
            return self.get(request, *args, **kwargs)
        mode = self._mode()
        if mode == "new":
            return self._create_account(request)
        try:
            services.invitation_accept(
                pk=self.invitation.pk, token=self.kwargs["token"], user=request.user
            )
        except services.ReviewError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data())
        messages.success(request, "You are now a reviewer. Your assignments appear here.")
        return redirect("reviews:queue")

    def _create_account(self, request):
        form = InvitationAccountForm(request.POST, email=self.invitation.email)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            user = services.invitation_accept(
                pk=self.invitation.pk,
                token=self.kwargs["token"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.ReviewError as error:
            # The typed name stays; the passwords are not sent back to the browser.
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        # login() gives the session a new key: nothing from before sign-in carries over.
        login(request, user, backend=INVITATION_LOGIN_BACKEND)
        messages.success(request, "Your reviewer account is ready and you are signed in. Welcome.")
        return redirect("reviews:queue")


# Queue and export --------------------------------------------------------------------


class QueueView(ReviewerRequiredMixin, TemplateView):
    """The reviewer's assignments. A fixed number of queries however many there are."""

    template_name = "reviews/reviewer/queue.html"

    def get_context_data(self, **kwargs):
        rules_of = _PhaseRulesByCycle()
        rows = []
        for assignment in selectors.reviewer_queue(self.request.user):
            nomination = assignment.nomination
            rules = rules_of(nomination.cycle)
            review = _own_review(assignment)
            step, link, url_name = _next_step(assignment, review, rules)
            rows.append(
                {
                    "assignment": assignment,
                    "title": _title(nomination, rules),
                    "review_status": _review_status(review),
                    "next_step": step,
                    "next_link": link,
                    "next_url": reverse(f"reviews:{url_name}", kwargs={"pk": assignment.pk})
                    if url_name
                    else "",
                    "overdue": assignment.is_overdue(),
                }
            )
        return super().get_context_data(rows=rows, **kwargs)


class ExportView(ReviewerRequiredMixin, View):
    """The reviewer's own reviews as CSV; titles as the phase allows, no agency at all."""

    def get(self, request):
        assignments = list(
            selectors.reviewer_queue(request.user)
            .filter(review__isnull=False)
            .prefetch_related("review__scores__criterion")
        )
        rules_of = _PhaseRulesByCycle()
        # One pair of columns per criterion, matched by code across cycles and categories.
        columns = {}
        for assignment in assignments:
            for score in assignment.review.scores.all():
                criterion = score.criterion
                columns.setdefault(criterion.code, (criterion.position, criterion.name))
        codes = sorted(columns, key=lambda code: (columns[code][0], code))
        header = ["Nomination", "Cycle", "Category", "Assignment", "Review"]
        for code in codes:
            name = columns[code][1]
            header += [f"{name}: score", f"{name}: justification"]
        header += ["Overall comment", "Confidence", "Weighted total", "Submitted at"]
        rows = []
        for assignment in assignments:
            nomination = assignment.nomination
            review = assignment.review
            by_code = {s.criterion.code: s for s in review.scores.all()}
            row = [
                _title(nomination, rules_of(nomination.cycle)),
                nomination.cycle.name,
                nomination.category.label if nomination.category else "",
                assignment.get_state_display(),
                _review_status(review),
            ]
            for code in codes:
                score = by_code.get(code)
                row += [score.score if score else None, score.justification if score else ""]
            row += [
                review.overall_comment,
                review.get_confidence_display() if review.confidence else "",
                round(float(review.total), 2) if review.total is not None else None,
                timezone.localtime(review.submitted_at).strftime("%Y-%m-%d %H:%M %Z")
                if review.submitted_at
                else "",
            ]
            rows.append(row)
        return csv_response(f"my-reviews-{timezone.localdate().isoformat()}.csv", header, rows)


# One assignment ----------------------------------------------------------------------


class AssignmentMixin(LoginRequiredMixin):
    """The assignment in the URL, from the reviewer's own scope; otherwise 404."""

    def get_assignment(self):
        if not hasattr(self, "_assignment"):
            self._assignment = selectors.assignment_get_for_reviewer(
                self.request.user, self.kwargs["pk"]
            )
        return self._assignment

    def get_rules(self):
        if not hasattr(self, "_rules"):
            self._rules = selectors.phase_rules(self.get_assignment().nomination.cycle)
        return self._rules

    def get_copy(self):
        if not hasattr(self, "_copy"):
            self._copy = selectors.reviewer_copy(self.get_assignment(), self.get_rules())
        return self._copy


def _others(assignment, rules, review):
    """Other reviewers' submitted reviews, numbered, never named; [] unless allowed."""
    if not (rules.show_others and review is not None and review.submitted_at):
        return []
    return [
        {"label": f"Reviewer {number}", "review": other, "scores": list(other.scores.all())}
        for number, other in enumerate(selectors.others_reviews(assignment), 1)
    ]


class AssignmentView(AssignmentMixin, TemplateView):
    """What the reviewer may read about the nomination, and what they can do about it."""

    template_name = "reviews/reviewer/assignment.html"

    def get_context_data(self, **kwargs):
        assignment = self.get_assignment()
        rules = self.get_rules()
        review = _own_review(assignment)
        nomination = assignment.nomination
        kwargs.setdefault("decline_form", DeclineForm())
        kwargs.setdefault("conflict_form", ConflictForm())
        return super().get_context_data(
            assignment=assignment,
            copy=self.get_copy(),
            rules=rules,
            review=review,
            review_status=_review_status(review),
            can_accept=assignment.state == A.INVITED,
            can_decline=assignment.state in (A.INVITED, A.ACCEPTED),
            can_review=assignment.state in (A.ACCEPTED, A.SUBMITTED)
            and nomination.state == S.IN_REVIEW,
            review_not_open=nomination.state == S.SUBMITTED,
            others=_others(assignment, rules, review),
            overdue=assignment.is_overdue(),
            **kwargs,
        )


class AcceptView(AssignmentMixin, View):
    def post(self, request, pk):
        assignment = self.get_assignment()
        try:
            services.assignment_accept(user=request.user, assignment=assignment)
        except services.ReviewError as error:
            messages.error(request, str(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, "You accepted this assignment. Thank you.")
        return redirect("reviews:assignment", pk=assignment.pk)


class _AssignmentFormView(AssignmentView):
    """A form posted from the assignment page; errors re-show that page with what was typed."""

    form_class = None
    context_name = ""

    def get(self, request, pk):
        return redirect(self.get_assignment())

    def post(self, request, pk):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.act(form)
            except ValidationError as error:
                form.add_error(None, error)
            except services.ReviewError as error:
                form.add_error(None, str(error))
            except PermissionDenied:
                raise Http404 from None
            else:
                return redirect("reviews:queue")
        return self.render_to_response(self.get_context_data(**{self.context_name: form}))

    def act(self, form):
        raise NotImplementedError


class DeclineView(_AssignmentFormView):
    form_class = DeclineForm
    context_name = "decline_form"

    def act(self, form):
        services.assignment_decline(
            user=self.request.user,
            assignment=self.get_assignment(),
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            self.request,
            "You declined the assignment. Program staff will ask another reviewer.",
        )


class ConflictView(_AssignmentFormView):
    form_class = ConflictForm
    context_name = "conflict_form"

    def act(self, form):
        services.conflict_declare(
            user=self.request.user,
            assignment=self.get_assignment(),
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            self.request,
            "Your conflict of interest is recorded. The nomination has left your list, "
            "and any review you wrote of it no longer counts.",
        )


# The review --------------------------------------------------------------------------


class ReviewFormView(AssignmentMixin, TemplateView):
    """Score each criterion, save a draft, submit, revise until the phase closes."""

    template_name = "reviews/reviewer/review.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            assignment = self.get_assignment()
            self.rubric, self.criteria = selectors.criteria_for(assignment.nomination)
            self.review = _own_review(assignment)
        return super().dispatch(request, *args, **kwargs)

    def closed_reason(self):
        """Why the review cannot be written now, or "" when it can (first reason that holds)."""
        assignment = self.get_assignment()
        nomination = assignment.nomination
        rules = self.get_rules()
        reasons = [
            (assignment.state == A.INVITED, "Accept the assignment before writing the review."),
            (nomination.state == S.SUBMITTED, "Review of this nomination has not opened yet."),
            (nomination.state != S.IN_REVIEW, "Review of this nomination is closed."),
            (
                rules.phase is None,
                "No review phase is running now: reviews cannot be written or changed.",
            ),
            (not rules.reviews_open, "The review phase is closed: reviews cannot be changed now."),
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
            error_summary=_error_summary(form, problems),
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
        except services.ReviewError as error:
            # A stale version, a phase that closed meanwhile: nothing saved, nothing lost.
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        except PermissionDenied:
            raise Http404 from None
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


def _error_summary(form, problems):
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


# Files -------------------------------------------------------------------------------


class FileView(AssignmentMixin, View):
    """A file staff chose for reviewers, as a download under the name the reviewer sees."""

    def get(self, request, pk, evidence):
        assignment = self.get_assignment()
        item = selectors.reviewer_file_get(assignment, evidence)
        shown = next((f.name for f in self.get_copy().files if f.evidence.pk == item.pk), None)
        if shown is None:
            raise Http404
        try:
            handle = item.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        # The name offered ends in the extension of what the file is, whatever it was called.
        stem = shown.rsplit(".", 1)[0] if "." in shown else shown
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{stem or 'file'}{item.extension}",
            content_type=item.content_type,
        )
        response["Content-Security-Policy"] = "sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
