"""The review policy of a cycle: guidelines, preferences window, feedback sharing.

Staff change it (`policy_update`); reviewers say they read the guidelines when
they accept an assignment (`assignment_accept`) or, for a version published
after they accepted, on the guidelines page (`guidelines_mark_read`).

The guidelines carry a version that goes up by one with every change of their
text or of the calibration example, and only then: what a reviewer said they
read stays true until the words change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from dz_awards.core.services import audit_record
from dz_awards.cycles.models import Category, Cycle
from reviews import selectors
from reviews.enums import FeedbackPosition
from reviews.models import Assignment, ReviewPolicy
from reviews.services.common import ReviewError, require_staff

SHARING_LOCKED = (
    "Decisions of {cycle} have been released, so whether reviewers' comments are shared "
    "with agencies, and how agencies see where their score fell, can no longer change: "
    "agencies may already have read them."
)


def _text(value: str) -> str:
    """Text as stored: line breaks as the browser's \\r\\n or \\n alike, no outer blanks,
    so that saving the same words again is no change."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _moment(value: datetime | None) -> str:
    if value is None:
        return "not asked"
    return date_format(timezone.localtime(value), "D j M Y, g:i a") + " ET"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _characters(before: str, after: str) -> str:
    return f"{len(before):,} → {len(after):,} characters"


@transaction.atomic
def policy_update(
    *,
    actor: Any,
    cycle: Cycle,
    guidelines: str,
    calibration_example: str,
    preferences_due_at: datetime | None,
    share_feedback: bool,
    feedback_position: str,
) -> ReviewPolicy:
    """Change the cycle's review policy; staff only. Returns the policy as stored.

    Steps: check staff; lock the policy row (made on first use); when sharing
    changes, lock the cycle's categories as the release does and refuse once a
    decision is released (agencies may have read the comments); when the
    guidelines or the example change, raise the version by one and note who and
    when; save; record one audit event naming each change with its before and
    after (lengths, not the texts). Nothing changed: nothing saved or recorded.
    """
    require_staff(actor)
    if feedback_position not in FeedbackPosition.values:
        raise ValidationError("Choose where agencies see their score fell: a band or the rank.")
    policy, _created = ReviewPolicy.objects.select_for_update().get_or_create(cycle=cycle)
    guidelines, calibration_example = _text(guidelines), _text(calibration_example)
    changes: list[str] = []
    fields: list[str] = []
    if (share_feedback, feedback_position) != (policy.share_feedback, policy.feedback_position):
        # The release locks these too: a release cannot slip in between check and save.
        list(Category.objects.select_for_update().filter(cycle=cycle).order_by("pk"))
        if selectors.decisions_released(cycle):
            raise ReviewError(SHARING_LOCKED.format(cycle=cycle.name))
    if share_feedback != policy.share_feedback:
        changes.append(
            f"share comments with agencies: {_yes_no(policy.share_feedback)} → "
            f"{_yes_no(share_feedback)}"
        )
        policy.share_feedback = share_feedback
        fields.append("share_feedback")
    texts = [
        ("guidelines", "guidelines", guidelines),
        ("calibration_example", "calibration example", calibration_example),
    ]
    for name, words, new in texts:
        old = getattr(policy, name)
        if new != old:
            changes.append(f"{words} changed ({_characters(old, new)})")
            setattr(policy, name, new)
            fields.append(name)
    if {"guidelines", "calibration_example"} & set(fields):
        changes.append(
            f"guidelines version {policy.guidelines_version} → {policy.guidelines_version + 1}"
        )
        policy.guidelines_version += 1
        policy.guidelines_updated_at = timezone.now()
        policy.guidelines_updated_by = actor
        fields += ["guidelines_version", "guidelines_updated_at", "guidelines_updated_by"]
    if preferences_due_at != policy.preferences_due_at:
        changes.append(
            f"preferences due: {_moment(policy.preferences_due_at)} → {_moment(preferences_due_at)}"
        )
        policy.preferences_due_at = preferences_due_at
        fields.append("preferences_due_at")
    if feedback_position != policy.feedback_position:
        changes.append(
            f"where agencies see their score: {FeedbackPosition(policy.feedback_position).label} "
            f"→ {FeedbackPosition(feedback_position).label}"
        )
        policy.feedback_position = feedback_position
        fields.append("feedback_position")
    if not changes:
        return policy
    policy.save(update_fields=fields)
    audit_record(
        actor=actor,
        obj=policy,
        action="review_policy_changed",
        message=capfirst("; ".join(changes)),
    )
    return policy


def guidelines_confirmed(cycle_id: int, shown: int | None) -> int | None:
    """The guidelines version a reviewer accepting in the cycle confirms reading, checked
    against `shown` (the version their page showed); None when the cycle has none.

    Run inside the accepting transaction: the policy row stays locked until it
    commits, so the guidelines cannot change between this check and the save.
    Refuses when there are guidelines and the page showed another version (or none).
    """
    policy = ReviewPolicy.objects.select_for_update().filter(cycle_id=cycle_id).first()
    current = selectors.guidelines_version_to_read(policy) if policy else None
    if current is None or shown == current:
        return current
    if shown is None:
        raise ReviewError(
            f"Read the reviewer guidelines (version {current}) and tick the box to say so "
            "before accepting."
        )
    raise ReviewError(
        f"The reviewer guidelines changed since this page was opened: version {current} is "
        "current now. Read it, then tick the box again to accept."
    )


@transaction.atomic
def guidelines_mark_read(*, user: Any, cycle: Cycle, guidelines_version: int) -> int:
    """The reviewer confirms they read the cycle's guidelines, as the page showed them.

    For guidelines changed after they accepted: the version goes on each of
    their accepted assignments of the cycle, as accepting would have put it.
    Steps: lock the policy; refuse when the version shown is not the current
    one (the page shows the new one) or there is nothing to record it on;
    store it; audit. Returns how many assignments now carry it.
    """
    policy = ReviewPolicy.objects.select_for_update().filter(cycle=cycle).first()
    current = selectors.guidelines_version_to_read(policy) if policy else None
    if policy is None or current is None:
        raise ReviewError("This cycle has no reviewer guidelines to confirm.")
    if guidelines_version != current:
        raise ReviewError(
            f"The guidelines changed while you were reading: version {current} is current "
            "now. Read it, then confirm again."
        )
    rows = Assignment.objects.select_for_update(of=("self",)).filter(
        reviewer_id=user.pk, nomination__cycle=cycle, state__in=selectors.ACCEPTED_STATES
    )
    pks = [row.pk for row in rows]
    if not pks:
        raise ReviewError(
            "You have no accepted assignment in this cycle yet: accepting one records that "
            "you read the guidelines."
        )
    Assignment.objects.filter(pk__in=pks).update(guidelines_version=current)
    audit_record(actor=user, obj=policy, action="guidelines_read", message=f"Version {current}")
    return len(pks)


POLICY_FIELDS = (
    "guidelines",
    "calibration_example",
    "preferences_due_at",
    "share_feedback",
    "feedback_position",
)


def policy_change(*, actor: Any, cycle: Cycle, **changes: Any) -> ReviewPolicy:
    """`policy_update` with only the fields named in `changes`, the others kept as saved
    (for callers that set one thing: a preferences window, sharing)."""
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"Not a review policy setting: {', '.join(sorted(unknown))}")
    policy = selectors.review_policy(cycle)
    values = {name: getattr(policy, name) for name in POLICY_FIELDS} | changes
    return policy_update(actor=actor, cycle=cycle, **values)
