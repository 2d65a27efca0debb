"""Preferences and conflicts before assignment (`services.preferences`), and the automatic
assignment that uses them (`services.assignment_auto`, its page for staff).

The module's tests share one world (`tests.worlds.module_world`), each test in a
savepoint of it: the preferences world of `tests.reviews.preference_helpers`, and
a small panel (three reviewers, three nominations, two reviewers each) for the
automatic assignment.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.models import AuditEvent
from reviews import selectors, services
from reviews.enums import AssignmentState, DeclineReason, Preference
from reviews.models import Assignment, Conflict, ReviewPolicy, ReviewPreference
from reviews.services import PreferenceAnswer
from tests import factories
from tests.reviews import helpers
from tests.reviews.preference_helpers import (
    PreferenceWorld,
    let_window_pass,
    preference_world,
    set_window,
)
from tests.worlds import module_world_fixture

EAGER, WILLING, UNWILLING = Preference.EAGER, Preference.WILLING, Preference.UNWILLING
REASON = "I sat on the board that funded this program."


@dataclass
class Panel:
    staff: object
    cycle: object
    people: list  # a, b, c
    nominations: list  # n1, n2, n3


@dataclass
class World:
    main: PreferenceWorld
    panel: Panel


def _panel():
    staff = factories.StaffFactory()
    cycle = helpers.review_cycle(
        staff, reviewers_per_nomination=2, max_assignments_per_reviewer=None
    )
    category = factories.CategoryFactory(cycle=cycle)
    people = [helpers.reviewer(category, full_name=name) for name in ("Ann", "Ben", "Cas")]
    nominations = [
        helpers.ready_nomination(staff, category=category, redacted_title=f"Program {number}")
        for number in (1, 2, 3)
    ]
    set_window(staff, cycle, timezone.now() + timedelta(days=7))
    return Panel(staff, cycle, people, nominations)


def _build():
    return World(main=preference_world(), panel=_panel())


preferences_world = module_world_fixture("preferences_world", _build)


@pytest.fixture
def world(preferences_world, db):
    return preferences_world


def _save(world, answers, user=None):
    return services.preferences_save(
        user=user or world.me, cycle=world.cycle, answers={n.pk: a for n, a in answers.items()}
    )


def _stored(person):
    return dict(
        ReviewPreference.objects.filter(reviewer=person).values_list("nomination_id", "preference")
    )


def _events(obj, action):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            action=action,
        )
        .order_by("id")
        .values_list("actor_id", "message")
    )


# Saving ------------------------------------------------------------------------------


def test_preferences_save_stores_answers_idempotently_with_one_audit_event(world):
    main = world.main
    peer, fitness, dashboard = (main.listed[key] for key in ("peer", "fitness", "dashboard"))
    answers = {
        peer: PreferenceAnswer(EAGER),
        fitness: PreferenceAnswer(WILLING, conflict=True, reason=f"  {REASON}\n"),
        dashboard: PreferenceAnswer(UNWILLING),
    }
    first = _save(main, answers)
    assert first.counts == {EAGER: 1, UNWILLING: 1, "conflict": 1}
    assert first.changed == 3
    assert _stored(main.me) == {peer.pk: EAGER, dashboard.pk: UNWILLING}
    assert Conflict.objects.get(reviewer=main.me, nomination=fitness).reason == REASON
    policy = ReviewPolicy.objects.get(cycle=main.cycle)
    message = "Preferences for 2 nominations: 1 eager, 0 willing, 1 unwilling; 1 conflict declared."
    assert _events(policy, "review_preferences_stated") == [(main.me.pk, message)]
    assert _events(fitness, "conflict_declared") == [(main.me.pk, "Declared before assignment")]
    # The same answers again (the conflict now declared, so not on the page): no change.
    again = _save(main, {peer: answers[peer], dashboard: answers[dashboard]})
    assert again.changed == 0
    assert len(_events(policy, "review_preferences_stated")) == 1
    # Changing one: stored, counted, recorded once more.
    third = _save(main, {peer: PreferenceAnswer(WILLING)})
    assert (third.changed, _stored(main.me)[peer.pk]) == (1, WILLING)
    assert _events(policy, "review_preferences_stated")[-1][1] == (
        "Preferences for 1 nomination: 0 eager, 1 willing, 0 unwilling."
    )


def test_preference_sheet_of_someone_not_a_reviewer_is_empty(world):
    """Staff (or anyone without the reviewer role) sit on no panel: no cycle asks them,
    and their sheet lists nothing."""
    main = world.main
    assert list(selectors.preference_cycles(main.staff)) == []
    assert list(selectors.preference_cycles_open(main.staff)) == []
    sheet = services.preference_sheet(main.staff, main.cycle)
    assert (sheet.panels, sheet.lines, sheet.is_open) == ([], [], True)
    assert [c.pk for c in selectors.preference_cycles_open(main.me)] == [main.cycle.pk]


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("not a reviewer", PermissionDenied, ""),
        ("not asked", services.ReviewError, "Program staff do not ask for preferences in"),
        ("closed", services.ReviewError, "were due"),
        ("hidden by rule", services.ReviewError, "One of your answers is about a nomination"),
        ("another panel", services.ReviewError, "One of your answers is about a nomination"),
        ("declared", services.ReviewError, "One of your answers is about a nomination"),
        ("unknown preference", ValidationError, "Choose eager, willing or unwilling"),
        ("conflict without reason", ValidationError, "Say briefly what the conflict is"),
    ],
)
def test_preferences_save_refused_saves_nothing(world, case, error, message):
    main = world.main
    peer = main.listed["peer"]
    user = main.staff if case == "not a reviewer" else main.me
    if case == "not asked":
        set_window(main.staff, main.cycle, None)
    if case == "closed":
        let_window_pass(main.cycle)
    target = {
        "hidden by rule": main.hidden["home agency"],
        "another panel": main.other_panel,
        "declared": main.declared,
    }.get(case, main.listed["fitness"])
    answer = {
        "unknown preference": PreferenceAnswer("keen"),
        "conflict without reason": PreferenceAnswer(conflict=True, reason=" \n "),
    }.get(case, PreferenceAnswer(UNWILLING))
    with pytest.raises(error) as raised:
        _save(main, {peer: PreferenceAnswer(EAGER), target: answer}, user=user)
    if message:
        assert message in str(raised.value)
    assert ReviewPreference.objects.count() == 0
    assert Conflict.objects.exclude(nomination=main.declared).count() == 0


def test_preferences_save_closed_says_when_in_eastern_time(world):
    main = world.main
    ReviewPolicy.objects.filter(cycle=main.cycle).update(
        preferences_due_at=datetime(2025, 1, 15, 17, 0, tzinfo=UTC)
    )
    with pytest.raises(services.ReviewError) as raised:
        _save(main, {main.listed["peer"]: PreferenceAnswer(EAGER)})
    assert str(raised.value) == (
        f"Preferences for {main.cycle.name} were due January 15, 2025, 12:00 PM EST: nothing "
        "was saved. Program staff can still take a conflict of interest by email."
    )


# Conflicts before assignment ------------------------------------------------------------


def test_conflict_before_assignment_shares_the_conflict_rule(world):
    """Recorded once with its reason, the preference dropped, the planner and the SQL rule
    both leave the pair out, and an assignment made meanwhile is handed back."""
    main = world.main
    peer, fitness = main.listed["peer"], main.listed["fitness"]
    _save(main, {peer: PreferenceAnswer(EAGER)})
    assert services.conflict_declare_before_assignment(user=main.me, nomination=peer, reason=REASON)
    assert not services.conflict_declare_before_assignment(
        user=main.me, nomination=peer, reason="Another reason"
    )
    assert Conflict.objects.get(reviewer=main.me, nomination=peer).reason == REASON
    assert _stored(main.me) == {}
    (item,) = services.planner_items([peer], main.cycle)
    assert main.me.pk in item.declared_conflicts
    # Assigned since the page was opened: declaring hands the assignment back.
    row = services.assignment_add(actor=main.staff, nomination=fitness, reviewer=main.me)
    services.conflict_declare_before_assignment(user=main.me, nomination=fitness, reason=REASON)
    row.refresh_from_db()
    assert (row.state, row.decline_reason, row.decline_note) == (
        AssignmentState.DECLINED,
        DeclineReason.CONFLICT,
        REASON,
    )
    assert _events(row, "conflict_declared") == [(main.me.pk, "")]


@pytest.mark.parametrize("case", ["blank reason", "hidden by rule", "closed", "not a reviewer"])
def test_conflict_before_assignment_refused(world, case):
    main = world.main
    nomination = main.hidden["same state"] if case == "hidden by rule" else main.listed["peer"]
    if case == "closed":
        let_window_pass(main.cycle)
    expected = {
        "blank reason": ValidationError,
        "not a reviewer": PermissionDenied,
    }.get(case, services.ReviewError)
    with pytest.raises(expected):
        services.conflict_declare_before_assignment(
            user=main.staff if case == "not a reviewer" else main.me,
            nomination=nomination,
            reason="" if case == "blank reason" else REASON,
        )
    assert not Conflict.objects.filter(nomination=nomination).exists()


# The automatic assignment ------------------------------------------------------------------


def _state(panel, person, preferences):
    services.preferences_save(
        user=person,
        cycle=panel.cycle,
        answers={panel.nominations[i].pk: PreferenceAnswer(p) for i, p in preferences.items()},
    )


def _pairs(run, panel):
    names = {p.pk: p.full_name for p in panel.people}
    numbers = {n.pk: i + 1 for i, n in enumerate(panel.nominations)}
    return sorted((numbers[row.nomination_id], names[row.reviewer_id]) for row in run.created)


def test_auto_assign_follows_preferences_and_reports_unwilling_only(world):
    """Everyone would rather not review Program 3: it still gets its two reviewers (the
    rules come first) and is reported; Ann's eager wish for Program 1 is met; loads stay
    even (two each); the staff page says each pair's preference."""
    panel = world.panel
    ann, ben, cas = panel.people
    _state(panel, ann, {0: EAGER, 2: UNWILLING})
    _state(panel, ben, {0: WILLING, 2: UNWILLING})
    _state(panel, cas, {2: UNWILLING})
    client = Client()
    client.force_login(panel.staff)
    response = client.post(reverse("staff:review-auto-assign", kwargs={"cycle": panel.cycle.pk}))
    run = response.context["run"]
    pairs = _pairs(run, panel)
    assert (1, "Ann") in pairs
    assert sorted(name for _n, name in pairs) == ["Ann", "Ann", "Ben", "Ben", "Cas", "Cas"]
    assert sum(1 for number, _name in pairs if number == 3) == 2
    third = panel.nominations[2]
    assert [(n.pk, count) for n, count, _why in run.unwilling] == [(third.pk, 2)]
    assert run.unwilling[0][2] == (
        "both its new reviewers said they would rather not review it: no willing reviewer "
        "could take those seats without a conflict, a reviewer past their maximum or uneven loads"
    )
    stated = {(r.nomination_id, r.reviewer_id): p for r, p in run.created_with_preferences()}
    assert stated[panel.nominations[0].pk, ann.pk] == EAGER
    html = response.content.decode()
    assert "Nominations that could only get unwilling reviewers" in html
    assert run.unwilling[0][2] in html
    assert "<td>Eager</td>" in html
    assert "<td>Unwilling</td>" in html
    assert "Not stated</span>" in html


def test_auto_assign_all_willing_is_the_plan_without_preferences(world):
    """Stating "willing" everywhere is stating nothing: the same assignments."""
    panel = world.panel
    staff = panel.staff

    def run_pairs():
        return _pairs(services.assignment_auto(actor=staff, cycle=panel.cycle), panel)

    without = run_pairs()
    Assignment.objects.filter(nomination__in=panel.nominations).delete()
    for person in panel.people:
        _state(panel, person, dict.fromkeys(range(3), WILLING))
    assert run_pairs() == without
    assert services.assignment_auto(actor=staff, cycle=panel.cycle).unwilling == []
