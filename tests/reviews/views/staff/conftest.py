"""The world of the staff review page tests: a cycle that needs two reviewers per
nomination, its "Peer support" category with a panel of three reviewers, and staff
signed in. These replace the `tests.reviews` fixtures of the same names here."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews import services
from reviews.models import Panel, ReviewPhase
from tests import factories
from tests.reviews.views.staff.helpers import make_reviewer


@pytest.fixture
def cycle(db):
    return factories.CycleFactory(reviewers_per_nomination=2)


@pytest.fixture
def category(cycle):
    return factories.CategoryFactory(cycle=cycle, label="Peer support", position=1)


@pytest.fixture
def rubric(cycle, staff):
    return services.rubric_create_default(actor=staff, cycle=cycle)


@pytest.fixture
def phase(cycle):
    now = timezone.now()
    return ReviewPhase.objects.create(
        cycle=cycle,
        name="Scoring",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        reviews_open=True,
        blind=True,
    )


@pytest.fixture
def panel(category):
    return Panel.objects.create(category=category)


@pytest.fixture
def reviewers(panel):
    return [
        make_reviewer(panel, full_name="Avery Reviewer"),
        make_reviewer(panel, full_name="Blake Reviewer"),
        make_reviewer(panel, full_name="Casey Reviewer"),
    ]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
