"""Program staff: the certificates issued in a cycle, and regenerating one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.errors import REFUSALS, refuse
from dz_awards.cycles.models import Cycle
from dz_awards.recognition import selectors, services
from dz_awards.recognition.forms import RegenerateForm


class CertificateListView(StaffRequiredMixin, TemplateView):
    template_name = "recognition/staff/certificates.html"

    def get_context_data(self, **kwargs):
        # The URL's `cycle` (a number) becomes the cycle itself.
        kwargs["cycle"] = cycle = get_object_or_404(Cycle, pk=self.kwargs["cycle"])
        return super().get_context_data(
            certificates=list(selectors.certificates_of_cycle(self.request.user, cycle)),
            **kwargs,
        )


class RegenerateView(StaffRequiredMixin, View):
    """Regenerate one certificate, with a reason; back to the cycle's list either way."""

    http_method_names = ["post"]

    def post(self, request, pk):
        certificate = selectors.certificate_get_for_staff(request.user, pk)
        back = redirect("recognition:staff-certificates", cycle=certificate.nomination.cycle_id)
        back["Location"] += f"#certificate-{certificate.pk}"
        form = RegenerateForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["reason"]))
            return back
        try:
            certificate = services.certificate_regenerate(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except REFUSALS as error:
            refuse(request, error)
        else:
            messages.success(
                request,
                f"Version {certificate.version} of the certificate and badge of "
                f"“{certificate.program}” is being prepared.",
            )
        return back
