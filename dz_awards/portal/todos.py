"""What needs each person now: the to-dos the dashboard starts with, and their count in
the navigation.

A to-do is something the person can do now, with a link to where it is done; it
is gone as soon as it is done, because each one is read from the state of the
work itself (nothing is stored). By role:

- agency members: a proof to approve, a nomination returned for changes, a
  thread with unread messages from program staff, a draft whose deadline is
  close (less than `DEADLINE_CLOSE` away);
- reviewers: an assignment to accept or decline, a review to finish while
  scoring is open;
- program staff: nominations to screen, review copies in which the identity
  check found the agency, reviews past their due date, profiles the agency
  approved that wait for a second staff member to publish, and threads with
  unread messages from an agency.

Each app says what is due through its selectors; this module only composes
them. `todo_count` runs on every signed-in page, so it costs a fixed number of
queries whatever the number of items (two for an agency member, one more for a
reviewer, four more for staff), and so does `todos_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations import selectors as nomination_selectors
from dz_awards.profiles import selectors as profile_selectors
from reviews import selectors as review_selectors

if TYPE_CHECKING:
    from datetime import datetime

    from dz_awards.accounts.models import User
    from dz_awards.nominations.models import Nomination

# A draft's deadline is "close" when it is less than this far away: the dashboard
# then lists it, with the deadline in Eastern time, as the rest of the site does.
DEADLINE_CLOSE = timedelta(days=7)
# Staff may have many threads with unread messages; the dashboard lists this many
# and says how many more there are (the navigation counts them all).
THREADS_LISTED = 10


@dataclass(frozen=True)
class Todo:
    """One thing to do: what (`text`), where (`url`, `link`), by when (`due`, if any).

    `count` is how many items the line stands for (a line may gather several, such
    as the nominations waiting to be screened); the navigation adds them up.
    """

    kind: str
    text: str
    link: str
    url: str
    due: datetime | None = None
    count: int = 1


@dataclass(frozen=True)
class TodoGroup:
    """The to-dos of one role, under its heading on the dashboard."""

    role: str
    heading: str
    items: list[Todo]
    more: int = 0  # items counted but not listed (see THREADS_LISTED)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items) + self.more


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _unread_text(nomination: Nomination) -> str:
    # `unread_count` is annotated by `nomination_selectors.threads_unread`.
    count: int = getattr(nomination, "unread_count", 0)
    return f"{count} unread {_plural(count, 'message', 'messages')} about “{nomination}”"


def agency_todos(user: User, moment: datetime) -> TodoGroup:
    """The agency member's to-dos: proofs, returned nominations, unread threads, drafts
    near their deadline (in that order). Four queries."""
    items = [
        Todo(
            kind="proof",
            text=f"Approve the proof of the public profile “{profile.title}”, or ask for changes",
            link="Read the proof",
            url=reverse("profiles:proof", kwargs={"pk": profile.pk}),
        )
        for profile in profile_selectors.proofs_to_approve(user)
    ]
    items += [
        Todo(
            kind="returned",
            text=f"Program staff returned “{nomination}” for changes: edit it and resubmit",
            link="Read their message",
            url=nomination.get_absolute_url(),
        )
        for nomination in nomination_selectors.nominations_returned_for_member(user)
    ]
    items += [
        Todo(
            kind="message",
            text=_unread_text(nomination),
            link="Read the messages",
            url=f"{nomination.get_absolute_url()}#messages",
        )
        for nomination in nomination_selectors.threads_unread(user, audience="agency")
    ]
    items += [
        Todo(
            kind="deadline",
            text=f"Submit “{nomination}” before the deadline",
            link="Finish and submit",
            url=reverse("nominations:submit", kwargs={"pk": nomination.pk}),
            due=nomination.cycle.closes_at,
        )
        for nomination in nomination_selectors.drafts_closing_for_member(
            user, moment=moment, within=DEADLINE_CLOSE
        )
    ]
    return TodoGroup("agency", "For your agency", items)


def reviewer_todos(user: User, moment: datetime) -> TodoGroup:
    """The reviewer's to-dos: assignments to answer, then reviews to finish. Two queries.

    Nominations are named as reviewers' lists name them in a blind phase (the
    redacted title or a neutral label), whatever the phase: a dashboard line
    never carries an agency's identity.
    """
    items = [
        Todo(
            kind="accept",
            text=f"Accept or decline the review of “{review_selectors.blind_title(a.nomination)}”",
            link="Answer the assignment",
            url=reverse("reviews:assignment", kwargs={"pk": a.pk}),
            due=a.due_at,
        )
        for a in review_selectors.assignments_to_accept(user)
    ]
    items += [
        Todo(
            kind="review",
            text=f"Finish and submit your review of “{review_selectors.blind_title(a.nomination)}”",
            link="Continue the review",
            url=reverse("reviews:review", kwargs={"pk": a.pk}),
            due=a.due_at,
        )
        for a in review_selectors.reviews_due(user, moment)
    ]
    return TodoGroup("reviewer", "Your reviews", items)


def staff_todos(user: User, moment: datetime) -> TodoGroup:
    """Program staff's to-dos. Six queries, however many items."""
    items = []
    screen = nomination_selectors.nominations_to_screen(user).count()
    if screen:
        items.append(
            Todo(
                kind="screen",
                text=f"{screen} {_plural(screen, 'nomination', 'nominations')} to screen",
                link="Screen submitted nominations",
                url=f"{reverse('staff:nominations')}?state=submitted",
                count=screen,
            )
        )
    items += [
        Todo(
            kind="finding",
            text=f"The identity check found the agency in the review copy of “{copy.nomination}”",
            link="Redact the copy or record why it is not the agency",
            url=reverse("staff:nomination-review-copy", kwargs={"pk": copy.nomination_id}),
        )
        for copy in review_selectors.copies_with_findings(user)
    ]
    items += [
        Todo(
            kind="overdue",
            text=f"{row['count']} {_plural(row['count'], 'review is', 'reviews are')} overdue "
            f"in {row['name']}",
            link="See reviewers' progress",
            url=reverse("staff:review-workload", kwargs={"cycle": row["cycle"]}),
            count=row["count"],
        )
        for row in review_selectors.overdue_reviews_by_cycle(user, moment)
    ]
    items += [
        Todo(
            kind="publish",
            text=f"The agency approved the profile “{profile.title}”: publish it as the "
            "second staff member",
            link="Review and publish",
            url=reverse("staff:profile", kwargs={"pk": profile.pk}),
        )
        for profile in profile_selectors.profiles_to_publish(user)
    ]
    threads = nomination_selectors.threads_unread(user, audience="staff")
    listed = list(threads[: THREADS_LISTED + 1])
    more = 0
    if len(listed) > THREADS_LISTED:
        listed = listed[:THREADS_LISTED]
        more = threads.count() - THREADS_LISTED
    items += [
        Todo(
            kind="message",
            text=_unread_text(nomination),
            link="Read the messages",
            url=reverse("staff:nomination-detail", kwargs={"pk": nomination.pk}) + "#messages",
        )
        for nomination in listed
    ]
    return TodoGroup("staff", "Program staff", items, more=more)


def todos_for(
    user: User, *, reviewer: bool, staff: bool, moment: datetime | None = None
) -> list[TodoGroup]:
    """The to-dos of each of `user`'s roles (agency, then `reviewer` and `staff` when
    the person has those roles), empty groups included."""
    moment = moment or timezone.now()
    groups = [agency_todos(user, moment)]
    if reviewer:
        groups.append(reviewer_todos(user, moment))
    if staff:
        groups.append(staff_todos(user, moment))
    return groups


def todo_count(user: User, *, reviewer: bool, staff: bool, moment: datetime | None = None) -> int:
    """How many to-dos `user` has, as `todos_for` lists them (the `more` included).

    For the navigation, on every page: counts only, never the items.
    """
    moment = moment or timezone.now()
    agency = nomination_selectors.member_todo_counts(user, moment=moment, within=DEADLINE_CLOSE)
    total = sum(agency.values()) + profile_selectors.proofs_to_approve(user).count()
    if reviewer:
        total += sum(review_selectors.reviewer_todo_counts(user, moment).values())
    if staff:
        counts = nomination_selectors.staff_todo_counts(user)
        total += counts["screen"] + counts["unread"]
        total += review_selectors.copies_with_findings(user).count()
        overdue = review_selectors.overdue_reviews_by_cycle(user, moment)
        total += sum(row["count"] for row in overdue)
        total += profile_selectors.profiles_to_publish(user).count()
    return total
