from django.db import models

from dz_awards.nominations.enums import DECIDABLE_STATES, NominationState


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


class InvitationStatus(models.TextChoices):
    """Where a reviewer invitation stands; only a pending one can be used."""

    PENDING = "pending", "Pending"
    USED = "used", "Used"
    EXPIRED = "expired", "Expired"


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


# What a nomination may be staged as, by its state: the release then makes the
# transitions in order (reviewed -> finalist -> winner). Every state named here
# is decidable.
STAGEABLE: dict[Outcome, frozenset[NominationState]] = {
    Outcome.FINALIST: frozenset({NominationState.REVIEWED}),
    Outcome.NOT_SELECTED: frozenset({NominationState.REVIEWED}),
    Outcome.WINNER: DECIDABLE_STATES,
}


def stage_choices(state: str) -> list[tuple[str, str]]:
    """(value, label) of the outcomes a nomination in `state` may be staged as."""
    return [(outcome.value, outcome.label) for outcome in Outcome if state in STAGEABLE[outcome]]


class CopyStatus(models.TextChoices):
    """Where staff's review copy stands; only a ready one lets review open."""

    MISSING = "missing", "Missing"
    CHECKING = "checking", "Identity check running"
    IDENTITY = "identity", "Identity found"
    READY = "ready", "Ready"


class Preference(models.TextChoices):
    """How much a reviewer wants to review one nomination, said before assignment.

    The planner keeps every hard rule and uses these as costs: eager beats willing
    beats unwilling. No statement counts as willing.
    """

    EAGER = "eager", "Eager: I would like to review this"
    WILLING = "willing", "Willing"
    UNWILLING = "unwilling", "Unwilling: I would rather not"


class FeedbackPosition(models.TextChoices):
    """What an agency learns of where its normalised score fell in its category."""

    BAND = "band", "A band (for example, the top quarter)"
    RANK = "rank", "The rank (for example, 2nd of 9)"
