"""Award cycles and their categories, configured by program staff.

A category keeps the label it was awarded under in its year; `code` ties the
same category across years (for filters), whatever it was called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from dz_awards.cycles.emails import EmailKind

if TYPE_CHECKING:
    from datetime import datetime


class CycleQuerySet(models.QuerySet["Cycle"]):
    def open_at(self, moment: datetime) -> CycleQuerySet:
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)

    def upcoming_at(self, moment: datetime) -> CycleQuerySet:
        return self.filter(opens_at__gt=moment).order_by("opens_at")

    def taking_drafts_at(self, moment: datetime) -> CycleQuerySet:
        """Cycles whose deadline has not passed (open, or not yet open): see `has_closed`."""
        return self.filter(closes_at__gt=moment)


class Cycle(models.Model):
    name = models.CharField(max_length=150, help_text="For example: 2027 Destination Zero Awards")
    year = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(2014), MaxValueValidator(2100)],
        help_text="The award year.",
    )
    opens_at = models.DateTimeField(help_text="When nominations open (entered in Eastern time).")
    closes_at = models.DateTimeField(
        help_text="The deadline (entered in Eastern time). Submissions after it are refused."
    )
    reviewers_per_nomination = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    # Review settings (used by the review app).
    conflict_same_state = models.BooleanField(
        "reviewers may not review agencies of their own state",
        default=False,
        help_text="A reviewer is then conflicted with every nomination from their state.",
    )
    max_assignments_per_reviewer = models.PositiveSmallIntegerField(
        "most nominations per reviewer",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Automatic assignment never gives a reviewer more. Empty: no maximum.",
    )
    disagreement_threshold = models.DecimalField(
        "disagreement threshold",
        max_digits=3,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text="A nomination whose review totals differ by more than this is flagged "
        "for discussion.",
    )
    reviewers_need_two_factor = models.BooleanField(
        "reviewers must use two-factor sign-in",
        default=False,
        help_text="A reviewer of this cycle must set up two-factor sign-in, and give a code "
        "when signing in, before opening any of their review pages.",
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="cycle_closes_after_opening",
                violation_error_message="The deadline must be after the opening time.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, moment: datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def has_closed(self, moment: datetime | None = None) -> bool:
        """Past the deadline (server clock): drafts stay, but none is started or submitted."""
        return (moment or timezone.now()) >= self.closes_at


class Category(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(
        max_length=60,
        help_text="Stable identifier across years, e.g. officer-wellness. Labels may change; "
        "codes do not.",
    )
    label = models.CharField(max_length=120, help_text="The name used in this cycle.")
    description = models.TextField(blank=True)
    judging_focus = models.TextField("what judges look for", blank=True)
    winners = models.PositiveSmallIntegerField(
        "winners in this category", default=1, validators=[MinValueValidator(1)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cycle", "position", "label"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="category_code_unique"),
            models.UniqueConstraint(fields=["cycle", "label"], name="category_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.cycle.year})"


class EmailTemplate(models.Model):
    """A cycle's own wording for one kind of email to agencies (see `cycles.emails`).

    Plain text with placeholders, checked when saved (`cycles.services`) and
    filled in as text when sent: never rendered as a Django template. Without
    a row, the kind's default template file is used.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="email_templates")
    kind = models.CharField(max_length=32, choices=EmailKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="email_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.cycle.year})"
