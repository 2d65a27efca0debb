"""A world for the preferences tests: a cycle asking for preferences, a reviewer on one
panel, and nominations in every shape the page must treat differently.

Made through the review services (the window through `services.policy_update`,
copies through `services.review_copy_save` with the identity check run), except
time passing: a due date moved into the past is a queryset update.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from reviews import services
from reviews.models import Conflict, ReviewPolicy
from tests import factories
from tests.reviews import helpers

TITLES = {
    "peer": "Peer support within a day of every critical incident",
    "fitness": "Annual fitness checks with a coach for every officer",
    "dashboard": "An early warning dashboard for supervisors",
}
DECLARED_REASON = "I advised this agency on its wellness unit in 2029."


def set_window(staff, cycle, due):
    """Staff set (or clear) the cycle's preferences due date, keeping the rest of its policy."""
    return services.policy_change(actor=staff, cycle=cycle, preferences_due_at=due)


def let_window_pass(cycle):
    """Time passes: the due date is now an hour behind."""
    ReviewPolicy.objects.filter(cycle=cycle).update(
        preferences_due_at=timezone.now() - timedelta(hours=1)
    )


@dataclass
class PreferenceWorld:
    staff: object
    cycle: object
    wellness: object
    safety: object
    me: object  # on the wellness panel only; home state VA, home agency `home`
    others: list  # the rest of the wellness panel
    home: object  # the reviewer's home agency
    member_of: object  # an agency the reviewer is an approved member of
    listed: dict  # {key of TITLES: nomination the reviewer sees}
    declared: object  # listed with the reviewer's declared conflict
    hidden: dict  # {rule: nomination the reviewer is conflicted with by that rule}
    unready: object  # submitted, review copy not written
    other_panel: object  # a ready nomination of the safety panel
    draft: object  # a wellness draft: not taking reviewers


def preference_world(*, same_state=True, extra=0, open_window=True):
    """The world above; `extra` more listed wellness nominations (for query counts)."""
    staff = factories.StaffFactory()
    cycle = helpers.review_cycle(
        staff,
        conflict_same_state=same_state,
        reviewers_per_nomination=2,
        max_assignments_per_reviewer=10,
    )
    wellness = factories.CategoryFactory(cycle=cycle, label="Officer Wellness", position=1)
    safety = factories.CategoryFactory(cycle=cycle, label="Officer Safety", position=2)
    home = helpers.identified_agency(state="PA")
    member_of = helpers.identified_agency(state="PA")
    me = helpers.reviewer(wellness, home_agency=home, state="VA", full_name="Dana Whitfield")
    factories.MembershipFactory(agency=member_of, user=me)
    others = [helpers.reviewer(wellness, state="TX") for _ in range(2)]
    helpers.reviewer(safety, state="TX")

    def ready(category, title, **fields):
        return helpers.ready_nomination(staff, category=category, redacted_title=title, **fields)

    listed = {key: ready(wellness, title) for key, title in TITLES.items()}
    for number in range(extra):
        listed[f"extra-{number}"] = ready(wellness, f"Extra program number {number}")
    declared = ready(wellness, "A program the reviewer knows too well")
    Conflict.objects.create(reviewer=me, nomination=declared, reason=DECLARED_REASON)
    hidden = {
        "home agency": ready(wellness, "Hidden: home agency", agency=home),
        "membership": ready(wellness, "Hidden: membership", agency=member_of),
        "same state": ready(
            wellness, "Hidden: same state", agency=helpers.identified_agency(state="VA")
        ),
    }
    unready = factories.submitted_nomination(
        agency=helpers.identified_agency(state="OH"), cycle=cycle, category=wellness
    )
    other_panel = ready(safety, "Hidden: another panel")
    draft = factories.NominationFactory(
        agency=helpers.identified_agency(state="OH"), cycle=cycle, category=wellness
    )
    if open_window:
        set_window(staff, cycle, timezone.now() + timedelta(days=7))
    return PreferenceWorld(
        staff=staff,
        cycle=cycle,
        wellness=wellness,
        safety=safety,
        me=me,
        others=others,
        home=home,
        member_of=member_of,
        listed=listed,
        declared=declared,
        hidden=hidden,
        unready=unready,
        other_panel=other_panel,
        draft=draft,
    )


def identity_of(world):
    """Every agency name and city of the world's nominations: never on the reviewer's page."""
    nominations = [
        *world.listed.values(),
        world.declared,
        *world.hidden.values(),
        world.unready,
        world.other_panel,
    ]
    terms = set()
    for nomination in nominations:
        terms |= {nomination.agency.name, nomination.agency.city, nomination.title}
    return sorted(term for term in terms if term)
