"""Helpers for the account tests: post forms as a browser does and read the emails that follow."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

REGISTER_URL = reverse("accounts:register")
LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
RESET_URL = reverse("accounts:password-reset")
DASHBOARD_URL = reverse("portal:dashboard")
NEW_PASSWORD = "a-brand-new-passphrase-2031"
WRONG_PASSWORD = "not-the-right-password-99"

_SET_PASSWORD_LINK = re.compile(r"(?P<url>\S+/accounts/set-password/[^/\s]+/[^/\s]+/)")


def set_password_path(message):
    """The site path of the one set-password link in an email (fails the test if there is none)."""
    links = _SET_PASSWORD_LINK.findall(message.body)
    assert len(links) == 1, message.body
    assert links[0].startswith(settings.SITE_URL), links[0]
    return links[0].removeprefix(settings.SITE_URL)


def normalise(html, *addresses):
    """The page with its per-request parts (CSRF token, CSP nonce) and echoed addresses blanked."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    for address in addresses:
        html = html.replace(address, "ADDRESS")
    return html


def registration(email, full_name="Pat Lee", job_title="Training Sergeant"):
    return {"email": email, "full_name": full_name, "job_title": job_title}


def sign_in(client, email, password=factories.PASSWORD, **extra):
    """POST the real login form (django-axes refuses `client.login`)."""
    return client.post(LOGIN_URL, {"username": email, "password": password}, **extra)


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """POST a form, follow redirects, then run what it queued for after commit.

    The test's transaction never commits, so without this the outbox emails
    queued by a request would never be handed to the (immediate) task backend.
    """

    def post(client, url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, follow=True, **extra)

    return post


@pytest.fixture
def unverified_user(db):
    """Registered but never followed the emailed link: no usable password yet."""
    user = factories.UserFactory(email_verified_at=None)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def deactivated_user(db):
    return factories.UserFactory(is_active=False)
