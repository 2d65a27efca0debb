"""Reviewer guidelines and a calibration example for last year's cycle and this year's,
through the review policy service, and the demo reviewer's reading of last year's.

Last year's guidelines are dated before its scoring phase (a queryset update,
as the review demo dates its past: no service writes a past that did not happen
now). The demo reviewer confirmed reading them, so their late assignment asks
them to tick that they read them when they accept, and this year's, which they
have not read, carry the notice. Idempotent: a cycle whose guidelines were
already written (by an earlier demo or by staff) is left as it is, and a reading
already recorded is not recorded again.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model

from dz_awards.demo.content.guidelines import (
    CURRENT_EXAMPLE,
    CURRENT_GUIDELINES,
    PAST_EXAMPLE,
    PAST_GUIDELINES,
)
from dz_awards.demo.content.world import REVIEWER, STAFF
from reviews import selectors, services
from reviews.models import ReviewPhase, ReviewPolicy


def load_demo_guidelines(*, past, current, users):
    """Guidelines for both cycles; the demo reviewer has read last year's."""
    staff = users[STAFF]
    for cycle, guidelines, example in (
        (past, PAST_GUIDELINES, PAST_EXAMPLE),
        (current, CURRENT_GUIDELINES, CURRENT_EXAMPLE),
    ):
        _write(staff, cycle, guidelines, example)
    scoring = ReviewPhase.objects.filter(cycle=past).earliest("starts_at")
    ReviewPolicy.objects.filter(cycle=past, guidelines_updated_at__gt=scoring.starts_at).update(
        guidelines_updated_at=scoring.starts_at - timedelta(days=7)
    )
    reviewer = get_user_model().objects.filter(email=REVIEWER).first()
    version = selectors.guidelines_version_to_read(selectors.review_policy(past))
    if reviewer is None or version is None:  # pragma: no cover - the review demo makes both
        return
    if version not in selectors.guidelines_read_by_cycle(reviewer).get(past.pk, set()):
        services.guidelines_mark_read(user=reviewer, cycle=past, guidelines_version=version)


def _write(staff, cycle, guidelines, example):
    policy = selectors.review_policy(cycle)
    if policy.guidelines_version:
        return
    services.policy_change(
        actor=staff, cycle=cycle, guidelines=guidelines, calibration_example=example
    )
