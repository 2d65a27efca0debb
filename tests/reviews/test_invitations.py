"""Reviewer invitations: an emailed, single-use, expiring link that sets up a reviewer."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dz_awards.accounts.rules import is_reviewer
from dz_awards.core.models import OutboxEmail
from dz_awards.core.services import site_url
from reviews import services
from reviews.models import Panel, ReviewerInvitation, ReviewerProfile
from tests import factories
from tests.reviews import helpers

User = get_user_model()
PASSWORD = "a-long-reviewer-passphrase"


@pytest.fixture
def home(db):
    return helpers.identified_agency(state="VA")


@pytest.fixture
def invited(staff, category, home):
    """An invitation for Dana Reviewer onto the category's panel, and its token."""
    panel = Panel.objects.create(category=category)
    return services.reviewer_invite(
        actor=staff,
        email="  Dana.Reviewer@Example.org ",
        full_name="  Dana   Reviewer ",
        home_agency=home,
        state="VA",
        panel=panel,
    )


def _accept(invitation, token, **kwargs):
    return services.invitation_accept(pk=invitation.pk, token=token, **kwargs)


def test_invite_emails_a_single_use_link(invited, staff):
    invitation, token = invited
    assert (invitation.email, invitation.full_name) == (
        "dana.reviewer@example.org",
        "Dana Reviewer",
    )
    assert invitation.token_hash != token
    assert token not in invitation.token_hash
    assert invitation.invited_by == staff
    expected = invitation.created_at + timedelta(days=settings.REVIEWER_INVITATION_DAYS)
    assert abs(invitation.expires_at - expected) < timedelta(seconds=5)

    email = OutboxEmail.objects.get(key=f"reviewer-invitation:{invitation.pk}")
    assert email.to == "dana.reviewer@example.org"
    assert email.subject == "You are invited to review for the Destination Zero Awards"
    link = site_url(services.invitation_path(invitation, token))
    assert link in email.body
    assert f"/review/invitations/{invitation.pk}/{token}/" in link
    assert helpers.events(invitation, "reviewer_invited") == [
        ("reviewer_invited", "", "", "dana.reviewer@example.org")
    ]


def test_invite_by_non_staff_is_denied(user):
    with pytest.raises(PermissionDenied):
        services.reviewer_invite(actor=user, email="x@example.org", full_name="X")
    assert not ReviewerInvitation.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_invitation_get_needs_the_right_token(invited):
    invitation, token = invited
    assert services.invitation_get(invitation.pk, token) == invitation
    assert services.invitation_get(invitation.pk, token + "x") is None
    assert services.invitation_get(invitation.pk, "") is None
    assert services.invitation_get(invitation.pk, None) is None


def test_accept_creates_the_reviewer_account(invited, category, home):
    """A new account with the invited address, verified, a reviewer, on the panel."""
    invitation, token = invited

    person = _accept(invitation, token, full_name="Dana  R. Reviewer", password=PASSWORD)

    person.refresh_from_db()
    assert person.email == "dana.reviewer@example.org"
    assert person.full_name == "Dana R. Reviewer"
    assert person.check_password(PASSWORD)
    assert person.email_verified_at is not None
    assert is_reviewer(person)
    profile = ReviewerProfile.objects.get(user=person)
    assert (profile.home_agency, profile.state) == (home, "VA")
    assert list(category.panel.members.all()) == [person]
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert invitation.accepted_at is not None
    assert services.invitation_problem(invitation) == (
        "This invitation has already been used. Sign in with the account it set up."
    )
    assert helpers.events(invitation, "reviewer_invitation_accepted") == [
        ("reviewer_invitation_accepted", "", "", "")
    ]


def test_accept_without_a_name_uses_the_invited_name(invited):
    invitation, token = invited
    person = _accept(invitation, token, user=AnonymousUser(), password=PASSWORD)
    assert person.full_name == "Dana Reviewer"


def test_accept_is_single_use(invited):
    invitation, token = invited
    _accept(invitation, token, password=PASSWORD)

    with pytest.raises(services.ReviewError) as error:
        _accept(invitation, token, password="another-passphrase-here")

    assert str(error.value) == (
        "This invitation has already been used. Sign in with the account it set up."
    )
    assert User.objects.filter(email__iexact="dana.reviewer@example.org").count() == 1
    assert User.objects.get(email="dana.reviewer@example.org").check_password(PASSWORD)


def test_accept_after_expiry_is_refused(invited):
    invitation, token = invited
    with time_machine.travel(invitation.expires_at + timedelta(seconds=1), tick=False):
        assert services.invitation_problem(invitation) == (
            "This invitation has expired. Ask program staff for a new one."
        )
        with pytest.raises(services.ReviewError) as error:
            _accept(invitation, token, password=PASSWORD)
    assert str(error.value) == "This invitation has expired. Ask program staff for a new one."
    assert not User.objects.filter(email="dana.reviewer@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_just_before_expiry_works(invited):
    invitation, token = invited
    with time_machine.travel(invitation.expires_at - timedelta(seconds=1), tick=False):
        person = _accept(invitation, token, password=PASSWORD)
    assert is_reviewer(person)


@pytest.mark.parametrize("token", ["wrong", "", None], ids=["wrong", "empty", "none"])
def test_accept_with_a_wrong_token_is_refused(token, invited):
    invitation, real = invited
    with pytest.raises(services.ReviewError) as error:
        _accept(invitation, token, password=PASSWORD)
    assert str(error.value) == "This invitation link is not valid."
    assert not User.objects.filter(email="dana.reviewer@example.org").exists()
    # The real link still works afterwards.
    assert _accept(invitation, real, password=PASSWORD).email == "dana.reviewer@example.org"


def test_accept_of_an_unknown_invitation_is_refused(invited):
    _invitation, token = invited
    with pytest.raises(services.ReviewError) as error:
        services.invitation_accept(
            pk="00000000-0000-0000-0000-000000000000", token=token, password=PASSWORD
        )
    assert str(error.value) == "This invitation link is not valid."


def test_accept_signed_in_with_another_address_is_refused(invited):
    invitation, token = invited
    other = factories.UserFactory(email="someone.else@example.org")

    with pytest.raises(services.ReviewError) as error:
        _accept(invitation, token, user=other)

    assert str(error.value) == (
        "This invitation is for another email address. Sign out, then open the link again."
    )
    assert not is_reviewer(other)
    assert not ReviewerProfile.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_signed_in_with_the_invited_address_upgrades_the_account(invited, category, home):
    invitation, token = invited
    existing = factories.UserFactory(email="DANA.reviewer@example.org")

    person = _accept(invitation, token, user=existing)

    assert person == existing
    assert User.objects.filter(email__iexact="dana.reviewer@example.org").count() == 1
    assert is_reviewer(existing)
    assert ReviewerProfile.objects.get(user=existing).home_agency == home
    assert list(category.panel.members.all()) == [existing]


def test_accept_for_an_existing_account_without_signing_in_is_refused(invited):
    """Whoever holds the link cannot take over an account by setting its password."""
    invitation, token = invited
    existing = factories.UserFactory(email="Dana.Reviewer@example.org")

    with pytest.raises(services.ReviewError) as error:
        _accept(invitation, token, password="taken-over-passphrase")

    assert str(error.value) == (
        "An account already uses this address. Sign in, then open the link again."
    )
    existing.refresh_from_db()
    assert existing.check_password(factories.PASSWORD)
    assert not is_reviewer(existing)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
