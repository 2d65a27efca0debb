"""The demo_data command: an idempotent demo world with one working login per role."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from dz_awards.accounts.enums import PROGRAM_STAFF_GROUP, REVIEWERS_GROUP
from dz_awards.agencies.enums import MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.cycles.models import Category, Cycle

CATEGORY_NAMES = [
    "General Officer Safety",
    "Officer Traffic Safety",
    "Officer Wellness",
    "Comprehensive Safety",
    "Comprehensive Wellness",
]
LOGIN_LINE = re.compile(r"^demo login: (\S+) (\S+) (\S+)$")


def run_demo_data(*args):
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "users": get_user_model().objects.count(),
        "agencies": Agency.objects.count(),
        "memberships": Membership.objects.count(),
        "cycles": Cycle.objects.count(),
        "categories": Category.objects.count(),
    }


@pytest.mark.django_db
def test_demo_data_twice_same_counts(settings):
    """Running demo_data again adds nothing: the world is the same size."""
    settings.DEBUG = True
    run_demo_data()
    first = counts()
    run_demo_data()
    assert counts() == first
    assert first == {
        "users": 6,
        "agencies": 2,
        "memberships": 3,
        "cycles": 2,
        "categories": 10,
    }


@pytest.mark.django_db
def test_demo_data_five_named_categories_per_cycle(settings):
    """Each demo cycle has the five Destination Zero categories, in order."""
    settings.DEBUG = True
    run_demo_data()
    for cycle in Cycle.objects.all():
        labels = list(cycle.categories.order_by("position").values_list("label", flat=True))
        assert labels == CATEGORY_NAMES


@pytest.mark.django_db
def test_demo_data_one_cycle_open_now(settings):
    """The newer demo cycle is open now; the older one is closed."""
    settings.DEBUG = True
    run_demo_data()
    current, past = Cycle.objects.order_by("-year")
    assert current.is_open()
    assert not past.is_open()
    assert past.year == current.year - 1


@pytest.mark.django_db
def test_demo_data_prints_one_login_per_role_that_authenticates(settings):
    """One "demo login: <role> <email> <password>" line per role, and each login works."""
    settings.DEBUG = True
    lines = run_demo_data().splitlines()
    matches = [LOGIN_LINE.match(line) for line in lines]
    assert all(matches), lines
    logins = [m.groups() for m in matches]
    assert [role for role, _, _ in logins] == ["staff", "reviewer", "agency"]

    request = RequestFactory().post("/accounts/login/")
    for role, email, password in logins:
        user = authenticate(request, username=email, password=password)
        assert user is not None, role
        assert user.email == email


@pytest.mark.django_db
def test_demo_data_logins_have_their_roles(settings):
    """The staff login is program staff, the reviewer is a reviewer, the agency login owns one."""
    settings.DEBUG = True
    logins = {m.group(1): m.group(2) for m in map(LOGIN_LINE.match, run_demo_data().splitlines())}
    users = get_user_model().objects
    staff = users.get(email=logins["staff"])
    reviewer = users.get(email=logins["reviewer"])
    agency_user = users.get(email=logins["agency"])
    assert staff.is_staff
    assert staff.groups.filter(name=PROGRAM_STAFF_GROUP).exists()
    assert not reviewer.is_staff
    assert reviewer.groups.filter(name=REVIEWERS_GROUP).exists()
    assert agency_user.memberships.get().role == MembershipRole.OWNER
    assert agency_user.memberships.get().status == MembershipStatus.APPROVED


@pytest.mark.django_db
def test_demo_data_second_run_keeps_changed_password(settings):
    """A demo account whose password was changed keeps it when demo_data runs again."""
    settings.DEBUG = True
    run_demo_data()
    user = get_user_model().objects.get(email="staff@example.org")
    user.set_password("a-new-private-password")
    user.save()
    run_demo_data()
    user.refresh_from_db()
    assert user.check_password("a-new-private-password")


@pytest.mark.django_db
def test_demo_data_debug_off_refused(settings):
    """Without DEBUG the command refuses, explains why, and creates nothing."""
    settings.DEBUG = False
    with pytest.raises(CommandError) as raised:
        run_demo_data()
    assert "Refusing to create demo accounts with a published password" in str(raised.value)
    assert "--allow-production" in str(raised.value)
    assert counts() == {
        "users": 0,
        "agencies": 0,
        "memberships": 0,
        "cycles": 0,
        "categories": 0,
    }


@pytest.mark.django_db
def test_demo_data_debug_off_allow_production_loads(settings):
    """--allow-production loads the demo world even with DEBUG off."""
    settings.DEBUG = False
    output = run_demo_data("--allow-production")
    assert output.count("demo login: ") == 3
    assert counts()["agencies"] == 2
