"""Sessions: rotated at login, ended by a POST to logout, ended for deactivated users."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accounts.conftest import (
    DASHBOARD_URL,
    LOGIN_URL,
    LOGOUT_URL,
    NEW_PASSWORD,
    sign_in,
)

pytestmark = pytest.mark.django_db

PASSWORD_CHANGE_URL = reverse("accounts:password-change")


def planted_session(client):
    """A session key the client holds before signing in (as a fixation attacker would plant)."""
    session = client.session
    session["planted"] = True
    session.save()
    return session.session_key


def is_signed_in(client):
    """Whether the client's cookie opens a signed-in page (the dashboard) rather than the login."""
    response = client.get(DASHBOARD_URL)
    return response.status_code == 200 and "Signed in as" in response.content.decode()


def test_login_changes_session_key(client, user):
    """Signing in issues a new session key, not the one the browser arrived with."""
    old_key = planted_session(client)

    sign_in(client, user.email)

    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != old_key


def test_login_planted_session_key_stays_anonymous(client, user):
    """Whoever holds the pre-login key does not share the signed-in session."""
    old_key = planted_session(client)
    sign_in(client, user.email)
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = old_key

    assert is_signed_in(attacker) is False
    assert Session.objects.filter(session_key=old_key).exists() is False


def test_logout_by_get_is_refused_and_keeps_session(client, user):
    """A link or image pointing at the logout URL cannot sign anyone out: GET is not allowed."""
    sign_in(client, user.email)

    response = client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert is_signed_in(client) is True


def test_logout_by_post_ends_session(client, user):
    """POST to logout signs the person out and deletes the server-side session."""
    sign_in(client, user.email)
    key = client.session.session_key

    response = client.post(LOGOUT_URL, follow=True)

    assert response.redirect_chain == [(reverse("portal:home"), 302)]
    assert "You are signed out." in response.content.decode()
    assert Session.objects.filter(session_key=key).exists() is False
    assert is_signed_in(client) is False


def test_logout_clears_browser_storage(client, user):
    """Sign-out tells the browser to drop stored data (unsaved draft copies) for this site."""
    sign_in(client, user.email)
    response = client.post(LOGOUT_URL)
    assert response["Clear-Site-Data"] == '"storage"'


def test_logout_old_session_cookie_no_longer_signs_in(client, user):
    """A copy of the cookie taken before logout is worthless afterwards."""
    sign_in(client, user.email)
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.session.session_key
    assert is_signed_in(copy) is True

    client.post(LOGOUT_URL)

    assert is_signed_in(copy) is False


def test_deactivated_user_signed_out_on_next_request(client, user):
    """Deactivating an account ends its open sessions at the very next request."""
    sign_in(client, user.email)
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = client.get(DASHBOARD_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={DASHBOARD_URL}"
    assert response.wsgi_request.user.is_authenticated is False


def test_deactivated_user_cannot_sign_in_again(client, user):
    """A deactivated account is refused at the login form even with the right password."""
    user.is_active = False
    user.save(update_fields=["is_active"])

    sign_in(client, user.email)

    assert "_auth_user_id" not in client.session


def change_password(client, old=factories.PASSWORD, new=NEW_PASSWORD):
    return client.post(
        PASSWORD_CHANGE_URL,
        {"old_password": old, "new_password1": new, "new_password2": new},
        follow=True,
    )


def test_password_change_keeps_user_signed_in(client, user):
    """Changing the password does not sign out the browser that changed it."""
    sign_in(client, user.email)

    response = change_password(client)

    assert response.redirect_chain[-1] == (DASHBOARD_URL, 302)
    assert "Your password has been changed." in response.content.decode()
    assert is_signed_in(client) is True


def test_password_change_old_password_stops_working(client, user):
    """After a change, the old password is refused and the new one accepted."""
    sign_in(client, user.email)
    change_password(client)

    with_old, with_new = Client(), Client()
    sign_in(with_old, user.email, factories.PASSWORD)
    sign_in(with_new, user.email, NEW_PASSWORD)

    assert "_auth_user_id" not in with_old.session
    assert with_new.session["_auth_user_id"] == str(user.pk)


def test_password_change_signs_out_other_sessions(client, user):
    """Other browsers signed in with the old password are signed out by the change."""
    other = Client()
    sign_in(other, user.email)
    sign_in(client, user.email)

    change_password(client)

    assert is_signed_in(other) is False


def test_password_change_with_wrong_old_password_changes_nothing(client, user):
    """The current password must be given; a wrong one leaves the password as it was."""
    sign_in(client, user.email)

    change_password(client, old="not-my-password-at-all")

    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)
    assert user.check_password(NEW_PASSWORD) is False


def test_password_change_requires_sign_in(client, db):
    """The password change page sends anonymous visitors to the login page."""
    response = client.get(PASSWORD_CHANGE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={PASSWORD_CHANGE_URL}"
