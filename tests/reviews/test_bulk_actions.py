"""Bulk actions on the staff list: the single action's service per nomination, each with
its own result and audit record, after a confirmation with the count."""

import csv
import io
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination, NominationMessage
from reviews.models import Assignment, Decision
from tests import factories
from tests.reviews import bulk_worlds, helpers

pytestmark = pytest.mark.django_db

S = NominationState
BULK = reverse("staff:nominations-bulk")


@pytest.fixture
def world(staff):
    cycle = helpers.review_cycle(staff, reviewers_per_nomination=1)
    category = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    return {"cycle": cycle, "category": category, "staff": staff}


def _rows(world, count, state, title):
    return bulk_worlds.nominations(
        count, cycle=world["cycle"], category=world["category"], state=state, title=title
    )


@dataclass
class Case:
    action: str
    data: dict
    audit_action: str
    done_text: str
    refused_text: str
    # (allowed, refused) nominations, built from the world
    build: object
    after: dict = field(default_factory=dict)


def _return_world(world):
    return _rows(world, 30, S.SUBMITTED, "Open"), _rows(world, 20, S.RETURNED, "Sent back")


def _screen_world(world):
    return _rows(world, 30, S.SUBMITTED, "Open"), _rows(world, 20, S.IN_REVIEW, "Reviewing")


def _assign_world(world):
    helpers.panel(world["category"], 3)
    ready = _rows(world, 25, S.SUBMITTED, "Ready")
    bulk_worlds.review_copies(ready)
    return ready, _rows(world, 25, S.SUBMITTED, "No copy")


def _stage_world(world):
    return _rows(world, 30, S.REVIEWED, "Reviewed"), _rows(world, 20, S.SUBMITTED, "Open")


CASES = {
    "return": Case(
        "return",
        {"text": "Add the 2024 figures."},
        "nomination_returned",
        "Returned for changes; the agency has your message.",
        "This nomination is now returned for changes; it can no longer be returned.",
        _return_world,
        {"state": S.RETURNED, "staff_message": "Add the 2024 figures."},
    ),
    "screen_out": Case(
        "screen_out",
        {"text": "The program started after the cut-off date."},
        "nomination_screened_out",
        "Screened out as ineligible; the agency has the reason.",
        "This nomination is now in review; it can no longer be screened out.",
        _screen_world,
        {"state": S.INELIGIBLE},
    ),
    "assign": Case(
        "assign",
        {},
        "reviewer_assigned",
        "1 reviewer assigned.",
        "Write the executive summary and the redacted copy first.",
        _assign_world,
    ),
    "stage": Case(
        "stage",
        {"outcome": "finalist"},
        "decision_staged",
        "Staged as finalist.",
        "This nomination is submitted: it cannot be staged as finalist.",
        _stage_world,
    ),
}


def _start(client, action, nominations=(), *, all_matching=False, query=""):
    data = {"action": action, "query": query, "selected": [str(n.pk) for n in nominations]}
    if all_matching:
        data["all_matching"] = "on"
    return client.post(BULK, data)


def _events(action, nominations):
    return AuditEvent.objects.filter(
        action=action, object_id__in=[str(n.pk) for n in nominations]
    ).count()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bulk_action_on_50_runs_the_service_per_nomination(client, world, case):
    """Of 50 chosen nominations, those the single action allows are done and audited once
    each; the others are refused with the service's reason and left as they were."""
    allowed, refused = case.build(world)
    chosen = sorted(allowed + refused, key=lambda n: n.title)
    client.force_login(world["staff"])
    started = _start(client, case.action, chosen, query="sort=program")
    confirm = client.get(started["Location"])
    assert confirm.context["count"] == 50
    assert "50 nominations" in confirm.context["heading"]
    before = {n.pk: n.state for n in refused}

    response = client.post(started["Location"], case.data, follow=True)

    results = response.context["results"]
    assert [r.nomination_id for r in results] == [str(n.pk) for n in chosen]
    assert (response.context["done"], response.context["refused"]) == (len(allowed), len(refused))
    by_id = {r.nomination_id: r for r in results}
    assert {(by_id[str(n.pk)].done, by_id[str(n.pk)].text) for n in allowed} == {
        (True, case.done_text)
    }
    assert {(by_id[str(n.pk)].done, by_id[str(n.pk)].text) for n in refused} == {
        (False, case.refused_text)
    }
    assert _events(case.audit_action, allowed) == len(allowed)
    assert _events(case.audit_action, refused) == 0
    assert {n.pk: n.state for n in Nomination.objects.filter(pk__in=before)} == before
    if case.after:
        assert set(
            Nomination.objects.filter(pk__in=[n.pk for n in allowed]).values_list(*case.after)
        ) == {tuple(case.after.values())}
    html = response.content.decode()
    label = {"return": "Return for changes", "screen_out": "Screen out as ineligible"}
    summary = f"{len(allowed)} done, {len(refused)} refused."
    assert f"{label.get(case.action, '')}" in html
    assert summary in html


def test_bulk_effects_reach_each_agency_and_reviewer(client, world):
    """Returning emails each agency once per nomination; assigning emails each reviewer
    once per assignment; staging writes one decision per nomination."""
    allowed, _refused = _return_world(world)
    client.force_login(world["staff"])
    client.post(_start(client, "return", allowed)["Location"], {"text": "More data."})
    returned = OutboxEmail.objects.filter(key__startswith="nomination-returned:")
    assert returned.count() == 30
    assert NominationMessage.objects.filter(body="More data.", from_staff=True).count() == 30

    ready, _other = _assign_world(world)
    client.post(_start(client, "assign", ready)["Location"], {})
    assert Assignment.objects.filter(nomination__in=ready).count() == 25
    assert OutboxEmail.objects.filter(key__startswith="review-assigned:").count() == 25


def test_bulk_message_reports_a_nomination_deleted_after_confirmation(client, world):
    rows = _rows(world, 50, S.SUBMITTED, "Open")
    client.force_login(world["staff"])
    started = _start(client, "message", rows)
    gone = rows[:2]
    Nomination.objects.filter(pk__in=[n.pk for n in gone]).delete()
    response = client.post(started["Location"], {"text": "The ceremony is on May 5."}, follow=True)
    assert (response.context["done"], response.context["refused"]) == (48, 2)
    assert [(r.nomination_id, r.text) for r in response.context["results"] if not r.done] == [
        ("", "It was deleted meanwhile.")
    ] * 2
    assert _events("message_posted", rows[2:]) == 48


def test_bulk_stage_refuses_a_second_winner_in_words(client, world):
    """Staging winners stops at the category's winners; the others say why."""
    rows = _rows(world, 3, S.FINALIST, "Finalist")
    client.force_login(world["staff"])
    response = client.post(
        _start(client, "stage", rows)["Location"], {"outcome": "winner"}, follow=True
    )
    assert [r.done for r in response.context["results"]] == [True, False, False]
    assert response.context["results"][1].text == (
        "Officer Wellness already has its 1 winner (released or staged)."
    )
    assert Decision.objects.filter(nomination__in=rows).count() == 1


@pytest.mark.parametrize(
    ("action", "data", "error"),
    [
        ("return", {"text": "   "}, "This field is required."),
        ("stage", {"outcome": "champion"}, "Select a valid choice."),
    ],
)
def test_confirmation_asks_again_when_the_message_or_outcome_is_missing(
    client, world, action, data, error
):
    rows = _rows(world, 3, S.SUBMITTED, "Open")
    client.force_login(world["staff"])
    started = _start(client, action, rows)
    response = client.post(started["Location"], data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert response.context["count"] == 3
    assert not AuditEvent.objects.filter(object_id__in=[str(n.pk) for n in rows]).exists()


def test_pressing_confirm_twice_runs_once(client, world):
    rows = _rows(world, 5, S.SUBMITTED, "Open")
    client.force_login(world["staff"])
    url = _start(client, "return", rows)["Location"]
    client.post(url, {"text": "First."})
    again = client.post(url, {"text": "Second."}, follow=True)
    assert again.context["done"] == 5
    assert _events("nomination_returned", rows) == 5
    assert not NominationMessage.objects.filter(body="Second.").exists()


def test_all_matching_takes_every_page_of_the_filter(client, world):
    submitted = _rows(world, 30, S.SUBMITTED, "Open")
    _rows(world, 5, S.RETURNED, "Sent back")
    client.force_login(world["staff"])
    started = _start(client, "screen_out", all_matching=True, query="state=submitted&per_page=25")
    confirm = client.get(started["Location"])
    assert confirm.context["count"] == 30
    assert {n.pk for n in confirm.context["nominations"]} == {n.pk for n in submitted}
    assert "Screen out 30 nominations as ineligible" in confirm.content.decode()


def test_export_downloads_the_chosen_rows_at_once(client, world):
    rows = _rows(world, 4, S.SUBMITTED, "Open")
    client.force_login(world["staff"])
    response = _start(client, "export", rows[:2])
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[0] for line in table[1:]] == [rows[0].title, rows[1].title]
    assert not AuditEvent.objects.exists() or not _events("nomination_returned", rows)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "return"}, "Choose at least one nomination"),
        ({"action": "return", "selected": ["not-an-id"]}, "That choice of nominations is not"),
        ({"action": "erase", "all_matching": "on"}, "Select a valid choice."),
    ],
)
def test_bad_choices_go_back_to_the_list_with_a_message(client, world, data, message):
    client.force_login(world["staff"])
    response = client.post(BULK, {**data, "query": "state=submitted"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:nominations") + "?state=submitted"
    assert message in response.content.decode()


def test_a_choice_that_matches_nothing_goes_back_to_the_list(client, world):
    draft = factories.NominationFactory(cycle=world["cycle"], category=world["category"])
    client.force_login(world["staff"])
    response = client.post(BULK, {"action": "return", "selected": [str(draft.pk)]}, follow=True)
    assert "No nomination matches this choice any more." in response.content.decode()


def test_another_persons_run_is_404(client, world, staff):
    rows = _rows(world, 2, S.SUBMITTED, "Open")
    client.force_login(world["staff"])
    url = _start(client, "return", rows)["Location"]
    other = factories.StaffFactory()
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Mine now."}).status_code == 404
