from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from dz_awards.accounts.rules import is_program_staff, is_reviewer
from dz_awards.agencies.selectors import agencies_for_member
from dz_awards.cycles.selectors import cycle_current


class HomeView(TemplateView):
    template_name = "portal/public/home.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        cycle = cycle_current(now)
        return super().get_context_data(
            cycle=cycle, cycle_is_open=bool(cycle and cycle.is_open(now)), now=now, **kwargs
        )


@login_required
def after_login(request):
    """Send each person to where their work is."""
    if is_program_staff(request.user):
        return redirect("staff:home")
    # A reviewer who belongs to no agency has nothing on the dashboard: their work is reviews.
    if is_reviewer(request.user) and not agencies_for_member(request.user).exists():
        return redirect("reviews:queue")
    return redirect("portal:dashboard")
