"""One assignment: what the reviewer may read, and their answer to it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refuse
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.views.shared import evidence_file_response
from reviews import rules, selectors, services
from reviews.forms.policy import AcceptForm
from reviews.forms.reviewer import ConflictForm, DeclineForm
from reviews.views.reviewer.common import AssignmentMixin


def others(assignment, phase, review):
    """Other reviewers' submitted reviews, numbered, never named; [] unless allowed."""
    if not (phase.show_others and review is not None and review.submitted_at):
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
        phase = self.get_rules()
        review = selectors.own_review(assignment)
        policy = selectors.review_policy(assignment.nomination.cycle)
        kwargs.setdefault("decline_form", DeclineForm())
        kwargs.setdefault("conflict_form", ConflictForm())
        kwargs.setdefault(
            "accept_form", AcceptForm(version=selectors.guidelines_version_to_read(policy))
        )
        return super().get_context_data(
            assignment=assignment,
            copy=self.get_copy(),
            rules=phase,
            policy=policy,
            review=review,
            review_status=selectors.review_status(review),
            can_accept=rules.may_accept(assignment),
            can_decline=rules.may_decline(assignment),
            can_review=rules.may_write_review(assignment),
            review_not_open=assignment.nomination.state == NominationState.SUBMITTED,
            others=others(assignment, phase, review),
            overdue=assignment.is_overdue(),
            **kwargs,
        )


class AcceptView(AssignmentView):
    """Accept the assignment; when the cycle has guidelines, with the box ticked saying the
    reviewer read the version the page showed. A missing tick shows the page again with
    the error; guidelines changed since are refused, and the page then shows the new
    version to read."""

    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = self.get_assignment()
        policy = selectors.review_policy(assignment.nomination.cycle)
        form = AcceptForm(request.POST, version=selectors.guidelines_version_to_read(policy))
        if not form.is_valid():
            form.mark_errors()
            return self.render_to_response(self.get_context_data(accept_form=form))
        try:
            services.assignment_accept(
                user=request.user,
                assignment=assignment,
                guidelines_version=form.cleaned_data["guidelines_version"],
            )
        except PermissionDenied:
            raise Http404 from None
        except REFUSALS as error:
            refuse(request, error)
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
            except PermissionDenied:
                raise Http404 from None
            except REFUSALS as error:
                refuse(request, error, form=form)
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


class FileView(AssignmentMixin, View):
    """A file staff chose for reviewers, as a download under the name the reviewer sees.

    Always the clean copy (a PDF rewritten without metadata, attachments, scripts or
    hidden text; an image re-encoded), never the agency's upload: a PDF whose clean
    copy is not made yet is not served at all.
    """

    def get(self, request, pk, evidence):
        assignment = self.get_assignment()
        item = selectors.reviewer_file_get(assignment, evidence)
        shown = next((f.name for f in self.get_copy().files if f.evidence.pk == item.pk), None)
        if shown is None:
            raise Http404
        return evidence_file_response(
            item.clean_copy, name=shown, extension=item.extension, content_type=item.content_type
        )
