"""The reviewer's preferences page (`views.reviewer.preferences`): who reaches it, what it
lists (blind titles only, never a rule-conflicted nomination or another panel's),
saving, refusals that keep the answers, the read-only page after the due date, the
queue's link, and its cost in queries.

The module's tests share one world (`tests.worlds.module_world`, built by
`tests.reviews.preference_helpers`), each test in a savepoint of it.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.enums import Preference
from reviews.models import Conflict, ReviewPolicy, ReviewPreference
from tests import factories
from tests.reviews import helpers
from tests.reviews.preference_helpers import (
    DECLARED_REASON,
    TITLES,
    PreferenceWorld,
    identity_of,
    let_window_pass,
    preference_world,
    set_window,
)
from tests.reviews.views.reviewer.helpers import message_texts, signed_in
from tests.worlds import module_world_fixture

REASON = "I trained the peer team of this agency in 2028."


@dataclass
class World:
    main: PreferenceWorld
    many: PreferenceWorld  # the same shapes with five more listed nominations
    one: object  # (cycle, reviewer): a cycle whose panel has one nomination


def _one_nomination_world():
    staff = factories.StaffFactory()
    cycle = helpers.review_cycle(staff)
    category = factories.CategoryFactory(cycle=cycle)
    person = helpers.reviewer(category)
    helpers.ready_nomination(staff, category=category)
    set_window(staff, cycle, timezone.now() + timedelta(days=7))
    return cycle, person


def _build():
    return World(
        main=preference_world(), many=preference_world(extra=5), one=_one_nomination_world()
    )


preferences_world = module_world_fixture("preferences_world", _build)


@pytest.fixture
def world(preferences_world, db):
    return preferences_world


def _url(cycle):
    return reverse("reviews:preferences", kwargs={"cycle": cycle.pk})


def _page(world):
    return signed_in(world.me).get(_url(world.cycle))


def _answers(world, **changes):
    """What the page posts: every listed nomination willing, no conflict, then `changes`
    ({field name: value}, a value of None leaving the field out)."""
    data = {f"preference-{n.pk}": Preference.WILLING for n in world.listed.values()}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _stored(world):
    return dict(
        ReviewPreference.objects.filter(reviewer=world.me).values_list(
            "nomination_id", "preference"
        )
    )


def _checked(html, nomination):
    """The value of the radio checked for `nomination` on the page."""
    found = re.search(rf'name="preference-{nomination.pk}" value="(\w+)"[^>]*\bchecked\b', html)
    return found and found.group(1)


# Who reaches it -------------------------------------------------------------------------


def test_preferences_page_needs_a_reviewer_of_the_cycle_asked(client, world):
    """Signed out: to sign in. Not a reviewer, on no panel of the cycle, or a cycle that
    asks for no preferences: 404. A reviewer of another panel of the cycle: their page."""
    main = world.main
    response = client.get(_url(main.cycle))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert signed_in(main.staff).get(_url(main.cycle)).status_code == 404
    assert signed_in(helpers.reviewer()).get(_url(main.cycle)).status_code == 404
    assert signed_in(world.many.me).get(_url(main.cycle)).status_code == 404
    safety_reviewer = main.safety.panel.members.get()
    assert signed_in(safety_reviewer).get(_url(main.cycle)).status_code == 200
    set_window(main.staff, main.cycle, None)
    assert _page(main).status_code == 404


# What it lists -----------------------------------------------------------------------


def test_preferences_page_lists_blind_titles_of_the_panel_only(world):
    """Blind titles and the category; declared conflicts with their reason; nominations not
    ready counted; no rule-conflicted nomination, no other panel, no draft, no identity."""
    main = world.main
    html = _page(main).content.decode()
    for title in TITLES.values():
        assert title in html
    assert re.findall(r'class="h4">([^<]+)</h2>', html) == ["Officer Wellness"]
    assert "A program the reviewer knows too well" in html
    assert f"You declared a conflict of interest: {DECLARED_REASON}" in html
    assert "A declared conflict stays: you will not be assigned this nomination." in html
    assert f'name="preference-{main.declared.pk}"' not in html
    assert "1 more nomination is still being prepared for blind review" in html
    assert "Hidden" not in html
    for nomination in (*main.hidden.values(), main.other_panel, main.draft, main.unready):
        assert str(nomination.pk) not in html
    for term in identity_of(main):
        assert term not in html, term
    for nomination in main.listed.values():
        assert _checked(html, nomination) == Preference.WILLING
    for title in TITLES.values():
        assert f'<legend class="float-none mb-2"><h3 class="h5 mb-0">{title}</h3></legend>' in html


def test_preferences_page_costs_the_same_queries_for_one_or_many(world):
    def count(cycle, person):
        client = signed_in(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(cycle)).status_code == 200
        return len(queries)

    one = count(*world.one)
    assert one == count(world.main.cycle, world.main.me)
    assert one == count(world.many.cycle, world.many.me)


# Saving --------------------------------------------------------------------------------


def test_preferences_save_stores_every_answer_and_shows_them_back(world):
    main = world.main
    peer, fitness, dashboard = (main.listed[key] for key in ("peer", "fitness", "dashboard"))
    data = _answers(
        main,
        **{
            f"preference-{peer.pk}": Preference.EAGER,
            f"preference-{dashboard.pk}": Preference.UNWILLING,
            f"conflict-{fitness.pk}": "on",
            f"reason-{fitness.pk}": REASON,
        },
    )
    client = signed_in(main.me)
    response = client.post(_url(main.cycle), data)
    assert response.status_code == 302
    assert response.url == _url(main.cycle)
    assert _stored(main) == {peer.pk: Preference.EAGER, dashboard.pk: Preference.UNWILLING}
    assert Conflict.objects.get(reviewer=main.me, nomination=fitness).reason == REASON
    page = client.get(_url(main.cycle))
    assert message_texts(page) == [
        "Your preferences are saved. You can change them until they are due."
    ]
    html = page.content.decode()
    assert _checked(html, peer) == Preference.EAGER
    assert _checked(html, dashboard) == Preference.UNWILLING
    assert f"You declared a conflict of interest: {REASON}" in html
    again = client.post(
        _url(main.cycle), {k: v for k, v in data.items() if str(fitness.pk) not in k}
    )
    assert message_texts(client.get(again.url)) == [
        "Nothing changed: these answers were already saved."
    ]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ("unknown", "Some answers are about nominations that are not on this page any more"),
        ("hidden", "Some answers are about nominations that are not on this page any more"),
        ("bad choice", "Choose eager, willing or unwilling."),
        ("missing choice", "Choose eager, willing or unwilling."),
        ("missing reason", "Say briefly what the conflict is; only program staff see it."),
    ],
)
def test_preferences_bad_input_is_refused_with_the_answers_kept(world, change, error):
    main = world.main
    peer, dashboard = main.listed["peer"], main.listed["dashboard"]
    changes = {
        "unknown": {"preference-0b6c0f7e-0000-4000-8000-000000000000": Preference.EAGER},
        "hidden": {f"preference-{main.hidden['same state'].pk}": Preference.EAGER},
        "bad choice": {f"preference-{dashboard.pk}": "keen"},
        "missing choice": {f"preference-{dashboard.pk}": None},
        "missing reason": {f"conflict-{dashboard.pk}": "on", f"reason-{dashboard.pk}": " "},
    }[change]
    data = _answers(main, **{f"preference-{peer.pk}": Preference.EAGER}, **changes)
    response = signed_in(main.me).post(_url(main.cycle), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct this problem" in html
    assert error in html
    assert _checked(html, peer) == Preference.EAGER
    assert _stored(main) == {}
    if change not in {"unknown", "hidden"}:
        assert 'aria-invalid="true"' in html


def test_preferences_closed_meanwhile_refused_with_the_answers_kept(world):
    main = world.main
    peer = main.listed["peer"]
    let_window_pass(main.cycle)
    data = _answers(main, **{f"preference-{peer.pk}": Preference.EAGER})
    response = signed_in(main.me).post(_url(main.cycle), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "nothing was saved" in html
    assert "What you sent is below so that you can copy it; it was not saved." in html
    assert _checked(html, peer) == Preference.EAGER
    assert "Save my preferences" not in html
    assert _stored(main) == {}


# After the due date --------------------------------------------------------------------


def test_preferences_after_the_due_date_shows_what_was_said_read_only(world):
    main = world.main
    peer = main.listed["peer"]
    ReviewPreference.objects.create(reviewer=main.me, nomination=peer, preference=Preference.EAGER)
    let_window_pass(main.cycle)
    html = _page(main).content.decode()
    assert '<form method="post" class="submit-once"' not in html
    assert 'name="preference-' not in html
    assert "Eager: I would like to review this" in html
    assert html.count("Nothing said: counts as willing.") == 2
    assert f"You declared a conflict of interest: {DECLARED_REASON}" in html
    assert "A declared conflict stays" not in html  # nothing to change any more
    assert "This is what you said; it can no longer be changed here." in html


# The queue's link -----------------------------------------------------------------------


def test_queue_links_to_the_preferences_while_open_only(world):
    main = world.main
    client = signed_in(main.me)
    link = f'<a href="{_url(main.cycle)}">'
    assert link in client.get(reverse("reviews:queue")).content.decode()
    ReviewPolicy.objects.filter(cycle=main.cycle).update(
        preferences_due_at=timezone.now() - timedelta(seconds=1)
    )
    assert link not in client.get(reverse("reviews:queue")).content.decode()
