"""The reviewer guidelines of a cycle, and a reviewer's word that they read them.

Reviewers with an assignment or a panel seat in the cycle read them, and
program staff; for anyone else the page does not exist (404). A reviewer who
accepted assignments before the current version confirms reading it here, as
accepting would have recorded it.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refuse
from reviews import rules, selectors, services
from reviews.forms.policy import GuidelinesReadForm
from reviews.views.reviewer.common import TwoFactorOfCycleMixin


class GuidelinesView(TwoFactorOfCycleMixin, TemplateView):
    template_name = "reviews/reviewer/guidelines.html"

    def get_cycle(self):
        return selectors.guidelines_cycle_for(self.request.user, self.kwargs["cycle"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.pop("cycle", None)  # the URL's number: the page gets the object
        cycle = self.get_cycle()
        policy = selectors.review_policy(cycle)
        version = selectors.guidelines_version_to_read(policy)
        status = None
        if version is not None and rules.is_reviewer(user):
            read = selectors.guidelines_read_by_cycle(user).get(cycle.pk, set())
            status = selectors.guidelines_status(policy, read)
        return super().get_context_data(
            cycle=cycle,
            policy=policy,
            version=version,
            status=status,
            can_confirm=status is not None
            and not status.read
            and selectors.unread_accepted(user, cycle, status.version),
            is_reviewer=rules.is_reviewer(user),
            is_staff=rules.is_program_staff(user),
            **kwargs,
        )

    def post(self, request, cycle):
        cycle = self.get_cycle()
        form = GuidelinesReadForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Nothing was recorded: reload the page and confirm again.")
            return redirect("reviews:guidelines", cycle=cycle.pk)
        version = form.cleaned_data["guidelines_version"]
        try:
            services.guidelines_mark_read(
                user=request.user, cycle=cycle, guidelines_version=version
            )
        except REFUSALS as error:
            refuse(request, error)
        else:
            messages.success(
                request,
                f"Thank you: your reading of version {version} of the guidelines is recorded.",
            )
        return redirect("reviews:guidelines", cycle=cycle.pk)
