"""The review policy of a cycle: reviewer guidelines and calibration example, the
preferences window and what agencies learn after release.

Staff only (others 404). The page shows what is saved (the guidelines rendered
as reviewers read them, their version and who changed them when) beside the
form; a refusal or a mistake shows the form again with what was typed.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from dz_awards.core.errors import REFUSALS, refuse
from reviews import selectors, services
from reviews.forms.policy import ReviewPolicyForm
from reviews.models import ReviewPolicy
from reviews.views.staff.common import CycleMixin


class ReviewPolicyView(CycleMixin, FormView):
    template_name = "reviews/staff/policy.html"
    form_class = ReviewPolicyForm

    def get_policy(self) -> ReviewPolicy:
        if not hasattr(self, "_policy"):
            self._policy = selectors.review_policy(self.get_cycle())
        return self._policy

    def get_released(self) -> bool:
        if not hasattr(self, "_released"):
            self._released = selectors.decisions_released(self.get_cycle())
        return self._released

    def get_initial(self) -> dict[str, Any]:
        policy = self.get_policy()
        return {name: getattr(policy, name) for name in services.POLICY_FIELDS}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "released": self.get_released()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        policy = self.get_policy()
        return super().get_context_data(
            policy=policy,
            version=selectors.guidelines_version_to_read(policy),
            preferences_open=policy.preferences_open(timezone.now()),
            released=self.get_released(),
            **kwargs,
        )

    def form_valid(self, form: ReviewPolicyForm) -> HttpResponse:
        before = self.get_policy()
        was = {name: getattr(before, name) for name in services.POLICY_FIELDS}
        old_version = before.guidelines_version
        try:
            policy = services.policy_update(
                actor=self.request.user, cycle=self.get_cycle(), **form.cleaned_data
            )
        except REFUSALS as error:
            refuse(self.request, error, form=form)
            return self.form_invalid(form)
        if {name: getattr(policy, name) for name in services.POLICY_FIELDS} == was:
            messages.info(self.request, "Nothing changed: the review policy is as it was.")
        elif policy.guidelines_version != old_version:
            messages.success(
                self.request,
                f"The review policy is saved. The guidelines are now version "
                f"{policy.guidelines_version}: reviewers confirm reading it when they accept "
                "an assignment, and those who accepted earlier are asked to read it.",
            )
        else:
            messages.success(self.request, "The review policy is saved.")
        return redirect("staff:review-policy", cycle=self.get_cycle().pk)
