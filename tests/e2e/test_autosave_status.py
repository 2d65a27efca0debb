"""The nomination form's autosave status tells the truth while the agency types.

"Unsaved changes" shows as soon as the text differs from what the server has; a pause
in typing saves it (no need to leave the field); a tab left open on an older version
still gets the conflict, never overwrites.
"""

import re

import pytest
from playwright.sync_api import expect

from dz_awards.nominations.models import DraftConflict, Nomination
from tests import factories
from tests.e2e.conftest import DATABASE_LOCK, field, sign_in_with_session

pytestmark = pytest.mark.browser

SAVED = re.compile(r"^Saved at \d{1,2}:\d{2} [AP]M\.$")
FIRST = "Officers rarely asked for help after a critical incident."
STALE = "Text typed in a tab opened before the other tab saved."


def _stored(nomination):
    with DATABASE_LOCK:
        return Nomination.objects.values_list("problem", "version").get(pk=nomination.pk)


def test_autosave_says_unsaved_at_once_saves_after_a_pause_and_a_stale_tab_conflicts(
    open_page, browser_errors, live_server, db
):
    membership = factories.OwnerFactory()
    nomination = factories.NominationFactory(agency=membership.agency, complete=True)
    edit = f"/nominations/{nomination.pk}/edit/"
    # The stale tab's save is answered 409 Conflict, which Chromium logs.
    autosave = f"{live_server.url}/nominations/{nomination.pk}/autosave/"
    browser_errors.allow_error_status(autosave, 409)
    pages = []
    for _tab in range(2):  # two tabs of one person, both opened on version 1
        page = open_page()
        sign_in_with_session(page, membership.user)
        page.goto(edit)
        pages.append(page)
    first, stale = pages
    _problem, version = _stored(nomination)

    problem = field(first, "The problem")
    problem.fill(FIRST)  # focus stays in the field: only the pause can save it
    status = first.locator("#autosave-status")
    expect(status).to_have_text("Unsaved changes.")
    assert _stored(nomination)[0] != FIRST
    expect(status).to_have_text(SAVED)
    expect(problem).to_be_focused()
    assert _stored(nomination) == (FIRST, version + 1)

    field(stale, "The problem").fill(STALE)
    stale_status = stale.locator("#autosave-status")
    expect(stale_status).to_have_text("Unsaved changes.")
    expect(stale_status.get_by_role("link", name="Compare the versions")).to_be_visible()
    assert _stored(nomination) == (FIRST, version + 1)
    with DATABASE_LOCK:
        conflict = DraftConflict.objects.get(nomination=nomination)
    assert (conflict.base_version, conflict.content["problem"]) == (version, STALE)
