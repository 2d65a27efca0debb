"""The dashboard of a signed-in person: their agencies, with each one's nominations."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.selectors import memberships_of_user
from dz_awards.cycles.selectors import cycle_current
from dz_awards.nominations.selectors import dashboard_nominations, timelines


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "portal/agency/dashboard.html"

    def get_context_data(self, **kwargs):
        memberships = list(memberships_of_user(self.request.user))
        nominations = list(dashboard_nominations(self.request.user))
        events = timelines(nominations)
        by_agency = {}
        for nomination in nominations:
            nomination.timeline = events[nomination.pk]
            by_agency.setdefault(nomination.agency_id, []).append(nomination)
        for membership in memberships:
            membership.nominations = by_agency.get(membership.agency_id, [])
        return super().get_context_data(
            approved=[m for m in memberships if m.status == MembershipStatus.APPROVED],
            pending=[m for m in memberships if m.status == MembershipStatus.PENDING],
            declined=[m for m in memberships if m.status == MembershipStatus.DECLINED],
            cycle=cycle_current(),
            **kwargs,
        )
