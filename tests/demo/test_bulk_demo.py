"""The demo's bulk-returned set: six agencies of its own, their nominations returned
together with one message."""

import pytest

from dz_awards.agencies.enums import MembershipRole
from dz_awards.core.models import AuditEvent
from dz_awards.demo.content.bulk import BULK_AGENCIES, BULK_MESSAGE, BULK_RETURNED
from dz_awards.demo.content.world import DEMO_PASSWORD
from dz_awards.demo.loaders.bulk import load_demo_bulk_agencies, load_demo_bulk_returned
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_returns_its_set_with_one_bulk_action_once(staff):
    cycle = factories.CycleFactory()
    for code in {code for _agency, _title, code in BULK_RETURNED}:
        factories.CategoryFactory(cycle=cycle, code=code)

    agencies = load_demo_bulk_agencies(staff=staff, password=DEMO_PASSWORD)
    results = load_demo_bulk_returned(cycle=cycle, staff=staff, agencies=agencies)

    assert [(r.title, r.done) for r in results] == [(t, True) for _a, t, _c in BULK_RETURNED]
    owners = {
        agency.name: list(agency.memberships.values_list("user__email", "role"))
        for agency in agencies.values()
    }
    assert owners == {s.name: [(s.owner_email, MembershipRole.OWNER)] for s in BULK_AGENCIES}
    assert all(agency.verified_by == staff for agency in agencies.values())
    returned = Nomination.objects.filter(cycle=cycle, state=NominationState.RETURNED)
    assert set(returned.values_list("staff_message", flat=True)) == {BULK_MESSAGE}
    assert returned.count() == 6
    assert AuditEvent.objects.filter(action="nomination_returned", actor=staff).count() == 6
    # Loading the demo again adds nothing.
    assert load_demo_bulk_agencies(staff=staff, password=DEMO_PASSWORD) == agencies
    assert load_demo_bulk_returned(cycle=cycle, staff=staff, agencies=agencies) == []
    assert Nomination.objects.filter(cycle=cycle).count() == 6
