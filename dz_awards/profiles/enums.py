from django.db import models

from dz_awards.nominations.enums import NominationState


class ProfileState(models.TextChoices):
    """The public profile lifecycle (see PRODUCT.md)."""

    DRAFT = "draft", "Draft"
    PROOF_SENT = "proof_sent", "Proof sent to the agency"
    AGENCY_APPROVED = "agency_approved", "Approved by the agency"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


# Staff may edit the public copy in these states; an edit after the proof was
# sent takes the profile back to draft, so the agency approves what is published.
EDITABLE_STATES = frozenset(
    {
        ProfileState.DRAFT,
        ProfileState.PROOF_SENT,
        ProfileState.AGENCY_APPROVED,
        ProfileState.PUBLISHED,
    }
)


class PdfStatus(models.TextChoices):
    """Where a profile's PDF summary stands, as staff see it (`selectors.pdf_status`)."""

    CURRENT = "current", "Current"
    RENDERING = "rendering", "Rendering"
    FAILED = "failed", "Failed"
    NONE = "none", "None"


# The nominations that get a public profile: released finalists and winners.
PROFILED_STATES = frozenset({NominationState.FINALIST, NominationState.WINNER})


class Award(models.TextChoices):
    WINNER = "winner", "Winner"
    FINALIST = "finalist", "Finalist"


class SizeBand(models.TextChoices):
    """Agency size by sworn officers, as the directory filters it."""

    XS = "1-24", "1 to 24 sworn officers"
    S = "25-99", "25 to 99 sworn officers"
    M = "100-499", "100 to 499 sworn officers"
    L = "500-999", "500 to 999 sworn officers"
    XL = "1000+", "1,000 or more sworn officers"


SIZE_BAND_RANGES = {
    SizeBand.XS: (1, 24),
    SizeBand.S: (25, 99),
    SizeBand.M: (100, 499),
    SizeBand.L: (500, 999),
    SizeBand.XL: (1000, None),
}


def size_band(sworn_officers):
    if not sworn_officers:
        return None
    for band, (low, high) in SIZE_BAND_RANGES.items():
        if sworn_officers >= low and (high is None or sworn_officers <= high):
            return band
    return None
