"""The cycle deadline, by the server clock: submit before it, keep and move a draft after it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations import services
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination, NominationRevision
from dz_awards.nominations.snapshots import snapshot
from tests import factories

S = NominationState
EASTERN = ZoneInfo("America/New_York")
# Midnight Eastern at the end of March 1, 2031: the moment 2031 nominations close.
CLOSES = datetime(2031, 3, 2, 0, 0, 0, tzinfo=EASTERN)
OPENS = CLOSES - timedelta(days=90)
SECOND = timedelta(seconds=1)
# When the world of each test is built: the cycle open, well before the deadline.
SETUP = CLOSES - timedelta(days=10)


def at(moment):
    """Freeze the server clock at an aware `moment`."""
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def world(agency, member):
    """A 2031 cycle closing at CLOSES, with a complete draft of `agency` in it."""
    with at(SETUP):
        cycle = factories.CycleFactory(year=2031, opens_at=OPENS, closes_at=CLOSES)
        category = factories.CategoryFactory(
            cycle=cycle, code="officer-wellness", label="Officer Wellness"
        )
        draft = factories.NominationFactory(
            agency=agency, cycle=cycle, category=category, complete=True
        )
    return cycle, category, draft


def _next_cycle(*, year=2032, opens_at=CLOSES - timedelta(days=1), closes_at=None):
    return factories.CycleFactory(
        year=year,
        opens_at=opens_at,
        closes_at=closes_at or CLOSES + timedelta(days=365),
    )


def _fresh(nomination):
    return Nomination.objects.select_related("cycle", "category").get(pk=nomination.pk)


def _actions(nomination):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination),
            object_id=str(nomination.pk),
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


# Submitting around the deadline ---------------------------------------------------------


def test_submit_one_second_before_deadline_succeeds(world, member):
    """At 23:59:59 on the last day the draft is submitted as revision 1."""
    _cycle, _category, draft = world
    with at(CLOSES - SECOND):
        revision = services.nomination_submit(user=member, nomination=draft)
    assert revision.number == 1
    saved = _fresh(draft)
    assert saved.state == S.SUBMITTED
    assert saved.submitted_at == CLOSES - SECOND


@pytest.mark.parametrize(
    "after", [timedelta(0), SECOND, timedelta(days=3)], ids=["at", "plus-1s", "plus-3d"]
)
def test_submit_at_or_after_deadline_is_refused_and_draft_kept(after, world, member):
    """From the deadline on, submit names the cycle's deadline and leaves the draft as it was."""
    _cycle, _category, draft = world
    before = _fresh(draft)
    content_before = snapshot(before)

    with at(CLOSES + after), pytest.raises(services.NominationError) as error:
        services.nomination_submit(user=member, nomination=draft)

    assert str(error.value) == (
        "The deadline for 2031 Destination Zero Awards has passed; this draft was not submitted."
    )
    saved = _fresh(draft)
    assert saved.state == S.DRAFT
    assert saved.submitted_at is None
    assert saved.version == before.version
    assert snapshot(saved) == content_before
    assert NominationRevision.objects.filter(nomination=draft).count() == 0
    assert _actions(draft) == []
    assert OutboxEmail.objects.count() == 0


def test_resubmit_after_deadline_is_allowed(world, member, staff):
    """Staff asked for changes, so a returned nomination can be resubmitted after the deadline."""
    _cycle, _category, draft = world
    with at(CLOSES - timedelta(days=2)):
        services.nomination_submit(user=member, nomination=draft)
        services.nomination_return_for_changes(
            actor=staff, nomination=draft, message="Add the 2030 figures."
        )
    with at(CLOSES + SECOND):
        revision = services.nomination_resubmit(user=member, nomination=draft)
    assert revision.number == 2
    assert _fresh(draft).state == S.SUBMITTED


def test_submit_after_deadline_through_the_page_explains_and_keeps_draft(client, world, member):
    """POSTing the submit page late redirects to the nomination with the deadline message."""
    _cycle, _category, draft = world
    with at(CLOSES + SECOND):
        client.force_login(member)
        response = client.post(reverse("nominations:submit", kwargs={"pk": draft.pk}), follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert (
        "The deadline for 2031 Destination Zero Awards has passed; this draft was not submitted."
        in response.content.decode()
    )
    assert _fresh(draft).state == S.DRAFT


# Moving a late draft into a later cycle -------------------------------------------------


def test_move_to_cycle_moves_late_draft_and_resets_attestation(world, member):
    """After the deadline a draft moves to the next cycle: category by code, attestation reset."""
    old_cycle, _category, draft = world
    with at(SETUP):
        new_cycle = _next_cycle()
        new_category = factories.CategoryFactory(
            cycle=new_cycle, code="officer-wellness", label="Officer Wellness and Resilience"
        )
        factories.CategoryFactory(cycle=new_cycle, code="traffic-safety", label="Traffic Safety")
    before = _fresh(draft)
    assert before.head_attestation is True

    with at(CLOSES + SECOND):
        services.nomination_move_to_cycle(user=member, nomination=draft, cycle=new_cycle)

    moved = _fresh(draft)
    assert moved.cycle == new_cycle
    assert moved.category == new_category
    assert moved.head_attestation is False
    assert moved.version == before.version + 1
    assert moved.state == S.DRAFT
    assert (moved.title, moved.summary, moved.outcomes) == (
        before.title,
        before.summary,
        before.outcomes,
    )
    event = AuditEvent.objects.get(action="nomination_moved")
    assert (event.actor, event.object_id, event.message) == (
        member,
        str(draft.pk),
        f"Moved from {old_cycle.name} to {new_cycle.name}.",
    )


def test_move_to_cycle_then_submit_in_the_new_cycle(world, member):
    """Once moved and attested again, the draft is submitted to the new cycle."""
    _cycle, _category, draft = world
    with at(SETUP):
        new_cycle = _next_cycle()
        factories.CategoryFactory(cycle=new_cycle, code="officer-wellness")
    with at(CLOSES + SECOND):
        moved = services.nomination_move_to_cycle(user=member, nomination=draft, cycle=new_cycle)
        services.nomination_save_draft(
            user=member,
            nomination=moved,
            content={"head_attestation": True},
            version=moved.version,
        )
        revision = services.nomination_submit(user=member, nomination=draft)
    assert revision.number == 1
    saved = _fresh(draft)
    assert (saved.state, saved.cycle) == (S.SUBMITTED, new_cycle)


def test_move_to_cycle_without_matching_category_clears_it(world, member):
    """With no category of the same code in the new cycle, the draft must choose one again."""
    _cycle, _category, draft = world
    with at(SETUP):
        new_cycle = _next_cycle()
        factories.CategoryFactory(cycle=new_cycle, code="traffic-safety", label="Officer Wellness")
    with at(CLOSES + SECOND):
        services.nomination_move_to_cycle(user=member, nomination=draft, cycle=new_cycle)
    moved = _fresh(draft)
    assert (moved.cycle, moved.category) == (new_cycle, None)


def test_move_to_cycle_refused_while_original_cycle_is_open(world, member):
    """One second before the deadline the draft belongs in its own cycle and stays there."""
    cycle, category, draft = world
    with at(SETUP):
        new_cycle = _next_cycle()
    version = _fresh(draft).version
    with at(CLOSES - SECOND), pytest.raises(services.NominationError) as error:
        services.nomination_move_to_cycle(user=member, nomination=draft, cycle=new_cycle)
    assert str(error.value) == "2031 Destination Zero Awards is still open: submit it there."
    saved = _fresh(draft)
    assert (saved.cycle, saved.category, saved.head_attestation, saved.version) == (
        cycle,
        category,
        True,
        version,
    )
    assert _actions(draft) == []


@pytest.mark.parametrize(
    "target",
    [
        {"year": 2030, "opens_at": OPENS - timedelta(days=400), "closes_at": CLOSES + SECOND * 60},
        {"year": 2032, "closes_at": CLOSES + SECOND},
    ],
    ids=["earlier-year", "later-but-closed"],
)
def test_move_to_cycle_refuses_a_cycle_not_taking_nominations(target, world, member):
    """A draft moves only to a later cycle whose deadline is still ahead."""
    cycle, _category, draft = world
    with at(SETUP):
        other = _next_cycle(**target)
    with at(CLOSES + SECOND * 2), pytest.raises(services.NominationError) as error:
        services.nomination_move_to_cycle(user=member, nomination=draft, cycle=other)
    assert str(error.value) == f"{other.name} does not take nominations."
    assert _fresh(draft).cycle == cycle


def test_move_to_cycle_refuses_a_submitted_nomination(world, member):
    """Only a draft can move; a submitted nomination stays in its cycle."""
    cycle, _category, draft = world
    with at(SETUP):
        services.nomination_submit(user=member, nomination=draft)
        new_cycle = _next_cycle()
    with at(CLOSES + SECOND), pytest.raises(services.NominationError) as error:
        services.nomination_move_to_cycle(user=member, nomination=draft, cycle=new_cycle)
    assert str(error.value) == "Only a draft can move to another year."
    assert _fresh(draft).cycle == cycle


def test_move_to_cycle_by_non_member_is_denied(world, user):
    """Someone outside the agency cannot move its draft."""
    cycle, _category, draft = world
    with at(SETUP):
        new_cycle = _next_cycle()
    with at(CLOSES + SECOND), pytest.raises(PermissionDenied):
        services.nomination_move_to_cycle(user=user, nomination=draft, cycle=new_cycle)
    assert _fresh(draft).cycle == cycle


# The submit page ------------------------------------------------------------------------


def _submit_page(client, member, draft, moment):
    with at(moment):
        client.force_login(member)
        response = client.get(reverse("nominations:submit", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_submit_page_before_deadline_offers_submit(client, world, member):
    """One second before the deadline the page offers the submit button, not the notice."""
    _cycle, _category, draft = world
    html = _submit_page(client, member, draft, CLOSES - SECOND)
    assert "Every required answer is in" in html
    assert "Submit the nomination" in html
    assert "The deadline has passed" not in html


def test_submit_page_after_deadline_offers_move_to_next_cycle(client, world, member):
    """After the deadline the page says so and offers to move the draft to the next cycle."""
    _cycle, _category, draft = world
    with at(SETUP):
        new_cycle = _next_cycle()
    html = _submit_page(client, member, draft, CLOSES + SECOND)
    assert "The deadline has passed" in html
    assert "Move this draft to 2032 Destination Zero Awards" in html
    assert f'action="{reverse("nominations:move", kwargs={"pk": draft.pk})}"' in html
    assert f'name="cycle" value="{new_cycle.pk}"' in html
    assert "Submit the nomination" not in html


@pytest.mark.parametrize("later", [None, {"closes_at": CLOSES + SECOND}], ids=["none", "closed"])
def test_submit_page_after_deadline_without_open_later_cycle_has_no_move(
    later, client, world, member
):
    """With no later cycle taking nominations, the notice has no move button."""
    _cycle, _category, draft = world
    if later is not None:
        with at(SETUP):
            _next_cycle(**later)
    html = _submit_page(client, member, draft, CLOSES + SECOND * 2)
    assert "The deadline has passed" in html
    assert "Move this draft to" not in html
    assert "When the next cycle is announced you can move this draft into it." in html
    assert "Submit the nomination" not in html


def test_move_button_post_moves_the_draft(client, world, member):
    """The move form on the late submit page moves the draft and opens it for editing."""
    _cycle, _category, draft = world
    with at(SETUP):
        new_cycle = _next_cycle()
    with at(CLOSES + SECOND):
        client.force_login(member)
        response = client.post(
            reverse("nominations:move", kwargs={"pk": draft.pk}), {"cycle": str(new_cycle.pk)}
        )
    assert response.status_code == 302
    assert response.url == reverse("nominations:edit", kwargs={"pk": draft.pk})
    assert _fresh(draft).cycle == new_cycle
