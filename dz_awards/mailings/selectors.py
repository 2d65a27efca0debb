"""Reads for staff's messages to agencies: who a message would reach, and how far it got."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from dz_awards.mailings.models import BulkMessage
from dz_awards.nominations.enums import STAFF_VISIBLE_STATES
from dz_awards.nominations.models import Nomination

if TYPE_CHECKING:
    from dz_awards.accounts.models import User
    from dz_awards.cycles.models import Category, Cycle


def nominating_agencies(
    cycle: Cycle, *, category: Category | None = None, state: str = ""
) -> QuerySet[Agency]:
    """Agencies with a submitted nomination in `cycle` (in `category`; from `state`).

    Submitted means seen by staff: any state but draft (a draft is the agency's
    own). An agency with several such nominations is one agency here.
    """
    nominations = Nomination.objects.filter(cycle=cycle, state__in=STAFF_VISIBLE_STATES)
    if category is not None:
        nominations = nominations.filter(category=category)
    agencies = Agency.objects.filter(pk__in=nominations.values("agency_id"))
    if state:
        agencies = agencies.filter(state=state)
    return agencies.order_by("name", "pk")


def members_by_agency(agencies: list[Agency]) -> dict[object, list[User]]:
    """Each agency's active, approved members (whom its emails go to), in one query."""
    people: dict[object, list[User]] = {agency.pk: [] for agency in agencies}
    memberships = (
        Membership.objects.filter(
            agency__in=agencies, status=MembershipStatus.APPROVED, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__pk")
    )
    for membership in memberships:
        people[membership.agency_id].append(membership.user)
    return people


@dataclass(frozen=True)
class Reach:
    """Who a message would go to: the agencies and how many people in all."""

    agencies: list[Agency]
    people: dict[object, list[User]]

    @property
    def recipients(self) -> int:
        return sum(len(each) for each in self.people.values())


def message_reach(cycle: Cycle, *, category: Category | None = None, state: str = "") -> Reach:
    agencies = list(nominating_agencies(cycle, category=category, state=state))
    return Reach(agencies, members_by_agency(agencies))


def bulk_messages_of(cycle: Cycle) -> QuerySet[BulkMessage]:
    """The cycle's messages, newest first, with how many agencies each reached."""
    return (
        BulkMessage.objects.filter(cycle=cycle)
        .select_related("category", "sent_by")
        .annotate(agencies=Count("recipients"))
    )


@dataclass(frozen=True)
class Progress:
    """How far a message's emails got, from the outbox: sent, waiting, failed."""

    total: int
    by_agency: dict[str, Counter[str]]
    counts: Counter[str]

    @property
    def sent(self) -> int:
        return self.counts[OutboxStatus.SENT]

    @property
    def failed(self) -> int:
        return self.counts[OutboxStatus.FAILED]

    @property
    def pending(self) -> int:
        return self.counts[OutboxStatus.PENDING]

    @property
    def done(self) -> bool:
        return self.pending == 0


def message_progress(message: BulkMessage) -> Progress:
    """The status of each of the message's emails, in all and per agency (one query)."""
    rows = OutboxEmail.objects.filter(key__startswith=message.outbox_key).values_list(
        "key", "status"
    )
    counts: Counter[str] = Counter()
    by_agency: dict[str, Counter[str]] = {}
    for key, status in rows:
        # bulk-message:<message>:<agency>:<person>
        agency = key.split(":")[2]
        counts[status] += 1
        by_agency.setdefault(agency, Counter())[status] += 1
    return Progress(sum(counts.values()), by_agency, counts)
