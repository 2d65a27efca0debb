"""Every CSV download of review data, written by the one CSV writer in `core.csv_export`.

Staff download a cycle's nominations (the scoreboard's numbers) and its
reviews (every score and justification); a reviewer downloads their own
reviews, with titles as the phase allows and no agency at all. Conflicted
reviews are in none of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import prefetch_related_objects
from django.utils import timezone

from dz_awards.core.csv_export import csv_response, csv_stream_response
from dz_awards.cycles.models import Cycle
from reviews import selectors

if TYPE_CHECKING:
    from django.http import HttpResponse, StreamingHttpResponse

# Reviews read from the database at a time (with their scores) by the streamed export.
EXPORT_CHUNK = 500


def _number(value: float | Decimal | None) -> float | None:
    return None if value is None else round(float(value), 2)


def staff_nominations_csv(user: Any, cycle: Cycle) -> StreamingHttpResponse:
    """One row per nomination from submission on: its numbers, rank and staged decision."""
    header = [
        "Nomination id",
        "Category",
        "Agency",
        "City",
        "State",
        "Title",
        "Status",
        "Reviews",
        "Mean",
        "Median",
        "Spread",
        "Normalised",
        "Rank",
        "Disagreement",
        "Staged decision",
    ]

    def rows() -> Iterator[list[Any]]:
        # Computed as the download starts, not before the response is handed back.
        board = selectors.scoreboard(cycle)
        lines = {line.nomination.pk: line for c in board.categories for line in c.lines}
        for nomination in selectors.staff_review_nominations(user, cycle):
            line = lines.get(nomination.pk)
            stats = line.stats if line else None
            staged = selectors.staged_decision(nomination)
            yield [
                str(nomination.pk),
                nomination.category.label if nomination.category else "",
                nomination.agency.name,
                nomination.agency.city,
                nomination.agency.state,
                nomination.title,
                nomination.get_state_display(),
                stats.count if stats else 0,
                _number(stats.mean) if stats else None,
                _number(stats.median) if stats else None,
                _number(stats.spread) if stats else None,
                _number(stats.normalised) if stats else None,
                line.rank if line else None,
                stats.disagreement if stats else None,
                staged.get_outcome_display() if staged else "",
            ]

    return csv_stream_response(f"review-{cycle.year}-nominations.csv", header, rows())


def staff_reviews_csv(cycle: Cycle) -> StreamingHttpResponse:
    """One row per counting review: reviewer, total, and each criterion's score and why."""
    criteria = selectors.cycle_criteria(cycle)
    header = [
        "Nomination id",
        "Title",
        "Agency",
        "Reviewer name",
        "Reviewer email",
        "State",
        "Confidence",
        "Total",
    ]
    for criterion in criteria:
        name = criterion.name
        if criterion.category_id and criterion.category is not None:
            name = f"{name} ({criterion.category.label})"
        header += [f"{name}: score", f"{name}: justification"]
    header += ["Overall comment", "Submitted at"]

    def rows() -> Iterator[list[Any]]:
        # In chunks (each with its scores): memory stays flat, the first rows leave early.
        for review in selectors.reviews_for_export(cycle).iterator(chunk_size=EXPORT_CHUNK):
            row = review.assignment
            nomination = row.nomination
            scores = {score.criterion_id: score for score in review.scores.all()}
            cells: list[Any] = [
                str(nomination.pk),
                nomination.title,
                nomination.agency.name,
                row.reviewer.full_name,
                row.reviewer.email,
                row.get_state_display(),
                review.get_confidence_display(),
                _number(review.total),
            ]
            for criterion in criteria:
                score = scores.get(criterion.pk)
                cells += [score.score if score else None, score.justification if score else ""]
            cells += [
                review.overall_comment,
                timezone.localtime(review.submitted_at).isoformat(timespec="minutes")
                if review.submitted_at
                else "",
            ]
            yield cells

    return csv_stream_response(f"review-{cycle.year}-reviews.csv", header, rows())


def reviewer_reviews_csv(user: Any) -> HttpResponse:
    """The reviewer's own reviews (those of decided nominations included); titles as the
    phase allows, no agency at all.

    One pair of columns per criterion, matched by code across cycles and categories.
    """
    # The queue's reviews and, for good, those submitted before a decision (one query).
    assignments = list(
        (selectors.reviewer_queue(user).filter(review__isnull=False))
        | selectors.reviewer_history(user)
    )
    prefetch_related_objects(assignments, "review__scores__criterion")
    phase_of = selectors.PhaseRulesByCycle()
    columns: dict[str, tuple[int, str]] = {}
    for assignment in assignments:
        for given in assignment.review.scores.all():
            criterion = given.criterion
            columns.setdefault(criterion.code, (criterion.position, criterion.name))
    codes = sorted(columns, key=lambda code: (columns[code][0], code))
    header = ["Nomination", "Cycle", "Category", "Assignment", "Review"]
    for code in codes:
        name = columns[code][1]
        header += [f"{name}: score", f"{name}: justification"]
    header += ["Overall comment", "Confidence", "Weighted total", "Submitted at"]
    rows = []
    for assignment in assignments:
        nomination = assignment.nomination
        review = assignment.review
        by_code = {s.criterion.code: s for s in review.scores.all()}
        row: list[Any] = [
            selectors.listed_title(nomination, phase_of(nomination.cycle)),
            nomination.cycle.name,
            nomination.category.label if nomination.category else "",
            assignment.get_state_display(),
            selectors.review_status(review),
        ]
        for code in codes:
            score = by_code.get(code)
            row += [score.score if score else None, score.justification if score else ""]
        row += [
            review.overall_comment,
            review.get_confidence_display() if review.confidence else "",
            _number(review.total),
            timezone.localtime(review.submitted_at).strftime("%Y-%m-%d %H:%M %Z")
            if review.submitted_at
            else "",
        ]
        rows.append(row)
    return csv_response(f"my-reviews-{timezone.localdate().isoformat()}.csv", header, rows)
