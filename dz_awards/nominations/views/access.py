"""How every nomination page finds its nomination: through a scoped selector, or 404."""

from django.contrib.auth.mixins import LoginRequiredMixin

from dz_awards.nominations import selectors
from dz_awards.nominations.urls_audience import nomination_url


class NominationAccessMixin(LoginRequiredMixin):
    """The nomination in the URL, as `audience` may see it ("agency" or "staff"); else 404.

    Pages used by both sides are mounted twice with `as_view(audience=...)`; the
    audience picks the scope, never a parameter from the request.
    """

    audience = "agency"

    def get_nomination(self):
        if not hasattr(self, "_nomination"):
            self._nomination = selectors.nomination_get(
                self.request.user, self.kwargs["pk"], audience=self.audience
            )
        return self._nomination

    def nomination_url(self, name, **kwargs):
        return nomination_url(self.audience, name, self.get_nomination().pk, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nomination=self.get_nomination(), audience=self.audience, **kwargs
        )
