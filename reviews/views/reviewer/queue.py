"""The reviewer's queue of assignments, and the CSV of their own reviews."""

from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from dz_awards.nominations.enums import NominationState
from reviews import exports, rules, selectors
from reviews.enums import AssignmentState
from reviews.views.reviewer.common import ReviewerRequiredMixin

S = NominationState
A = AssignmentState


def next_step(assignment, review, phase):
    """What the reviewer should do next: (text, link text, URL name); the link is optional.

    The first line whose condition holds applies.
    """
    nomination = assignment.nomination
    in_review = nomination.state == S.IN_REVIEW
    writable = in_review and phase.reviews_open
    submitted = assignment.state == A.SUBMITTED
    steps = [
        (rules.may_accept(assignment), ("", "Accept or decline", "assignment")),
        (
            submitted and writable,
            ("Done. You can revise it until the phase closes:", "Revise", "review"),
        ),
        (submitted, ("Done", "", "")),
        (
            nomination.state == S.SUBMITTED,
            ("Scoring opens when program staff open review.", "Read the summary", "assignment"),
        ),
        (not in_review, ("Review of this nomination is closed", "", "")),
        (not phase.reviews_open, ("Scoring is closed in the current review phase", "", "")),
        (review is None, ("", "Write your review", "review")),
    ]
    return next(
        (step for holds, step in steps if holds), ("", "Finish and submit your review", "review")
    )


class QueueView(ReviewerRequiredMixin, TemplateView):
    """Where the reviewer stands in each cycle (counts, next due dates, the guidelines),
    their assignments, then their past reviews (of nominations whose review is over),
    read-only. A fixed number of queries however many there are."""

    template_name = "reviews/reviewer/queue.html"

    def get_context_data(self, **kwargs):
        phase_of = selectors.PhaseRulesByCycle()
        rows = []
        assignments = list(selectors.reviewer_queue(self.request.user))
        progress = selectors.reviewer_cycle_progress(assignments)
        for assignment in assignments:
            nomination = assignment.nomination
            phase = phase_of(nomination.cycle)
            review = selectors.own_review(assignment)
            step, link, url_name = next_step(assignment, review, phase)
            rows.append(
                {
                    "assignment": assignment,
                    "title": selectors.listed_title(nomination, phase),
                    "review_status": selectors.review_status(review),
                    "next_step": step,
                    "next_link": link,
                    "next_url": reverse(f"reviews:{url_name}", kwargs={"pk": assignment.pk})
                    if url_name
                    else "",
                    "overdue": assignment.is_overdue(),
                }
            )
        history = [
            {
                "assignment": assignment,
                "title": selectors.listed_title(
                    assignment.nomination, phase_of(assignment.nomination.cycle)
                ),
                "review": assignment.review,
            }
            for assignment in selectors.reviewer_history(self.request.user)
        ]
        return super().get_context_data(rows=rows, history=history, progress=progress, **kwargs)


class ExportView(ReviewerRequiredMixin, View):
    """The reviewer's own reviews as CSV; titles as the phase allows, no agency at all."""

    def get(self, request):
        return exports.reviewer_reviews_csv(request.user)
