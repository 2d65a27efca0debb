"""Program staff pages for agencies: the list, one agency, verification, join requests."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.agencies import selectors, services
from dz_awards.agencies.filters import StaffAgencyFilter
from dz_awards.agencies.views.decisions import decide_join_request
from dz_awards.core.selectors import audit_events_for


class StaffAgencyListView(StaffRequiredMixin, TemplateView):
    template_name = "agencies/staff/agency_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        # Always bound: an unbound filterset is never valid, which listed no agency at all
        # on the plain /staff/agencies/ page.
        filterset = StaffAgencyFilter(self.request.GET, queryset=selectors.agencies_for_staff())
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        page = Paginator(queryset.order_by("name"), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=filterset, page=page, query=query.urlencode(), **kwargs
        )


class StaffAgencyDetailView(StaffRequiredMixin, DetailView):
    template_name = "agencies/staff/agency_detail.html"
    context_object_name = "agency"

    def get_queryset(self):
        return selectors.agencies_for_staff()

    def get_context_data(self, **kwargs):
        memberships = list(selectors.agency_memberships(self.object))
        return super().get_context_data(
            memberships=memberships,
            events=audit_events_for(self.object, *memberships)[:50],
            **kwargs,
        )


class StaffAgencyVerifyView(StaffRequiredMixin, View):
    def post(self, request, pk):
        agency = get_object_or_404(selectors.agencies_for_staff(), pk=pk)
        services.agency_verify(actor=request.user, agency=agency)
        messages.success(request, f"{agency.name} is verified.")
        return redirect("staff:agency", pk=pk)


class StaffMembershipDecisionView(StaffRequiredMixin, View):
    decision = None

    def post(self, request, pk, membership_pk):
        agency = get_object_or_404(selectors.agencies_for_staff(), pk=pk)
        decide_join_request(
            request, agency=agency, membership_pk=membership_pk, decision=self.decision
        )
        return redirect("staff:agency", pk=pk)
