"""Two staff withholding the same comment at once (PostgreSQL): one withholds it, the
other is told it already is; one row, one audit entry. The harness (tests/races.py)
holds the review's row, which the service locks, until both calls wait for it."""

from dz_awards.core.models import AuditEvent
from reviews import services
from reviews.models import WithheldComment
from tests import factories
from tests.races import POSTGRES_ONLY, race, winners_and_losers
from tests.reviews.feedback_worlds import build_feedback_world

pytestmark = POSTGRES_ONLY


def test_withhold_the_same_comment_twice_at_once_withholds_it_once():
    world = build_feedback_world(release=False)
    review = world.reviews[0]
    colleague = factories.StaffFactory()

    results = race(
        review,
        lambda: services.comment_withhold(
            actor=world.staff, review=review, criterion_or_none=None, reason="First reason."
        ),
        lambda: services.comment_withhold(
            actor=colleague, review=review, criterion_or_none=None, reason="Second reason."
        ),
    )

    winners, losers = winners_and_losers(results)
    assert len(winners) == 1
    assert len(losers) == 1
    assert type(losers[0].error) is services.ReviewError
    assert str(losers[0].error).startswith("This comment is already withheld (by ")
    assert WithheldComment.objects.count() == 1
    assert AuditEvent.objects.filter(action="comment_withheld").count() == 1
