"""A released finalist's or winner's certificate and badge, as issued.

The names printed are kept as they were issued (`program`, `agency`, ...), so a
certificate reads the same tomorrow; staff regenerate it when a name was wrong,
which raises `version`, replaces both files and is audited.
"""

import uuid

from django.conf import settings
from django.db import models


class Certificate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="certificate"
    )
    # "winner" or "finalist" (reviews.enums.Outcome values).
    award = models.CharField(max_length=20)
    program = models.CharField(max_length=300)
    agency = models.CharField(max_length=300)
    category = models.CharField(max_length=120)
    year = models.PositiveSmallIntegerField()
    # Server-chosen storage names; empty until the background render has run.
    pdf = models.FileField(upload_to="certificates/", blank=True)
    badge = models.FileField(upload_to="badges/", blank=True)
    version = models.PositiveIntegerField(default=1)
    issued_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    regenerated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "category", "program"]

    def __str__(self):
        return f"{self.get_award_display()} certificate: {self.program}"

    def get_award_display(self):
        return {"winner": "Winner", "finalist": "Finalist"}.get(self.award, self.award)

    @property
    def is_ready(self):
        return bool(self.pdf and self.badge and self.rendered_at)
