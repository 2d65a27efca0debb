"""Review pages cost the same number of queries for 1 nomination as for 50.

A world is one cycle with two categories (the second scores an extra
criterion of weight 2), a panel of four reviewers and a blind phase running
now. Its nominations go through the review services in every shape the pages
show: awaiting review with an invitation, a decline and a refill; in review
with submitted reviews, a draft and a review not started; reviewed with a
staged decision; a review that stopped counting when its reviewer declared a
conflict after submitting; released finalists and not selected. The one-
nomination world has only the first shape (reviewed, three reviews, a staged
decision). In the fifty-nomination world the first of each shape is made
through the services and the others are bulk copies of it (their own agency,
scores shifted so the numbers differ), so the data is what the services
leave, at a fraction of the time.

Each reviewer sees their own queue (the first reviewer is on every
nomination), so the two worlds live side by side in separate cycles.
"""

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.agencies.models import Agency
from dz_awards.nominations.enums import REVIEWABLE_STATES, NominationState
from dz_awards.nominations.models import Nomination, NominationRevision
from reviews import scoring, selectors, services
from reviews.enums import AssignmentState, DeclineReason, Outcome
from reviews.models import (
    Assignment,
    Conflict,
    Criterion,
    Decision,
    LevelDescriptor,
    Panel,
    Review,
    ReviewCopy,
    Score,
)
from tests import factories
from tests.reviews import helpers

S = NominationState
A = AssignmentState

pytestmark = pytest.mark.django_db


@dataclass
class World:
    staff: object
    cycle: object
    categories: list
    reviewers: list  # the first one is assigned to every nomination
    nominations: list


# Building a world ------------------------------------------------------------------


def _cycle(staff):
    cycle = helpers.review_cycle(
        staff, reviewers_per_nomination=3, max_assignments_per_reviewer=100
    )
    first = factories.CategoryFactory(cycle=cycle, label="Officer Wellness", position=0)
    second = factories.CategoryFactory(cycle=cycle, label="Traffic Safety", position=1)
    criterion = Criterion.objects.create(
        rubric=cycle.rubric,
        category=second,
        code="roadside-exposure",
        name="Less roadside exposure",
        description="Fewer minutes officers spend beside live traffic.",
        weight=Decimal("2"),
        position=10,
    )
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(criterion=criterion, score=score, text=f"Level {score}")
        for score in cycle.rubric.scale
    )
    helpers.review_phase(cycle)
    return cycle, [first, second]


def _reviewers(categories):
    people = helpers.panel(categories[0], 4)
    Panel.objects.get_or_create(category=categories[1])[0].members.add(*people)
    return people


def _scores(nomination, shift=0):
    """{criterion pk: score} for every criterion of the nomination, varied by `shift`."""
    _rubric, criteria = selectors.criteria_for(nomination)
    return {c.pk: 1 + (shift % 3) + (index % 3) for index, c in enumerate(criteria)}


def _submit(row, shift=0):
    data = helpers.review_input(
        row.nomination, scores=_scores(row.nomination, shift), version=helpers.current_version(row)
    )
    return services.review_save(user=row.reviewer, assignment=row, data=data, submit=True)


def _draft(row):
    nomination = row.nomination
    first = next(iter(_scores(nomination)))
    data = helpers.review_input(nomination, scores={first: 3}, overall_comment="", confidence="")
    return services.review_save(user=row.reviewer, assignment=row, data=data, submit=False)


def _reload(row):
    return Assignment.objects.select_related("nomination__cycle", "reviewer").get(pk=row.pk)


def _ready(world, category):
    return helpers.ready_nomination(world.staff, category=category)


def _reviewed(world, category, *, stage=None):
    """Reviewed: the three reviewers submitted; `stage` a decision (not released)."""
    me, r1, r2, _r3 = world.reviewers
    nomination = _ready(world, category)
    rows = helpers.open_review(world.staff, nomination, [me, r1, r2])
    for shift, row in enumerate(rows):
        _submit(_reload(row), shift)
    services.nomination_close_review(actor=world.staff, nomination=nomination)
    if stage:
        services.decision_stage(actor=world.staff, nomination=nomination, outcome=stage)
    return nomination


def _in_review_with_draft(world, category):
    """In review: two reviews in, the first reviewer's draft, a fourth reviewer invited."""
    me, r1, r2, r3 = world.reviewers
    nomination = _ready(world, category)
    mine, first, second = helpers.open_review(world.staff, nomination, [me, r1, r2])
    _submit(_reload(first), 1)
    _submit(_reload(second), 2)
    _draft(_reload(mine))
    helpers.assign(world.staff, nomination, [r3], accept=False)
    return nomination


def _in_review_not_started(world, category):
    """In review: one review in; the first reviewer accepted and has not started."""
    me, r1, r2, _r3 = world.reviewers
    nomination = _ready(world, category)
    _mine, first, _second = helpers.open_review(world.staff, nomination, [me, r1, r2])
    _submit(_reload(first), 3)
    return nomination


def _awaiting_review(world, category):
    """Submitted: the first reviewer invited, one accepted, one declined and replaced."""
    me, r1, r2, _r3 = world.reviewers
    nomination = _ready(world, category)
    helpers.assign(world.staff, nomination, [me], accept=False)
    helpers.assign(world.staff, nomination, [r1])
    (declining,) = helpers.assign(world.staff, nomination, [r2], accept=False)
    services.assignment_decline(
        user=r2, assignment=declining, reason=DeclineReason.AVAILABILITY, note="Travelling."
    )
    return nomination


def _conflicted_after_submitting(world, category):
    """Reviewed early: a reviewer declared a conflict after submitting; not selected staged."""
    me, r1, r2, _r3 = world.reviewers
    nomination = _ready(world, category)
    rows = helpers.open_review(world.staff, nomination, [me, r1, r2])
    for shift, row in enumerate(rows):
        _submit(_reload(row), shift + 2)
    services.conflict_declare(user=r1, assignment=_reload(rows[1]), reason="Former colleague.")
    services.nomination_close_review(
        actor=world.staff, nomination=nomination, override_reason="Two reviews are enough."
    )
    services.decision_stage(actor=world.staff, nomination=nomination, outcome=Outcome.NOT_SELECTED)
    return nomination


def _released(world, category):
    """A released finalist (then staged as the winner) and a released not selected."""
    finalist = _reviewed(world, category, stage=Outcome.FINALIST)
    declined = _reviewed(world, category, stage=Outcome.NOT_SELECTED)
    with helpers.on_commit():
        services.decisions_release(actor=world.staff, cycle=world.cycle)
    services.decision_stage(actor=world.staff, nomination=finalist, outcome=Outcome.WINNER)
    return [finalist, declined]


def _world(count):
    """A world of `count` nominations (1, or at least 7 so that every shape is there)."""
    staff = factories.StaffFactory()
    cycle, categories = _cycle(staff)
    world = World(staff, cycle, categories, _reviewers(categories), [])
    first, second = categories
    if count == 1:
        world.nominations.append(_reviewed(world, first, stage=Outcome.FINALIST))
        return world
    assert count >= 7
    # Released first: a release takes every decision staged in the cycle.
    world.nominations += _released(world, second)
    world.nominations += [
        _reviewed(world, first, stage=Outcome.FINALIST),
        _in_review_with_draft(world, first),
        _in_review_not_started(world, second),
        _awaiting_review(world, first),
        _conflicted_after_submitting(world, second),
    ]
    # As the services left them (the builders return them as they were first made).
    templates = [Nomination.objects.get(pk=n.pk) for n in world.nominations]
    copies = [template for _, template in zip(range(count - 7), itertools.cycle(templates))]
    world.nominations += _copies(copies)
    assert Nomination.objects.filter(cycle=cycle).count() == count
    return world


# Bulk copies of a nomination and everything review left on it -----------------------


def _values(obj, **changes):
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    return {**values, **changes}


def _copies(templates):
    """One copy of each template, with its own agency and shifted scores (bulk inserts)."""
    agencies = Agency.objects.bulk_create(
        factories.AgencyFactory.build(
            name=f"Copy {number} Police Department", city=f"Copy {number}", ori=f"OH{number:07d}"
        )
        for number in range(len(templates))
    )
    nominations = Nomination.objects.bulk_create(
        Nomination(**_values(template, agency_id=agency.pk, title=f"{template.title} ({number})"))
        for number, (template, agency) in enumerate(zip(templates, agencies, strict=True))
    )
    pairs = list(zip(templates, nominations, strict=True))
    NominationRevision.objects.bulk_create(
        NominationRevision(**_values(revision, nomination_id=copy.pk))
        for template, copy in pairs
        for revision in template.revisions.all()
    )
    ReviewCopy.objects.bulk_create(
        ReviewCopy(**_values(template.review_copy, nomination_id=copy.pk))
        for template, copy in pairs
    )
    Conflict.objects.bulk_create(
        Conflict(**_values(conflict, nomination_id=copy.pk))
        for template, copy in pairs
        for conflict in template.declared_conflicts.all()
    )
    Decision.objects.bulk_create(
        _decision_copy(template.decision, copy)
        for template, copy in pairs
        if hasattr(template, "decision")
    )
    old_rows = [(row, copy) for template, copy in pairs for row in template.assignments.all()]
    new_rows = Assignment.objects.bulk_create(
        Assignment(**_values(row, nomination_id=copy.pk)) for row, copy in old_rows
    )
    reviews = [
        (row.review, new_row, number)
        for number, ((row, _copy), new_row) in enumerate(zip(old_rows, new_rows, strict=True))
        if hasattr(row, "review")
    ]
    new_reviews = Review.objects.bulk_create(
        Review(**_values(review, assignment_id=new_row.pk)) for review, new_row, _n in reviews
    )
    scores = []
    for (review, _row, number), new_review in zip(reviews, new_reviews, strict=True):
        scores += _shifted_scores(review, new_review, number)
    Score.objects.bulk_create(scores)
    Review.objects.bulk_update(new_reviews, ["total"])
    return nominations


def _decision_copy(decision, nomination):
    if decision.outcome == Outcome.WINNER:
        # One winner per category: a copy of the staged winner is a released finalist.
        return Decision(
            **_values(
                decision,
                nomination_id=nomination.pk,
                outcome=Outcome.FINALIST,
                released_at=timezone.now(),
            )
        )
    return Decision(**_values(decision, nomination_id=nomination.pk))


def _shifted_scores(review, new_review, number):
    """The review's scores moved up or down by up to 2 (within the scale); the total again."""
    rubric = review.assignment.nomination.cycle.rubric
    old = list(review.scores.select_related("criterion"))
    step = number * 3 % 5 - 2
    new = {}
    rows = []
    for score in old:
        value = score.score
        if value is not None:
            value = min(rubric.scale_max, max(rubric.scale_min, value + step))
        new[score.criterion_id] = value
        rows.append(Score(**_values(score, review_id=new_review.pk, score=value)))
    if review.total is not None:
        total = scoring.weighted_total(
            new,
            {score.criterion_id: score.criterion.weight for score in old},
            scale_min=rubric.scale_min,
            scale_max=rubric.scale_max,
        )
        new_review.total = Decimal(str(total)).quantize(Decimal("0.000000001"))
    return rows


def test_the_fifty_nomination_world_has_every_shape():
    world = _world(50)
    nominations = Nomination.objects.filter(cycle=world.cycle)
    assert Counter(nominations.values_list("state", flat=True)) == {
        S.SUBMITTED: 7,
        S.IN_REVIEW: 14,
        S.REVIEWED: 14,
        S.FINALIST: 8,
        S.NOT_SELECTED: 7,
    }
    rows = Assignment.objects.filter(nomination__cycle=world.cycle)
    assert Counter(rows.values_list("state", flat=True)) == {
        A.INVITED: 28,
        A.ACCEPTED: 28,
        A.SUBMITTED: 108,
        A.DECLINED: 7,
    }
    reviews = Review.objects.filter(assignment__nomination__cycle=world.cycle)
    assert reviews.filter(total__isnull=False, submitted_at__isnull=False).count() == 108
    assert reviews.filter(total__isnull=True, submitted_at__isnull=True).count() == 7  # drafts
    # Six scores per review in the first category, seven in the second.
    assert Score.objects.filter(review__in=reviews).count() == sum(
        len(selectors.criteria_for(r.assignment.nomination)[1])
        for r in reviews.select_related("assignment__nomination")
    )
    # Conflicted after submitting: seven reviews are submitted but do not count.
    counting = selectors.counting_reviews_qs().filter(assignment__nomination__cycle=world.cycle)
    assert counting.count() == 108 - 7
    staged = Decision.objects.filter(nomination__cycle=world.cycle, released_at__isnull=True)
    assert Counter(staged.values_list("outcome", flat=True)) == {
        Outcome.WINNER: 1,
        Outcome.FINALIST: 7,
        Outcome.NOT_SELECTED: 7,
    }
    assert len(set(reviews.exclude(total=None).values_list("total", flat=True))) > 10
    assert world.reviewers[0].assignments.exclude(state=A.DECLINED).count() == 50


# Counting --------------------------------------------------------------------------


def _staff_pages(cycle):
    kwargs = {"cycle": cycle.pk}
    return {
        name: reverse(f"staff:{name}", kwargs=kwargs)
        for name in (
            "review",
            "review-scoreboard",
            "review-export-nominations",
            "review-export-reviews",
            "review-decisions",
            "review-workload",
            "review-policy",
            "review-release",
        )
    }


def _reviewer_pages():
    return {"queue": reverse("reviews:queue"), "export": reverse("reviews:export")}


def _count(user, urls):
    """{name: (queries, SQL)} for one GET of each URL, after a first GET warmed caches."""
    client = Client()
    client.force_login(user)
    counts = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:  # a streamed CSV reads its rows as it is sent
                b"".join(response.streaming_content)
        assert response.status_code == 200, name
        counts[name] = [q["sql"] for q in queries.captured_queries]
    return counts


def _measure(world):
    return {
        **_count(world.staff, _staff_pages(world.cycle)),
        **_count(world.reviewers[0], _reviewer_pages()),
    }


def _shape(sql):
    """A query without its values, so that the same query for another row compares equal."""
    sql = re.sub(r"'[^']*'|\b\d+\b|%s", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(?)", sql)


def _explain(one, fifty):
    """Per page whose count grew: the queries run more often for 50 than for 1."""
    lines = []
    for name in one:
        if len(one[name]) != len(fifty[name]):
            grown = Counter(map(_shape, fifty[name])) - Counter(map(_shape, one[name]))
            lines.append(f"{name}: {len(one[name])} queries for 1, {len(fifty[name])} for 50")
            lines += [f"    {times} more: {sql[:300]}" for sql, times in grown.most_common(5)]
    return "\n".join(lines)


def test_review_pages_use_the_same_queries_for_1_and_50_nominations():
    small = _world(1)
    one = _measure(small)
    large = _world(50)
    fifty = _measure(large)
    assert {name: len(sql) for name, sql in fifty.items()} == {
        name: len(sql) for name, sql in one.items()
    }, _explain(one, fifty)

    # The pages did show the fifty: the queue lists the reviewer's visible assignments,
    # the scoreboard ranks every reviewed one, decisions offer every decidable one.
    client = Client()
    client.force_login(large.reviewers[0])
    rows = client.get(reverse("reviews:queue")).context["rows"]
    visible = large.reviewers[0].assignments.filter(nomination__state__in=REVIEWABLE_STATES)
    assert len(rows) == visible.count() == 35
    client.force_login(large.staff)
    board = client.get(reverse("staff:review-scoreboard", kwargs={"cycle": large.cycle.pk}))
    lines = [line for category in board.context["board"].categories for line in category.lines]
    assert len(lines) == 43
    assert sum(1 for line in lines if line.stats) == 43
    decisions = client.get(reverse("staff:review-decisions", kwargs={"cycle": large.cycle.pk}))
    assert (
        sum(len(lines) for _board, lines in decisions.context["sections"]) == 22
    )  # reviewed and finalists
