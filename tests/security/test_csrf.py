"""State-changing POSTs without a CSRF token are refused before they change anything."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from dz_awards.core.models import OutboxEmail
from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()
EXPIRED = "This form has expired"
REGISTRATION = {"email": "pat.lee@example.org", "full_name": "Pat Lee", "job_title": ""}


@pytest.fixture
def strict_client():
    """A client that, like a browser, gets no free pass on CSRF checks."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what a request queues for after commit, so a sent email would show up."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def csrf_token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_register_without_csrf_token_refused(strict_client, run_on_commit):
    """Registering without a token gets the expired-form page and creates no account or email."""
    with run_on_commit():
        response = strict_client.post(reverse("accounts:register"), REGISTRATION)

    assert response.status_code == 403
    assert EXPIRED in response.content.decode()
    assert User.objects.count() == 0
    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


def test_register_with_csrf_token_accepted(strict_client, run_on_commit):
    """The same registration with the page's token goes through (the refusal is about the token)."""
    url = reverse("accounts:register")
    data = {**REGISTRATION, "csrfmiddlewaretoken": csrf_token(strict_client, url)}
    with run_on_commit():
        response = strict_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register-sent")
    assert list(User.objects.values_list("email", flat=True)) == ["pat.lee@example.org"]
    assert [message.to for message in mail.outbox] == [["pat.lee@example.org"]]


def test_login_without_csrf_token_refused(strict_client, user):
    """The right password without a token signs nobody in (login CSRF)."""
    response = strict_client.post(
        reverse("accounts:login"), {"username": user.email, "password": factories.PASSWORD}
    )

    assert response.status_code == 403
    assert EXPIRED in response.content.decode()
    assert "_auth_user_id" not in strict_client.session


def test_password_reset_without_csrf_token_refused(strict_client, user, run_on_commit):
    """A reset request without a token sends no email."""
    with run_on_commit():
        response = strict_client.post(reverse("accounts:password-reset"), {"email": user.email})

    assert response.status_code == 403
    assert mail.outbox == []
    assert OutboxEmail.objects.count() == 0


def test_logout_without_csrf_token_refused(strict_client, user):
    """Another site cannot sign a person out by posting to the logout URL."""
    strict_client.force_login(user)

    response = strict_client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    assert strict_client.session["_auth_user_id"] == str(user.pk)
