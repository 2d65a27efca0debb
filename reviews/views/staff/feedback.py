"""Feedback to agencies: staff read every comment that would be shared, withhold any of
them with a reason, and share a withheld one again.

The page lists a cycle's nominations with counting reviews, a page at a time (one
category or all), each comment as the agency would read it, in the same order
(`selectors.feedback`), with who wrote it, since staff may see that.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.views import View
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refusal_message
from dz_awards.nominations.models import Nomination
from reviews import selectors, services
from reviews.views.staff.common import CycleMixin, safe_next

PAGE_SIZE = 20


@dataclass
class FeedbackItem:
    comments: selectors.NominationComments
    shared: bool  # whether the agency reads the comments not withheld now

    @property
    def nomination(self) -> Nomination:
        return self.comments.nomination


def _category(request, cycle):
    """The category chosen in the query, if it is one of the cycle's; else None (all)."""
    value = request.GET.get("category", "")
    if value.isdigit() and cycle.categories.filter(pk=int(value)).exists():
        return int(value)
    return None


class FeedbackView(CycleMixin, TemplateView):
    template_name = "reviews/staff/feedback.html"

    def get_context_data(self, **kwargs):
        cycle = self.get_cycle()
        policy = selectors.review_policy(cycle)
        category = _category(self.request, cycle)
        nominations = selectors.feedback_nominations_for_staff(
            self.request.user, cycle, category=category
        )
        page = Paginator(nominations, PAGE_SIZE).get_page(self.request.GET.get("page"))
        items = [
            FeedbackItem(comments, selectors.feedback_shared(comments.nomination, policy))
            for comments in selectors.feedback_for_staff(cycle, page.object_list)
        ]
        return super().get_context_data(
            policy=policy,
            categories=list(cycle.categories.order_by("position", "label")),
            category=category,
            page=page,
            query=f"category={category}" if category else "",
            items=items,
            **kwargs,
        )


class CommentWithholdView(CycleMixin, View):
    http_method_names = ["post"]

    def post(self, request, cycle, review):
        cycle = self.get_cycle()
        row = selectors.feedback_review_get_for_staff(request.user, cycle, review)
        criterion_id = request.POST.get("criterion", "")
        criterion = (
            selectors.feedback_criterion_get(row, int(criterion_id))
            if criterion_id.isdigit()
            else None
        )
        what = capfirst(selectors.comment_what(criterion))
        try:
            services.comment_withhold(
                actor=request.user,
                review=row,
                criterion_or_none=criterion,
                reason=request.POST.get("reason", ""),
            )
        except REFUSALS as error:
            messages.error(request, f"{what} was not withheld: {refusal_message(error)}")
        else:
            messages.success(request, f"{what} is withheld: the agency will not read it.")
        return redirect(safe_next(request, _page(cycle, row.assignment.nomination_id)))


class CommentShareAgainView(CycleMixin, View):
    http_method_names = ["post"]

    def post(self, request, cycle, pk):
        cycle = self.get_cycle()
        row = selectors.withheld_for_staff(request.user, cycle, pk)
        # Idempotent: a second "Share again" (another tab, a colleague) is told so.
        if row is None or not services.comment_share_again(actor=request.user, withheld=row):
            messages.info(request, "That comment is shared with the agency already.")
            return redirect(safe_next(request, _page(cycle, None)))
        messages.success(request, "The comment is shared with the agency again.")
        return redirect(safe_next(request, _page(cycle, row.review.assignment.nomination_id)))


def _page(cycle, nomination_id):
    """The feedback page, at the nomination's comments if given (a fallback: the page
    posted from is where staff go back to)."""
    url = reverse("staff:review-feedback", kwargs={"cycle": cycle.pk})
    return f"{url}#nomination-{nomination_id}" if nomination_id else url
