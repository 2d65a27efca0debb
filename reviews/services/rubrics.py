"""The rubric of a cycle: its default, and staff's changes until the first review.

A review's total is derived from its scores with the rubric's weights when it
is submitted, and stored. Were the scale, a criterion or a weight to change
afterwards, stored totals would silently disagree with the rubric shown beside
them on the scoreboard. So a rubric is frozen once any review of its cycle
exists (a draft too: its scores were given against these criteria). Every
change goes through these services, the admin's included, and each locks the
rubric's row, which `review_save` also locks to derive a total: a change and
a first submission never interleave.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record
from dz_awards.cycles.models import Cycle
from reviews import selectors
from reviews.models import Criterion, LevelDescriptor, Rubric
from reviews.rubrics import DEFAULT_CRITERIA
from reviews.services.common import ReviewError, require_staff


@transaction.atomic
def rubric_create_default(*, actor: Any, cycle: Cycle) -> Rubric:
    """Give `cycle` the default rubric (1 to 5, the six DZ criteria, equal weights).

    A cycle that already has a rubric keeps it unchanged; returns the cycle's rubric.
    """
    rubric, created = Rubric.objects.select_for_update().get_or_create(cycle=cycle)
    if not created:
        return rubric
    for position, (code, name, description, levels) in enumerate(DEFAULT_CRITERIA):
        criterion = Criterion.objects.create(
            rubric=rubric, code=code, name=name, description=description, position=position
        )
        LevelDescriptor.objects.bulk_create(
            LevelDescriptor(criterion=criterion, score=score, text=text)
            for score, text in enumerate(levels, start=rubric.scale_min)
        )
    audit_record(actor=actor, obj=cycle, action="rubric_created", message="Default rubric")
    return rubric


def _lock_open_rubric(rubric_id: int) -> Rubric:
    """The rubric's row, locked; refused once a review of its cycle exists."""
    rubric = row_or_gone(Rubric.objects.select_for_update().select_related("cycle"), pk=rubric_id)
    if selectors.rubric_is_frozen(rubric):
        raise ReviewError(selectors.RUBRIC_FROZEN.format(cycle=rubric.cycle))
    return rubric


@transaction.atomic
def rubric_save(*, actor: Any, rubric: Rubric) -> Rubric:
    """Save staff's change to a rubric's scale (the fields are set on `rubric`).

    Steps: staff only; lock the rubric and refuse once its cycle has a review;
    save; record the change. A new rubric is saved the same way.
    """
    require_staff(actor)
    if rubric.pk is not None:
        _lock_open_rubric(rubric.pk)
    rubric.save()
    audit_record(
        actor=actor,
        obj=rubric.cycle,
        action="rubric_changed",
        message=f"Scale {rubric.scale_min} to {rubric.scale_max}",
    )
    return rubric


@transaction.atomic
def rubric_delete(*, actor: Any, rubric: Rubric) -> None:
    """Remove a rubric and its criteria; refused once its cycle has a review."""
    require_staff(actor)
    rubric = _lock_open_rubric(rubric.pk)
    cycle = rubric.cycle
    rubric.delete()
    audit_record(actor=actor, obj=cycle, action="rubric_deleted")


@transaction.atomic
def criterion_save(*, actor: Any, criterion: Criterion) -> Criterion:
    """Add a criterion or save staff's change to one (the fields are set on `criterion`).

    Refused once the rubric's cycle has a review, like every change to a rubric.
    A criterion moved to another rubric leaves the first one changed too.
    """
    require_staff(actor)
    rubric = _lock_open_rubric(criterion.rubric_id)
    if criterion.pk is not None:
        stored = Criterion.objects.filter(pk=criterion.pk).values_list("rubric", flat=True).first()
        if stored is not None and stored != rubric.pk:
            _lock_open_rubric(stored)
    criterion.save()
    audit_record(
        actor=actor,
        obj=rubric.cycle,
        action="rubric_changed",
        message=f"Criterion {criterion.name} (weight {criterion.weight}) saved",
    )
    return criterion


@transaction.atomic
def criterion_delete(*, actor: Any, criterion: Criterion) -> None:
    """Remove a criterion (and what its levels say); refused once the cycle has a review."""
    require_staff(actor)
    rubric = _lock_open_rubric(criterion.rubric_id)
    name = criterion.name
    criterion.delete()
    audit_record(
        actor=actor, obj=rubric.cycle, action="rubric_changed", message=f"Criterion {name} removed"
    )


@transaction.atomic
def level_save(*, actor: Any, level: LevelDescriptor) -> LevelDescriptor:
    """Add or change what a score means for a criterion; refused once the cycle has a review."""
    require_staff(actor)
    rubric = _lock_open_rubric(
        Criterion.objects.values_list("rubric", flat=True).get(pk=level.criterion_id)
    )
    level.save()
    audit_record(
        actor=actor,
        obj=rubric.cycle,
        action="rubric_changed",
        message=f"Level {level.score} of criterion {level.criterion_id} saved",
    )
    return level


@transaction.atomic
def level_delete(*, actor: Any, level: LevelDescriptor) -> None:
    """Remove what a score means for a criterion; refused once the cycle has a review."""
    require_staff(actor)
    rubric = _lock_open_rubric(
        Criterion.objects.values_list("rubric", flat=True).get(pk=level.criterion_id)
    )
    score, criterion_id = level.score, level.criterion_id
    level.delete()
    audit_record(
        actor=actor,
        obj=rubric.cycle,
        action="rubric_changed",
        message=f"Level {score} of criterion {criterion_id} removed",
    )
