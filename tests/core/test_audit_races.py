"""Concurrent audit events (PostgreSQL): each transaction chains onto the one committed
before it, never two onto the same event."""

import threading

from django.db import connection, transaction

from dz_awards.core.audit_chain import audit_chain_verify
from dz_awards.core.models import AuditEvent
from dz_awards.core.services import audit_record
from tests.factories import AgencyFactory
from tests.races import POSTGRES_ONLY, WAIT_SECONDS, Result, _wait_for_lock_waiters

pytestmark = POSTGRES_ONLY

RACERS = 4


def test_audit_record_concurrent_transactions_form_one_chain():
    """While one transaction holds the chain, four others wait for it; once it commits,
    each chains onto the one before it, and the trail verifies whole."""
    agency = AgencyFactory()
    results = [Result() for _ in range(RACERS)]

    def record(index):
        try:
            with transaction.atomic():
                results[index].value = audit_record(
                    actor=None, obj=agency, action="agency_updated", message=f"racer {index}"
                )
        except Exception as error:  # the outcome, error or not, is what the test checks
            results[index].error = error
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(i,), daemon=True) for i in range(RACERS)]
    try:
        with transaction.atomic():
            holder = audit_record(actor=None, obj=agency, action="agency_created")
            for thread in threads:
                thread.start()
            # Every racer waits on the chain while the holder's event is not yet committed.
            _wait_for_lock_waiters(RACERS)
    finally:
        for thread in threads:
            thread.join(timeout=WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    assert [result.error for result in results] == [None] * RACERS

    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].pk == holder.pk
    assert len(events) == RACERS + 1
    previous_hashes = [event.previous_hash for event in events]
    assert previous_hashes == ["", *(event.hash for event in events[:-1])]
    report = audit_chain_verify()
    assert (report.verified, report.broken) == (RACERS + 1, None)
