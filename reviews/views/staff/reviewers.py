"""Reviewers: who they are, and the invitations that make them."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import FormView, TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.errors import REFUSALS, refuse
from dz_awards.core.limits import rate_limit
from reviews import selectors, services
from reviews.enums import InvitationStatus
from reviews.forms.staff import ReviewerInviteForm


class ReviewerListView(StaffRequiredMixin, TemplateView):
    template_name = "reviews/staff/reviewers.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        invitations = list(selectors.invitations_for_staff())
        for invitation in invitations:
            invitation.status = services.invitation_status(invitation, now)
        return super().get_context_data(
            reviewers=list(selectors.reviewers_for_staff()),
            pending=[i for i in invitations if i.status == InvitationStatus.PENDING],
            used=[i for i in invitations if i.status == InvitationStatus.USED],
            expired=[i for i in invitations if i.status == InvitationStatus.EXPIRED],
            **kwargs,
        )


@method_decorator(rate_limit("invitation"), name="dispatch")
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
            refuse(self.request, error, form=form)
            return self.form_invalid(form)
        days = settings.REVIEWER_INVITATION_DAYS
        messages.success(
            self.request,
            f"An invitation link was emailed to {invitation.email}. It works once, "
            f"for {days} day{'s' if days != 1 else ''}.",
        )
        return redirect("staff:reviewers")
