"""Program staff pages about people's accounts: resetting a colleague's two-factor sign-in.

A lost phone with no backup codes left is recovered by another program staff
member (never by oneself: then a stolen password plus a staff session would
be enough to drop the second factor). The reason is kept in the audit trail.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, ListView

from dz_awards.accounts import forms, two_factor
from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.errors import refuse


class TwoFactorPeopleView(StaffRequiredMixin, ListView):
    """Program staff and reviewers, with whether each has two-factor sign-in on."""

    template_name = "accounts/staff/two_factor_people.html"
    context_object_name = "people"

    def get_queryset(self):
        return two_factor.two_factor_people()


class TwoFactorResetView(StaffRequiredMixin, FormView):
    """Reset a colleague's two-factor sign-in, with a reason (404 outside the people above)."""

    template_name = "accounts/staff/two_factor_reset.html"
    form_class = forms.TwoFactorResetForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = get_object_or_404(two_factor.two_factor_people(), pk=kwargs["pk"])
            if not self.person.has_device:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person, is_self=self.person.pk == self.request.user.pk, **kwargs
        )

    def form_valid(self, form):
        try:
            two_factor.two_factor_reset(
                actor=self.request.user, user=self.person, reason=form.cleaned_data["reason"]
            )
        except two_factor.TwoFactorError as error:
            refuse(self.request, error, form=form)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Two-factor sign-in of {self.person} is reset. They set it up again when they "
            "next sign in.",
        )
        return redirect("staff:two-factor-people")
