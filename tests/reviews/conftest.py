"""Fixtures for review tests; the builders behind them are in `tests.reviews.helpers`."""

import pytest

from tests import factories
from tests.reviews import helpers


@pytest.fixture
def cycle(staff):
    """A cycle open now with the default rubric; 3 reviewers per nomination."""
    return helpers.review_cycle(staff)


@pytest.fixture
def category(cycle):
    return factories.CategoryFactory(cycle=cycle)


@pytest.fixture
def phase(cycle):
    """A blind phase running now in which reviews can be written."""
    return helpers.review_phase(cycle)


@pytest.fixture
def reviewers(category):
    """Three reviewers on the category's panel, with no agency and no state."""
    return helpers.panel(category, 3)


@pytest.fixture
def nomination(staff, category, phase):
    """A submitted nomination of an identified agency, review copy written and checked."""
    return helpers.ready_nomination(staff, category=category)


@pytest.fixture
def reviewing(staff, nomination, reviewers):
    """`nomination` in review, each of `reviewers` with an accepted assignment (in order)."""
    return helpers.open_review(staff, nomination, reviewers)
