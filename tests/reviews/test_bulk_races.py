"""A bulk action racing the single action on the same nomination (PostgreSQL only)."""

import pytest

from dz_awards.core.models import AuditEvent
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import bulk
from tests import factories
from tests.races import POSTGRES_ONLY, race
from tests.reviews import bulk_worlds

pytestmark = POSTGRES_ONLY

S = NominationState


@pytest.mark.parametrize("bulk_first", [True, False], ids=["bulk first", "single first"])
def test_bulk_return_and_single_screen_out_one_wins(staff, bulk_first):
    """Exactly one of the two changes the contested nomination; the bulk run reports the
    loser's reason for it and still returns the others; one audit record each."""
    cycle = factories.CycleFactory()
    category = factories.CategoryFactory(cycle=cycle)
    contested, *others = bulk_worlds.nominations(4, cycle=cycle, category=category)

    def run_bulk():
        return bulk.bulk_run(
            actor=staff,
            action=bulk.ACTIONS["return"],
            nominations=[contested, *others],
            data=bulk.BulkInput(text="Add the 2024 figures."),
        )

    def screen_out():
        return nomination_services.nomination_screen_out(
            actor=staff, nomination=contested, reason="Started after the cut-off."
        )

    calls = (run_bulk, screen_out) if bulk_first else (screen_out, run_bulk)
    results = race(contested, *calls, in_order=True)
    by_call = dict(zip(calls, results, strict=True))
    items = by_call[run_bulk].value
    assert by_call[run_bulk].error is None
    assert [item.done for item in items[1:]] == [True, True, True]
    contested.refresh_from_db()
    events = AuditEvent.objects.filter(object_id=str(contested.pk))
    if bulk_first:
        assert contested.state == S.RETURNED
        assert items[0].done
        assert str(by_call[screen_out].error) == (
            "This nomination is now returned for changes; it can no longer be screened out."
        )
        assert list(events.values_list("action", flat=True)) == ["nomination_returned"]
    else:
        assert contested.state == S.INELIGIBLE
        assert (items[0].done, items[0].text) == (
            False,
            "This nomination is now ineligible; it can no longer be returned.",
        )
        assert list(events.values_list("action", flat=True)) == ["nomination_screened_out"]
    assert Nomination.objects.filter(pk__in=[n.pk for n in others], state=S.RETURNED).count() == 3
