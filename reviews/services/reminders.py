"""Reminders: one email a day to each reviewer with assignments waiting."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.models import OutboxEmail
from dz_awards.core.services import audit_record, outbox_enqueue, site_url
from dz_awards.cycles.models import Cycle
from reviews import rules, selectors
from reviews.enums import AssignmentState
from reviews.models import Assignment

A = AssignmentState


@transaction.atomic
def reviewers_remind(
    *,
    actor: Any,
    cycle: Cycle,
    reviewer: Any = None,
    moment: datetime | None = None,
    late_only: bool = False,
) -> list[Any]:
    """Email each reviewer with pending assignments in `cycle` one reminder (once a day).

    Pending: waiting on the reviewer (`rules.waits_on_reviewer`: an invitation of a
    nomination still taking reviewers, a review of one in review), not conflicted.
    Only `reviewer`, if given; with `late_only`, only reviewers with a pending
    assignment past its due date. A reviewer already reminded in this
    cycle today gets nothing more. Returns the reviewers emailed now, so that
    pages can say truthfully how many reminders went out.
    """
    moment = moment or timezone.now()
    pending: QuerySet[Assignment] = Assignment.objects.filter(
        rules.WAITING_ON_REVIEWER, nomination__cycle=cycle
    ).select_related("reviewer")
    pending = selectors.exclude_conflicted(pending)
    if reviewer is not None:
        pending = pending.filter(reviewer=reviewer)
    by_reviewer: defaultdict[Any, list[Assignment]] = defaultdict(list)
    for row in pending:
        by_reviewer[row.reviewer].append(row)
    day = timezone.localdate(moment).isoformat()
    keys = {person: f"review-reminder:{cycle.pk}:{person.pk}:{day}" for person in by_reviewer}
    already = set(OutboxEmail.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    to_remind = {
        person: rows
        for person, rows in by_reviewer.items()
        if keys[person] not in already
        and (not late_only or any(row.is_overdue(moment) for row in rows))
    }
    for person, rows in to_remind.items():
        outbox_enqueue(
            key=keys[person],
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
    if to_remind:
        audit_record(
            actor=actor,
            obj=cycle,
            action="reviewers_reminded",
            message=f"{len(to_remind)} reviewers",
        )
    return list(to_remind)
