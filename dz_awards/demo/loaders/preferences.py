"""This year's panels asked for their preferences before assignment, through the services.

Staff write the review copy of each nomination submitted so far in the current
cycle (the identity check runs on it at once, as in the review demo), open the
preferences window until this year's scoring phase starts (`policy_update`,
keeping whatever else the policy holds), and the reviewers answer on their
preferences page (`preferences_save`): the demo reviewer is eager about one
nomination, unwilling about another and declares a conflict, with its reason,
with the third.

Order: it runs after the review demo, which makes the reviewers and seats them
on this year's panels; this year's nominations get no assignment in the demo,
so the preferences are there for staff's first automatic assignment to use
(the preview then shows each pair's preference). Last year's assignments,
made before preferences existed, are left as they are. Idempotent: a copy
already written is kept, a window already set is not moved, and saving the
same answers again changes and records nothing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from dz_awards.demo.content.preferences import CONFLICT_REASON, COPIES, PREFERENCES
from dz_awards.demo.content.world import STAFF
from dz_awards.nominations.enums import ASSIGNABLE_STATES
from dz_awards.nominations.models import Nomination
from reviews import selectors, services
from reviews.models import ReviewCopy, ReviewPhase


def load_demo_preferences(*, current, users):
    """Copies for this year's submitted nominations, the window, and the answers."""
    staff = users[STAFF]
    nominations = {
        n.title: n
        for n in Nomination.objects.filter(
            cycle=current, state__in=ASSIGNABLE_STATES, title__in=COPIES
        )
    }
    for title, nomination in nominations.items():
        if not ReviewCopy.objects.filter(nomination=nomination).exists():
            _write_copy(staff, nomination, COPIES[title])
    policy = selectors.review_policy(current)
    if policy.preferences_due_at is None:
        policy = services.policy_change(
            actor=staff, cycle=current, preferences_due_at=_due(current)
        )
    if not policy.preferences_open():
        return  # an earlier demo's window has passed: what was said stays as it was
    people = get_user_model().objects.filter(email__in=PREFERENCES)
    for person in people.order_by("email"):
        answers = {
            nominations[title].pk: _answer(wish)
            for title, wish in PREFERENCES[person.email].items()
            if title in nominations and not _declared(person, nominations[title], wish)
        }
        services.preferences_save(user=person, cycle=current, answers=answers)


def _due(cycle):
    """When this year's scoring phase starts (a day after the deadline without one)."""
    phase = ReviewPhase.objects.filter(cycle=cycle).order_by("starts_at").first()
    return phase.starts_at if phase else timezone.localtime(cycle.closes_at) + timedelta(days=1)


def _write_copy(staff, nomination, copy):
    saved = services.review_copy_save(
        actor=staff,
        nomination=nomination,
        executive_summary=copy.executive_summary,
        redacted_title=copy.blind_title,
        redacted_text=copy.redacted_text,
        files=[],
    )
    findings = services.review_copy_check(saved.pk)
    if findings:  # pragma: no cover - the demo copies are written without identity
        msg = f"The demo review copy of {nomination} shows the agency's identity: {findings}"
        raise RuntimeError(msg)


def _answer(wish):
    if wish == "conflict":
        return services.PreferenceAnswer(conflict=True, reason=CONFLICT_REASON)
    return services.PreferenceAnswer(preference=wish)


def _declared(person, nomination, wish):
    """A conflict declared by an earlier run is not on the page any more: not answered."""
    return wish == "conflict" and nomination.declared_conflicts.filter(reviewer=person).exists()
