"""The agency's proof of its public profile: read it, approve it or ask for changes.

Every page finds its profile through `selectors.proof_get`, scoped to the
approved members of the profile's agency; anyone else gets a 404. The proof is
the public page as it will look (same template, a "Proof" banner, noindex),
and its PDF is rendered on request for the member reading it, never cached.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refuse
from dz_awards.profiles import selectors, services
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.views.public import profile_page_context

# States in which the agency has a proof to read (the PDF and the page).
PROOF_STATES = (ProfileState.PROOF_SENT, ProfileState.AGENCY_APPROVED)
CHANGED_FIRST = "Someone else changed this profile first. Here it is as it stands now."


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label="What should change?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Program staff will read this, edit the profile and send you a new proof.",
    )


def _no_index(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


class ProofAccessMixin(LoginRequiredMixin):
    def get_profile(self):
        if not hasattr(self, "_profile"):
            self._profile = selectors.proof_get(self.request.user, self.kwargs["pk"])
        return self._profile


class ProofView(ProofAccessMixin, TemplateView):
    """The proof page; with the approve and request-changes forms while a proof is out."""

    template_name = "profiles/agency/proof.html"

    def get_context_data(self, **kwargs):
        profile = self.get_profile()
        context = profile_page_context(profile, proof=True)
        context.update(
            shows_proof=profile.state in PROOF_STATES,
            can_respond=profile.state == ProfileState.PROOF_SENT,
            states=ProfileState,
        )
        context.setdefault("changes_form", RequestChangesForm())
        context.update(kwargs)
        return super().get_context_data(**context)

    def render_to_response(self, context, **response_kwargs):
        return _no_index(super().render_to_response(context, **response_kwargs))


class ProofPdfView(ProofAccessMixin, View):
    """The proof's PDF, rendered now for the member reading it (not stored, not cached)."""

    def get(self, request, pk):
        profile = self.get_profile()
        if profile.state not in PROOF_STATES:
            raise Http404
        from dz_awards.profiles import pdf  # noqa: PLC0415 - WeasyPrint loads only here

        try:
            data, _pages = pdf.render(profile)
        except pdf.PdfRenderError:
            response = render(
                request, "profiles/agency/proof_pdf_failed.html", {"profile": profile}, status=503
            )
            response["Retry-After"] = "30"
            return _no_index(response)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{profile.slug}-proof.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return _no_index(response)


class ApproveView(ProofAccessMixin, View):
    def post(self, request, pk):
        profile = self.get_profile()
        try:
            services.profile_approve(user=request.user, profile=profile)
        except REFUSALS as error:
            refuse(request, error, busy=CHANGED_FIRST)
        else:
            messages.success(request, "Approved — program staff will publish it.")
        return redirect("profiles:proof", pk=profile.pk)


class RequestChangesView(ProofAccessMixin, View):
    """Send the proof back to staff with a comment; on error the comment is kept."""

    def post(self, request, pk):
        profile = self.get_profile()
        form = RequestChangesForm(request.POST)
        if form.is_valid():
            try:
                services.profile_request_changes(
                    user=request.user, profile=profile, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                # The service's checks of the comment belong under the comment.
                form.add_error("comment", error)
            except REFUSALS as error:
                refuse(request, error, form=form, busy=CHANGED_FIRST)
            else:
                messages.success(
                    request,
                    "Thank you: your comments were sent to program staff. "
                    "They will send you a new proof.",
                )
                return redirect("profiles:proof", pk=profile.pk)
        view = ProofView(request=request, kwargs=self.kwargs, args=())
        view._profile = selectors.proof_get(request.user, pk)
        context = view.get_context_data(changes_form=form)
        response = view.render_to_response(context)
        response.status_code = 400
        return response
