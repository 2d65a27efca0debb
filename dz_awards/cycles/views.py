"""Program staff pages for award cycles (configured in the admin)."""

from django.utils import timezone
from django.views.generic import TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.cycles.selectors import cycles_for_staff


class StaffCycleListView(StaffRequiredMixin, TemplateView):
    template_name = "cycles/staff/cycle_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycles=cycles_for_staff(), now=timezone.now(), **kwargs)
