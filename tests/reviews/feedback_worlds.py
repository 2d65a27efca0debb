"""Worlds for the feedback tests: a nomination reviewed, decided and (maybe) released.

Built through the services: three reviewers who count and a fourth who declares
a conflict after submitting, each writing a comment of their own on every
criterion and overall, then review closed, a decision staged and, by default,
released with the cycle sharing feedback.

Each comment starts with a letter that makes the three counting reviewers'
alphabetical order differ from one criterion to the next (reviewer r on
criterion k starts with LEADS[(r + k) % 3]), so a test can tell an order by
text from an order by reviewer.
"""

from dataclasses import dataclass, field

from dz_awards.nominations.models import Nomination
from reviews import selectors, services
from reviews.enums import FeedbackPosition, Outcome
from reviews.models import Review
from tests import factories
from tests.reviews import helpers

LEADS = ("Admirable", "Consistent", "Evident")
TOTALS = (4, 3.5, 4.5, 2)  # the fourth is the conflicted reviewer's


def justification(reviewer_index, criterion):
    lead = LEADS[(reviewer_index + criterion.position) % len(LEADS)]
    return f"{lead} work on {criterion.name.lower()}, by reviewer number {reviewer_index + 1}."


def overall(reviewer_index):
    return f"{LEADS[(2 * reviewer_index) % 3]} program overall, says reviewer {reviewer_index + 1}."


def share(cycle, *, staff, position=FeedbackPosition.BAND):
    """Staff set the cycle's policy to share feedback (before any release)."""
    services.policy_change(
        actor=staff, cycle=cycle, share_feedback=True, feedback_position=position
    )


@dataclass
class FeedbackWorld:
    staff: object
    cycle: object
    category: object
    agency: object
    owner: object
    nomination: object
    reviewers: list  # the three who count, in order
    conflicted: object  # submitted, then declared a conflict
    reviews: list = field(default_factory=list)  # of `reviewers`, in order
    conflicted_review: object = None

    def fresh(self):
        return Nomination.objects.select_related("cycle", "category", "agency").get(
            pk=self.nomination.pk
        )

    def counting_texts(self):
        """Every comment of the reviews that count (what a shared page may hold)."""
        return [
            text
            for review in self.reviews
            for text in [
                review.overall_comment,
                *review.scores.values_list("justification", flat=True),
            ]
        ]

    def conflicted_texts(self):
        review = self.conflicted_review
        return [review.overall_comment, *review.scores.values_list("justification", flat=True)]


def submit(row, index):
    """The reviewer of `row` submits scores for TOTALS[index] and their own comments."""
    _rubric, criteria = selectors.criteria_for(row.nomination)
    scores = helpers.scores_for_total(criteria, TOTALS[index])
    data = services.ReviewInput(
        scores={c.pk: (scores[c.pk], justification(index, c)) for c in criteria},
        overall_comment=overall(index),
        confidence="high",
        version=1,
    )
    return services.review_save(user=row.reviewer, assignment=row, data=data, submit=True)


def build_feedback_world(
    *,
    staff=None,
    shares=True,
    position=FeedbackPosition.BAND,
    release=True,
    outcome=Outcome.FINALIST,
    agency=None,
    reviewer_fields=({}, {}, {}, {}),
    cycle_fields=None,
):
    """A nomination of `agency` reviewed by four (the last conflicted), `outcome` staged,
    released if `release` (emails sent), in a cycle that shares feedback if `shares`."""
    staff = staff or factories.StaffFactory()
    cycle = helpers.review_cycle(staff, reviewers_per_nomination=3, **(cycle_fields or {}))
    category = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    helpers.review_phase(cycle)
    people = [helpers.reviewer(category, **fields) for fields in reviewer_fields]
    agency = agency or helpers.identified_agency()
    owner = factories.OwnerFactory(agency=agency).user
    nomination = helpers.ready_nomination(staff, category=category, agency=agency)
    # Emails are queued in the outbox (their rows are what tests read); what runs after
    # commit (sending them, certificates) is not this world's concern.
    rows = helpers.open_review(staff, nomination, people)
    for index, row in enumerate(rows):
        submit(row, index)
    services.conflict_declare(
        user=people[3], assignment=rows[3], reason="I used to work with its chief."
    )
    services.nomination_close_review(actor=staff, nomination=nomination)
    services.decision_stage(actor=staff, nomination=nomination, outcome=outcome)
    if shares:
        share(cycle, staff=staff, position=position)
    if release:
        services.decisions_release(actor=staff, cycle=cycle)
    reviews = [Review.objects.get(assignment=row) for row in rows]
    return FeedbackWorld(
        staff=staff,
        cycle=cycle,
        category=category,
        agency=agency,
        owner=owner,
        nomination=Nomination.objects.get(pk=nomination.pk),
        reviewers=people[:3],
        conflicted=people[3],
        reviews=reviews[:3],
        conflicted_review=reviews[3],
    )


def release(world):
    services.decisions_release(actor=world.staff, cycle=world.cycle)
    world.nomination = world.fresh()


def another_nomination(world, totals):
    """A second nomination of the world's category reviewed by its three counting
    reviewers with `totals` (left in review): the category then ranks two."""
    nomination = helpers.ready_nomination(world.staff, category=world.category)
    rows = helpers.open_review(world.staff, nomination, world.reviewers)
    for row, total in zip(rows, totals, strict=True):
        helpers.submit_review(row, total)
    return nomination
