"""Unread markers on message threads: each person's own reading state, per nomination,
marked when they open the nomination's page (issue 12, scope item 4)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from dz_awards.nominations import selectors, services
from dz_awards.nominations.models import NominationMessage
from tests import factories


@pytest.fixture
def submitted(agency, owner):
    return factories.submitted_nomination(agency=agency)


def _say(nomination, *, from_staff, times=1, author=None):
    return [
        NominationMessage.objects.create(
            nomination=nomination, author=author, from_staff=from_staff, body=f"Message {n}"
        )
        for n in range(times)
    ]


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _markers(html):
    return len(re.findall(r'<span class="badge text-bg-primary">Unread</span>', html))


PAGES = {
    "agency": lambda n: reverse("nominations:detail", kwargs={"pk": n.pk}),
    "staff": lambda n: reverse("staff:nomination-detail", kwargs={"pk": n.pk}),
}


@pytest.mark.parametrize("audience", ["agency", "staff"])
def test_thread_marks_the_other_sides_new_messages_once(audience, submitted, owner, staff):
    """The page marks each message from the other side not yet read, says how many in the
    heading ("2 unread"), and opening it reads them: the next visit marks none. One's own
    side's messages are never unread."""
    _say(submitted, from_staff=audience == "agency", times=2)
    _say(submitted, from_staff=audience != "agency")
    client = _signed_in(owner if audience == "agency" else staff)

    html = client.get(PAGES[audience](submitted)).content.decode()
    assert 'Messages <span class="badge text-bg-primary">2 unread</span></h2>' in html
    assert _markers(html) == 2

    html = client.get(PAGES[audience](submitted)).content.decode()
    assert ">Messages</h2>" in html
    assert _markers(html) == 0


def test_reading_state_is_each_persons_own(submitted, owner, staff):
    """One staff member or agency member reading does not read for anyone else."""
    colleague = factories.MembershipFactory(agency=submitted.agency).user
    other_staff = factories.StaffFactory()
    _say(submitted, from_staff=True)
    _say(submitted, from_staff=False)
    _signed_in(owner).get(PAGES["agency"](submitted))
    _signed_in(staff).get(PAGES["staff"](submitted))

    counts = {
        person: selectors.threads_unread(person, audience=audience).count()
        for person, audience in [
            (owner, "agency"),
            (colleague, "agency"),
            (staff, "staff"),
            (other_staff, "staff"),
        ]
    }
    assert counts == {owner: 0, colleague: 1, staff: 0, other_staff: 1}


def test_a_message_written_after_the_page_was_drawn_stays_unread(submitted, owner):
    """The mark is the newest message the page showed; it never moves back."""
    first, second = _say(submitted, from_staff=True, times=2)
    services.thread_mark_read(user=owner, nomination=submitted, up_to=second.pk)
    services.thread_mark_read(user=owner, nomination=submitted, up_to=first.pk)
    assert selectors.unread_message_ids(submitted, owner, audience="agency") == set()
    (third,) = _say(submitted, from_staff=True)
    assert selectors.unread_message_ids(submitted, owner, audience="agency") == {third.pk}
    (row,) = selectors.threads_unread(owner, audience="agency")
    assert row.unread_count == 1


def test_dashboard_lists_unread_counts_per_nomination(submitted, owner):
    """The dashboard's nomination list says how many messages are unread ("3 unread"),
    linking to the thread; gone once the thread is opened."""
    _say(submitted, from_staff=True, times=3)
    client = _signed_in(owner)
    html = client.get(reverse("portal:dashboard")).content.decode()
    thread = f"{submitted.get_absolute_url()}#messages"
    assert (
        f'<a href="{thread}" class="badge text-bg-primary text-decoration-none">3 unread'
        f'<span class="visually-hidden"> messages about {submitted}</span></a>'
    ) in html
    client.get(submitted.get_absolute_url())
    assert "3 unread" not in client.get(reverse("portal:dashboard")).content.decode()
