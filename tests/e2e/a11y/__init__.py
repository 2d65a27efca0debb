"""Accessibility scenarios, one module per app, all feeding `registry.SCENARIOS`.

Importing `SCENARIO_MODULES` registers every scenario; a new module is listed there.
"""

from tests.e2e.a11y import (
    accounts,
    agencies,
    bulk,
    cycles,
    emails,
    library,
    limits,
    nominations,
    packets,
    portal,
    profiles,
    recognition,
    review_feedback,
    review_policy,
    review_preferences,
    reviews_reviewer,
    reviews_staff,
)

SCENARIO_MODULES = (
    portal,
    accounts,
    agencies,
    cycles,
    emails,
    nominations,
    reviews_staff,
    bulk,
    reviews_reviewer,
    review_feedback,
    review_policy,
    review_preferences,
    packets,
    profiles,
    library,
    recognition,
    limits,
)
