"""To-dos (issue 12, scope item 4): per role, each to-do appears when it is due and is
gone once it is done; the navigation counts them in its link's name, at a fixed cost."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination, NominationMessage
from dz_awards.portal.todos import DEADLINE_CLOSE
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile
from reviews.enums import AssignmentState
from reviews.models import Assignment, ReviewCopy
from tests import factories
from tests.profiles.factories import ProfileFactory
from tests.reviews import helpers as review_helpers

S = NominationState
A = AssignmentState
P = ProfileState
NAV_COUNT = re.compile(
    r'My dashboard<span class="visually-hidden">,</span> <span class="[^"]*">(\d+)'
    r'<span class="visually-hidden"> (to-dos?)</span></span></a>'
)


@pytest.fixture
def world(db):
    """A cycle whose deadline is 3 days away; an agency and its owner; a staff member;
    a reviewer; and another agency's nomination in review, with a phase running now."""
    now = timezone.now()
    cycle = factories.CycleFactory(opens_at=now - timedelta(days=60), closes_at=now + timedelta(3))
    category = factories.CategoryFactory(cycle=cycle)
    membership = factories.OwnerFactory()
    review_helpers.review_phase(cycle)
    reviewed = factories.submitted_nomination(cycle=cycle, category=category)
    Nomination.objects.filter(pk=reviewed.pk).update(state=S.IN_REVIEW)
    return SimpleNamespace(
        cycle=cycle,
        category=category,
        owner=membership.user,
        agency=membership.agency,
        staff=factories.StaffFactory(),
        reviewer=review_helpers.reviewer(),
        reviewed=reviewed,
    )


def _nomination(world, state, **fields):
    nomination = factories.NominationFactory(
        agency=world.agency, cycle=world.cycle, category=world.category, **fields
    )
    Nomination.objects.filter(pk=nomination.pk).update(
        state=state, submitted_at=None if state == S.DRAFT else timezone.now()
    )
    return nomination


def _set(model, obj, **fields):
    model.objects.filter(pk=obj.pk).update(**fields)


def _assignment(world, state, **fields):
    row = Assignment.objects.create(nomination=world.reviewed, reviewer=world.reviewer, **fields)
    _set(Assignment, row, state=state)
    return row


def _message(nomination, *, from_staff):
    NominationMessage.objects.create(nomination=nomination, from_staff=from_staff, body="Hello")
    return nomination


# kind: (role, make the to-do due, do it)
CASES = {
    "proof": (
        "owner",
        lambda w, c: ProfileFactory(agency=w.agency, state=P.PROOF_SENT),
        lambda w, c, p: _set(Profile, p, state=P.AGENCY_APPROVED),
    ),
    "returned": (
        "owner",
        lambda w, c: _nomination(w, S.RETURNED),
        lambda w, c, n: _set(Nomination, n, state=S.SUBMITTED),
    ),
    "message": (
        "owner",
        lambda w, c: _message(_nomination(w, S.SUBMITTED), from_staff=True),
        lambda w, c, n: c.get(n.get_absolute_url()),
    ),
    "deadline": (
        "owner",
        lambda w, c: _nomination(w, S.DRAFT),
        lambda w, c, n: _set(Nomination, n, state=S.SUBMITTED),
    ),
    "accept": (
        "reviewer",
        lambda w, c: _assignment(w, A.INVITED),
        lambda w, c, a: _set(Assignment, a, state=A.DECLINED),
    ),
    "review": (
        "reviewer",
        lambda w, c: _assignment(w, A.ACCEPTED),
        lambda w, c, a: _set(Assignment, a, state=A.SUBMITTED),
    ),
    "screen": (
        "staff",
        lambda w, c: factories.submitted_nomination(cycle=w.cycle, category=w.category),
        lambda w, c, n: _set(Nomination, n, state=S.RETURNED),
    ),
    "finding": (
        "staff",
        lambda w, c: ReviewCopy.objects.create(
            nomination=w.reviewed,
            executive_summary="Summary",
            redacted_title="Title",
            redacted_text="Text",
            updated_at=timezone.now() - timedelta(minutes=5),
            checked_at=timezone.now(),
            leaks=[{"where": "Redacted copy", "what": "Riverton"}],
        ),
        lambda w, c, copy: _set(ReviewCopy, copy, leaks=[]),
    ),
    "overdue": (
        "staff",
        lambda w, c: _assignment(w, A.INVITED, due_at=timezone.now() - timedelta(days=1)),
        lambda w, c, a: _set(Assignment, a, state=A.DECLINED),
    ),
    "publish": (
        "staff",
        lambda w, c: ProfileFactory(state=P.AGENCY_APPROVED, prepared_by=factories.StaffFactory()),
        lambda w, c, p: _set(Profile, p, state=P.PUBLISHED),
    ),
    "staff-message": (
        "staff",
        lambda w, c: _message(w.reviewed, from_staff=False),
        lambda w, c, n: c.get(reverse("staff:nomination-detail", kwargs={"pk": n.pk})),
    ),
}


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _dashboard(client):
    """(kinds of the to-dos listed, the navigation's count or 0)."""
    response = client.get(reverse("portal:dashboard"))
    kinds = [item.kind for group in response.context["todo_groups"] for item in group.items]
    found = NAV_COUNT.search(response.content.decode())
    return kinds, int(found.group(1)) if found else 0


@pytest.mark.parametrize("case", CASES)
def test_todo_appears_when_due_and_is_gone_when_done(case, world):
    """Nothing to do; the to-do is due: it is listed and counted; done: gone from both."""
    role, make, finish = CASES[case]
    client = _signed_in(getattr(world, role))
    assert _dashboard(client) == ([], 0)

    due = make(world, client)
    kind = case.removeprefix("staff-")
    assert _dashboard(client) == ([kind], 1)

    finish(world, client, due)
    assert _dashboard(client) == ([], 0)


def test_deadline_is_close_only_within_the_set_time(world):
    """A draft is a to-do once its deadline is less than DEADLINE_CLOSE away, not before;
    the line shows the deadline in Eastern time."""
    _set(type(world.cycle), world.cycle, closes_at=timezone.now() + DEADLINE_CLOSE + timedelta(1))
    nomination = _nomination(world, S.DRAFT)
    client = _signed_in(world.owner)
    assert _dashboard(client) == ([], 0)
    closes = timezone.now() + DEADLINE_CLOSE - timedelta(hours=1)
    _set(type(world.cycle), world.cycle, closes_at=closes)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert f"Submit “{nomination}” before the deadline (due <time" in html
    assert timezone.localtime(closes).strftime("%B %-d, %Y") in html
    assert reverse("nominations:submit", kwargs={"pk": nomination.pk}) in html


def test_staff_do_not_publish_what_they_prepared(world):
    """A profile the staff member sent the proof of waits for someone else."""
    ProfileFactory(state=P.AGENCY_APPROVED, prepared_by=world.staff)
    assert _dashboard(_signed_in(world.staff)) == ([], 0)


def test_staff_home_starts_with_the_staff_todos(world):
    factories.submitted_nomination(cycle=world.cycle, category=world.category)
    html = _signed_in(world.staff).get(reverse("staff:home")).content.decode()
    assert html.index("To do now") < html.index("Current cycle")
    assert "1 nomination to screen" in html


def test_navigation_names_the_count_in_the_link(world):
    """The count is part of the link's name: "My dashboard, 2 to-dos"; none when nothing."""
    client = _signed_in(world.owner)
    assert "to-do" not in client.get(reverse("portal:home")).content.decode()
    _nomination(world, S.RETURNED)
    _nomination(world, S.DRAFT)
    found = NAV_COUNT.search(client.get(reverse("portal:home")).content.decode())
    assert found.groups() == ("2", "to-dos")


def _everything(world, times):
    """`times` of each to-do, for a person who is agency member, reviewer and staff
    (each in a nomination of its own in review where it needs one)."""
    for _ in range(times):
        for _role, make, _finish in CASES.values():
            world.reviewed = factories.submitted_nomination(
                cycle=world.cycle, category=world.category
            )
            _set(Nomination, world.reviewed, state=S.IN_REVIEW)
            make(world, None)


def _queries(client, name):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["portal:home", "portal:dashboard"])
def test_navigation_and_dashboard_cost_the_same_for_one_and_many(world, page):
    """Every role at once: the same queries with one of each to-do as with three."""
    person = world.staff
    factories.MembershipFactory(user=person, agency=world.agency)
    person.groups.add(*world.reviewer.groups.all())
    world.owner, world.reviewer = person, person
    _everything(world, 1)
    client = _signed_in(person)
    one = _queries(client, page)
    count = NAV_COUNT.search(client.get(reverse(page)).content.decode()).group(1)
    _everything(world, 2)
    assert _queries(client, page) == one
    assert int(NAV_COUNT.search(client.get(reverse(page)).content.decode()).group(1)) > int(count)
