"""Messages program staff send to every nominating agency of a cycle, and who got them.

Written only by `mailings.services`. A message is one row; each agency it
reached is one `BulkMessageRecipient` (the record of who got it); the emails
themselves are outbox rows keyed `bulk-message:<message>:<agency>:<person>`,
whose status is the message's progress.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from dz_awards.agencies.enums import USState


class BulkMessage(models.Model):
    """One message to the nominating agencies of a cycle (optionally of a category or state)."""

    # The confirmation form's own id: a double submit finds the first message, not a second.
    token = models.UUIDField(unique=True, editable=False)
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        "cycles.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("agency state", max_length=2, choices=USState.choices, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("staff:bulk-message", kwargs={"pk": self.pk})

    @property
    def outbox_key(self) -> str:
        """The start of the outbox keys of this message's emails."""
        return f"bulk-message:{self.pk}:"


class BulkMessageRecipient(models.Model):
    """One agency a message went to, with how many of its people it was sent to."""

    message = models.ForeignKey(BulkMessage, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    # As it was when the message went out: the record stays true if the agency is renamed.
    agency_name = models.CharField(max_length=200)
    people = models.PositiveSmallIntegerField(help_text="Emails queued to its active members.")

    class Meta:
        ordering = ["agency_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "agency"], name="bulk_message_recipient_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_name}: {self.message}"
