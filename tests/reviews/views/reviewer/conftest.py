"""The world of the reviewer page tests, built through the services as staff and
agencies build it: a submitted nomination of the identified agency, its review copy,
and reviewers assigned (and, by default, accepted, with review open)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from reviews import services
from reviews.models import ReviewPhase
from tests import factories
from tests.nominations.view_helpers import make_reviewer, submitted
from tests.reviews.views.reviewer.helpers import (
    AGENCY_NAME,
    CITY,
    NOMINATION_TITLE,
    ORI,
    REDACTED_TITLE,
)


@dataclass
class World:
    staff: object
    agency: object
    member: object
    cycle: object
    category: object
    phase: object
    nomination: object
    evidence: object
    reviewers: list
    assignments: list
    criteria: list


def _build(
    capture,
    *,
    blind=True,
    show_others=False,
    reviewers=2,
    open_review=True,
    agency=None,
    cycle=None,
):
    """A submitted nomination with its review copy, reviewers assigned (and accepted)."""
    staff = factories.StaffFactory()
    agency = agency or factories.AgencyFactory(name=AGENCY_NAME, city=CITY, ori=ORI, state="OH")
    member = factories.MembershipFactory(agency=agency).user
    category = (
        factories.CategoryFactory(cycle=cycle)
        if cycle
        else factories.CategoryFactory(
            cycle=factories.CycleFactory(reviewers_per_nomination=reviewers),
            label="Officer Wellness",
        )
    )
    cycle = category.cycle
    rubric = services.rubric_create_default(actor=staff, cycle=cycle)
    now = timezone.now()
    phase = ReviewPhase.objects.filter(cycle=cycle).first() or ReviewPhase.objects.create(
        cycle=cycle,
        name="Scoring",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=20),
        reviews_open=True,
        blind=blind,
        show_others=show_others,
    )
    nomination = submitted(
        member,
        agency=agency,
        cycle=cycle,
        category=category,
        title=NOMINATION_TITLE,
        summary=f"Officers of the {AGENCY_NAME} in {agency.city} meet a peer within a day.",
    )
    evidence = nomination.evidence.get()
    with capture(execute=True):
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary="A peer team reaches every officer within a day of an incident.",
            redacted_title=REDACTED_TITLE,
            redacted_text="Officers of the agency meet a trained peer within a day.",
            files=[evidence],
        )
    people = [make_reviewer() for _ in range(reviewers)]
    assignments = []
    with capture(execute=True):
        for person in people:
            assignments.append(
                services.assignment_add(actor=staff, nomination=nomination, reviewer=person)
            )
        if open_review:
            for person, row in zip(people, assignments, strict=True):
                services.assignment_accept(user=person, assignment=row)
            services.nomination_open_review(actor=staff, nomination=nomination)
    nomination.refresh_from_db()
    for row in assignments:
        row.refresh_from_db()
    criteria = list(rubric.criteria.order_by("position", "pk"))
    return World(
        staff,
        agency,
        member,
        cycle,
        category,
        phase,
        nomination,
        evidence,
        people,
        assignments,
        criteria,
    )


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    return _build(django_capture_on_commit_callbacks)


@pytest.fixture
def build(db, django_capture_on_commit_callbacks):
    def make(**kwargs):
        return _build(django_capture_on_commit_callbacks, **kwargs)

    return make
