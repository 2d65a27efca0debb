"""Registration: the emailed link verifies the address, sets the password and signs in."""

import email
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dz_awards.accounts.services import EMAIL_WINDOW_SECONDS
from tests.accounts.conftest import (
    DASHBOARD_URL,
    NEW_PASSWORD,
    REGISTER_URL,
    registration,
    set_password_path,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
ADDRESS = "pat.lee@example.org"


@pytest.fixture
def link(client, submit):
    """A new address registered; the path of the link emailed to it."""
    submit(client, REGISTER_URL, registration(ADDRESS))
    return set_password_path(mail.outbox[-1])


def choose_password(client, link, password=NEW_PASSWORD):
    """Open the emailed link, then submit the password form it leads to."""
    opened = client.get(link, follow=True)
    assert "Choose your password" in opened.content.decode()
    form_url = opened.redirect_chain[-1][0]
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_register_new_address_creates_one_unverified_user_without_password(client, submit):
    """A new address becomes one account that cannot sign in until the link is followed."""
    submit(client, REGISTER_URL, registration(ADDRESS, full_name="Pat Lee"))

    user = User.objects.get()
    assert (user.email, user.full_name, user.job_title) == (
        ADDRESS,
        "Pat Lee",
        "Training Sergeant",
    )
    assert user.has_usable_password() is False
    assert user.email_verified_at is None


def test_register_new_address_stores_it_lowercased(client, submit):
    """The address is stored the way it is looked up, so case cannot make a second account."""
    submit(client, REGISTER_URL, registration("  Pat.Lee@EXAMPLE.org "))

    assert list(User.objects.values_list("email", flat=True)) == [ADDRESS]


def test_register_new_address_emails_one_set_password_link(client, submit):
    """Exactly one email goes to the new address, carrying that user's set-password link."""
    submit(client, REGISTER_URL, registration(ADDRESS))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert message.subject == "Confirm your email for Destination Zero Awards"
    uid = urlsafe_base64_encode(force_bytes(User.objects.get().pk))
    assert set_password_path(message).startswith(f"/accounts/set-password/{uid}/")
    assert "within 48 hours" in message.body


def test_register_shows_check_your_email_page(client, submit):
    """After registering, the person lands on the page telling them to check their inbox."""
    response = submit(client, REGISTER_URL, registration(ADDRESS))

    assert response.redirect_chain == [(reverse("accounts:register-sent"), 302)]
    assert "Check your email" in response.content.decode()


def test_set_password_link_verifies_address(client, link):
    """Setting a password through the link marks the address verified and stores the password."""
    choose_password(client, link)

    user = User.objects.get()
    assert user.email_verified_at is not None
    assert user.check_password(NEW_PASSWORD)


def test_set_password_link_signs_user_in(client, link):
    """The person is signed in as soon as the password is set."""
    choose_password(client, link)

    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_set_password_link_redirects_to_dashboard(client, link):
    """After setting the password, the person lands on their dashboard."""
    response = choose_password(client, link)

    assert response.redirect_chain[-1] == (DASHBOARD_URL, 302)
    assert response.wsgi_request.path == DASHBOARD_URL
    assert "Your password is set and your email address confirmed." in response.content.decode()


def test_set_password_link_rejects_mismatched_passwords(client, link):
    """Two different passwords are refused; the account stays without a password and unverified."""
    opened = client.get(link, follow=True)
    client.post(
        opened.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )

    user = User.objects.get()
    assert user.has_usable_password() is False
    assert user.email_verified_at is None
    assert "_auth_user_id" not in client.session


def test_set_password_link_used_twice_shows_no_longer_works(client, link):
    """Once a password is set, the same link opens the "no longer works" page without a form."""
    choose_password(client, link)

    response = Client().get(link, follow=True)

    html = response.content.decode()
    assert "This link no longer works" in html
    assert "new_password1" not in html


def test_set_password_link_used_twice_cannot_change_password(client, link):
    """Posting to a used link's form address does not change the password again."""
    choose_password(client, link)

    choose_password_again = Client()
    opened = choose_password_again.get(link, follow=True)
    choose_password_again.post(
        opened.redirect_chain[-1][0] if opened.redirect_chain else link,
        {"new_password1": "another-passphrase-2032", "new_password2": "another-passphrase-2032"},
    )

    assert User.objects.get().check_password(NEW_PASSWORD)


def test_set_password_link_works_until_timeout(client, link):
    """A minute before PASSWORD_RESET_TIMEOUT runs out, the link still opens the password form."""
    # Travel in the site's zone: tokens count naive local seconds, and time-machine
    # mocks the zone only when given a zone-aware destination.
    almost = timezone.localtime() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60)
    with time_machine.travel(almost, tick=False):
        response = client.get(link, follow=True)

    assert "Choose your password" in response.content.decode()


def test_set_password_link_expires_after_timeout(client, link):
    """Past PASSWORD_RESET_TIMEOUT, the link opens the "no longer works" page without a form."""
    later = timezone.localtime() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    with time_machine.travel(later, tick=False):
        response = client.get(link, follow=True)

    html = response.content.decode()
    assert "This link no longer works" in html
    assert "new_password1" not in html


# A quarter-hour boundary (UTC hours are whole multiples of the window).
WINDOW_START = datetime(2031, 3, 4, 12, 0, tzinfo=UTC)


def test_register_same_address_twice_within_window_sends_one_email(client, submit):
    """A resubmitted or abused form sends one email per address per fifteen-minute window."""
    assert WINDOW_START.timestamp() % EMAIL_WINDOW_SECONDS == 0
    with time_machine.travel(WINDOW_START, tick=False):
        submit(client, REGISTER_URL, registration(ADDRESS))
    with time_machine.travel(WINDOW_START + timedelta(minutes=14, seconds=59), tick=False):
        submit(Client(), REGISTER_URL, registration(ADDRESS))

    assert [message.to for message in mail.outbox] == [[ADDRESS]]


def test_register_same_address_after_window_sends_second_email(client, submit):
    """Fifteen minutes later the same address gets a fresh email with a working link."""
    with time_machine.travel(WINDOW_START, tick=False):
        submit(client, REGISTER_URL, registration(ADDRESS))
    with time_machine.travel(WINDOW_START + timedelta(minutes=15), tick=False):
        submit(Client(), REGISTER_URL, registration(ADDRESS))
        second_link = set_password_path(mail.outbox[-1])
        opened = Client().get(second_link, follow=True)

    assert [message.to for message in mail.outbox] == [[ADDRESS], [ADDRESS]]
    assert User.objects.count() == 1
    assert "Choose your password" in opened.content.decode()


INJECTED_NAME = "Pat Lee\r\nBcc: x@example.org"


def test_register_name_with_header_injection_registers(client, submit):
    """A full name carrying CR/LF and a header is accepted as text: the account is created."""
    submit(client, REGISTER_URL, registration(ADDRESS, full_name=INJECTED_NAME))

    assert User.objects.get().email == ADDRESS


def test_register_name_with_header_injection_adds_no_recipient(client, submit):
    """The injected "Bcc:" line does not reach the envelope: the email goes to the address only."""
    submit(client, REGISTER_URL, registration(ADDRESS, full_name=INJECTED_NAME))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.recipients() == [ADDRESS]
    assert message.bcc == []
    assert message.cc == []


def test_register_name_with_header_injection_adds_no_header(client, submit):
    """The sent message's headers are exactly the ones we set; the subject is one clean line."""
    submit(client, REGISTER_URL, registration(ADDRESS, full_name=INJECTED_NAME))

    raw = mail.outbox[0].message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert sorted(parsed.keys()) == [
        "Auto-Submitted",
        "Content-Transfer-Encoding",
        "Content-Type",
        "Date",
        "From",
        "MIME-Version",
        "Message-ID",
        "Subject",
        "To",
    ]
    assert parsed["Subject"] == "Confirm your email for Destination Zero Awards"
    assert parsed["To"] == ADDRESS


def test_register_name_line_breaks_and_tabs_folded_to_single_spaces(client, submit):
    """Control whitespace in a name is folded, so it cannot break greetings or headings."""
    submit(client, REGISTER_URL, registration(ADDRESS, full_name="  Pat\r\n\tLee  "))

    assert User.objects.get().full_name == "Pat Lee"
    assert mail.outbox[0].body.startswith("Hello Pat Lee,\n")
