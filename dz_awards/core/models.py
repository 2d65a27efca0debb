"""The audit trail and the email outbox, shared by every domain.

Both are written only by the services in `dz_awards.core.services`, inside the
transaction of the change they belong to.

The audit trail is a hash chain: each event stores a SHA-256 over its own
content and the hash of the event before it (`dz_awards.core.audit_chain`), so
changing or removing any event breaks every link after it. `manage.py
audit_verify` walks the chain.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from dz_awards.core.enums import OutboxStatus


class AuditEvent(models.Model):
    """One thing that happened to one object: who, when, what, from which state to which."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the system itself (tasks, commands).",
    )
    # The actor's id as recorded: the foreign key empties when an account is
    # deleted, this (which the hash covers) stays.
    actor_key = models.CharField(max_length=64, blank=True, editable=False)
    # Set by `audit_record` before the hash is computed (the hash covers it).
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=300)
    action = models.CharField(max_length=64)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    message = models.TextField(blank=True)
    # The chain: the hash of the event before this one (by id) and this one's own.
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OutboxEmail(models.Model):
    """An email to send once its transaction commits.

    `key` makes queueing idempotent: the same key queued twice is one email,
    and delivering one row twice sends it once.
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = "outbox email"

    def __str__(self):
        return f"{self.subject} → {self.to} ({self.get_status_display()})"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one background worker process (`manage.py worker`).

    Kept in the database rather than the cache so that flushing the cache does not
    make every server unready; `/readyz` asks for one newer than
    WORKER_HEARTBEAT_MAX_AGE for every queue in TASK_QUEUES.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    # The queues the worker takes tasks from, comma-separated ("*" for all).
    queues = models.CharField(max_length=200)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.worker_id} ({self.queues}) seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
