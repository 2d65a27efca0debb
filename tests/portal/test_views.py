"""The public home page and the after-login redirect."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.factories import CategoryFactory, CycleFactory, StaffFactory, UserFactory

EASTERN = ZoneInfo("America/New_York")
OPENS = datetime(2026, 9, 1, 0, 0, tzinfo=EASTERN)
DEADLINE = datetime(2027, 1, 31, 23, 59, tzinfo=EASTERN)


@pytest.mark.django_db
def test_home_open_cycle_shows_deadline_in_eastern_standard_time(client):
    """The deadline is written out in Eastern time with EST in winter, with the time left."""
    cycle = CycleFactory(year=2027, opens_at=OPENS, closes_at=DEADLINE)
    CategoryFactory(cycle=cycle, label="Officer Wellness", position=1)
    CategoryFactory(cycle=cycle, label="General Officer Safety", position=0)
    with time_machine.travel(datetime(2027, 1, 20, 12, 0, tzinfo=EASTERN), tick=False):
        response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert "<strong>Nominations are open.</strong>" in html
    assert "Sunday, January 31, 2027, 11:59 PM EST" in html
    assert '<time datetime="2027-01-31T23:59:00-05:00">' in html
    assert "11 days, 11 hours left" in html
    assert html.index("General Officer Safety") < html.index("Officer Wellness")


@pytest.mark.django_db
def test_home_open_cycle_summer_deadline_shows_edt(client):
    """A deadline in summer is shown with EDT."""
    CycleFactory(
        year=2027,
        opens_at=OPENS,
        closes_at=datetime(2027, 6, 30, 17, 0, tzinfo=EASTERN),
    )
    with time_machine.travel(datetime(2027, 1, 20, 12, 0, tzinfo=EASTERN), tick=False):
        html = client.get(reverse("portal:home")).content.decode()
    assert "Wednesday, June 30, 2027, 5:00 PM EDT" in html


@pytest.mark.django_db
def test_home_upcoming_cycle_shows_opening_and_deadline(client):
    """Before a cycle opens, the page says when it opens and closes, not that it is open."""
    CycleFactory(year=2027, opens_at=OPENS, closes_at=DEADLINE)
    with time_machine.travel(datetime(2026, 8, 1, 9, 0, tzinfo=EASTERN), tick=False):
        html = client.get(reverse("portal:home")).content.decode()
    assert (
        'Nominations open <time datetime="2026-09-01T00:00:00-04:00">'
        "Tuesday, September 1, 2026, 12:00 AM EDT</time>"
    ) in html
    assert "Sunday, January 31, 2027, 11:59 PM EST" in html
    assert "Nominations are open" not in html


@pytest.mark.django_db
def test_home_without_cycle_says_nominations_closed(client):
    """With no cycle at all, the page says nominations are closed."""
    html = client.get(reverse("portal:home")).content.decode()
    assert '<h2 id="cycle-heading">Nominations are closed</h2>' in html
    assert "Nominations are open" not in html


@pytest.mark.django_db
def test_home_after_deadline_says_nominations_closed(client):
    """Once the only cycle's deadline has passed (server clock), nominations are closed."""
    CycleFactory(year=2027, opens_at=OPENS, closes_at=DEADLINE)
    with time_machine.travel(datetime(2027, 2, 1, 0, 0, tzinfo=EASTERN), tick=False):
        html = client.get(reverse("portal:home")).content.decode()
    assert "Nominations are closed" in html
    assert "2027 Destination Zero Awards" not in html


@pytest.mark.django_db
def test_home_exactly_at_deadline_closed(client):
    """At the deadline minute itself nominations are closed (the deadline is exclusive)."""
    CycleFactory(year=2027, opens_at=OPENS, closes_at=DEADLINE)
    with time_machine.travel(DEADLINE, tick=False):
        html = client.get(reverse("portal:home")).content.decode()
    assert "Nominations are closed" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_user", "target"),
    [(StaffFactory, "staff:home"), (UserFactory, "portal:dashboard")],
    ids=["staff", "agency"],
)
def test_after_login_sends_each_role_to_its_work(client, make_user, target):
    """Staff land on the staff overview, everyone else on their dashboard."""
    client.force_login(make_user())
    response = client.get(reverse("portal:after-login"))
    assert response.url == reverse(target)


@pytest.mark.django_db
def test_every_page_gives_the_configured_contact_address(client, settings):
    settings.CONTACT_EMAIL = "awards-help@agency.example"
    html = client.get(reverse("portal:home")).content.decode()
    assert '<a href="mailto:awards-help@agency.example">awards-help@agency.example</a>' in html
    assert "destinationzero@example.org" not in html
