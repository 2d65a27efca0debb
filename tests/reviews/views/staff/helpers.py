"""Builders for the staff review page tests: a world made through the review services.

Nominations come from the factory, submitted; `prepare` writes a clean review copy
and runs its identity check; reviewers are assigned by hand and accept. The cycle
needs two reviewers per nomination (see this folder's `conftest`).
"""

from django.contrib.auth.models import Group

from dz_awards.accounts.enums import REVIEWERS_GROUP
from reviews import selectors, services
from reviews.services import ReviewInput
from tests import factories

CLEAN_TEXT = "A peer team reaches every officer within a day of a critical incident."


def make_reviewer(panel=None, **kwargs):
    reviewer = factories.UserFactory(**kwargs)
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    if panel is not None:
        panel.members.add(reviewer)
    return reviewer


def nominated(category, **kwargs):
    return factories.submitted_nomination(cycle=category.cycle, category=category, **kwargs)


def prepare(staff, nomination, *, title="Peer support after critical incidents", text=CLEAN_TEXT):
    """A written review copy whose identity check has run."""
    copy = services.review_copy_save(
        actor=staff,
        nomination=nomination,
        executive_summary="Peers contact officers after incidents.",
        redacted_title=title,
        redacted_text=text,
        files=[],
    )
    services.review_copy_check(copy.pk)
    copy.refresh_from_db()
    return copy


def assign(staff, nomination, reviewer, *, accept=True):
    row = services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewer)
    if accept:
        row = services.assignment_accept(user=reviewer, assignment=row)
    return row


def in_review(staff, nomination, people):
    prepare(staff, nomination)
    rows = [assign(staff, nomination, person) for person in people]
    services.nomination_open_review(actor=staff, nomination=nomination)
    nomination.refresh_from_db()
    return rows


def submit_review(reviewer, row, score):
    _rubric, criteria = selectors.criteria_for(row.nomination)
    data = ReviewInput(
        scores={c.pk: (score, "Measured against the baseline.") for c in criteria},
        overall_comment="A solid program.",
        confidence="high",
        version=1,
    )
    return services.review_save(user=reviewer, assignment=row, data=data, submit=True)


def reviewed(staff, nomination, people, scores):
    """A nomination with one submitted review per person, review closed."""
    rows = in_review(staff, nomination, people)
    for person, row, score in zip(people, rows, scores, strict=True):
        submit_review(person, row, score)
    services.nomination_close_review(actor=staff, nomination=nomination)
    nomination.refresh_from_db()
    return rows


def message_texts(response):
    """The messages the page shows, as text."""
    return [str(m) for m in response.context["messages"]]


def page_text(response):
    return response.content.decode()
