"""No account enumeration: registration, reset and login answer alike for every address.

What differs is only the email that goes to the address itself, which only
its owner can read.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from dz_awards.core.models import OutboxEmail
from tests import factories
from tests.accounts.conftest import (
    REGISTER_URL,
    RESET_URL,
    WRONG_PASSWORD,
    normalise,
    registration,
    set_password_path,
    sign_in,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
UNKNOWN = "nobody.here@example.org"
LOGIN_ERROR = "That email address and password do not match an account."


@pytest.fixture
def verified_user(db):
    return factories.UserFactory(email="known@example.org", full_name="Kim Known")


# Registration ------------------------------------------------------------------


def test_register_answer_same_for_unknown_unverified_verified_and_deactivated(
    submit, verified_user, unverified_user, deactivated_user
):
    """Whatever the address, the person is sent to the same page with the same bytes."""
    answers = {}
    for address in (UNKNOWN, unverified_user.email, verified_user.email, deactivated_user.email):
        response = submit(Client(), REGISTER_URL, registration(address))
        answers[address] = (response.redirect_chain, normalise(response.content.decode()))

    baseline = answers[UNKNOWN]
    assert baseline[0] == [(reverse("accounts:register-sent"), 302)]
    assert "Check your email" in baseline[1]
    assert answers == dict.fromkeys(answers, baseline)


def test_register_unverified_address_emails_fresh_set_password_link(
    client, submit, unverified_user
):
    """An address that never verified gets a new link, which opens the password form."""
    submit(client, REGISTER_URL, registration(unverified_user.email))

    assert [message.to for message in mail.outbox] == [[unverified_user.email]]
    message = mail.outbox[0]
    assert message.subject == "Confirm your email for Destination Zero Awards"
    opened = Client().get(set_password_path(message), follow=True)
    assert "Choose your password" in opened.content.decode()


def test_register_verified_address_emails_already_registered_note(client, submit, verified_user):
    """A verified address is told it already has an account, with sign-in and reset links only."""
    submit(client, REGISTER_URL, registration(verified_user.email))

    assert [message.to for message in mail.outbox] == [[verified_user.email]]
    message = mail.outbox[0]
    assert message.subject == "You already have a Destination Zero Awards account"
    assert "http://127.0.0.1:8000/accounts/login/" in message.body
    assert "http://127.0.0.1:8000/accounts/password/reset/" in message.body
    assert "/accounts/set-password/" not in message.body


def test_register_verified_address_leaves_account_unchanged(client, submit, verified_user):
    """Registering someone else's address changes neither their name nor their password."""
    submit(client, REGISTER_URL, registration(verified_user.email, full_name="Mallory Attacker"))

    verified_user.refresh_from_db()
    assert verified_user.full_name == "Kim Known"
    assert verified_user.check_password(factories.PASSWORD)
    assert User.objects.count() == 1


def test_register_deactivated_address_sends_no_email(client, submit, deactivated_user):
    """A deactivated account gets nothing: no outbox row, no delivered email."""
    submit(client, REGISTER_URL, registration(deactivated_user.email))

    assert mail.outbox == []
    assert OutboxEmail.objects.count() == 0
    assert User.objects.count() == 1


# Password reset ----------------------------------------------------------------


def test_password_reset_answer_same_for_known_and_unknown(submit, verified_user):
    """Known and unknown addresses get the same redirect and the same page."""
    known = submit(Client(), RESET_URL, {"email": verified_user.email})
    unknown = submit(Client(), RESET_URL, {"email": UNKNOWN})

    assert known.redirect_chain == [(reverse("accounts:password-reset-sent"), 302)]
    assert unknown.redirect_chain == known.redirect_chain
    assert "If the address you entered has an account" in known.content.decode()
    assert normalise(unknown.content.decode()) == normalise(known.content.decode())


def test_password_reset_known_address_emails_working_link(client, submit, verified_user):
    """A known address gets one reset email whose link opens the password form."""
    submit(client, RESET_URL, {"email": verified_user.email})

    assert [message.to for message in mail.outbox] == [[verified_user.email]]
    message = mail.outbox[0]
    assert message.subject == "Reset your Destination Zero Awards password"
    opened = Client().get(set_password_path(message), follow=True)
    assert "Choose your password" in opened.content.decode()


def test_password_reset_address_in_other_case_emails_link(client, submit, verified_user):
    """The address is matched whatever its case, and the email goes to the stored address."""
    submit(client, RESET_URL, {"email": "  KNOWN@Example.ORG "})

    assert [message.to for message in mail.outbox] == [[verified_user.email]]


def test_password_reset_unknown_address_sends_nothing(client, submit):
    """An unknown address gets no email and creates nothing."""
    submit(client, RESET_URL, {"email": UNKNOWN})

    assert mail.outbox == []
    assert OutboxEmail.objects.count() == 0
    assert User.objects.count() == 0


def test_password_reset_deactivated_address_sends_nothing(client, submit, deactivated_user):
    """A deactivated account cannot get back in by resetting its password."""
    submit(client, RESET_URL, {"email": deactivated_user.email})

    assert mail.outbox == []


def test_password_reset_unverified_address_emails_verification_link(
    client, submit, unverified_user
):
    """An account that never verified gets the verification link, which also sets a password."""
    submit(client, RESET_URL, {"email": unverified_user.email})

    assert [message.subject for message in mail.outbox] == [
        "Confirm your email for Destination Zero Awards"
    ]


# Login -------------------------------------------------------------------------


def failed_login_page(email, password):
    response = sign_in(Client(), email, password)
    assert response.status_code == 200
    return normalise(response.content.decode(), email)


def test_login_unknown_address_shows_generic_error(db):
    """An unknown address gets the one message that does not say which part was wrong."""
    assert LOGIN_ERROR in failed_login_page(UNKNOWN, WRONG_PASSWORD)


@pytest.mark.parametrize(
    ("account", "password"),
    [
        pytest.param("verified_user", WRONG_PASSWORD, id="known-wrong-password"),
        pytest.param("unverified_user", WRONG_PASSWORD, id="unverified-no-password"),
        pytest.param("deactivated_user", factories.PASSWORD, id="deactivated-right-password"),
    ],
)
def test_login_failure_page_same_as_unknown_address(request, account, password):
    """A refused known account gets the page an unknown address gets, byte for byte."""
    user = request.getfixturevalue(account)

    assert failed_login_page(user.email, password) == failed_login_page(UNKNOWN, password)
