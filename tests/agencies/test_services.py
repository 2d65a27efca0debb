"""Agency services: every change writes its audit event and queues its emails."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from dz_awards.agencies import services
from dz_awards.agencies.enums import AgencyType, MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import AuditEvent, OutboxEmail
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    OwnerFactory,
    StaffFactory,
    UserFactory,
)

PROFILE = {
    "name": "Riverton Police Department",
    "agency_type": AgencyType.MUNICIPAL,
    "state": "OH",
    "city": "Riverton",
    "sworn_officers": 142,
    "civilian_staff": 38,
    "ori": "OH0770100",
    "website": "https://riverton.example.org/",
    "contact_name": "Sgt. Alex Kim",
    "contact_title": "Wellness Coordinator",
    "contact_email": "alex.kim@example.org",
    "contact_phone": "",
}


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# agency_create ------------------------------------------------------------


@pytest.mark.django_db
def test_agency_create_makes_user_approved_owner_and_audits():
    """Creating an agency makes its creator an approved owner and records who did it."""
    user = UserFactory()
    agency = services.agency_create(user=user, **PROFILE)

    assert agency.created_by == user
    assert agency.verified_at is None
    membership = Membership.objects.get(agency=agency)
    assert (membership.user, membership.role, membership.status, membership.decided_by) == (
        user,
        MembershipRole.OWNER,
        MembershipStatus.APPROVED,
        user,
    )
    [event] = events("agency_created")
    assert (event.actor, event.subject, event.object_repr) == (
        user,
        agency,
        "Riverton Police Department (Riverton, OH)",
    )


@pytest.mark.django_db
def test_agency_create_ignores_non_profile_arguments():
    """Verification and creator cannot be passed in: only profile fields are used."""
    user = UserFactory()
    staff = StaffFactory()
    agency = services.agency_create(
        user=user,
        verified_at=datetime(2026, 1, 1, tzinfo=UTC),
        verified_by=staff,
        created_by=staff,
        **PROFILE,
    )
    agency.refresh_from_db()
    assert (agency.verified_at, agency.verified_by, agency.created_by) == (None, None, user)


@pytest.mark.django_db
def test_agency_create_invalid_profile_raises_and_writes_nothing():
    """An invalid profile is refused by full_clean; no agency, membership or event remains."""
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.agency_create(user=user, **{**PROFILE, "sworn_officers": 0})
    assert (Agency.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == (
        0,
        0,
        0,
    )


# agency_update ------------------------------------------------------------


@pytest.mark.django_db
def test_agency_update_by_owner_saves_and_lists_changed_fields():
    """An owner's change is saved and audited with the names of the changed fields."""
    membership = OwnerFactory()
    agency = membership.agency
    services.agency_update(user=membership.user, agency=agency, city="Lakeside", sworn_officers=7)
    agency.refresh_from_db()
    assert (agency.city, agency.sworn_officers) == ("Lakeside", 7)
    [event] = events("agency_updated")
    assert (event.actor, event.message) == (membership.user, "Changed: city, sworn_officers")


@pytest.mark.django_db
def test_agency_update_without_changes_writes_no_event():
    """Saving the same values records nothing."""
    membership = OwnerFactory()
    agency = membership.agency
    services.agency_update(user=membership.user, agency=agency, city=agency.city)
    assert events("agency_updated") == []


@pytest.mark.django_db
def test_agency_update_by_plain_member_refused():
    """A member who is not an owner cannot change the profile."""
    membership = MembershipFactory(role=MembershipRole.MEMBER)
    agency = membership.agency
    with pytest.raises(PermissionDenied):
        services.agency_update(user=membership.user, agency=agency, city="Elsewhere")
    agency.refresh_from_db()
    assert agency.city != "Elsewhere"
    assert events("agency_updated") == []


@pytest.mark.django_db
def test_agency_update_ignores_verification_arguments():
    """Verification cannot be set through a profile update."""
    membership = OwnerFactory()
    agency = membership.agency
    services.agency_update(
        user=membership.user, agency=agency, verified_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    agency.refresh_from_db()
    assert agency.verified_at is None


# agency_request_join -----------------------------------------------------


@pytest.mark.django_db
def test_agency_request_join_pending_emails_each_owner_and_audits(
    django_capture_on_commit_callbacks, mailoutbox
):
    """A join request is pending; every active owner (not the requester) gets one email."""
    agency = AgencyFactory(name="Riverton Police Department")
    first = OwnerFactory(agency=agency, user__email="first.owner@example.org").user
    second = OwnerFactory(agency=agency, user__email="second.owner@example.org").user
    OwnerFactory(agency=agency, user__is_active=False, user__email="gone@example.org")
    MembershipFactory(agency=agency, user__email="plain.member@example.org")
    OwnerFactory(
        agency=agency, status=MembershipStatus.PENDING, user__email="pending.owner@example.org"
    )
    requester = UserFactory(full_name="Jamie Cruz", email="jamie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        membership = services.agency_request_join(
            user=requester, agency=agency, message="I run peer support."
        )

    assert (membership.status, membership.role, membership.message) == (
        MembershipStatus.PENDING,
        MembershipRole.MEMBER,
        "I run peer support.",
    )
    assert sorted(m.to[0] for m in mailoutbox) == [first.email, second.email]
    assert {m.subject for m in mailoutbox} == {"Jamie Cruz asks to join Riverton Police Department"}
    assert "jamie@example.org" in mailoutbox[0].body
    assert "I run peer support." in mailoutbox[0].body
    assert f"/agencies/{agency.pk}/members/" in mailoutbox[0].body
    [event] = events("membership_requested")
    assert (event.actor, event.subject, event.from_state, event.to_state, event.message) == (
        requester,
        membership,
        "",
        "pending",
        "I run peer support.",
    )


@pytest.mark.django_db
def test_agency_request_join_twice_one_membership_one_email(
    django_capture_on_commit_callbacks, mailoutbox
):
    """Asking twice leaves one pending membership, one email and one audit event."""
    owner = OwnerFactory()
    requester = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_request_join(user=requester, agency=owner.agency)
        services.agency_request_join(user=requester, agency=owner.agency, message="Again")

    membership = Membership.objects.get(user=requester)
    assert (membership.status, membership.message) == (MembershipStatus.PENDING, "")
    assert [m.to for m in mailoutbox] == [[owner.user.email]]
    assert len(events("membership_requested")) == 1


@pytest.mark.django_db
def test_agency_request_join_by_member_changes_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    """An approved member asking to join again stays approved; nobody is emailed."""
    OwnerFactory(agency=(agency := AgencyFactory()))
    member = MembershipFactory(agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.agency_request_join(user=member.user, agency=agency)
    assert result.status == MembershipStatus.APPROVED
    assert mailoutbox == []
    assert events("membership_requested") == []


@pytest.mark.django_db
def test_membership_decline_then_request_again_pending_and_owners_emailed_again(
    django_capture_on_commit_callbacks, mailoutbox
):
    """A declined person may ask again (even within the same second): pending, owners emailed."""
    owner = OwnerFactory()
    requester = UserFactory()
    with (
        time_machine.travel(datetime(2026, 10, 5, 14, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        membership = services.agency_request_join(user=requester, agency=owner.agency)
        services.membership_decline(actor=owner.user, membership=membership)
        again = services.agency_request_join(user=requester, agency=owner.agency, message="Hi")

    assert again.pk == membership.pk
    again.refresh_from_db()
    assert (again.status, again.decided_at, again.decided_by, again.message) == (
        MembershipStatus.PENDING,
        None,
        None,
        "Hi",
    )
    assert [m.to[0] for m in mailoutbox] == [owner.user.email, requester.email, owner.user.email]
    assert len(events("membership_requested")) == 2


# membership_approve / membership_decline ---------------------------------


@pytest.mark.django_db
def test_membership_approve_by_owner_approves_emails_requester_and_audits(
    django_capture_on_commit_callbacks, mailoutbox
):
    """Approval: approved, decided by the owner, the requester emailed, pending→approved audited."""
    owner = OwnerFactory(agency__name="Riverton Police Department")
    pending = MembershipFactory(
        agency=owner.agency, status=MembershipStatus.PENDING, user__full_name="Jamie Cruz"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(actor=owner.user, membership=pending)

    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (MembershipStatus.APPROVED, owner.user)
    assert pending.decided_at is not None
    [email] = mailoutbox
    assert email.to == [pending.user.email]
    assert email.subject == "Your request to join Riverton Police Department"
    assert "Hello Jamie Cruz," in email.body
    assert "Your request to join Riverton Police Department was approved." in email.body
    [event] = events("membership_approved")
    assert (event.actor, event.subject, event.from_state, event.to_state) == (
        owner.user,
        pending,
        "pending",
        "approved",
    )


@pytest.mark.django_db
def test_membership_decline_by_owner_declines_and_emails_requester(
    django_capture_on_commit_callbacks, mailoutbox
):
    """Declining: declined, the requester told, pending→declined audited."""
    owner = OwnerFactory(agency__name="Riverton Police Department")
    pending = MembershipFactory(agency=owner.agency, status=MembershipStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(actor=owner.user, membership=pending)

    pending.refresh_from_db()
    assert pending.status == MembershipStatus.DECLINED
    [email] = mailoutbox
    assert email.to == [pending.user.email]
    assert "Your request to join Riverton Police Department was declined." in email.body
    [event] = events("membership_declined")
    assert (event.from_state, event.to_state) == ("pending", "declined")


@pytest.mark.django_db
def test_membership_approve_by_staff_allowed(django_capture_on_commit_callbacks, mailoutbox):
    """Program staff may decide any agency's join request."""
    pending = MembershipFactory(status=MembershipStatus.PENDING)
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(actor=staff, membership=pending)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (MembershipStatus.APPROVED, staff)
    assert [m.to for m in mailoutbox] == [[pending.user.email]]


@pytest.mark.django_db
@pytest.mark.parametrize("decide", [services.membership_approve, services.membership_decline])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (MembershipRole.MEMBER, MembershipStatus.APPROVED),
        (MembershipRole.OWNER, MembershipStatus.PENDING),
        (MembershipRole.OWNER, MembershipStatus.DECLINED),
    ],
)
def test_membership_decide_by_non_owner_refused(
    decide, role, status, django_capture_on_commit_callbacks, mailoutbox
):
    """Plain members and owners whose own membership is not approved cannot decide."""
    agency = AgencyFactory()
    actor = MembershipFactory(agency=agency, role=role, status=status).user
    pending = MembershipFactory(agency=agency, status=MembershipStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        decide(actor=actor, membership=pending)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (MembershipStatus.PENDING, None)
    assert mailoutbox == []
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_membership_decide_by_other_agency_owner_refused():
    """An owner of another agency cannot decide this agency's requests."""
    other_owner = OwnerFactory().user
    pending = MembershipFactory(status=MembershipStatus.PENDING)
    with pytest.raises(PermissionDenied):
        services.membership_approve(actor=other_owner, membership=pending)
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("decide", [services.membership_approve, services.membership_decline])
@pytest.mark.parametrize("decided", [MembershipStatus.APPROVED, MembershipStatus.DECLINED])
def test_membership_decide_already_decided_changes_nothing(
    decide, decided, django_capture_on_commit_callbacks, mailoutbox
):
    """Deciding a request that is no longer pending leaves it, sends nothing, audits nothing."""
    owner = OwnerFactory()
    first_decider = UserFactory()
    decided_at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    membership = MembershipFactory(
        agency=owner.agency, status=decided, decided_by=first_decider, decided_at=decided_at
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = decide(actor=owner.user, membership=membership)
    membership.refresh_from_db()
    assert (result.status, membership.status) == (decided, decided)
    assert (membership.decided_by, membership.decided_at) == (first_decider, decided_at)
    assert mailoutbox == []
    assert AuditEvent.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


# agency_verify ------------------------------------------------------------


@pytest.mark.django_db
def test_agency_verify_sets_verifier_audits_and_emails_owners(
    django_capture_on_commit_callbacks, mailoutbox
):
    """Verification records when and by whom, audits unverified→verified, emails each owner."""
    agency = AgencyFactory(name="Riverton Police Department")
    owners = sorted(
        OwnerFactory(agency=agency, user__email=f"owner{i}@example.org").user.email
        for i in range(2)
    )
    MembershipFactory(agency=agency, user__email="member@example.org")
    staff = StaffFactory()
    with (
        time_machine.travel(datetime(2026, 10, 5, 14, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.agency_verify(actor=staff, agency=agency)

    agency.refresh_from_db()
    assert (agency.verified_at, agency.verified_by) == (
        datetime(2026, 10, 5, 14, 0, tzinfo=UTC),
        staff,
    )
    [event] = events("agency_verified")
    assert (event.actor, event.from_state, event.to_state) == (staff, "unverified", "verified")
    assert sorted(m.to[0] for m in mailoutbox) == owners
    assert {m.subject for m in mailoutbox} == {"Riverton Police Department is verified"}
    assert all(
        "Program staff have verified Riverton Police Department." in m.body for m in mailoutbox
    )
    assert OutboxEmail.objects.filter(status=OutboxStatus.SENT).count() == 2


@pytest.mark.django_db
def test_agency_verify_twice_one_event_one_email(django_capture_on_commit_callbacks, mailoutbox):
    """Verifying an already verified agency keeps the first verification and sends nothing."""
    owner = OwnerFactory()
    first, second = StaffFactory(), StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_verify(actor=first, agency=owner.agency)
        services.agency_verify(actor=second, agency=owner.agency)
    owner.agency.refresh_from_db()
    assert owner.agency.verified_by == first
    assert len(events("agency_verified")) == 1
    assert [m.to for m in mailoutbox] == [[owner.user.email]]


@pytest.mark.django_db
def test_agency_verify_by_owner_refused():
    """Only program staff verify; an agency's own owner cannot."""
    owner = OwnerFactory()
    with pytest.raises(PermissionDenied):
        services.agency_verify(actor=owner.user, agency=owner.agency)
    owner.agency.refresh_from_db()
    assert owner.agency.verified_at is None
    assert events("agency_verified") == []


@pytest.mark.django_db
def test_agency_update_after_creator_account_deleted_saves():
    """An agency whose creator's account was deleted (created_by emptied) can still be edited."""
    creator = UserFactory()
    agency = services.agency_create(user=creator, **PROFILE)
    other_owner = OwnerFactory(agency=agency).user
    creator.delete()
    agency.refresh_from_db()
    assert agency.created_by is None

    services.agency_update(user=other_owner, agency=agency, city="Lakeside")
    agency.refresh_from_db()
    assert agency.city == "Lakeside"
