"""Program staff pages for nominations: one submission and its actions.

(The list of nominations is in `reviews.views.staff.nominations`, with the review flags.)
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.agencies import services as agency_services
from dz_awards.core.errors import refuse
from dz_awards.nominations import selectors, services
from dz_awards.nominations.forms import StaffMessageForm
from dz_awards.nominations.snapshots import readable_items
from dz_awards.nominations.views.access import NominationAccessMixin
from dz_awards.nominations.views.shared import thread_context


class StaffNominationMixin(StaffRequiredMixin, NominationAccessMixin):
    audience = "staff"


class StaffNominationDetailView(StaffNominationMixin, TemplateView):
    template_name = "nominations/staff/detail.html"

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        revisions = list(selectors.revisions_of(nomination))
        # Staff read what was submitted, never the text the agency is changing now.
        latest = revisions[-1] if revisions else None
        return super().get_context_data(
            items=readable_items(latest.content, audience="staff") if latest else [],
            latest=latest,
            revisions=revisions,
            # The files of the latest submission, not ones added since.
            evidence=selectors.evidence_of_revision(latest) if latest else [],
            **thread_context(self.request, nomination, audience="staff"),
            timeline=selectors.timelines([nomination], audience="staff")[nomination.pk],
            **kwargs,
        )


class _StaffTransitionView(StaffNominationMixin, FormView):
    template_name = "nominations/staff/action.html"
    form_class = StaffMessageForm
    heading = ""
    field_label = ""
    submit_label = ""
    done_message = ""

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "label": self.field_label,
            "submit_label": self.submit_label,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def form_valid(self, form):
        nomination = self.get_nomination()
        try:
            self.act(nomination, form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error("message", error)
            return self.form_invalid(form)
        except services.NominationError as error:
            refuse(self.request, error)
        else:
            messages.success(self.request, self.done_message)
        return redirect("staff:nomination-detail", pk=nomination.pk)


class StaffReturnView(_StaffTransitionView):
    heading = "Return for changes"
    field_label = "What should the agency change?"
    submit_label = "Return for changes"
    done_message = "Returned to the agency with your message."

    def act(self, nomination, message):
        services.nomination_return_for_changes(
            actor=self.request.user, nomination=nomination, message=message
        )


class StaffScreenOutView(_StaffTransitionView):
    heading = "Screen out as ineligible"
    field_label = "Why is the nomination ineligible?"
    submit_label = "Screen out as ineligible"
    done_message = "The nomination is marked ineligible and the agency is told why."

    def act(self, nomination, message):
        services.nomination_screen_out(
            actor=self.request.user, nomination=nomination, reason=message
        )


class StaffVerifyAgencyView(StaffNominationMixin, View):
    def post(self, request, pk):
        nomination = self.get_nomination()
        agency_services.agency_verify(actor=request.user, agency=nomination.agency)
        messages.success(request, f"{nomination.agency.name} is verified.")
        return redirect("staff:nomination-detail", pk=pk)
