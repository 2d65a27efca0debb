"""Model program profiles: the public face of recognised programs.

A profile is created for each finalist and winner (or imported from the
history of past awards). Staff write its public copy, the agency approves a
proof, and a second staff member publishes it. Everything public is read
through `dz_awards.profiles.selectors.published_profiles`, so a profile that
is not published (or was retracted) is absent from every public channel at
once. Every change goes through `dz_awards.profiles.services`.

The agency's details are copied onto the profile (name, city, state, type,
sworn officers) as they were in the award year, so a later edit of the
agency, or an imported profile without an agency record, reads the same.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from dz_awards.agencies.enums import AgencyType, USState
from dz_awards.profiles import rules
from dz_awards.profiles.enums import Award, ProfileState

P = ProfileState
TOPIC_NAME_LENGTH = 80


class Topic(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=TOPIC_NAME_LENGTH, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Profile(ConcurrentTransitionMixin, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nomination = models.OneToOneField(
        "nominations.Nomination",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profile",
    )
    slug = models.SlugField(max_length=140, unique=True)
    state = FSMField(default=P.DRAFT, choices=P.choices, protected=True, db_index=True)
    # Bumped by every edit of what the public sees; the PDF names the version it shows.
    version = models.PositiveIntegerField(default=1)

    award = models.CharField(max_length=10, choices=Award.choices)
    year = models.PositiveSmallIntegerField(db_index=True)
    category_code = models.SlugField(max_length=60)
    category_label = models.CharField(max_length=120, help_text="As it was called that year.")

    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency_name = models.CharField(max_length=200)
    city = models.CharField(max_length=120)
    state_code = models.CharField("state", max_length=2, choices=USState.choices)
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices, blank=True)
    sworn_officers = models.PositiveIntegerField(null=True, blank=True)

    title = models.CharField(max_length=300)
    summary = models.TextField(help_text="Two or three sentences, plain text.")
    need = models.TextField("the need", blank=True, help_text="Markdown.")
    approach = models.TextField("what they did", blank=True, help_text="Markdown.")
    results = models.TextField(blank=True, help_text="Markdown.")
    key_figures = models.JSONField(
        default=list, blank=True, help_text='A list of {"figure": "41%", "label": "fewer ..."}.'
    )
    durability = models.TextField(blank=True, help_text="Markdown.")
    replicability = models.TextField(
        "what it takes to replicate", blank=True, help_text="Markdown."
    )
    cost_funding = models.TextField("cost and funding", blank=True, help_text="Markdown.")
    contact_name = models.CharField(max_length=150, blank=True)
    contact_title = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    video_url = models.URLField("video link", blank=True, max_length=300)
    topics = models.ManyToManyField(Topic, blank=True, related_name="profiles")

    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who sent the proof: someone else must publish.",
    )
    proof_sent_at = models.DateTimeField(null=True, blank=True)
    agency_comment = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    retract_reason = models.TextField(blank=True)
    # Why the PDF of `pdf_error_version` could not be made (staff see it and can retry).
    pdf_error = models.CharField(max_length=500, blank=True)
    pdf_error_version = models.PositiveIntegerField(null=True, blank=True)
    imported = models.BooleanField(default=False, help_text="Imported from past awards.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Full-text search on PostgreSQL (title A, summary B, body C); refreshed by the services.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-year", "title"]
        # The GIN index on search_vector is created by migration 0002 on
        # PostgreSQL only (SQLite has no GIN; its search is the fallback).
        indexes = [models.Index(fields=["state", "-year"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("profiles:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.state == P.PUBLISHED

    @transition(field=state, source=P.DRAFT, target=P.PROOF_SENT, permission=rules.can_prepare)
    def send_proof(self):
        pass

    @transition(
        field=state, source=P.PROOF_SENT, target=P.AGENCY_APPROVED, permission=rules.can_approve
    )
    def approve(self):
        pass

    @transition(field=state, source=P.PROOF_SENT, target=P.DRAFT, permission=rules.can_approve)
    def request_changes(self):
        pass

    @transition(
        field=state, source=P.AGENCY_APPROVED, target=P.PUBLISHED, permission=rules.can_publish
    )
    def publish(self):
        pass

    @transition(field=state, source=P.PUBLISHED, target=P.RETRACTED, permission=rules.can_prepare)
    def retract(self):
        pass

    @transition(
        field=state,
        source=[P.PROOF_SENT, P.AGENCY_APPROVED, P.RETRACTED],
        target=P.DRAFT,
        permission=rules.can_prepare,
    )
    def reopen(self):
        """Back to draft: an edit after the proof, or a retracted profile being redone."""


def public_upload_to(instance, filename):
    return f"profiles/{instance.profile_id}/{uuid.uuid4().hex}{instance.extension}"


class ProfileImage(models.Model):
    """An image chosen for the public profile, re-encoded without metadata, with sizes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="images")
    source = models.ForeignKey(
        "nominations.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=public_upload_to, max_length=200)
    extension = models.CharField(max_length=8, default=".jpg")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # {"480": "profiles/…-480.jpg", ...}: made by a background task.
    renditions = models.JSONField(default=dict, blank=True)
    # The same widths in a modern format ({"160": "profiles/…-160.avif", ...}), made
    # with the JPEGs; images stored before it existed get it from the command
    # `make_image_renditions`, and pages show the JPEGs alone until then.
    modern_renditions = models.JSONField(default=dict, blank=True)
    alt_text = models.CharField("alternative text", max_length=300)
    caption = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["profile", "position", "pk"]

    def __str__(self):
        return self.alt_text


class ProfileResource(models.Model):
    """A public download (a document the agency shared) or a link (imported history)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="resources")
    source = models.ForeignKey(
        "nominations.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=public_upload_to, max_length=200, blank=True)
    extension = models.CharField(max_length=8, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["profile", "position", "pk"]

    def __str__(self):
        return self.title


class ProfilePdf(models.Model):
    """The rendered PDF summary of one version of a profile."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="pdf")
    file = models.FileField(upload_to="profiles/pdf/", max_length=200)
    sha256 = models.CharField(max_length=64)
    version = models.PositiveIntegerField(help_text="The profile version it shows.")
    pages = models.PositiveSmallIntegerField()
    rendered_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"PDF of {self.profile} (version {self.version})"

    @property
    def is_current(self):
        return self.version == self.profile.version


class LibraryVersion(models.Model):
    """One row: the public library's version, raised by every change the public sees.

    Written only by `dz_awards.profiles.library.library_changed`, in the same
    transaction as the change, so a new version and the data it stands for
    become visible together. Cached public pages are keyed by it (see
    `dz_awards.profiles.library`): a row lost (a flushed table) only means new
    keys, never an old page.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="library_version_single_row")
        ]

    def __str__(self):
        return f"Library version {self.number}"
