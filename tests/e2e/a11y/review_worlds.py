"""Review worlds the review scenarios build: a cycle with panels, ready and scored nominations."""

from dataclasses import dataclass

from dz_awards.nominations.models import Nomination
from reviews import services as review_services
from tests import factories
from tests.e2e.conftest import sign_in_with_session
from tests.reviews import helpers as review

REVIEW_CYCLE = "2031 Destination Zero Awards"
REVIEW_OVERVIEW_HEADING = f"Review of {REVIEW_CYCLE}"
PEER_SUPPORT = "Peer Support After Critical Incidents"
FITNESS = "Fitness for Duty Program"


@dataclass
class ReviewWorld:
    """A cycle with the default rubric, a phase running now and two categories with panels."""

    staff: object
    cycle: object
    wellness: object
    safety: object
    wellness_panel: list
    safety_panel: list


def review_world(*, panel_size=3, **phase_fields):
    staff = factories.StaffFactory(full_name="Morgan Ellis")
    cycle = review.review_cycle(staff, name=REVIEW_CYCLE)
    review.review_phase(cycle, **phase_fields)
    wellness = factories.CategoryFactory(cycle=cycle, label="Officer Wellness", position=1)
    safety = factories.CategoryFactory(cycle=cycle, label="Officer Safety", position=2)
    names = iter(REVIEWER_NAMES)
    return ReviewWorld(
        staff=staff,
        cycle=cycle,
        wellness=wellness,
        safety=safety,
        wellness_panel=[
            review.reviewer(wellness, full_name=next(names)) for _ in range(panel_size)
        ],
        safety_panel=[review.reviewer(safety, full_name=next(names)) for _ in range(panel_size)],
    )


REVIEWER_NAMES = [
    "Dana Whitfield",
    "Luis Ortega",
    "Priya Raman",
    "Grace Holloway",
    "Tom Becker",
    "Aisha Karimi",
    "Noah Fischer",
    "Elena Petrova",
    "Marcus Boyd",
    "Hana Sato",
]


def ready(staff, category, title, **copy_fields):
    """A submitted nomination titled `title` whose review copy is written (and checked)."""
    nomination = factories.submitted_nomination(
        agency=review.identified_agency(), cycle=category.cycle, category=category, title=title
    )
    review_services.review_copy_save(
        actor=staff,
        nomination=nomination,
        **{
            "executive_summary": review.EXECUTIVE_SUMMARY,
            "redacted_title": review.REDACTED_TITLE,
            "redacted_text": review.REDACTED_TEXT,
            "files": [],
            **copy_fields,
        },
    )
    return Nomination.objects.get(pk=nomination.pk)


def reviewed(world, category, panel, title, totals, *, close=True):
    """A nomination each of `panel` reviewed with the given totals; review closed if `close`."""
    nomination = ready(world.staff, category, title)
    rows = review.open_review(world.staff, nomination, panel)
    for row, total in zip(rows, totals, strict=True):
        review.submit_review(row, total)
    if close:
        review_services.nomination_close_review(actor=world.staff, nomination=nomination)
    return Nomination.objects.get(pk=nomination.pk)


def scored_world():
    """Three nominations a category, three reviews each: the scoreboard and charts have bars.

    Each category has one nomination still in review; the others are reviewed.
    One nomination's reviewers disagree (totals 2, 4.5 and 1.5).
    """
    world = review_world()
    lines = {
        world.wellness: [
            (PEER_SUPPORT, (4.5, 4, 5), True),
            (FITNESS, (3, 3.5, 2.5), True),
            ("Early Warning System", (2, 4.5, 1.5), False),
        ],
        world.safety: [
            ("Tactical Medicine for Patrol", (4, 3.5, 5), True),
            ("Seat Belt Campaign", (2.5, 3, 2), True),
            ("Ballistic Vest Refit", (3.5, 4, 3), False),
        ],
    }
    nominations = {}
    for category, rows in lines.items():
        panel = world.wellness_panel if category == world.wellness else world.safety_panel
        for title, totals, close in rows:
            nominations[title] = reviewed(world, category, panel, title, totals, close=close)
    return world, nominations


def signed_in_review_staff(page, world):
    sign_in_with_session(page, world.staff)
    return world.staff
