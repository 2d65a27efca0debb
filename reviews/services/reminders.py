"""Reminders: one email a day to each reviewer with assignments waiting."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.services import audit_record, outbox_enqueue, site_url
from dz_awards.cycles.models import Cycle
from dz_awards.nominations.enums import ASSIGNABLE_STATES
from reviews import selectors
from reviews.enums import AssignmentState
from reviews.models import Assignment

A = AssignmentState


@transaction.atomic
def reviewers_remind(
    *, actor: Any, cycle: Cycle, reviewer: Any = None, moment: datetime | None = None
) -> list[Any]:
    """Email each reviewer with pending assignments in `cycle` one reminder (once a day).

    Pending: invited or accepted, not conflicted, of a nomination still taking
    reviewers. Only `reviewer`, if given. Returns the reviewers reminded.
    """
    moment = moment or timezone.now()
    pending: QuerySet[Assignment] = Assignment.objects.filter(
        nomination__cycle=cycle,
        state__in=[A.INVITED, A.ACCEPTED],
        nomination__state__in=ASSIGNABLE_STATES,
    ).select_related("reviewer")
    pending = selectors.exclude_conflicted(pending)
    if reviewer is not None:
        pending = pending.filter(reviewer=reviewer)
    by_reviewer: defaultdict[Any, list[Assignment]] = defaultdict(list)
    for row in pending:
        by_reviewer[row.reviewer].append(row)
    day = timezone.localdate(moment).isoformat()
    for person, rows in by_reviewer.items():
        outbox_enqueue(
            key=f"review-reminder:{cycle.pk}:{person.pk}:{day}",
            to=person.email,
            subject="Reminder: reviews waiting for you",
            template="reviews/email/reminder.txt",
            context={
                "user": person,
                "cycle": cycle,
                "invited": sum(1 for r in rows if r.state == A.INVITED),
                "accepted": sum(1 for r in rows if r.state == A.ACCEPTED),
                "overdue": sum(1 for r in rows if r.is_overdue(moment)),
                "url": site_url(reverse("reviews:queue")),
            },
        )
        Assignment.objects.filter(pk__in=[r.pk for r in rows]).update(reminded_at=moment)
    if by_reviewer:
        audit_record(
            actor=actor,
            obj=cycle,
            action="reviewers_reminded",
            message=f"{len(by_reviewer)} reviewers",
        )
    return list(by_reviewer)
