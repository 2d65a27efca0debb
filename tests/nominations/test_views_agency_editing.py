"""The agency's edit form and autosave: fields it must not set, stale versions and the
conflict screen, an expired session and an invalid date, each keeping what was typed."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from dz_awards.nominations.content import SECTIONS
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import DraftConflict, Nomination
from tests import factories
from tests.nominations.view_helpers import audit_trail as _events
from tests.nominations.view_helpers import database_state, form_data, submitted
from tests.nominations.view_helpers import nomination_url as _url
from tests.nominations.view_helpers import page_html as _page

S = NominationState


def _row(nomination):
    return Nomination.objects.values().get(pk=nomination.pk)


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# The edit form and autosave ignore what an agency must not set ---------------------------


@pytest.mark.parametrize("endpoint", ["edit", "autosave"])
def test_save_posted_protected_fields_are_ignored(member_client, draft, endpoint):
    """Posted state, agency, cycle, score, publication and staff message change nothing."""
    other_agency = factories.AgencyFactory()
    other_cycle = factories.CycleFactory()
    before = _row(draft)
    response = member_client.post(
        _url(endpoint, draft),
        form_data(
            draft,
            summary="A new summary.",
            state=S.WINNER,
            agency=str(other_agency.pk),
            agency_id=str(other_agency.pk),
            cycle=str(other_cycle.pk),
            cycle_id=str(other_cycle.pk),
            score="100",
            is_published="on",
            staff_message="Approved by staff.",
            submitted_at="2020-01-01T00:00:00Z",
            previous=str(draft.pk),
        ),
    )
    assert response.status_code in {200, 302}
    after = _row(draft)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"summary", "version", "updated_at", "updated_by_id"}
    assert (after["summary"], after["version"]) == ("A new summary.", before["version"] + 1)
    assert (after["state"], after["staff_message"]) == (S.DRAFT, "")


def test_edit_post_without_version_becomes_a_conflict_not_an_overwrite(member_client, draft):
    """A post with no version is treated as stale: the text is kept aside, nothing overwritten."""
    before = _row(draft)
    response = member_client.post(
        _url("edit", draft), form_data(draft, summary="Posted without a version.", version=None)
    )
    conflict = DraftConflict.objects.get()
    assert response.url == conflict.get_absolute_url()
    assert _row(draft) == before
    assert (conflict.base_version, conflict.content["summary"]) == (0, "Posted without a version.")


def test_autosave_without_version_is_a_409_conflict_not_an_overwrite(member_client, draft):
    """Autosave with no version answers 409 conflict and keeps the text aside."""
    before = _row(draft)
    response = member_client.post(
        _url("autosave", draft), form_data(draft, summary="No version here.", version=None)
    )
    assert response.status_code == 409
    conflict = DraftConflict.objects.get()
    assert response.json()["conflict_url"] == conflict.get_absolute_url()
    assert _row(draft) == before
    assert conflict.content["summary"] == "No version here."


# Autosave JSON ---------------------------------------------------------------------------


def test_autosave_saved_returns_new_version_and_progress(member_client, draft, member):
    """A fresh autosave saves, bumps the version and reports per-section progress."""
    response = member_client.post(_url("autosave", draft), form_data(draft, summary=""))
    assert response.status_code == 200
    data = response.json()
    draft.refresh_from_db()
    assert (draft.summary, draft.version, draft.updated_by) == ("", 2, member)
    assert data["status"] == "saved"
    assert data["version"] == 2
    assert data["errors"] == {}
    assert re.fullmatch(r"\d{1,2}:\d\d [AP]M", data["saved_at"])
    expected = []
    for section in SECTIONS:
        total = len(section.fields) + len(section.extra)
        done = total - 1 if section.key == "overview" else total
        expected.append(
            {"key": section.key, "done": done, "total": total, "complete": done == total}
        )
    assert data["progress"] == expected


def test_autosave_stale_version_is_409_with_conflict_and_text_kept(member_client, draft, member):
    """A save from an older version answers 409 and keeps its text; nothing is overwritten."""
    stale = form_data(draft, summary="Typed in the second tab.")
    member_client.post(_url("autosave", draft), form_data(draft, summary="Saved from tab one."))
    response = member_client.post(_url("autosave", draft), stale)
    assert response.status_code == 409
    conflict = DraftConflict.objects.get()
    assert response.json() == {
        "status": "conflict",
        "message": "Someone else saved this nomination. Your text is kept: compare the versions.",
        "conflict_url": _url("conflict", draft, conflict=conflict.pk),
    }
    assert (conflict.user, conflict.base_version) == (member, 1)
    assert conflict.content["summary"] == "Typed in the second tab."
    draft.refresh_from_db()
    assert (draft.summary, draft.version) == ("Saved from tab one.", 2)


def test_autosave_on_submitted_nomination_is_409_locked(member_client, member, agency):
    """Once submitted, autosave answers 409 "locked" and changes nothing."""
    nomination = submitted(member, agency=agency)
    before = _row(nomination)
    response = member_client.post(
        _url("autosave", nomination), form_data(nomination, summary="Too late.")
    )
    assert response.status_code == 409
    assert response.json() == {
        "status": "locked",
        "message": "This nomination is submitted and can no longer be changed here.",
    }
    assert _row(nomination) == before
    assert not DraftConflict.objects.exists()


def test_autosave_anonymous_is_401_json(client, draft):
    """Signed out, autosave answers 401 JSON (never a login page) and saves nothing."""
    before = _row(draft)
    response = client.post(_url("autosave", draft), form_data(draft, summary="Signed out."))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "signed_out"
    assert _row(draft) == before


def test_autosave_get_returns_version_and_a_working_csrf_token(member, draft):
    """GET gives the saved version and a CSRF token that a following POST can use."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.get(_url("autosave", draft))
    data = response.json()
    assert set(data) == {"version", "csrf_token"}
    assert data["version"] == 1
    refused = client.post(_url("autosave", draft), form_data(draft, summary="No token."))
    assert refused.status_code == 403
    saved = client.post(
        _url("autosave", draft),
        form_data(draft, summary="With the token."),
        headers={"X-CSRFToken": data["csrf_token"]},
    )
    assert saved.json()["status"] == "saved"
    draft.refresh_from_db()
    assert draft.summary == "With the token."


# The conflict screen ---------------------------------------------------------------------


@pytest.fixture
def conflicted(member_client, draft):
    """Tab one saved a new summary; tab two, from version 1, changed summary and goals."""
    tab_two = form_data(draft, summary="My summary.", goals="My goals.")
    member_client.post(_url("autosave", draft), form_data(draft, summary="Saved summary."))
    member_client.post(_url("autosave", draft), tab_two)
    draft.refresh_from_db()
    return draft, DraftConflict.objects.get()


def test_conflict_screen_shows_both_versions_of_differing_fields_only(member_client, conflicted):
    """Only the answers that differ are compared, each with the saved and the kept text."""
    nomination, conflict = conflicted
    html = _page(member_client, conflict.get_absolute_url())
    assert re.findall(r'id="saved-([\w-]+)"', html) == ["summary", "goals"]
    assert re.findall(r'id="mine-([\w-]+)"', html) == ["summary", "goals"]
    assert re.search(r'id="saved-summary">Saved summary\.</div>', html)
    assert re.search(r'id="mine-summary">My summary\.</div>', html)
    assert re.search(rf'id="saved-goals">{re.escape(escape(nomination.goals))}</div>', html)
    assert re.search(r'id="mine-goals">My goals\.</div>', html)
    assert sorted(set(re.findall(r'name="(take_\w+)"', html))) == ["take_goals", "take_summary"]
    assert 'name="version" value="2"' in html


def test_conflict_use_my_version_applies_exactly_that_field(member_client, conflicted, member):
    """Choosing "Use my version" for one answer takes that answer only and bumps the version."""
    nomination, conflict = conflicted
    before = _row(nomination)
    response = member_client.post(
        conflict.get_absolute_url(),
        {"version": "2", "take_summary": "mine", "take_goals": "saved"},
    )
    assert response.url == _url("edit", nomination)
    after = _row(nomination)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"summary", "version", "updated_at"}
    assert (after["summary"], after["goals"], after["version"]) == (
        "My summary.",
        before["goals"],
        3,
    )
    conflict.refresh_from_db()
    assert conflict.resolved_at is not None
    assert _events(nomination)[-1] == (
        "edit_conflict_resolved",
        "Kept from the other copy: summary",
    )


def test_conflict_resolve_with_stale_version_reshows_screen_and_changes_nothing(
    member_client, conflicted
):
    """If the draft was saved again while choosing, nothing changes and the screen comes back."""
    nomination, conflict = conflicted
    member_client.post(_url("autosave", nomination), form_data(nomination, summary="Third."))
    before = database_state()
    response = member_client.post(
        conflict.get_absolute_url(),
        {"version": "2", "take_summary": "mine", "take_goals": "mine"},
        follow=True,
    )
    assert response.redirect_chain == [(conflict.get_absolute_url(), 302)]
    assert _messages(response) == [
        "The nomination was saved again while you were choosing. Compare once more."
    ]
    html = response.content.decode()
    assert re.search(r'id="saved-summary">Third\.</div>', html)
    assert 'name="version" value="3"' in html
    assert database_state() == before


# Session expiry while typing -------------------------------------------------------------


def test_edit_post_after_session_expiry_keeps_text_until_sign_in(client, member, draft):
    """A signed-out save redirects to login; after sign-in the typed text is back, unsaved."""
    url = _url("edit", draft)
    before = database_state()
    response = client.post(url, form_data(draft, summary="Typed while the session ended."))
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    assert database_state() == before

    client.force_login(member)
    response = client.get(url)
    html = response.content.decode()
    assert response.context["form"]["summary"].value() == "Typed while the session ended."
    assert re.search(r">\s*Typed while the session ended\.</textarea>", html)
    assert (
        "This is the text you typed before your session ended. It is not saved yet: "
        "check it and choose Save draft."
    ) in _messages(response)
    assert "Not saved yet." in html
    assert database_state() == before

    # Shown once: the next visit shows the saved text again.
    again = client.get(url)
    assert again.context["form"]["summary"].value() == draft.summary


# An invalid date keeps everything else ---------------------------------------------------


def test_save_draft_with_invalid_date_saves_other_answers_and_shows_date_error(
    member_client, draft
):
    """A date that is not a date is refused; every other typed answer is saved and shown."""
    old_date = draft.start_date
    response = member_client.post(
        _url("edit", draft),
        form_data(
            draft,
            start_date="15/03/2021 maybe",
            summary="A summary typed with the bad date.",
            goals="Goals typed with the bad date.",
            next="stay",
        ),
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.summary, draft.goals, draft.start_date, draft.version) == (
        "A summary typed with the bad date.",
        "Goals typed with the bad date.",
        old_date,
        2,
    )
    html = response.content.decode()
    assert (
        '<a href="#id_start_date">Program start date: Enter a date like 2021-03-15. '
        "You typed “15/03/2021 maybe”.</a>"
    ) in html
    # What was typed is in the message, not in the date input (where it is not a value).
    date_input = re.search(r'<input [^>]*id="id_start_date"[^>]*>', html)[0]
    assert 'type="date"' in date_input
    assert "value=" not in date_input
    assert re.search(r">\s*A summary typed with the bad date\.</textarea>", html)
    assert re.search(r">\s*Goals typed with the bad date\.</textarea>", html)
    # The form carries the new version, so the next save is not a conflict.
    assert re.search(r'name="version" value="2"', html)
    assert _messages(response) == [
        "Your draft is saved, except the answers marked below. Correct them and save again."
    ]
