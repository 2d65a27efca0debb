from django.db import models


class AssignmentState(models.TextChoices):
    """A reviewer's assignment to one nomination (see PRODUCT.md)."""

    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    SUBMITTED = "submitted", "Review submitted"
    DECLINED = "declined", "Declined"


# Assignments that hold a seat: a declined one has been handed back.
ACTIVE_ASSIGNMENT_STATES = frozenset(
    {AssignmentState.INVITED, AssignmentState.ACCEPTED, AssignmentState.SUBMITTED}
)


class DeclineReason(models.TextChoices):
    CONFLICT = "conflict", "I have a conflict of interest"
    AVAILABILITY = "availability", "I am not available"
    OTHER = "other", "Another reason"


class Confidence(models.TextChoices):
    LOW = "low", "Low: this is outside my experience"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High: I know this kind of program well"


class Outcome(models.TextChoices):
    """A staged decision: what the nomination becomes when decisions are released."""

    FINALIST = "finalist", "Finalist"
    WINNER = "winner", "Winner"
    NOT_SELECTED = "not_selected", "Not selected"
