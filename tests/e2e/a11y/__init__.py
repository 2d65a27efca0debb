"""Accessibility scenarios, one module per app, all feeding `registry.SCENARIOS`.

Importing `SCENARIO_MODULES` registers every scenario; a new module is listed there.
"""

from tests.e2e.a11y import (
    accounts,
    agencies,
    cycles,
    nominations,
    portal,
    profiles,
    reviews_reviewer,
    reviews_staff,
)

SCENARIO_MODULES = (
    portal,
    accounts,
    agencies,
    cycles,
    nominations,
    reviews_staff,
    reviews_reviewer,
    profiles,
)
