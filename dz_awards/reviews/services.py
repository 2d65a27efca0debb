"""Changes to review data. Each runs in one transaction and records an audit event."""

from django.db import transaction

from dz_awards.core.services import audit_record
from dz_awards.reviews.models import Criterion, LevelDescriptor, Rubric
from dz_awards.reviews.rubrics import DEFAULT_CRITERIA


@transaction.atomic
def rubric_create_default(*, actor, cycle):
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
