"""Agencies and the people who act for them.

Agency data is reached only through `dz_awards.agencies.selectors`, scoped to
the requesting user; changes go through `dz_awards.agencies.services`.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.urls import reverse

from dz_awards.agencies.enums import AgencyType, MembershipRole, MembershipStatus, USState

# An ORI is nine characters: a two-letter state code and seven letters or digits.
ori_validator = RegexValidator(
    r"^[A-Z]{2}[A-Z0-9]{7}$",
    "An ORI is nine characters: two letters for the state, then seven letters or digits "
    "(for example VA0290000).",
)

# URLField alone also accepts ftp:// and ftps://; an agency's website is on the web.
web_address_validator = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address that starts with https:// or http://.",
    # Its own code: a ModelForm would swap the "invalid" code for its stock message.
    code="not_web_address",
)


class Agency(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    agency_type = models.CharField("type of agency", max_length=20, choices=AgencyType.choices)
    state = models.CharField(max_length=2, choices=USState.choices)
    city = models.CharField(max_length=120)
    sworn_officers = models.PositiveIntegerField(
        "sworn officers", validators=[MinValueValidator(1)]
    )
    civilian_staff = models.PositiveIntegerField("civilian staff", null=True, blank=True)
    ori = models.CharField(
        "ORI",
        max_length=9,
        blank=True,
        validators=[ori_validator],
        help_text="Optional. Your nine-character Originating Agency Identifier, e.g. VA0290000.",
    )
    website = models.URLField(blank=True, max_length=300, validators=[web_address_validator])
    contact_name = models.CharField("main contact name", max_length=150)
    contact_title = models.CharField("main contact title", max_length=150, blank=True)
    contact_email = models.EmailField("main contact email")
    contact_phone = models.CharField("main contact phone", max_length=40, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Blank is allowed because SET_NULL empties it when the creator's account is
    # deleted; full_clean must still accept the agency then.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        through_fields=("agency", "user"),
        related_name="agencies",
    )

    class Meta:
        ordering = ["name", "state"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["ori"], condition=~models.Q(ori=""), name="agency_ori_unique"
            ),
        ]
        indexes = [models.Index(fields=["state", "name"])]

    def __str__(self):
        return f"{self.name} ({self.city}, {self.state})"

    def get_absolute_url(self):
        return reverse("agencies:detail", kwargs={"pk": self.pk})

    @property
    def is_verified(self):
        return self.verified_at is not None


class Membership(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    message = models.TextField(
        "note to the agency",
        blank=True,
        max_length=1000,
        help_text="Optional. Tell the agency who you are and why you are joining.",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["agency__name", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} in {self.agency.name} ({self.get_status_display()})"
