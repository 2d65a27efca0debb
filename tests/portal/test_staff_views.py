"""The program staff overview and the cycle list."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    CycleFactory,
    MembershipFactory,
    StaffFactory,
)

EASTERN = ZoneInfo("America/New_York")


def outbox_row(n, status):
    return OutboxEmail.objects.create(
        key=f"row:{n}", to="a@example.org", subject="S", body="B", status=status
    )


@pytest.mark.django_db
def test_staff_home_counts_unverified_agencies_failed_emails_and_requests(client):
    """The overview counts agencies to verify and failed emails, and lists waiting requests."""
    riverton = AgencyFactory(name="Riverton Police Department")
    cedar = AgencyFactory(name="Cedar County Sheriff's Office")
    verified = AgencyFactory(verified_at=datetime(2026, 1, 1, tzinfo=EASTERN))
    for n, status in enumerate(
        [OutboxStatus.FAILED, OutboxStatus.FAILED, OutboxStatus.FAILED, OutboxStatus.SENT]
    ):
        outbox_row(n, status)
    OutboxEmail.objects.create(key="pending", to="a@example.org", subject="S", body="B")
    waiting = MembershipFactory(
        agency=riverton, status=MembershipStatus.PENDING, user__full_name="Jamie Cruz"
    )
    MembershipFactory(agency=cedar, status=MembershipStatus.DECLINED, user__full_name="Dee Clined")
    MembershipFactory(agency=verified, user__full_name="Al Ready")

    client.force_login(StaffFactory())
    response = client.get(reverse("staff:home"))

    context = response.context
    assert (context["unverified_count"], context["failed_emails"]) == (2, 3)
    assert list(context["pending_memberships"]) == [waiting]
    html = response.content.decode()
    assert "Jamie Cruz asks to join" in html
    assert "Dee Clined" not in html
    assert "Al Ready" not in html
    assert '<p class="display-6 mb-1">2</p>' in html
    assert '<p class="display-6 mb-1">3</p>' in html


@pytest.mark.django_db
def test_staff_home_empty_says_nothing_waiting(client):
    """With nothing to do, the overview says so and offers to create a cycle."""
    client.force_login(StaffFactory())
    response = client.get(reverse("staff:home"))
    assert (response.context["unverified_count"], response.context["failed_emails"]) == (0, 0)
    html = response.content.decode()
    assert "No requests are waiting." in html
    assert "No cycle is open or scheduled." in html
    assert reverse("admin:cycles_cycle_add") in html


@pytest.mark.django_db
def test_staff_home_shows_open_cycle_with_category_count(client):
    """The current cycle is named with its deadline and number of categories."""
    cycle = CycleFactory(
        year=2031,
        opens_at=datetime(2020, 9, 1, tzinfo=EASTERN),
        closes_at=datetime(2099, 1, 31, 23, 59, tzinfo=EASTERN),
    )
    CategoryFactory.create_batch(3, cycle=cycle)
    client.force_login(StaffFactory())
    html = client.get(reverse("staff:home")).content.decode()
    assert "<strong>2031 Destination Zero Awards</strong>" in html
    assert "Saturday, January 31, 2099, 11:59 PM EST" in html
    assert "3 categories" in html


@pytest.mark.django_db
def test_staff_cycle_list_shows_cycles_newest_first_with_categories(client):
    """Cycles are listed newest year first, each with its categories and codes."""
    old = CycleFactory(
        year=2025,
        opens_at=datetime(2024, 9, 1, tzinfo=EASTERN),
        closes_at=datetime(2025, 1, 31, 23, 59, tzinfo=EASTERN),
    )
    new = CycleFactory(year=2026)
    CategoryFactory(cycle=new, code="officer-wellness", label="Officer Wellness")
    CategoryFactory(cycle=old, code="officer-wellness", label="Wellness")
    client.force_login(StaffFactory())
    response = client.get(reverse("staff:cycles"))
    assert [c.year for c in response.context["cycles"]] == [2026, 2025]
    html = response.content.decode()
    assert "Officer Wellness <span" in html
    assert "(officer-wellness; 1 winner)" in html
    assert html.index("2026 Destination Zero Awards") < html.index("2025 Destination Zero Awards")
    assert html.count('<span class="badge text-bg-success">Open</span>') == 1


@pytest.mark.django_db
def test_staff_cycle_list_query_count_same_for_1_and_3_cycles(client):
    """The cycle list costs the same number of queries for 1 cycle as for 3."""
    client.force_login(StaffFactory())
    CategoryFactory(cycle=CycleFactory(year=2026))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("staff:cycles"))
    for year in (2024, 2025):
        CategoryFactory.create_batch(
            2,
            cycle=CycleFactory(
                year=year,
                opens_at=datetime(year - 1, 9, 1, tzinfo=EASTERN),
                closes_at=datetime(year, 1, 31, tzinfo=EASTERN),
            ),
        )
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("staff:cycles"))
    assert len(response.context["cycles"]) == 3
    assert len(three) == len(one)
