"""The reviewers' feedback on a nomination, as a page and as a CSV, for its agency.

There is a page only while there is feedback to read: the cycle shares it and
the nomination's decision is released. Otherwise the address is a 404, as for
a nomination of another agency, and no link leads to it.
"""

from django.http import Http404
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from dz_awards.core.csv_export import csv_response
from dz_awards.nominations.views.access import NominationAccessMixin
from reviews import selectors


class FeedbackMixin(NominationAccessMixin):
    def get_feedback(self) -> selectors.AgencyFeedback:
        feedback = selectors.agency_feedback(self.get_nomination())
        if feedback is None:
            raise Http404("No reviewers' feedback is shared for this nomination.")
        return feedback


class FeedbackView(FeedbackMixin, TemplateView):
    template_name = "reviews/agency/feedback.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(feedback=self.get_feedback(), **kwargs)


class FeedbackCsvView(FeedbackMixin, View):
    def get(self, request, pk):
        feedback = self.get_feedback()
        nomination = feedback.nomination
        # Named after the program too: two nominations of a year download side by side.
        program = slugify(nomination.title)[:50].strip("-") or "nomination"
        return csv_response(
            f"reviewers-feedback-{nomination.cycle.year}-{program}.csv",
            ["Part", "Comment"],
            feedback.rows,
        )
