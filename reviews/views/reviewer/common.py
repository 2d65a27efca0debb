"""What the reviewer pages share: the reviewer role, and the assignment in the URL."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from dz_awards.accounts.middleware import second_factor_redirect
from reviews import rules, selectors
from reviews.models import Assignment


class TwoFactorOfCycleMixin(LoginRequiredMixin):
    """A reviewer of a cycle that requires two-factor sign-in gives a second factor first.

    Sent to set it up (no device yet) or to enter a code (this session gave none).
    """

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and Assignment.objects.filter(
                reviewer=request.user, nomination__cycle__reviewers_need_two_factor=True
            ).exists()
            and (gate := second_factor_redirect(request))
        ):
            return gate
        return super().dispatch(request, *args, **kwargs)


class ReviewerRequiredMixin(TwoFactorOfCycleMixin):
    """Reviewers only; signed-in people without the role get 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_reviewer(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AssignmentMixin(TwoFactorOfCycleMixin):
    """The assignment in the URL, from the reviewer's own scope; otherwise 404."""

    def get_assignment(self):
        if not hasattr(self, "_assignment"):
            self._assignment = selectors.assignment_get_for_reviewer(
                self.request.user, self.kwargs["pk"]
            )
        return self._assignment

    def get_rules(self):
        """The rules of the review phase running now in the assignment's cycle."""
        if not hasattr(self, "_rules"):
            self._rules = selectors.phase_rules(self.get_assignment().nomination.cycle)
        return self._rules

    def get_copy(self):
        if not hasattr(self, "_copy"):
            self._copy = selectors.reviewer_copy(self.get_assignment(), self.get_rules())
        return self._copy
