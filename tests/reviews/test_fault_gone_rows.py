"""Review requests on a row deleted a moment before answer 404 and write nothing.

As in tests/nominations/test_fault_gone_rows.py, the row is deleted just before the
service locks it again (`core.rows.row_or_gone`, wrapped to delete first).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.services import common as nomination_common
from reviews.enums import AssignmentState
from reviews.models import Assignment, Decision
from reviews.services import common as review_common
from tests import factories
from tests.nominations.test_fault_gone_rows import delete_first
from tests.reviews import helpers


def _nothing_recorded(before):
    assert list(AuditEvent.objects.values_list("action", flat=True)[before:]) == []
    assert not OutboxEmail.objects.exclude(key__startswith="review-assigned").exists()


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_reviewer_answer_to_a_removed_assignment_is_404(  # noqa: PLR0917 fixtures
    action, staff, nomination, reviewers, client, monkeypatch
):
    """Staff remove the assignment while its reviewer accepts or declines it."""
    (row,) = helpers.assign(staff, nomination, reviewers[:1], accept=False)
    client.force_login(row.reviewer)
    before = AuditEvent.objects.count()
    delete_first(monkeypatch, review_common)
    response = client.post(
        reverse(f"reviews:{action}", kwargs={"pk": row.pk}),
        {"decline-reason": "availability", "decline-note": ""},
    )
    assert response.status_code == 404
    assert Assignment.objects.get(pk=row.pk).state == AssignmentState.INVITED
    _nothing_recorded(before)


def test_staff_assignment_on_a_deleted_nomination_is_404(
    staff, nomination, reviewers, client, monkeypatch
):
    client.force_login(staff)
    before = AuditEvent.objects.count()
    delete_first(monkeypatch, nomination_common)
    response = client.post(
        reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk}),
        {"reviewer": reviewers[0].pk},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()
    _nothing_recorded(before)


@pytest.mark.parametrize("outcome", ["finalist", "not_selected"])
def test_staff_decision_on_a_deleted_nomination_is_404(
    outcome, staff, category, client, monkeypatch
):
    nomination = factories.NominationFactory(
        complete=True,
        category=category,
        cycle=category.cycle,
        state=NominationState.REVIEWED,
        submitted_at=timezone.now(),
    )
    client.force_login(staff)
    before = AuditEvent.objects.count()
    delete_first(monkeypatch, nomination_common)
    response = client.post(
        reverse("staff:nomination-decision", kwargs={"pk": nomination.pk}), {"outcome": outcome}
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()
    _nothing_recorded(before)
