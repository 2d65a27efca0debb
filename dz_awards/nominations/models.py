"""Nominations, their submitted revisions, evidence files, edit conflicts and messages.

Nominations are reached only through `dz_awards.nominations.selectors`, scoped to
the requesting user; every change goes through `dz_awards.nominations.services`.
The state field is protected: it changes only through the transitions below,
each called by exactly one service.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from dz_awards.nominations import rules
from dz_awards.nominations.content import TEXT_FIELDS
from dz_awards.nominations.enums import (
    EDITABLE_STATES,
    WITHDRAWABLE_STATES,
    EvidenceKind,
    EvidenceStatus,
    NominationState,
    PacketKind,
    Participation,
)

S = NominationState


class Nomination(ConcurrentTransitionMixin, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="nominations"
    )
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="nominations")
    category = models.ForeignKey(
        "cycles.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    state = FSMField(default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    # Bumped by every save of the text; a save that names an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
        help_text="The earlier nomination this one was started from.",
    )

    # The text. Stored as typed, whatever its length: limits are checked on
    # submission, so a draft never loses a word to a validation rule.
    title = models.TextField(blank=True)
    start_date = models.DateField("program start date", null=True, blank=True)
    participation = models.CharField(max_length=12, choices=Participation.choices, blank=True)
    summary = models.TextField(blank=True)
    problem = models.TextField(blank=True)
    data_before = models.TextField(blank=True)
    description = models.TextField(blank=True)
    implementation = models.TextField(blank=True)
    partners = models.TextField(blank=True)
    policy_training = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    outcomes = models.JSONField(default=list, blank=True)
    participation_rates = models.TextField(blank=True)
    integration = models.TextField(blank=True)
    sustainability = models.TextField(blank=True)
    cost_funding = models.TextField(blank=True)
    promotion = models.TextField(blank=True)
    buy_in = models.TextField(blank=True)
    advice = models.TextField(blank=True)
    resources_needed = models.TextField(blank=True)
    submitter_name = models.TextField(blank=True)
    submitter_title = models.TextField(blank=True)
    submitter_email = models.TextField(blank=True)
    submitter_phone = models.TextField(blank=True)
    head_name = models.TextField(blank=True)
    head_title = models.TextField(blank=True)
    head_email = models.TextField(blank=True)
    head_attestation = models.BooleanField(default=False)

    staff_message = models.TextField(
        blank=True, help_text="The latest request for changes or screening reason, for the agency."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cycle__year", "title"]
        indexes = [models.Index(fields=["cycle", "state"])]

    def __str__(self):
        return self.title.strip()[:120] or "Untitled nomination"

    def get_absolute_url(self):
        return reverse("nominations:detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_withdrawable(self):
        return self.state in WITHDRAWABLE_STATES

    # Transitions: they only move the state. Services lock the row, check
    # permission with `has_transition_perm`, and do everything else.

    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED, permission=rules.can_act_for)
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.RETURNED, permission=rules.can_screen)
    def return_for_changes(self):
        pass

    @transition(field=state, source=S.RETURNED, target=S.SUBMITTED, permission=rules.can_act_for)
    def resubmit(self):
        pass

    @transition(
        field=state,
        source=list(WITHDRAWABLE_STATES),
        target=S.WITHDRAWN,
        permission=rules.can_act_for,
    )
    def withdraw(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.INELIGIBLE, permission=rules.can_screen)
    def screen_out(self):
        pass

    # Review and decisions (services in reviews.services).

    @transition(field=state, source=S.SUBMITTED, target=S.IN_REVIEW, permission=rules.can_screen)
    def open_review(self):
        pass

    @transition(field=state, source=S.IN_REVIEW, target=S.REVIEWED, permission=rules.can_screen)
    def close_review(self):
        pass

    @transition(field=state, source=S.REVIEWED, target=S.FINALIST, permission=rules.can_screen)
    def advance(self):
        pass

    @transition(field=state, source=S.REVIEWED, target=S.NOT_SELECTED, permission=rules.can_screen)
    def decline(self):
        pass

    @transition(field=state, source=S.FINALIST, target=S.WINNER, permission=rules.can_screen)
    def award(self):
        pass


class NominationRevision(models.Model):
    """What the agency submitted, frozen: revision 1 is the first submission."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["nomination", "number"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "number"], name="revision_number_unique")
        ]

    def __str__(self):
        return f"Revision {self.number}"

    def get_absolute_url(self):
        return reverse(
            "nominations:revision", kwargs={"pk": self.nomination_id, "number": self.number}
        )


class DraftConflict(models.Model):
    """A save that arrived with an older version: its text, kept until someone resolves it."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    base_version = models.PositiveIntegerField(help_text="The version the editor started from.")
    content = models.JSONField(help_text="Everything the editor had typed.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Unsaved edits to {self.nomination} from version {self.base_version}"

    def get_absolute_url(self):
        return reverse(
            "nominations:conflict", kwargs={"pk": self.nomination_id, "conflict": self.pk}
        )


def evidence_upload_to(instance, filename):
    """A server-chosen name; whatever the user called the file is display text only."""
    return f"private/nominations/{instance.nomination_id}/{uuid.uuid4().hex}{instance.extension}"


def evidence_clean_upload_to(instance, filename):
    """A server-chosen name for the clean copy, apart from the agency's original."""
    return (
        f"private/nominations/{instance.nomination_id}/clean/{uuid.uuid4().hex}{instance.extension}"
    )


class Evidence(models.Model):
    """One file of a nomination.

    `file` is what the agency gets back. For an image it is the re-encoded copy
    (the upload itself is deleted once re-encoded), which is also its clean copy.
    For a PDF it is the agency's upload, byte for byte; `clean_file` is the
    rewritten copy (one revision, no metadata, attachments, scripts or actions)
    that reviewers always get and staff get unless they ask for the original.
    `ocr` holds the text OCR found in the clean copy: empty until OCR has run.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    status = models.CharField(
        max_length=12, choices=EvidenceStatus.choices, default=EvidenceStatus.PROCESSING
    )
    file = models.FileField(upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField("file name", max_length=200)
    content_type = models.CharField(max_length=60)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    alt_text = models.CharField("alternative text", max_length=300, blank=True)
    description = models.CharField(max_length=300, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True)
    clean_file = models.FileField(
        "clean copy", upload_to=evidence_clean_upload_to, max_length=200, blank=True
    )
    ocr = models.JSONField(
        "text found by OCR",
        default=dict,
        blank=True,
        help_text="texts as [where, text] pairs, pages_read, pages_total, seconds, stopped "
        "(why OCR stopped early) and error (why it could not run); empty until OCR has run.",
    )
    removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Removed by the agency after it was submitted: kept for the revisions "
        "that include it, gone from the current list.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.original_name

    @property
    def is_pdf(self):
        return self.extension == ".pdf"

    @property
    def clean_copy(self):
        """The stored file reviewers get: a PDF's rewritten copy (empty until it is made),
        an image's re-encoded file."""
        return self.clean_file if self.is_pdf else self.file

    @property
    def has_clean_copy(self):
        return bool(self.clean_copy.name)


class NominationMessage(models.Model):
    """One message in the conversation between the agency and program staff."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_staff = models.BooleanField()
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Message on {self.nomination} at {self.created_at:%Y-%m-%d %H:%M}"


class ThreadRead(models.Model):
    """How far one person has read the messages about one nomination.

    Messages are numbered in the order they are written (their ids), so one
    number per person and thread says what is new to them: every message from
    the other side with a higher id. Each agency member and each staff member
    keeps their own; it only moves forward, when the person opens the page that
    shows the thread (`services.thread_mark_read`).
    """

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_message_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nomination", "user"], name="thread_read_unique")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.nomination_id} up to {self.last_read_message_id}"


def snapshot_fields():
    """Model field names holding the nomination's text (for copies and renewals)."""
    return [*TEXT_FIELDS, "start_date", "participation", "outcomes", "head_attestation"]


def packet_upload_to(instance, filename):
    """A server-chosen name: the nomination, the kind and the hash of what went in."""
    return f"private/packets/{instance.nomination_id}/{instance.kind}-{instance.content_hash}.pdf"


class NominationPacket(models.Model):
    """One rendered packet of a nomination (the staff packet or its blind twin).

    Named by `content_hash`, a hash over everything that goes into it (answers,
    files, the review copy, the template): asked for again with the same hash,
    the stored file is served, not rendered again. A row without a file is a
    render asked for and not done yet (or failed: `error` says why). Rows are
    made and stored only by `nominations.services.packets` and
    `nominations.packet_processing`.
    """

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="packets")
    kind = models.CharField(max_length=8, choices=PacketKind.choices)
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to=packet_upload_to, max_length=200, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["nomination", "kind", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "kind", "content_hash"], name="packet_content_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.nomination_id} ({self.content_hash[:12]})"

    @property
    def is_ready(self):
        return bool(self.file.name)


def packet_archive_upload_to(instance, filename):
    return f"private/packets/archives/{instance.pk}.zip"


class PacketArchive(models.Model):
    """A category's staff packets as one zip archive, for the committee meeting.

    Built in the background (`nominations.packet_processing.packet_archive_build`):
    `packets_ready` counts up to `nominations_total` as each packet is rendered
    or found already made; then the archive is written and `finished_at` set.
    A build that fails records why in `error`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    category = models.ForeignKey(
        "cycles.Category", on_delete=models.CASCADE, related_name="packet_archives"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    nominations_total = models.PositiveIntegerField(default=0)
    packets_ready = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=packet_archive_upload_to, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Packets of {self.category} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("staff:packet-archive", kwargs={"pk": self.pk})

    @property
    def is_ready(self):
        return self.finished_at is not None and bool(self.file.name)

    @property
    def is_building(self):
        return self.finished_at is None and not self.error
