"""Public pages of the model program library."""

from django.views.generic import TemplateView

from dz_awards.profiles import selectors


class ProfileDetailView(TemplateView):
    template_name = "profiles/public/detail.html"

    def get_context_data(self, **kwargs):
        profile = selectors.published_profile_get(self.kwargs["slug"])
        return super().get_context_data(profile=profile, **kwargs)
