"""The identity check run in the background: a failure is logged and raised, never lost.

Run as the task runs it (`reviews.tasks.check_review_copy` calls
`reviews.processing.review_copy_check`), on a real uploaded PDF whose stored
file has gone missing.
"""

import logging

import pytest

from reviews import processing
from reviews.models import ReviewCopy
from tests.files import MINIMAL_PDF, pdf_upload
from tests.reviews import helpers


@pytest.fixture
def copy_with_a_file(staff, category):
    """A checked review copy that shows reviewers one uploaded PDF."""
    nomination = helpers.ready_nomination(
        staff, category=category, uploads=[(pdf_upload("plan.pdf", MINIMAL_PDF), "The plan")]
    )
    return helpers.copy_of(nomination)


def test_a_check_that_cannot_read_a_file_is_logged_and_raised(copy_with_a_file, caplog):
    (evidence,) = copy_with_a_file.files.all()
    evidence.clean_file.storage.delete(evidence.clean_file.name)
    ReviewCopy.objects.filter(pk=copy_with_a_file.pk).update(checked_at=None)

    with (
        caplog.at_level(logging.ERROR, logger="reviews.processing"),
        pytest.raises(FileNotFoundError),
    ):
        processing.review_copy_check(copy_with_a_file.pk)

    (record,) = [r for r in caplog.records if r.name == "reviews.processing"]
    assert record.getMessage() == (
        f"The identity check of review copy {copy_with_a_file.pk} failed."
    )
    assert record.exc_info is not None
    # Nothing was stored: the copy stays unchecked, so review cannot open on it.
    copy_with_a_file.refresh_from_db()
    assert not copy_with_a_file.is_checked


def test_a_check_that_reads_every_file_stores_its_findings(copy_with_a_file):
    ReviewCopy.objects.filter(pk=copy_with_a_file.pk).update(checked_at=None)
    assert processing.review_copy_check(copy_with_a_file.pk) == []
    copy_with_a_file.refresh_from_db()
    assert copy_with_a_file.is_checked
