"""Login throttling (django-axes): a username is locked from one address only.

AXES_FAILURE_LIMIT failures for a username from one client address lock that
pair; nobody elsewhere can lock the real user out, a forged X-Forwarded-For
does not buy extra attempts, and neither do case or spaces in the address.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accounts.conftest import LOGOUT_URL, WRONG_PASSWORD, sign_in

pytestmark = pytest.mark.django_db

ATTACKER_IP = "198.51.100.7"
OWNER_IP = "203.0.113.20"
LOCKED_OUT = "Too many sign-in attempts"
AFTER_LOGIN = reverse("portal:after-login")


@pytest.fixture
def person(db):
    return factories.UserFactory(email="chief@example.org")


def fail(client, username, times, **extra):
    """Post a wrong password `times` times; none of them signs anyone in."""
    for _ in range(times):
        sign_in(client, username, WRONG_PASSWORD, **extra)
        assert "_auth_user_id" not in client.session


def assert_locked_out(client, response):
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session


def assert_signed_in(client, response, user):
    assert response.status_code == 302
    assert response["Location"] == AFTER_LOGIN
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failure_limit_is_five():
    """The lock engages after five failures, as the security design says."""
    assert settings.AXES_FAILURE_LIMIT == 5


def test_login_four_failures_still_allow_correct_password(client, person):
    """Below the limit, the right password still signs the person in."""
    fail(client, person.email, 4)

    assert_signed_in(client, sign_in(client, person.email), person)


def test_login_five_failures_lock_username_even_with_correct_password(client, person):
    """After five failures from one address, even the right password gets the locked-out page."""
    fail(client, person.email, 5)

    assert_locked_out(client, sign_in(client, person.email))


def test_login_fifth_failure_answers_with_locked_out_page(client, person):
    """The attempt that reaches the limit is itself answered with 429 and the locked-out page."""
    fail(client, person.email, 4)

    assert_locked_out(client, sign_in(client, person.email, WRONG_PASSWORD))


def test_login_lock_does_not_reach_owner_from_other_address(person):
    """Someone failing from their own address cannot lock the real user out of theirs."""
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    fail(attacker, person.email, 5)
    owner = Client(REMOTE_ADDR=OWNER_IP)

    assert_signed_in(owner, sign_in(owner, person.email), person)


def test_login_lock_holds_for_attacker_while_owner_signs_in(person):
    """The owner signing in elsewhere does not lift the attacker's lock."""
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    fail(attacker, person.email, 5)
    sign_in(Client(REMOTE_ADDR=OWNER_IP), person.email)

    assert_locked_out(attacker, sign_in(attacker, person.email))


def test_login_forged_forwarded_for_does_not_bypass_lock(settings, person):
    """With no trusted proxy, a different X-Forwarded-For on every attempt changes nothing."""
    settings.TRUSTED_PROXIES = []
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    for n in range(5):
        sign_in(attacker, person.email, WRONG_PASSWORD, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    response = sign_in(attacker, person.email, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert_locked_out(attacker, response)


def test_login_forged_leftmost_forwarded_for_behind_proxy_does_not_bypass_lock(settings, person):
    """Behind one proxy of ours, entries the client writes left of the proxy's are ignored."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(5):
        forged = f"192.0.2.{n}, {ATTACKER_IP}"
        sign_in(proxy, person.email, WRONG_PASSWORD, HTTP_X_FORWARDED_FOR=forged)

    response = sign_in(proxy, person.email, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER_IP}")

    assert_locked_out(proxy, response)


def test_login_behind_proxy_lock_does_not_reach_owner(settings, person):
    """Behind one proxy, the attacker's lock does not reach the owner's (proxy-seen) address."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    fail(Client(REMOTE_ADDR="10.0.0.2"), person.email, 5, HTTP_X_FORWARDED_FOR=ATTACKER_IP)
    owner = Client(REMOTE_ADDR="10.0.0.2")

    response = sign_in(owner, person.email, HTTP_X_FORWARDED_FOR=OWNER_IP)

    assert_signed_in(owner, response, person)


def test_login_case_and_spaces_of_address_share_one_allowance(client, person):
    """Writing the address in other cases or with spaces does not earn extra attempts."""
    for variant in (
        "Chief@example.org",
        "CHIEF@EXAMPLE.ORG",
        " chief@example.org",
        "chief@example.org  ",
        "cHiEf@Example.Org",
    ):
        sign_in(client, variant, WRONG_PASSWORD)

    assert_locked_out(client, sign_in(client, person.email))


def test_login_lock_applies_to_address_in_other_case(client, person):
    """Once locked, the right password in another case of the address is refused too."""
    fail(client, person.email, 5)

    assert_locked_out(client, sign_in(client, " CHIEF@Example.org "))


def test_login_success_resets_failure_count(client, person):
    """A successful login wipes earlier failures: four more failures afterwards do not lock."""
    fail(client, person.email, 4)
    sign_in(client, person.email)
    client.post(LOGOUT_URL)
    fail(client, person.email, 4)

    assert_signed_in(client, sign_in(client, person.email), person)


def test_login_failures_on_one_username_do_not_lock_another(client, person):
    """The lock is per username: a colleague on the same network still signs in."""
    colleague = factories.UserFactory(email="deputy@example.org")
    fail(client, person.email, 5)

    assert_signed_in(client, sign_in(client, colleague.email), colleague)


def test_login_rotating_ipv6_addresses_in_one_slash_64_does_not_bypass_lock(person):
    """A client that changes its IPv6 address inside its /64 on every attempt is still locked."""
    for n in range(5):
        sign_in(Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}"), person.email, WRONG_PASSWORD)
    attacker = Client(REMOTE_ADDR="2001:db8:1:2::ff")

    response = sign_in(attacker, person.email)

    assert_locked_out(attacker, response)
