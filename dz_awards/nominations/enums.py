from django.db import models


class NominationState(models.TextChoices):
    """The nomination lifecycle, in order (see PRODUCT.md)."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    IN_REVIEW = "in_review", "In review"
    REVIEWED = "reviewed", "Reviewed"
    FINALIST = "finalist", "Finalist"
    NOT_SELECTED = "not_selected", "Not selected"
    WINNER = "winner", "Winner"
    WITHDRAWN = "withdrawn", "Withdrawn"
    INELIGIBLE = "ineligible", "Ineligible"


# The agency may change the text only in these states.
EDITABLE_STATES = frozenset({NominationState.DRAFT, NominationState.RETURNED})
# Withdrawal is possible until a decision is made.
WITHDRAWABLE_STATES = frozenset(
    {
        NominationState.DRAFT,
        NominationState.SUBMITTED,
        NominationState.RETURNED,
        NominationState.IN_REVIEW,
    }
)
# Program staff see a nomination once it has been submitted; a draft is the agency's own.
STAFF_VISIBLE_STATES = frozenset(set(NominationState) - {NominationState.DRAFT})

# Review, from submission until a decision: staff prepare (and may change) the copy
# reviewers read, and assigned reviewers see the nomination. After a decision it
# leaves their queue.
REVIEWABLE_STATES = frozenset(
    {NominationState.SUBMITTED, NominationState.IN_REVIEW, NominationState.REVIEWED}
)
# Reviewers are assigned (and reminded of what waits) until review closes.
ASSIGNABLE_STATES = frozenset({NominationState.SUBMITTED, NominationState.IN_REVIEW})
# Review has opened, whatever was decided since: these have scores to show.
SCORED_STATES = frozenset(
    {
        NominationState.IN_REVIEW,
        NominationState.REVIEWED,
        NominationState.FINALIST,
        NominationState.NOT_SELECTED,
        NominationState.WINNER,
    }
)
# A decision can still be made: review has closed, or a finalist may yet win.
DECIDABLE_STATES = frozenset({NominationState.REVIEWED, NominationState.FINALIST})


class Participation(models.TextChoices):
    MANDATORY = "mandatory", "Mandatory for all officers"
    VOLUNTARY = "voluntary", "Voluntary"
    MIXED = "mixed", "Mandatory for some, voluntary for others"


class EvidenceKind(models.TextChoices):
    IMAGE = "image", "Image (JPEG, PNG or WebP)"
    DOCUMENT = "document", "Document (PDF)"
    LETTER = "letter", "Letter of support (PDF)"


class EvidenceStatus(models.TextChoices):
    PROCESSING = "processing", "Being checked"
    READY = "ready", "Ready"
    REJECTED = "rejected", "Rejected"


class PacketKind(models.TextChoices):
    """The two PDFs of a whole nomination: staff read everything; reviewers the blind twin."""

    STAFF = "staff", "Nomination packet"
    BLIND = "blind", "Blind packet for reviewers"


# A category's archive for the committee: the nominations still in the competition or
# decided, never those withdrawn, screened out or back with the agency for changes.
PACKET_ARCHIVE_STATES = frozenset(
    {
        NominationState.SUBMITTED,
        NominationState.IN_REVIEW,
        NominationState.REVIEWED,
        NominationState.FINALIST,
        NominationState.NOT_SELECTED,
        NominationState.WINNER,
    }
)
