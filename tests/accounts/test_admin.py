"""The accounts admin: a change of someone's roles there is recorded with who made it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.core.models import AuditEvent
from tests.factories import StaffFactory, UserFactory


def user_form_data(person, **changes):
    """The user change form as the admin posts it (unticked boxes are simply absent)."""
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "job_title": person.job_title,
        "is_active": "on",
        **changes,
    }
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def superuser():
    return StaffFactory(is_superuser=True)


@pytest.mark.django_db
def test_admin_role_change_records_actor_and_each_role_before_and_after(client, superuser):
    """Making someone program staff and a reviewer writes one audit event naming both changes."""
    person = UserFactory()
    reviewers = Group.objects.get(name=REVIEWERS_GROUP)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        user_form_data(person, is_staff="on", groups=[str(reviewers.pk)]),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_staff
    assert list(person.groups.all()) == [reviewers]
    [event] = AuditEvent.objects.filter(action="account_roles_changed")
    assert (event.actor, event.subject) == (superuser, person)
    assert event.message == "program staff: no → yes; groups: none → Reviewers"


@pytest.mark.django_db
def test_admin_deactivation_is_recorded(client, superuser):
    """Turning an account off in the admin is on the record too."""
    person = UserFactory()
    client.force_login(superuser)

    client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        user_form_data(person, is_active=None),
    )

    person.refresh_from_db()
    assert not person.is_active
    [event] = AuditEvent.objects.filter(action="account_roles_changed")
    assert (event.actor, event.message) == (superuser, "active: yes → no")


@pytest.mark.django_db
def test_admin_change_without_role_change_records_nothing(client, superuser):
    """Correcting a name is not a change of roles: no role event is written."""
    person = UserFactory()
    client.force_login(superuser)

    client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        user_form_data(person, full_name="Pat Lee-Morgan"),
    )

    person.refresh_from_db()
    assert person.full_name == "Pat Lee-Morgan"
    assert not AuditEvent.objects.filter(action="account_roles_changed").exists()
