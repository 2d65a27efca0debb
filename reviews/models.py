"""The review domain: rubric, phases, reviewers, panels, conflicts, assignments,
reviews and staged decisions.

A cycle has one rubric: a score scale (1 to 5 by default) and weighted criteria,
each with a descriptor per score level. A criterion either applies to every
category of the cycle or only to one (criteria may differ by category).

Reviewers reach assignments only through `reviews.selectors`, scoped
to them and with every conflict left out; every change goes through
`reviews.services`.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from dz_awards.agencies.enums import MembershipStatus, USState
from dz_awards.agencies.models import Membership
from reviews.enums import (
    AssignmentState,
    Confidence,
    DeclineReason,
    FeedbackPosition,
    Outcome,
    Preference,
)

A = AssignmentState


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


class ReviewPhase(models.Model):
    """A dated stretch of the review: what reviewers may do while it runs.

    Outside every phase reviews are closed and review is blind (the safe default).
    """

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=120, help_text="For example: Scoring, Discussion.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reviews_open = models.BooleanField("reviewers may write and revise reviews", default=True)
    blind = models.BooleanField(
        "blind review", default=True, help_text="Reviewers see no agency identity."
    )
    show_others = models.BooleanField(
        "reviewers see others' reviews after submitting their own", default=False
    )

    class Meta:
        ordering = ["cycle", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="review_phase_ends_after_start",
                violation_error_message="A phase must end after it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.cycle})"


class ReviewerProfile(models.Model):
    """What conflict rules need about a reviewer, beyond their agency memberships."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    home_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The agency the reviewer works for, if any.",
    )
    state = models.CharField("home state", max_length=2, choices=USState.choices, blank=True)

    def __str__(self):
        return f"Reviewer {self.user}"


class ReviewerInvitation(models.Model):
    """A single-use, expiring link that sets up a reviewer account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    home_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField("home state", max_length=2, choices=USState.choices, blank=True)
    panel = models.ForeignKey(
        "Panel", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"


class Panel(models.Model):
    """The reviewers of one category in its cycle."""

    category = models.OneToOneField(
        "cycles.Category", on_delete=models.CASCADE, related_name="panel"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="review_panels"
    )

    def __str__(self):
        return f"Panel for {self.category}"


class ReviewCopy(models.Model):
    """What staff prepare for review: the executive summary and the redacted copy.

    Reviewers in a blind phase read only this and the files chosen here, never
    the agency's own text. An empty redaction never falls back to the original.
    """

    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="review_copy"
    )
    executive_summary = models.TextField(blank=True)
    redacted_title = models.CharField("title without agency identity", max_length=300, blank=True)
    redacted_text = models.TextField("redacted copy", blank=True)
    files = models.ManyToManyField(
        "nominations.Evidence",
        blank=True,
        related_name="+",
        help_text="Files reviewers may open.",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The identity check: run after every save, off the request path.
    checked_at = models.DateTimeField(null=True, blank=True)
    # What it found that still holds review back; findings staff overrode as false
    # positives (for a file's current clean copy) are kept apart, in `overridden`.
    leaks = models.JSONField(default=list, blank=True)
    overridden = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "review copies"

    def __str__(self):
        return f"Review copy of {self.nomination_id}"

    @property
    def is_ready(self):
        return bool(
            self.executive_summary.strip()
            and self.redacted_title.strip()
            and self.redacted_text.strip()
        )

    @property
    def is_checked(self):
        return self.checked_at is not None and self.checked_at >= self.updated_at

    @property
    def is_cleared(self):
        """Written, checked since the last edit, and the check found nothing: only then
        may reviewers read it (or be assigned from it)."""
        return self.is_ready and self.is_checked and not self.leaks


class FindingOverride(models.Model):
    """Staff's recorded word that what the identity check found in one file is a false
    positive: who, when, why, and exactly which findings.

    It holds for the file's clean copy it was given for (`clean_copy_name`, a
    server-chosen storage name that changes with every new copy) and for those
    findings only: a new clean copy, or a new finding, is checked afresh.
    """

    copy = models.ForeignKey(ReviewCopy, on_delete=models.CASCADE, related_name="overrides")
    evidence = models.ForeignKey("nominations.Evidence", on_delete=models.CASCADE, related_name="+")
    clean_copy_name = models.CharField(max_length=200)
    findings = models.JSONField(help_text="The findings overridden: [{where, what}].")
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Override of findings in {self.evidence_id} ({self.created_at:%Y-%m-%d})"

    def covers(self, finding):
        """Whether this override answers `finding` (a stored finding dict)."""
        return (
            finding.get("file") == str(self.evidence_id)
            and finding.get("copy") == self.clean_copy_name
            and {"where": finding["where"], "what": finding["what"]} in self.findings
        )


class Conflict(models.Model):
    """A conflict of interest a reviewer declared with one nomination."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    reason = models.TextField()
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "nomination"], name="conflict_unique"),
        ]

    def __str__(self):
        return f"Conflict of {self.reviewer} with {self.nomination_id}"


class AssignmentQuerySet(models.QuerySet):
    def without_conflicts(self):
        """These assignments without those whose reviewer is conflicted with the nomination.

        The conflict rule, stated once for the database: a declared conflict; an
        approved membership of the nominating agency; the reviewer's home agency;
        the same state (a blank one is none), when the cycle says so. The
        assignment planner states the same rule over plain values
        (`assignment.is_conflicted`, fed by `services.planner_candidates` and
        `services.planner_items`); tests/reviews/test_conflict_agreement.py holds
        the two to exactly the same pairs.
        """
        return (
            self.exclude(
                Exists(
                    Conflict.objects.filter(
                        reviewer=OuterRef("reviewer"), nomination=OuterRef("nomination")
                    )
                )
            )
            .exclude(
                Exists(
                    Membership.objects.filter(
                        user=OuterRef("reviewer"),
                        agency=OuterRef("nomination__agency"),
                        status=MembershipStatus.APPROVED,
                    )
                )
            )
            .exclude(reviewer__reviewer_profile__home_agency=F("nomination__agency"))
            .exclude(
                # A blank state is no state: two blanks are not the same state.
                Q(nomination__cycle__conflict_same_state=True)
                & ~Q(nomination__agency__state="")
                & Q(reviewer__reviewer_profile__state=F("nomination__agency__state"))
            )
        )


class Assignment(ConcurrentTransitionMixin, models.Model):
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    state = FSMField(default=A.INVITED, choices=A.choices, protected=True, db_index=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = models.TextField(blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The version of the cycle's guidelines the reviewer said they read when they
    # accepted (ReviewPolicy.guidelines_version); null: accepted before there were any.
    guidelines_version = models.PositiveIntegerField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "reviewer"], name="assignment_unique"),
        ]

    def __str__(self):
        return f"Review assignment {self.pk}"

    def get_absolute_url(self):
        return reverse("reviews:assignment", kwargs={"pk": self.pk})

    def is_overdue(self, moment=None):
        moment = moment or timezone.now()
        return bool(self.due_at and self.state in (A.INVITED, A.ACCEPTED) and self.due_at < moment)

    @transition(field=state, source=A.INVITED, target=A.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=[A.INVITED, A.ACCEPTED], target=A.DECLINED)
    def decline(self):
        pass

    @transition(field=state, source=A.ACCEPTED, target=A.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=A.SUBMITTED, target=A.ACCEPTED)
    def reopen(self):
        pass


class Review(models.Model):
    """A reviewer's scores for one assignment: a draft until submitted."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    overall_comment = models.TextField(blank=True)
    confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    # Derived from the scores when submitted (scoring.weighted_total); never typed.
    total = models.DecimalField(max_digits=12, decimal_places=9, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Review {self.pk}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    justification = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "criterion__position", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class Decision(models.Model):
    """A decision staged by staff; it takes effect (and emails go) when released."""

    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    staged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staged_at = models.DateTimeField(auto_now=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"{self.get_outcome_display()} for {self.nomination_id}"


class ReviewPolicy(models.Model):
    """How review runs in one cycle beyond its rubric and phases: the guidelines
    reviewers read, the window for stating preferences, and what agencies learn.

    One per cycle, created on first use (`selectors.review_policy`); changed only
    through `services.policy_*`, each change audited.
    """

    cycle = models.OneToOneField(
        "cycles.Cycle", on_delete=models.CASCADE, related_name="review_policy"
    )
    guidelines = models.TextField(
        "reviewer guidelines", blank=True, help_text="Markdown: headings, lists, links, emphasis."
    )
    calibration_example = models.TextField(
        blank=True,
        help_text="A short worked example: an entry's key points and the scores it deserves.",
    )
    # Goes up by one with every change of the guidelines or the example; 0: none yet.
    guidelines_version = models.PositiveIntegerField(default=0)
    guidelines_updated_at = models.DateTimeField(null=True, blank=True)
    guidelines_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preferences_due_at = models.DateTimeField(
        "preferences due",
        null=True,
        blank=True,
        help_text="Reviewers state conflicts and preferences until then. Empty: not asked.",
    )
    share_feedback = models.BooleanField(
        "share reviewers' comments with agencies after release",
        default=False,
        help_text="Anonymous, per criterion; staff may withhold any comment before release.",
    )
    feedback_position = models.CharField(
        "where agencies see their score fell",
        max_length=10,
        choices=FeedbackPosition.choices,
        default=FeedbackPosition.BAND,
    )

    class Meta:
        verbose_name_plural = "review policies"

    def __str__(self):
        return f"Review policy for {self.cycle}"

    def preferences_open(self, moment=None):
        """Whether reviewers may state preferences now."""
        moment = moment or timezone.now()
        return self.preferences_due_at is not None and moment < self.preferences_due_at


class ReviewPreference(models.Model):
    """A reviewer's wish about one nomination of their panel, stated before assignment."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_preferences"
    )
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="review_preferences"
    )
    preference = models.CharField(max_length=10, choices=Preference.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reviewer", "nomination"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "nomination"], name="review_preference_unique"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} is {self.preference} about {self.nomination_id}"


class WithheldComment(models.Model):
    """Staff's decision that one comment of a review is not shared with the agency.

    `criterion` names the justification withheld; empty, the overall comment.
    Made and lifted through services, each audited with the reason.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="withheld")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withheld_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                condition=Q(criterion__isnull=False),
                name="withheld_justification_unique",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(criterion__isnull=True),
                name="withheld_overall_comment_unique",
            ),
        ]

    def __str__(self):
        return f"Comment withheld from review {self.review_id}"
