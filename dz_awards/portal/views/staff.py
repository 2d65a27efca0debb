"""The program staff home page."""

from django.utils import timezone
from django.views.generic import TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.agencies.selectors import agencies_for_staff, memberships_pending_for_staff
from dz_awards.core.selectors import outbox_failed_count
from dz_awards.cycles.selectors import cycle_current
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.selectors import nominations_for_staff
from dz_awards.portal.todos import staff_todos


class StaffHomeView(StaffRequiredMixin, TemplateView):
    template_name = "portal/staff/home.html"

    def get_context_data(self, **kwargs):
        todos = staff_todos(self.request.user, timezone.now())
        return super().get_context_data(
            todo_groups=[todos],
            todo_total=todos.total,
            cycle=cycle_current(),
            unverified_count=agencies_for_staff().filter(verified_at__isnull=True).count(),
            pending_memberships=memberships_pending_for_staff()[:20],
            failed_emails=outbox_failed_count(),
            to_screen_count=nominations_for_staff(self.request.user)
            .filter(state=NominationState.SUBMITTED)
            .count(),
            **kwargs,
        )
