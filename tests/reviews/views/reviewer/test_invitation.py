"""The reviewer's invitation page (`views.reviewer.invitation`): a single-use, expiring
link that sets up a reviewer account, or adds the role to the account signed in."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from dz_awards.accounts.rules import is_reviewer
from reviews import services
from reviews.models import ReviewerInvitation
from tests import factories
from tests.reviews.views.reviewer.helpers import message_texts as _messages
from tests.reviews.views.reviewer.helpers import signed_in as _signed_in


@pytest.fixture
def invitation(db):
    staff = factories.StaffFactory()
    invitation, token = services.reviewer_invite(
        actor=staff, email="new.reviewer@example.org", full_name="Robin Vance"
    )
    return invitation, token


def _invitation_url(invitation, token):
    return reverse("reviews:invitation", kwargs={"pk": invitation.pk, "token": token})


def _page_url(invitation):
    """Where the link redirects once its token is in the session: no token in it."""
    return reverse("reviews:invitation", kwargs={"pk": invitation.pk, "token": "accept"})


def _account_data(**changes):
    return {
        "full_name": "Robin A. Vance",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
        **changes,
    }


def test_invitation_wrong_token_or_unknown_id_is_404(client, invitation):
    invite, token = invitation
    assert client.get(_invitation_url(invite, token + "x")).status_code == 404
    unknown = reverse(
        "reviews:invitation",
        kwargs={"pk": "00000000-0000-0000-0000-000000000000", "token": token},
    )
    assert client.get(unknown).status_code == 404
    assert client.post(_invitation_url(invite, "wrong"), _account_data()).status_code == 404
    assert not get_user_model().objects.filter(email=invite.email).exists()


def test_invitation_page_never_sends_its_address_as_referer_and_is_not_cached(client, invitation):
    invite, token = invitation
    redirected = client.get(_invitation_url(invite, token))
    response = client.get(redirected.url)
    for answer in (redirected, response):
        assert answer["Referrer-Policy"] == "strict-origin"
        assert answer["Cache-Control"] == "private, no-store"
    assert (redirected.status_code, response.status_code) == (302, 200)


def test_invitation_anonymous_form_prefills_name_and_offers_sign_in(client, invitation):
    invite, token = invitation
    url = _page_url(invite)
    response = client.get(_invitation_url(invite, token), follow=True)
    html = response.content.decode()
    assert response.context["form"]["full_name"].value() == "Robin Vance"
    assert 'value="Robin Vance"' in html
    assert 'autocomplete="new-password"' in html
    assert invite.email in html
    login = f"{reverse('accounts:login')}?next={url.replace('/', '%2F')}"
    assert f'href="{login}"' in html
    assert "I already have an account: sign in" in html


def test_invitation_page_same_whether_or_not_the_address_has_an_account(client, invitation):
    """Drawing the page never looks the address up: no account enumeration by link."""
    invite, token = invitation
    before = client.get(_invitation_url(invite, token)).content.decode()
    factories.UserFactory(email=invite.email)
    after = client.get(_invitation_url(invite, token)).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", before) == strip.sub("", after)


def test_invitation_creates_account_signs_in_and_rotates_session(client, invitation):
    invite, token = invitation
    url = _invitation_url(invite, token)
    client.get(url)
    client.session.save()
    anonymous_key = client.session.session_key
    response = client.post(url, _account_data())
    assert response.status_code == 302
    assert response.url == reverse("reviews:queue")
    user = get_user_model().objects.get(email=invite.email)
    assert user.full_name == "Robin A. Vance"
    assert user.check_password("a long and unusual passphrase")
    assert is_reviewer(user)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != anonymous_key
    invite.refresh_from_db()
    assert invite.accepted_by == user
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Your reviewer account is ready" in " ".join(_messages(page))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "something else entirely"}, "password2", "not the same"),
        ({"password1": "Zq8kx", "password2": "Zq8kx"}, "password1", "too short"),
        ({"password1": "password123456", "password2": "password123456"}, "password1", "common"),
        ({"full_name": ""}, "full_name", "required"),
    ],
    ids=["mismatch", "short", "common", "no-name"],
)
def test_invitation_refused_password_keeps_the_name_and_creates_nothing(
    client, invitation, changes, field, message
):
    invite, token = invitation
    data = _account_data(**changes)
    response = client.post(_invitation_url(invite, token), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["form"]["full_name"].value() == data["full_name"]
    assert f'value="{data["password1"]}"' not in response.content.decode()
    assert not get_user_model().objects.filter(email=invite.email).exists()
    invite.refresh_from_db()
    assert invite.accepted_at is None


def test_invitation_for_address_with_account_says_sign_in_and_keeps_name(client, invitation):
    invite, token = invitation
    factories.UserFactory(email=invite.email)
    response = client.post(_invitation_url(invite, token), _account_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "An account already uses this address" in html
    assert 'value="Robin A. Vance"' in html
    invite.refresh_from_db()
    assert invite.accepted_at is None


@pytest.mark.parametrize("problem", ["used", "expired"])
def test_invitation_used_or_expired_shows_why_without_form(client, invitation, problem):
    invite, token = invitation
    if problem == "used":
        client.post(_invitation_url(invite, token), _account_data())
        client.logout()
        expected = "already been used"
    else:
        ReviewerInvitation.objects.filter(pk=invite.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        expected = "has expired"
    response = client.get(_invitation_url(invite, token), follow=True)
    assert response.status_code == 410
    html = response.content.decode()
    assert expected in html
    assert "password1" not in html
    assert response["Referrer-Policy"] == "strict-origin"
    again = client.post(_invitation_url(invite, token), _account_data(full_name="Someone"))
    assert again.status_code == 410
    assert get_user_model().objects.filter(email=invite.email).count() == (
        1 if problem == "used" else 0
    )


def test_invitation_signed_in_as_invited_address_confirms_with_a_button(invitation):
    invite, token = invitation
    person = factories.UserFactory(email=invite.email)
    client = _signed_in(person)
    url = _page_url(invite)
    html = client.get(_invitation_url(invite, token), follow=True).content.decode()
    assert "Accept the invitation" in html
    assert "password1" not in html
    assert not is_reviewer(person)
    response = client.post(url)
    assert response.url == reverse("reviews:queue")
    assert is_reviewer(person)
    assert client.get(response.url).status_code == 200


def test_invitation_signed_in_as_someone_else_offers_sign_out(invitation):
    invite, token = invitation
    other = factories.UserFactory()
    client = _signed_in(other)
    url = _page_url(invite)
    html = client.get(_invitation_url(invite, token), follow=True).content.decode()
    assert "different email address" in html
    assert f'action="{reverse("accounts:logout")}"' in html
    assert f'name="next" value="{url}"' in html
    response = client.post(url)
    assert "another email address" in " ".join(_messages(response))
    assert not is_reviewer(other)
    invite.refresh_from_db()
    assert invite.accepted_at is None
