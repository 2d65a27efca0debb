"""Reviewers' preferences and conflicts, stated before assignment.

While a cycle's preferences window is open (`ReviewPolicy.preferences_open`),
each reviewer sees the nominations of the panels they sit on (blind titles
only, `preference_sheet`) and says for each whether they are eager, willing or
unwilling to review it, or that they have a conflict (with a reason). The
assignment planner then uses the preferences as costs (`reviews.assignment.plan`)
and the conflicts as the absolute rule they are.

A nomination the reviewer is conflicted with by rule (their own or home agency,
the same state when the cycle says so) is never shown to them, not even as a
count: the planner's own rule (`assignment.is_conflicted`, fed by
`planner_candidates` and `planner_items`) decides, so the page, the save and the
plan cannot disagree. A nomination whose review copy is not cleared yet has no
title a reviewer may read: it is only counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dz_awards.core.services import audit_record
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.emails import moment_text
from dz_awards.nominations.enums import ASSIGNABLE_STATES
from dz_awards.nominations.models import Nomination
from reviews import assignment as planner
from reviews import rules, selectors
from reviews.enums import Preference
from reviews.models import Assignment, Conflict, ReviewPolicy, ReviewPreference
from reviews.services.assignments import (
    conflict_declare,
    conflict_reason_checked,
    conflict_record,
)
from reviews.services.common import ReviewError
from reviews.services.panels import planner_candidates, planner_items

# Conflicts by rule: the reviewer never sees these nominations. A declared conflict
# is the reviewer's own word, shown back to them.
_HIDDEN = frozenset({planner.ConflictReason.OWN_AGENCY, planner.ConflictReason.SAME_STATE})


@dataclass(frozen=True)
class PreferenceLine:
    """One nomination on a reviewer's preferences page: what they may read of it (its
    blind title and category) and what they said (willing when nothing yet)."""

    nomination: Nomination
    title: str
    category: Category
    preference: Preference
    stated: bool
    conflict: Conflict | None

    @property
    def key(self) -> str:
        """The nomination's id as the page's field names carry it."""
        return str(self.nomination.pk)


@dataclass(frozen=True)
class PanelSheet:
    """One panel the reviewer sits on: its nominations with a title, and how many more
    are still being prepared (no cleared review copy yet)."""

    category: Category
    lines: list[PreferenceLine] = field(default_factory=list)
    not_ready: int = 0


@dataclass(frozen=True)
class PreferenceSheet:
    cycle: Cycle
    policy: ReviewPolicy
    panels: list[PanelSheet]
    is_open: bool

    @property
    def lines(self) -> list[PreferenceLine]:
        return [line for panel in self.panels for line in panel.lines]

    @property
    def open_lines(self) -> list[PreferenceLine]:
        """The lines the reviewer may still answer: all but their declared conflicts."""
        return [line for line in self.lines if line.conflict is None]


def preference_sheet(user: Any, cycle: Cycle, moment: datetime | None = None) -> PreferenceSheet:
    """What `user` may state preferences about in `cycle`, panel by panel, and what they
    said. A fixed number of queries however many nominations there are.

    Listed: nominations of the cycle still taking reviewers (submitted or in
    review) in a category whose panel the reviewer sits on, never one they are
    conflicted with by rule; with a cleared review copy, by blind title; the
    rest counted per panel. Declared conflicts are listed with their reason.
    """
    policy = selectors.review_policy(cycle)
    categories = list(selectors.preference_categories(user, cycle))
    nominations = list(
        Nomination.objects.filter(
            cycle=cycle, category__in=categories, state__in=ASSIGNABLE_STATES
        ).select_related("agency", "category", "review_copy")
    )
    stated = dict(
        ReviewPreference.objects.filter(reviewer=user, nomination__in=nominations).values_list(
            "nomination_id", "preference"
        )
    )
    declared = {
        conflict.nomination_id: conflict
        for conflict in Conflict.objects.filter(reviewer=user, nomination__in=nominations)
    }
    lines: dict[int, list[PreferenceLine]] = {category.pk: [] for category in categories}
    not_ready: Counter[int] = Counter()
    if nominations:
        (candidate,) = planner_candidates([user], cycle)
        items = {item.nomination_id: item for item in planner_items(nominations, cycle)}
        for nomination in nominations:
            reason = planner.is_conflicted(
                candidate, items[nomination.pk], same_state_rule=cycle.conflict_same_state
            )
            if reason in _HIDDEN:
                continue
            category_id: int = nomination.category_id  # type: ignore[assignment]
            if selectors.cleared_copy(nomination) is None:
                not_ready[category_id] += 1
                continue
            lines[category_id].append(
                PreferenceLine(
                    nomination=nomination,
                    title=selectors.blind_title(nomination),
                    category=nomination.category,  # type: ignore[arg-type]
                    preference=Preference(stated.get(nomination.pk, Preference.WILLING)),
                    stated=nomination.pk in stated,
                    conflict=declared.get(nomination.pk),
                )
            )
    panels = [
        PanelSheet(
            category=category,
            lines=sorted(lines[category.pk], key=lambda line: (line.title.casefold(), line.key)),
            not_ready=not_ready[category.pk],
        )
        for category in categories
    ]
    return PreferenceSheet(
        cycle=cycle, policy=policy, panels=panels, is_open=policy.preferences_open(moment)
    )


# Saving -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreferenceAnswer:
    """A reviewer's answer about one nomination: a preference, or a conflict with its
    reason (then the preference is not kept)."""

    preference: str = Preference.WILLING
    conflict: bool = False
    reason: str = ""


@dataclass(frozen=True)
class PreferencesSaved:
    """What the page now holds, counted, and how many answers changed anything."""

    counts: dict[str, int]
    changed: int


def _lock_open_policy(cycle: Cycle) -> ReviewPolicy:
    """The cycle's policy, locked (staff moving the due date wait for this save, and the
    other way round); refused when the window is not open now."""
    policy = ReviewPolicy.objects.select_for_update().filter(cycle=cycle).first()
    if policy is None or policy.preferences_due_at is None:
        raise ReviewError(f"Program staff do not ask for preferences in {cycle.name}.")
    if not policy.preferences_open():
        raise ReviewError(
            f"Preferences for {cycle.name} were due {moment_text(policy.preferences_due_at)}: "
            "nothing was saved. Program staff can still take a conflict of interest by email."
        )
    return policy


def _not_on_list(count: int) -> ReviewError:
    answers = "One of your answers is" if count == 1 else f"{count} of your answers are"
    return ReviewError(
        f"{answers} about a nomination that is no longer on your list (withdrawn, "
        "decided, or moved to another panel). Nothing was saved: reload the page for "
        "the current list."
    )


def _declare(user: Any, nomination: Nomination, reason: str) -> bool:
    """Record the conflict; an assignment the reviewer holds already (made since the page
    was opened) is handed back exactly as declaring on it would. Returns whether new."""
    held = Assignment.objects.filter(reviewer=user, nomination=nomination).first()
    if held is not None:
        conflict_declare(user=user, assignment=held, reason=reason)
        return True
    created = conflict_record(user=user, nomination=nomination, reason=reason)
    if created:
        audit_record(
            actor=user,
            obj=nomination,
            action="conflict_declared",
            message="Declared before assignment",
        )
    return created


def _counts_sentence(counts: Counter[str]) -> str:
    answered = sum(counts[p] for p in Preference.values)
    parts = ", ".join(f"{counts[p]} {p}" for p in Preference.values)
    text = f"Preferences for {answered} nomination{'' if answered == 1 else 's'}: {parts}"
    if counts["conflict"]:
        text += f"; {counts['conflict']} conflict{'' if counts['conflict'] == 1 else 's'} declared"
    return text + "."


@transaction.atomic
def preferences_save(
    *, user: Any, cycle: Cycle, answers: Mapping[Any, PreferenceAnswer]
) -> PreferencesSaved:
    """Store the reviewer's answers about the nominations of their panels in `cycle`.

    `answers` maps a nomination id to its answer; nominations left out keep what
    was said before. Steps: reviewers only; lock the cycle's policy and refuse
    unless its window is open now; refuse, saving nothing, an answer about a
    nomination not on the reviewer's page now (`preference_sheet`: gone, moved,
    conflicted by rule, or a conflict already declared) and any invalid answer
    (an unknown preference, a conflict without a reason); record each conflict
    (the rule `conflict_declare` keeps) and store each preference that differs
    from the stored one; record one audit event with the counts when anything
    changed. Saving the same answers again changes and records nothing.
    """
    if not rules.is_reviewer(user):
        raise PermissionDenied
    policy = _lock_open_policy(cycle)
    answers = {str(key): answer for key, answer in answers.items()}
    lines = {line.key: line for line in preference_sheet(user, cycle).open_lines}
    unknown = [key for key in answers if key not in lines]
    if unknown:
        raise _not_on_list(len(unknown))
    reasons = {}
    for key, answer in answers.items():
        if answer.conflict:
            reasons[key] = conflict_reason_checked(answer.reason)
        elif answer.preference not in Preference.values:
            raise ValidationError("Choose eager, willing or unwilling for each nomination.")
    counts: Counter[str] = Counter()
    changed = 0
    for key in sorted(answers):
        line, answer = lines[key], answers[key]
        if answer.conflict:
            counts["conflict"] += 1
            changed += _declare(user, line.nomination, reasons[key])
            continue
        counts[answer.preference] += 1
        if not line.stated or line.preference != answer.preference:
            ReviewPreference.objects.update_or_create(
                reviewer=user,
                nomination=line.nomination,
                defaults={"preference": answer.preference},
            )
            changed += 1
    if changed:
        audit_record(
            actor=user,
            obj=policy,
            action="review_preferences_stated",
            message=_counts_sentence(counts),
        )
    return PreferencesSaved(counts=dict(counts), changed=changed)


@transaction.atomic
def conflict_declare_before_assignment(*, user: Any, nomination: Nomination, reason: str) -> bool:
    """Declare a conflict with a nomination of one's panel before being assigned to it.

    The same rule as `conflict_declare` (a reason, the first declaration
    stands, the reviewer's preference about it goes; an assignment already held
    is handed back), while the cycle's preferences window is open, for a
    nomination on the reviewer's page. Returns whether the conflict is new.
    """
    reason = conflict_reason_checked(reason)
    if not rules.is_reviewer(user):
        raise PermissionDenied
    _lock_open_policy(nomination.cycle)
    keys = {line.key for line in preference_sheet(user, nomination.cycle).lines}
    if str(nomination.pk) not in keys:
        raise _not_on_list(1)
    return _declare(user, nomination, reason)
