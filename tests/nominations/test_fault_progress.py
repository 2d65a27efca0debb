"""Section progress counts only what is answered: a blank optional field is not an answer."""

import pytest

from dz_awards.nominations.validation import completeness
from tests import factories


def _section(nomination, key):
    (progress,) = [p for p in completeness(nomination) if p.key == key]
    return progress.done, progress.total, progress.complete


@pytest.mark.parametrize(
    ("field", "section", "total"),
    [("partners", "what", 4), ("submitter_phone", "contacts", 8)],
)
@pytest.mark.parametrize("blank", ["", "  \n"], ids=["empty", "whitespace"])
def test_progress_blank_optional_field_is_not_answered(field, section, total, blank, db):
    """An optional question left blank is not counted, yet the section is complete
    (nothing it needs is missing)."""
    nomination = factories.NominationFactory(complete=True, **{field: blank})
    assert _section(nomination, section) == (total - 1, total, True)


@pytest.mark.parametrize(
    ("field", "section", "total"),
    [("partners", "what", 4), ("submitter_phone", "contacts", 8)],
)
def test_progress_answered_optional_field_counts(field, section, total, db):
    """The same optional question answered counts, and the section stays complete."""
    nomination = factories.NominationFactory(complete=True, **{field: "Answered"})
    assert _section(nomination, section) == (total, total, True)


def test_progress_empty_draft_counts_nothing_unanswered(db):
    """A new draft with a title only: no section counts a blank optional question."""
    nomination = factories.NominationFactory(category=None)
    assert _section(nomination, "what") == (0, 4, False)
    assert _section(nomination, "contacts") == (0, 8, False)
    assert _section(nomination, "overview") == (1, 5, False)


def test_progress_optional_field_over_its_limit_is_not_answered(db):
    """An optional answer that cannot be submitted (too long) is not counted either, and
    the section is not complete."""
    nomination = factories.NominationFactory(complete=True, partners="p" * 2001)
    assert _section(nomination, "what") == (3, 4, False)
