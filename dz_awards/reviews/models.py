"""The review domain. So far: the rubric each cycle is judged on.

A cycle has one rubric: a score scale (1 to 5 by default) and weighted criteria,
each with a descriptor per score level. A criterion either applies to every
category of the cycle or only to one (criteria may differ by category).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


class Rubric(models.Model):
    cycle = models.OneToOneField("cycles.Cycle", on_delete=models.CASCADE, related_name="rubric")
    scale_min = models.PositiveSmallIntegerField(
        "lowest score", default=1, validators=[MaxValueValidator(10)]
    )
    scale_max = models.PositiveSmallIntegerField(
        "highest score", default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")),
                name="rubric_scale_increases",
                violation_error_message="The highest score must be above the lowest.",
            ),
        ]

    def __str__(self):
        return f"Rubric for {self.cycle}"

    @property
    def scale(self):
        return range(self.scale_min, self.scale_max + 1)


class CriterionQuerySet(models.QuerySet):
    def for_category(self, category):
        """The criteria a nomination in `category` is scored on, in order."""
        return self.filter(Q(category__isnull=True) | Q(category=category)).order_by(
            "position", "pk"
        )


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    category = models.ForeignKey(
        "cycles.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="criteria",
        help_text="Only for this category. Leave empty for every category of the cycle.",
    )
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField()
    weight = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.1), MaxValueValidator(10)],
        help_text="Relative weight in the total: 2 counts twice as much as 1.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["rubric", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_unique"),
        ]

    def __str__(self):
        return self.name


class LevelDescriptor(models.Model):
    """What a score means for one criterion, shown beside the score when reviewing."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["criterion", "score"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "score"], name="level_score_unique"),
        ]

    def __str__(self):
        return f"{self.score}: {self.text}"
