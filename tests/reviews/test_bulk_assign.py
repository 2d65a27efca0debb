"""Assigning reviewers to one nomination (`assignment_fill`, what bulk assignment runs):
the automatic run's rules for one nomination, and every refusal in words."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dz_awards.nominations.enums import NominationState
from reviews import services
from reviews.models import Assignment, Conflict, ReviewCopy
from tests import factories
from tests.reviews import bulk_worlds, helpers

pytestmark = pytest.mark.django_db

S = NominationState


@pytest.fixture
def ready(staff):
    cycle = helpers.review_cycle(staff, reviewers_per_nomination=2)
    category = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    (nomination,) = bulk_worlds.nominations(1, cycle=cycle, category=category, title="Ready")
    bulk_worlds.review_copies([nomination])
    return nomination


def test_fills_up_to_the_reviewers_per_nomination_skipping_the_conflicted(staff, ready):
    conflicted, *others = helpers.panel(ready.category, 3)
    Conflict.objects.create(reviewer=conflicted, nomination=ready, reason="Former colleague")
    created = services.assignment_fill(actor=staff, nomination=ready)
    assert sorted(a.reviewer_id for a in created) == sorted(r.pk for r in others)
    assert Assignment.objects.filter(nomination=ready).count() == 2


def _no_copy(nomination):
    ReviewCopy.objects.filter(nomination=nomination).delete()


def _unchecked(nomination):
    ReviewCopy.objects.filter(nomination=nomination).update(checked_at=None)


def _identity(nomination):
    ReviewCopy.objects.filter(nomination=nomination).update(
        leaks=[{"where": "Title", "what": "Riverton"}]
    )


def _decided(nomination):
    type(nomination).objects.filter(pk=nomination.pk).update(state=S.FINALIST)


def _full(nomination):
    bulk_worlds.reviewed_by(
        [nomination],
        helpers.panel(nomination.category, 2),
        [],
        state="invited",
        due_at=timezone.now() + timedelta(days=3),
    )


def _all_conflicted(nomination):
    for person in helpers.panel(nomination.category, 2):
        Conflict.objects.create(reviewer=person, nomination=nomination, reason="Neighbours")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            _decided,
            (
                "This nomination is finalist: reviewers are assigned only while it is "
                "submitted or in review."
            ),
        ),
        (_no_copy, "Write the executive summary and the redacted copy first."),
        (_unchecked, "The identity check of the review copy has not finished yet."),
        (
            _identity,
            "The identity check found the agency in the review copy: resolve its findings first.",
        ),
        (lambda n: None, "Officer Wellness has no panel of reviewers yet."),
        (_full, "Nothing to do: it already has its 2 reviewers."),
        (
            _all_conflicted,
            "No reviewer could be assigned: no eligible reviewer without a conflict.",
        ),
    ],
)
def test_refusals_say_why(staff, ready, change, reason):
    change(ready)
    before = Assignment.objects.count()
    with pytest.raises(services.ReviewError) as refused:
        services.assignment_fill(actor=staff, nomination=ready)
    assert str(refused.value) == reason
    assert Assignment.objects.count() == before


def test_only_staff_may_fill(user, ready):
    helpers.panel(ready.category, 2)
    with pytest.raises(PermissionDenied):
        services.assignment_fill(actor=user, nomination=ready)
