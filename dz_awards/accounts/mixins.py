from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from dz_awards.accounts.rules import is_program_staff


class StaffRequiredMixin(LoginRequiredMixin):
    """Program staff only.

    Signed-in people without the role get 404: for them the page does not exist.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_program_staff(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
