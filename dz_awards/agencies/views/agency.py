"""Pages for agency people: their agency, joining one. (The dashboard is the portal's.)"""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from dz_awards.agencies import selectors, services
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.filters import AgencySearchFilter
from dz_awards.agencies.forms import AgencyForm, JoinRequestForm
from dz_awards.agencies.rules import can_manage_agency
from dz_awards.agencies.views.decisions import decide_join_request
from dz_awards.core.limits import rate_limit


class AgencyCreateView(LoginRequiredMixin, FormView):
    template_name = "agencies/agency/agency_form.html"
    form_class = AgencyForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": "Create agency"}

    def form_valid(self, form):
        agency = services.agency_create(user=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            f"{agency.name} is created and you are its owner. Program staff will verify it; "
            "you can start nominations in the meantime.",
        )
        return redirect(agency)


class AgencyMemberMixin(LoginRequiredMixin):
    """The agency in the URL, if the signed-in person is an approved member; 404 otherwise."""

    def get_agency(self):
        if not hasattr(self, "_agency"):
            self._agency = selectors.agency_get_for_member(self.request.user, self.kwargs["pk"])
        return self._agency

    def require_manager(self):
        if not can_manage_agency(self.request.user, self.get_agency()):
            raise PermissionDenied("Only the agency's owners can do this.")


class AgencyDetailView(AgencyMemberMixin, DetailView):
    template_name = "agencies/agency/agency_detail.html"
    context_object_name = "agency"

    def get_object(self, queryset=None):
        return self.get_agency()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_manage=can_manage_agency(self.request.user, self.object), **kwargs
        )


class AgencyEditView(AgencyMemberMixin, FormView):
    template_name = "agencies/agency/agency_form.html"
    form_class = AgencyForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.require_manager()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A copy: validating the form writes the typed values onto its instance, and
        # the page's heading must keep showing the saved name when the form has errors.
        return {
            **super().get_form_kwargs(),
            "instance": copy.copy(self.get_agency()),
            "submit_label": "Save changes",
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.get_agency(), **kwargs)

    def form_valid(self, form):
        agency = services.agency_update(
            user=self.request.user, agency=self.get_agency(), **form.cleaned_data
        )
        messages.success(self.request, "The agency profile is saved.")
        return redirect(agency)


class AgencyMembersView(AgencyMemberMixin, TemplateView):
    template_name = "agencies/agency/members.html"

    def get_context_data(self, **kwargs):
        agency = self.get_agency()
        can_manage = can_manage_agency(self.request.user, agency)
        memberships = selectors.agency_memberships(agency)
        if not can_manage:
            # Requests (with their notes) are for the owners who decide them.
            memberships = memberships.filter(status=MembershipStatus.APPROVED)
        return super().get_context_data(
            agency=agency,
            memberships=memberships,
            can_manage=can_manage,
            **kwargs,
        )


class MembershipDecisionView(AgencyMemberMixin, View):
    """POST only: approve or decline a pending join request."""

    decision = None

    def post(self, request, pk, membership_pk):
        self.require_manager()
        decide_join_request(
            request, agency=self.get_agency(), membership_pk=membership_pk, decision=self.decision
        )
        return redirect("agencies:members", pk=pk)


class AgencyJoinSearchView(LoginRequiredMixin, TemplateView):
    template_name = "agencies/agency/join_search.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        filterset = AgencySearchFilter(
            self.request.GET or None,
            queryset=selectors.agencies_joinable(self.request.user),
        )
        searched = bool(self.request.GET.get("q") or self.request.GET.get("state"))
        page = None
        if searched and filterset.is_valid():
            page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(filter=filterset, page=page, searched=searched, **kwargs)


@method_decorator(rate_limit("join_request"), name="dispatch")
class AgencyJoinRequestView(LoginRequiredMixin, FormView):
    template_name = "agencies/agency/join_request.html"
    form_class = JoinRequestForm

    def get_agency(self):
        return get_object_or_404(
            selectors.agencies_joinable(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.get_agency(), **kwargs)

    def form_valid(self, form):
        agency = self.get_agency()
        if selectors.membership_is_pending(self.request.user, agency):
            messages.info(
                self.request,
                f"You already asked to join {agency.name}; its owners have not decided yet. "
                "We will email you when they do.",
            )
            return redirect("portal:dashboard")
        membership = services.agency_request_join(
            user=self.request.user, agency=agency, message=form.cleaned_data["message"]
        )
        if membership.status == MembershipStatus.APPROVED:
            messages.info(self.request, f"You are already a member of {agency.name}.")
        else:
            messages.success(
                self.request,
                f"Your request to join {agency.name} is sent. Its owners will decide; "
                "we will email you.",
            )
        return redirect("portal:dashboard")
