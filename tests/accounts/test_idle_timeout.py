"""Idle timeout next to the absolute one: a signed-in session ends after a while without
activity (shorter for program staff and reviewers), with a message saying why; the
nomination form's background save is answered as the form's script expects."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dz_awards.accounts.idle import IdleTimeoutMiddleware, idle_message, start_idle_clock
from tests import factories
from tests.nominations.view_helpers import form_data
from tests.reviews.helpers import reviewer

pytestmark = pytest.mark.django_db

START = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
DASHBOARD = reverse("portal:dashboard")
STAFF_HOME = reverse("staff:home")
QUEUE = reverse("reviews:queue")
LOGIN = reverse("accounts:login")


def member():
    return factories.MembershipFactory().user


def signed_in(client, person, page):
    """Sign `person` in and open `page` once (the first signed-in response starts the clock)."""
    client.force_login(person)
    assert client.get(page).status_code == 200
    return client


def messages_on(response):
    return [str(message) for message in response.context["messages"]]


def test_defaults_are_two_hours_and_thirty_minutes():
    assert (settings.SESSION_IDLE_TIMEOUT, settings.SESSION_IDLE_TIMEOUT_STAFF) == (7200, 1800)


@pytest.mark.parametrize(
    ("make_person", "page", "limit"),
    [
        (member, DASHBOARD, 2 * 60 * 60),
        (factories.StaffFactory, STAFF_HOME, 30 * 60),
        (reviewer, QUEUE, 30 * 60),
    ],
    ids=["agency-member", "program-staff", "reviewer"],
)
def test_idle_session_ends_after_its_limit_and_not_before(client, make_person, page, limit):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, make_person(), page)
        clock.shift(limit)
        assert client.get(page).status_code == 200  # exactly the limit: still signed in

        clock.shift(limit + 1)
        response = client.get(page)

        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={page}"
        assert "_auth_user_id" not in client.session
        login_page = client.get(response["Location"])
        assert idle_message(limit) in messages_on(login_page)


def test_idle_message_says_how_long():
    assert idle_message(7200) == (
        "You were signed out after 2 hours without activity, to protect your account. "
        "Sign in again to continue."
    )
    assert idle_message(1800).startswith("You were signed out after 30 minutes without")
    assert idle_message(3600).startswith("You were signed out after 1 hour without")
    assert idle_message(90).startswith("You were signed out after 90 seconds without")
    assert idle_message(5400).startswith("You were signed out after 90 minutes without")


def test_activity_keeps_the_session_past_the_idle_limit(client):
    """A member active every 100 minutes stays signed in for five hours."""
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, member(), DASHBOARD)
        for _step in range(3):
            clock.shift(timedelta(minutes=100))
            assert client.get(DASHBOARD).status_code == 200


def test_absolute_limit_holds_however_active(client):
    """Activity moves the idle clock, never the end SESSION_COOKIE_AGE after sign-in."""
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, member(), DASHBOARD)
        for _hour in range(settings.SESSION_COOKIE_AGE // 3600 - 1):
            clock.shift(timedelta(hours=1))
            assert client.get(DASHBOARD).status_code == 200
        clock.shift(timedelta(hours=1, seconds=1))
        response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("limit", [300, 7200])
def test_idle_limit_comes_from_settings(client, settings, limit):
    settings.SESSION_IDLE_TIMEOUT = limit
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, member(), DASHBOARD)
        clock.shift(301)
        assert client.get(DASHBOARD).status_code == (302 if limit == 300 else 200)


def test_staff_limit_comes_from_settings(client, settings):
    settings.SESSION_IDLE_TIMEOUT_STAFF = 120
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, factories.StaffFactory(), STAFF_HOME)
        clock.shift(121)
        assert client.get(STAFF_HOME).status_code == 302


def test_idle_public_page_goes_to_sign_in_too(client):
    """An idle session opening any page (the home page) is sent to sign in with the reason."""
    home = reverse("portal:home")
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, member(), DASHBOARD)
        clock.shift(7201)
        response = client.get(home)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def test_idle_autosave_is_answered_signed_out_json_and_saves_nothing(client):
    """The form's background save after the idle limit gets the 401 JSON the form's script
    shows ("Your text stays on this page"); nothing is saved, no redirect."""
    with time_machine.travel(START, tick=False) as clock:
        person = member()
        draft = factories.NominationFactory(agency=person.memberships.get().agency, complete=True)
        url = reverse("nominations:autosave", args=[draft.pk])
        signed_in(client, person, reverse("nominations:edit", args=[draft.pk]))
        clock.shift(7201)
        response = client.post(url, form_data(draft, summary="Typed before the timeout."))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "signed_out",
        "message": "Your session has ended. Sign in again to keep saving.",
    }
    saved = type(draft).objects.get(pk=draft.pk)
    assert (saved.version, saved.updated_at) == (draft.version, draft.updated_at)
    assert "_auth_user_id" not in client.session


def test_idle_form_post_is_not_redirected_by_the_timeout_itself(client):
    """A form posted after the limit goes on as signed out: the view answers it as it
    answers anyone signed out (here, the sign-in page)."""
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, member(), DASHBOARD)
        clock.shift(7201)
        response = client.post(reverse("accounts:password-change"), {})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_last_seen_is_written_at_most_once_a_minute(client):
    """Requests within a minute do not write the session again (no write per request)."""
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, member(), DASHBOARD)
        first = client.session["idle_last_seen"]
        clock.shift(59)
        client.get(DASHBOARD)
        assert client.session["idle_last_seen"] == first
        clock.shift(1)
        client.get(DASHBOARD)
        assert client.session["idle_last_seen"] == first + 60


def test_anonymous_requests_are_left_alone(client):
    with time_machine.travel(START, tick=False):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "idle_last_seen" not in client.session


def test_middleware_is_installed_after_sessions_auth_and_messages():
    order = settings.MIDDLEWARE
    path = f"{IdleTimeoutMiddleware.__module__}.{IdleTimeoutMiddleware.__name__}"
    assert order.index(path) > order.index("django.contrib.messages.middleware.MessageMiddleware")
    assert order.index(path) > order.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_sign_in_starts_the_clock_so_the_first_page_writes_no_session(client):
    """Signing in stamps the session; the first page within the minute leaves it as it is."""
    with time_machine.travel(START, tick=False):
        client.force_login(member())
        session = client.session
        assert session["idle_last_seen"] == int(START.timestamp())
        assert session["idle_limit"] == 7200
        assert session.get_expiry_date() == START + timedelta(seconds=settings.SESSION_COOKIE_AGE)
        with CaptureQueriesContext(connection) as queries:
            client.get(DASHBOARD)
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_session_signed_in_before_the_clock_existed_gets_it_on_its_next_request(client):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(member())
        session = client.session
        for key in ("idle_last_seen", "idle_limit", "_session_expiry"):
            session.pop(key)
        session.save()
        clock.shift(30)
        assert client.get(DASHBOARD).status_code == 200
        session = client.session
        assert (session["idle_last_seen"], session["idle_limit"]) == (
            int(START.timestamp()) + 30,
            7200,
        )
        assert session.get_expiry_date() == START + timedelta(
            seconds=30 + settings.SESSION_COOKIE_AGE
        )


def test_start_idle_clock_without_a_request_does_nothing():
    """`user_logged_in` may be sent without a request (a sign-in outside a page)."""
    start_idle_clock(sender=None, request=None, user=member())
