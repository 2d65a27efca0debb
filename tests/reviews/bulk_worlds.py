"""Worlds for the staff list and bulk action tests, built fast.

Rows are bulk copies: what the list and the bulk actions read is the state a
nomination is in, not how it got there (the services that get it there have
their own tests). The bulk actions themselves always run the real services.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews.enums import AssignmentState
from reviews.models import Assignment, Review, ReviewCopy
from tests import factories
from tests.reviews import helpers

S = NominationState


def nominations(count, *, cycle, category, state=S.SUBMITTED, agencies=None, title="Program"):
    """`count` complete nominations of `category` in `state`, submitted a day ago, spread
    over `agencies` (each with an approved member, so the emails have someone to go to)."""
    if agencies is None:
        agencies = [factories.OwnerFactory().agency for _ in range(2)]
    content = factories.complete_nomination_content()
    submitted = timezone.now() - timedelta(days=1)
    rows = Nomination.objects.bulk_create(
        Nomination(
            **{**content, "title": f"{title} {index:02d}" if count > 1 else title},
            agency=agencies[index % len(agencies)],
            cycle=cycle,
            category=category,
            state=state,
            submitted_at=submitted + timedelta(minutes=index),
        )
        for index in range(count)
    )
    return list(Nomination.objects.filter(pk__in=[n.pk for n in rows]).order_by("title"))


def review_copies(nominations_, *, leaks=None, checked=True):
    """A written review copy for each, checked after its last edit (or not yet checked)."""
    now = timezone.now()
    ReviewCopy.objects.bulk_create(
        ReviewCopy(
            nomination=n,
            executive_summary=helpers.EXECUTIVE_SUMMARY,
            redacted_title=helpers.REDACTED_TITLE,
            redacted_text=helpers.REDACTED_TEXT,
            updated_at=now - timedelta(minutes=1),
            checked_at=now if checked else None,
            leaks=leaks or [],
        )
        for n in nominations_
    )


def reviewed_by(nominations_, reviewers, totals, *, due_at=None, state=AssignmentState.SUBMITTED):
    """Each nomination gets an assignment per reviewer; submitted ones carry `totals` in turn."""
    assignments = Assignment.objects.bulk_create(
        Assignment(nomination=n, reviewer=r, state=state, due_at=due_at)
        for n in nominations_
        for r in reviewers
    )
    if state == AssignmentState.SUBMITTED:
        now = timezone.now()
        Review.objects.bulk_create(
            Review(assignment=a, total=Decimal(str(totals[i % len(totals)])), submitted_at=now)
            for i, a in enumerate(assignments)
        )
    return assignments


def flagged(nominations_, reviewers):
    """Every nomination with all three flags: an identity finding, totals 1 and 5 (spread 4
    above the default threshold of 1) and an assignment overdue by a day."""
    review_copies(nominations_, leaks=[{"where": "Redacted copy", "what": "Riverton"}])
    reviewed_by(nominations_, reviewers[:2], [1, 5])
    reviewed_by(
        nominations_,
        reviewers[2:3],
        [],
        due_at=timezone.now() - timedelta(days=1),
        state=AssignmentState.ACCEPTED,
    )
