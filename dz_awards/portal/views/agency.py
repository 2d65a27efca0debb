"""The dashboard of a signed-in person: what needs them now, then their agencies, with
each one's nominations (and the public profile of each that has one)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from dz_awards.accounts.rules import is_program_staff, is_reviewer
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.selectors import memberships_of_user
from dz_awards.cycles.selectors import cycle_current
from dz_awards.nominations.selectors import dashboard_nominations, timelines, with_unread_counts
from dz_awards.portal.todos import todos_for
from dz_awards.profiles.selectors import profiles_of_nominations


class DashboardView(LoginRequiredMixin, TemplateView):
    """A fixed number of queries, however many nominations and to-dos there are."""

    template_name = "portal/agency/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        reviewer, staff = is_reviewer(user), is_program_staff(user)
        memberships = list(memberships_of_user(user))
        nominations = list(with_unread_counts(dashboard_nominations(user), user, audience="agency"))
        events = timelines(nominations)
        profiles = profiles_of_nominations(nominations)
        by_agency = {}
        for nomination in nominations:
            nomination.timeline = events[nomination.pk]
            nomination.public_profile = profiles.get(nomination.pk)
            by_agency.setdefault(nomination.agency_id, []).append(nomination)
        for membership in memberships:
            membership.nominations = by_agency.get(membership.agency_id, [])
        groups = todos_for(user, reviewer=reviewer, staff=staff)
        return super().get_context_data(
            todo_groups=groups,
            todo_total=sum(group.total for group in groups),
            is_reviewer=reviewer,
            is_staff=staff,
            approved=[m for m in memberships if m.status == MembershipStatus.APPROVED],
            pending=[m for m in memberships if m.status == MembershipStatus.PENDING],
            declined=[m for m in memberships if m.status == MembershipStatus.DECLINED],
            cycle=cycle_current(),
            **kwargs,
        )
