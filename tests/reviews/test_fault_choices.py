"""Staff are offered only what is possible, and every refusal names the real reason once.

The assignment page offers no reviewer the service would refuse (conflicted, already
assigned, at their maximum) and lists them with why; a decided nomination is told it
is decided. The decisions page offers no winner where the category has its winners.
"""

import html as html_module

import pytest
from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations.enums import NominationState
from reviews import services
from reviews.enums import Outcome
from reviews.models import Assignment, Conflict, Decision
from tests import factories
from tests.reviews import helpers

S = NominationState


def _page(response):
    return html_module.unescape(response.content.decode())


def _offered(response):
    return list(response.context["form"].fields["reviewer"].queryset)


def _messages(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _refused_reviewer(kind, staff, cycle, category, nomination):
    """A panel reviewer whom `kind` keeps off `nomination`, and the reason in words."""
    if kind == "home agency":
        person = helpers.reviewer(category, home_agency=nomination.agency, full_name="Hugh Home")
        return person, "they belong to the nominating agency"
    if kind == "member":
        person = helpers.reviewer(category, full_name="Mia Member")
        factories.MembershipFactory(agency=nomination.agency, user=person)
        return person, "they belong to the nominating agency"
    if kind == "same state":
        cycle.conflict_same_state = True
        cycle.save()
        person = helpers.reviewer(category, state=nomination.agency.state, full_name="Sam State")
        return person, "they are from the nominating agency's state, which this cycle rules out"
    if kind == "declared":
        person = helpers.reviewer(category, full_name="Dee Declared")
        Conflict.objects.create(reviewer=person, nomination=nomination, reason="Friend.")
        return person, "they declared a conflict of interest with this nomination"
    cycle.max_assignments_per_reviewer = 1
    cycle.save()
    person = helpers.reviewer(category, full_name="Max Loaded")
    other = helpers.ready_nomination(staff, category=category)
    services.assignment_add(actor=staff, nomination=other, reviewer=person)
    return person, "they already hold the most assignments a reviewer may have in this cycle"


KINDS = ["home agency", "member", "same state", "declared", "at maximum"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.usefixtures("phase")
def test_assignment_page_offers_only_reviewers_who_may_be_assigned(  # noqa: PLR0917 fixtures
    kind, staff, staff_client, cycle, category, nomination, reviewers
):
    person, reason = _refused_reviewer(kind, staff, cycle, category, nomination)
    url = reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})

    response = staff_client.get(url)

    assert _offered(response) == sorted(reviewers, key=lambda r: (r.full_name, r.email, r.pk))
    assert response.context["choices"].refused == [(person, reason)]
    page = _page(response)
    assert f'<option value="{person.pk}"' not in page
    assert f"{person.full_name} ({person.email}): {reason}." in page


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.usefixtures("phase", "reviewers")
def test_assignment_refusal_names_the_real_reason_once(  # noqa: PLR0917 fixtures
    kind, staff, staff_client, cycle, category, nomination
):
    """Posted anyway (a page drawn before the rules changed): refused once, in words."""
    person, reason = _refused_reviewer(kind, staff, cycle, category, nomination)
    url = reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})

    response = staff_client.post(url, {"reviewer": str(person.pk)}, follow=True)

    said = f"{person.full_name} cannot be assigned: {reason}."
    assert _messages(response) == [said]
    assert _page(response).count("cannot be assigned") == 1
    assert not Assignment.objects.filter(nomination=nomination).exists()
    # The service says the same words when asked directly.
    with pytest.raises(services.ReviewError, match=f"^{said}$"):
        services.assignment_add(actor=staff, nomination=nomination, reviewer=person)


@pytest.mark.parametrize(
    "state", [S.REVIEWED, S.FINALIST, S.WINNER, S.NOT_SELECTED, S.RETURNED, S.INELIGIBLE]
)
@pytest.mark.usefixtures("phase")
def test_decided_nomination_is_told_it_is_decided_not_to_write_a_summary(
    state, staff, staff_client, nomination, reviewers
):
    type(nomination).objects.filter(pk=nomination.pk).update(state=state)
    nomination.refresh_from_db()
    said = (
        f"This nomination is {nomination.get_state_display().lower()}: reviewers are "
        "assigned only while it is submitted or in review."
    )
    url = reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})

    page = staff_client.get(url)
    assert said in _page(page)
    assert 'name="reviewer"' not in _page(page)

    response = staff_client.post(url, {"reviewer": str(reviewers[0].pk)}, follow=True)
    assert _messages(response) == [said]
    assert _page(response).count(said) == 2  # the message, and the page's own sentence
    assert "Write the executive summary" not in _page(response)
    with pytest.raises(services.ReviewError, match=f"^{said}$"):
        services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewers[0])


# Decisions ------------------------------------------------------------------------------


def _reviewed(category, state=S.REVIEWED):
    return factories.NominationFactory(
        complete=True,
        category=category,
        cycle=category.cycle,
        submitted_at=timezone.now(),
        state=state,
    )


def _choices(response, nomination):
    for _board, lines in response.context["sections"]:
        for item in lines:
            if item.line.nomination.pk == nomination.pk:
                return [value for value, _label in item.choices], item.not_offered
    raise AssertionError("not on the page")


@pytest.mark.parametrize("taken", ["staged", "released"])
def test_decisions_page_offers_no_winner_where_the_category_has_its_winners(
    taken, staff, staff_client, cycle, category
):
    category.winners = 1
    category.save()
    first, second = _reviewed(category), _reviewed(category)
    if taken == "staged":
        services.decision_stage(actor=staff, nomination=first, outcome=Outcome.WINNER)
    else:
        _reviewed(category, state=S.WINNER)
    url = reverse("staff:review-decisions", kwargs={"cycle": cycle.pk})

    response = staff_client.get(url)

    reason = f"{category.label} already has its 1 winner (released or staged)."
    assert _choices(response, second) == ([Outcome.FINALIST, Outcome.NOT_SELECTED], reason)
    page = _page(response)
    assert f'id="outcome-{second.pk}" class="form-select form-select-sm w-auto" ' in page
    assert f"Winner is not offered: {reason}" in page
    if taken == "staged":
        # The staged winner keeps its own choice.
        assert _choices(response, first) == (
            [Outcome.FINALIST, Outcome.WINNER, Outcome.NOT_SELECTED],
            None,
        )


def test_decisions_page_offers_a_winner_while_a_seat_is_free(staff, staff_client, cycle, category):
    category.winners = 2
    category.save()
    first, second = _reviewed(category), _reviewed(category)
    services.decision_stage(actor=staff, nomination=first, outcome=Outcome.WINNER)

    response = staff_client.get(reverse("staff:review-decisions", kwargs={"cycle": cycle.pk}))

    assert _choices(response, second) == (
        [Outcome.FINALIST, Outcome.WINNER, Outcome.NOT_SELECTED],
        None,
    )
    assert "Winner is not offered" not in _page(response)


def test_decisions_page_finalist_with_no_seat_left_has_nothing_to_stage(
    staff, staff_client, cycle, category
):
    """A finalist may only become a winner: with the seats taken, no form is offered."""
    category.winners = 1
    category.save()
    finalist = _reviewed(category, state=S.FINALIST)
    _reviewed(category, state=S.WINNER)

    response = staff_client.get(reverse("staff:review-decisions", kwargs={"cycle": cycle.pk}))

    assert _choices(response, finalist)[0] == []
    assert f'id="outcome-{finalist.pk}"' not in _page(response)
    assert not Decision.objects.exists()
