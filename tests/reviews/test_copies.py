"""The review copy (`services.copies`): which files it may show, who may write it, and
until when. What the identity check finds in it is tested in `test_leaks`."""

import pytest
from django.core.exceptions import PermissionDenied

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.models import ReviewCopy
from tests.files import pdf_upload
from tests.reviews import helpers

S = NominationState


def test_review_copy_save_only_accepts_files_of_the_latest_submission(staff, category, phase):
    nomination = helpers.ready_nomination(
        staff, category=category, uploads=[(pdf_upload("policy.pdf"), "")]
    )
    other = helpers.ready_nomination(
        staff, category=category, uploads=[(pdf_upload("other.pdf"), "")]
    )
    foreign = list(other.evidence.all())

    with pytest.raises(services.ReviewError) as error:
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary="Changed.",
            redacted_title="Changed",
            redacted_text="Changed.",
            files=foreign,
        )

    assert str(error.value) == (
        "Only ready files of the latest submission can be shown to reviewers."
    )
    assert ReviewCopy.objects.get(nomination=nomination).executive_summary == (
        helpers.EXECUTIVE_SUMMARY
    )


def test_review_copy_save_by_non_staff_is_denied(nomination, reviewers):
    with pytest.raises(PermissionDenied):
        services.review_copy_save(
            actor=reviewers[0],
            nomination=nomination,
            executive_summary="Mine.",
            redacted_title="Mine",
            redacted_text="Mine.",
            files=[],
        )
    assert helpers.copy_of(nomination).executive_summary == helpers.EXECUTIVE_SUMMARY


@pytest.mark.parametrize("state", [S.FINALIST, S.WITHDRAWN, S.DRAFT, S.RETURNED])
def test_review_copy_save_after_review_is_refused(state, staff, nomination):
    Nomination.objects.filter(pk=nomination.pk).update(state=state)
    with pytest.raises(services.ReviewError):
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary="Late.",
            redacted_title="Late",
            redacted_text="Late.",
            files=[],
        )
    assert OutboxEmail.objects.filter(key__startswith="review-copy").count() == 0
    assert helpers.copy_of(nomination).executive_summary == helpers.EXECUTIVE_SUMMARY
