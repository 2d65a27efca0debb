"""Who acts for an agency: one rule, used by agencies, nominations and the scoped selectors."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dz_awards.agencies.enums import MembershipRole, MembershipStatus
from dz_awards.agencies.rules import can_manage_agency, is_agency_member, is_agency_owner
from dz_awards.agencies.selectors import agencies_for_member
from dz_awards.nominations.rules import can_act_for
from dz_awards.nominations.selectors import nominations_for_member
from tests.factories import AgencyFactory, MembershipFactory, NominationFactory, StaffFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(MembershipRole))
@pytest.mark.parametrize("status", list(MembershipStatus))
def test_membership_rule_and_scopes_agree_for_every_role_and_status(role, status):
    """Only an approved membership counts, whatever the role; the predicates and the
    querysets that scope pages give the same answer."""
    membership = MembershipFactory(role=role, status=status)
    nomination = NominationFactory(agency=membership.agency)
    user, agency = membership.user, membership.agency
    approved = status == MembershipStatus.APPROVED

    assert is_agency_member(user, agency.pk) is approved
    assert can_act_for(nomination, user) is approved
    assert list(agencies_for_member(user)) == ([agency] if approved else [])
    assert list(nominations_for_member(user)) == ([nomination] if approved else [])
    assert is_agency_owner(user, agency) is (approved and role == MembershipRole.OWNER)
    assert can_manage_agency(user, agency) is (approved and role == MembershipRole.OWNER)


@pytest.mark.django_db
def test_membership_rule_deactivated_account_acts_for_nobody():
    """A deactivated owner neither acts for nor manages the agency, and sees none of it."""
    membership = MembershipFactory(role=MembershipRole.OWNER, user__is_active=False)
    nomination = NominationFactory(agency=membership.agency)
    user, agency = membership.user, membership.agency

    assert is_agency_member(user, agency.pk) is False
    assert is_agency_owner(user, agency) is False
    assert can_manage_agency(user, agency) is False
    assert can_act_for(nomination, user) is False
    assert list(agencies_for_member(user)) == []
    assert list(nominations_for_member(user)) == []


@pytest.mark.django_db
def test_membership_rule_anonymous_and_other_agencies_get_nothing():
    """Signed out, or a member of another agency: no membership, nothing in scope."""
    agency = AgencyFactory()
    other = MembershipFactory()
    anonymous = AnonymousUser()

    assert is_agency_member(anonymous, agency.pk) is False
    assert list(agencies_for_member(anonymous)) == []
    assert list(nominations_for_member(anonymous)) == []
    assert is_agency_member(other.user, agency.pk) is False


@pytest.mark.django_db
def test_program_staff_manage_but_do_not_act_for_an_agency():
    """Staff manage every agency (profile, join requests) but never act for one."""
    staff = StaffFactory()
    agency = AgencyFactory()
    nomination = NominationFactory(agency=agency)

    assert can_manage_agency(staff, agency) is True
    assert is_agency_member(staff, agency.pk) is False
    assert can_act_for(nomination, staff) is False
