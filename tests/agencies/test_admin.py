"""The agencies admin: profile and membership corrections are audited; nothing else changes."""

import pytest
from django.urls import reverse

from dz_awards.agencies.enums import MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.core.models import AuditEvent
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    OwnerFactory,
    StaffFactory,
    UserFactory,
    agency_profile_form_data,
)


@pytest.fixture
def superuser():
    return StaffFactory(is_superuser=True)


def change_url(agency):
    return reverse("admin:agencies_agency_change", args=[agency.pk])


def change_form_data(agency, memberships, **profile):
    """The change form as the admin posts it: the profile and one row per membership."""
    data = {
        **agency_profile_form_data(**profile),
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, (membership, role, status) in enumerate(memberships):
        data[f"memberships-{index}-id"] = str(membership.pk)
        data[f"memberships-{index}-agency"] = str(agency.pk)
        data[f"memberships-{index}-role"] = role
        data[f"memberships-{index}-status"] = status
    return data


@pytest.mark.django_db
def test_admin_membership_role_change_is_saved_with_audit_of_actor_and_change(client, superuser):
    """Making a member an owner in the admin records who did it, with the role before and after."""
    agency = AgencyFactory()
    membership = MembershipFactory(agency=agency)
    client.force_login(superuser)

    response = client.post(
        change_url(agency),
        change_form_data(agency, [(membership, MembershipRole.OWNER, MembershipStatus.APPROVED)]),
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.status) == (
        MembershipRole.OWNER,
        MembershipStatus.APPROVED,
    )
    [event] = AuditEvent.objects.filter(action="membership_corrected")
    assert event.actor == superuser
    assert event.subject == membership
    assert (event.from_state, event.to_state) == ("approved", "approved")
    assert event.message == "Corrected by program staff: role Member → Owner."


@pytest.mark.django_db
def test_admin_membership_status_change_records_status_and_decider(client, superuser):
    """Approving a pending request in the admin is audited and names staff as the decider."""
    agency = AgencyFactory()
    membership = MembershipFactory(agency=agency, status=MembershipStatus.PENDING)
    client.force_login(superuser)

    client.post(
        change_url(agency),
        change_form_data(agency, [(membership, MembershipRole.MEMBER, MembershipStatus.APPROVED)]),
    )

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert membership.decided_by == superuser
    [event] = AuditEvent.objects.filter(action="membership_corrected")
    assert (event.actor, event.from_state, event.to_state) == (
        superuser,
        "pending",
        "approved",
    )
    assert event.message == ("Corrected by program staff: status Waiting for approval → Approved.")


@pytest.mark.django_db
def test_admin_save_without_membership_change_records_no_correction(client, superuser):
    """Saving the page with the rows as they were writes no membership audit event."""
    agency = AgencyFactory()
    owner = OwnerFactory(agency=agency)
    client.force_login(superuser)

    client.post(
        change_url(agency),
        change_form_data(agency, [(owner, MembershipRole.OWNER, MembershipStatus.APPROVED)]),
    )

    assert not AuditEvent.objects.filter(action="membership_corrected").exists()


@pytest.mark.django_db
def test_admin_agency_profile_change_is_audited_with_changed_fields(client, superuser):
    """A profile correction in the admin goes through the service: its audit names the fields."""
    agency = AgencyFactory(**agency_profile_form_data(sworn_officers=142, civilian_staff=38))
    client.force_login(superuser)

    response = client.post(change_url(agency), change_form_data(agency, [], city="Rivertown"))

    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.city == "Rivertown"
    [event] = AuditEvent.objects.filter(action="agency_updated")
    assert (event.actor, event.subject, event.message) == (superuser, agency, "Changed: city")


@pytest.mark.django_db
def test_admin_agency_profile_is_checked_as_on_the_site(client, superuser):
    """The admin uses the agency's own form: an ORI is normalised and must stay unique."""
    AgencyFactory(ori="VA0290000")
    agency = AgencyFactory(**agency_profile_form_data(sworn_officers=142, civilian_staff=38))
    client.force_login(superuser)

    taken = client.post(change_url(agency), change_form_data(agency, [], ori="va 029 0000"))
    client.post(change_url(agency), change_form_data(agency, [], ori="oh 077 0101"))

    assert "Another agency already uses this ORI." in taken.content.decode()
    agency.refresh_from_db()
    assert agency.ori == "OH0770101"


@pytest.mark.django_db
def test_admin_membership_user_is_not_editable(client, superuser):
    """A posted user for an existing row is ignored: the membership stays with its person."""
    agency = AgencyFactory()
    membership = MembershipFactory(agency=agency)
    someone_else = UserFactory()
    client.force_login(superuser)
    data = change_form_data(
        agency, [(membership, MembershipRole.MEMBER, MembershipStatus.APPROVED)]
    )
    data["memberships-0-user"] = str(someone_else.pk)

    client.post(change_url(agency), data)

    membership.refresh_from_db()
    assert membership.user_id != someone_else.pk
    html = client.get(change_url(agency)).content.decode()
    assert 'name="memberships-0-user"' not in html
    assert 'name="memberships-0-role"' in html


@pytest.mark.django_db
def test_admin_membership_rows_cannot_be_added_or_deleted(client, superuser):
    """New rows and deletions posted to the inline change nothing."""
    agency = AgencyFactory()
    membership = MembershipFactory(agency=agency)
    newcomer = UserFactory()
    client.force_login(superuser)
    data = change_form_data(
        agency, [(membership, MembershipRole.MEMBER, MembershipStatus.APPROVED)]
    )
    data["memberships-0-DELETE"] = "on"
    data["memberships-TOTAL_FORMS"] = "2"
    data["memberships-1-user"] = str(newcomer.pk)
    data["memberships-1-role"] = MembershipRole.OWNER
    data["memberships-1-status"] = MembershipStatus.APPROVED

    client.post(change_url(agency), data)

    assert list(Membership.objects.filter(agency=agency)) == [membership]


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["add", "delete"])
def test_admin_agency_add_and_delete_refused(client, superuser, view):
    """Agencies are created on the site (their creator becomes owner) and never deleted here."""
    agency = AgencyFactory()
    client.force_login(superuser)
    url = (
        reverse("admin:agencies_agency_add")
        if view == "add"
        else reverse("admin:agencies_agency_delete", args=[agency.pk])
    )

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert list(Agency.objects.all()) == [agency]
