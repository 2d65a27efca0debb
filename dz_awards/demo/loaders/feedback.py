"""Last year's cycle shares reviewers' feedback with agencies; staff withheld one comment.

Two steps, because sharing is decided before decisions are released (the policy
service refuses to change it after: agencies may have read the comments):
`load_demo_feedback_policy` runs before last year's review is loaded and turns
sharing on; `load_demo_feedback` runs after it and withholds the overall
comment of one review of the demo agency's not-selected nomination, with a
reason. The demo agency (agency@example.org) then reads the rest of the
feedback on that nomination, and on its winner, and program staff see the
withheld comment on the cycle's "Feedback to agencies" page.

Both go through the services and are idempotent: a policy already sharing, or
a cycle already released without sharing (an earlier demo), is left alone; a
comment already withheld is not withheld again.
"""

from dz_awards.demo.content.feedback import WITHHELD_FROM, WITHHELD_REASON
from dz_awards.nominations.models import Nomination
from reviews import selectors, services
from reviews.enums import FeedbackPosition
from reviews.models import WithheldComment


def load_demo_feedback_policy(*, past, staff):
    """Before its decisions are released: last year's cycle shares feedback, as bands."""
    policy = selectors.review_policy(past)
    if policy.share_feedback or selectors.decisions_released(past):
        return
    services.policy_change(
        actor=staff, cycle=past, share_feedback=True, feedback_position=FeedbackPosition.BAND
    )


def load_demo_feedback(*, past, staff):
    """Staff withhold one comment of the demo agency's not-selected nomination."""
    agency, title = WITHHELD_FROM
    nomination = Nomination.objects.filter(cycle=past, agency__name=agency, title=title).first()
    if nomination is None:  # pragma: no cover - the review demo makes it
        return
    if WithheldComment.objects.filter(review__assignment__nomination=nomination).exists():
        return
    reviews = selectors.counting_reviews_qs().filter(assignment__nomination=nomination)
    services.comment_withhold(
        actor=staff,
        review=reviews.order_by("pk").first(),
        criterion_or_none=None,
        reason=WITHHELD_REASON,
    )
