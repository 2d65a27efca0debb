"""Tokens never stay in an address: the set-password link and the reviewer invitation
link move their token into the session on the first request and redirect to an
address without it, so only that first request can show it in an access log."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dz_awards.accounts.models import User
from dz_awards.accounts.rules import is_reviewer
from dz_awards.accounts.services import set_password_url
from reviews import services as review_services
from reviews.views.reviewer.invitation import OPEN_LINK_AGAIN, TOKEN_SESSION_KEY
from tests import factories
from tests.accounts.conftest import NEW_PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def split_link(url):
    """The site path of a link and its token (the last part of the path)."""
    path = url.removeprefix(settings.SITE_URL)
    return path, path.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def newcomer():
    """Someone registered whose address is not verified yet and who has no password."""
    return factories.UserFactory(email_verified_at=None, password=None)


def test_set_password_link_redirects_to_an_address_without_the_token(client, newcomer):
    path, token = split_link(set_password_url(newcomer))

    response = client.get(path)

    assert response.status_code == 302
    assert token not in response["Location"]
    assert response["Location"].endswith("/set-password/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Choose your password" in page.content.decode()


def test_set_password_token_free_page_sets_the_password_once(client, newcomer):
    path, _token = split_link(set_password_url(newcomer))
    page_url = client.get(path)["Location"]

    response = client.post(page_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert newcomer.email_verified_at is not None
    # Single use: the link, opened again anywhere, no longer works.
    again = Client().get(path, follow=True).content.decode()
    assert "This link no longer works" in again
    assert "new_password1" not in again


def test_set_password_token_free_address_without_the_link_first_does_not_work(newcomer):
    """The token-free address works only in the browser that opened the link."""
    path, _token = split_link(set_password_url(newcomer))
    page_url = Client().get(path)["Location"]

    html = Client().get(page_url).content.decode()

    assert "This link no longer works" in html
    assert "new_password1" not in html


def test_set_password_wrong_token_gets_the_same_clear_message(client, newcomer):
    path, token = split_link(set_password_url(newcomer))

    response = client.get(path.replace(token, "wrong-" + token[6:]))

    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


@pytest.fixture
def invitation():
    staff = factories.StaffFactory()
    invitation, token = review_services.reviewer_invite(
        actor=staff, email="new.reviewer@example.org", full_name="Robin Vance"
    )
    return invitation, token


def invitation_link(invitation, token):
    return reverse("reviews:invitation", kwargs={"pk": invitation.pk, "token": token})


def test_invitation_link_redirects_to_an_address_without_the_token(client, invitation):
    invite, token = invitation

    response = client.get(invitation_link(invite, token))

    assert response.status_code == 302
    assert response["Location"] == f"/review/invitations/{invite.pk}/accept/"
    assert token not in response["Location"]
    assert client.session[TOKEN_SESSION_KEY.format(pk=invite.pk)] == token
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Set up your reviewer account" in html
    assert token not in html


def test_invitation_token_free_page_sets_up_the_account_once(client, invitation):
    invite, token = invitation
    page_url = client.get(invitation_link(invite, token))["Location"]

    response = client.post(
        page_url,
        {
            "full_name": "Robin Vance",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email=invite.email)
    assert is_reviewer(user)
    assert TOKEN_SESSION_KEY.format(pk=invite.pk) not in client.session
    # Single use: the link opened again says it was used.
    again = Client().get(invitation_link(invite, token), follow=True)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_invitation_token_survives_signing_in_from_the_page(client, invitation):
    """ "I already have an account: sign in" comes back to the token-free page, which
    still works: signing in keeps the session's token."""
    invite, token = invitation
    person = factories.UserFactory(email=invite.email)
    page_url = client.get(invitation_link(invite, token))["Location"]

    signed_in = sign_in(client, person.email)
    assert signed_in.status_code == 302
    page = client.get(page_url)

    assert page.status_code == 200
    assert "Accept the invitation" in page.content.decode()
    client.post(page_url)
    assert is_reviewer(person)


def test_invitation_token_free_address_in_another_browser_says_to_open_the_link(invitation):
    invite, token = invitation
    page_url = Client().get(invitation_link(invite, token))["Location"]

    response = Client().get(page_url)

    assert response.status_code == 404
    assert OPEN_LINK_AGAIN in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_invitation_wrong_token_is_still_404_and_keeps_nothing(client, invitation):
    invite, token = invitation

    response = client.get(invitation_link(invite, token[:-1] + "x"))

    assert response.status_code == 404
    assert TOKEN_SESSION_KEY.format(pk=invite.pk) not in client.session
