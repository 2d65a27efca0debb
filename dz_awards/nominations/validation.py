"""Is a nomination ready to submit? One function answers, for the form and the service.

`submission_problems` lists every problem, each tied to the form control that
fixes it, so the page can link straight to it. `completeness` counts, per
section, how many questions are answered, for the progress indicator.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from dz_awards.nominations.content import (
    EMAIL_FIELDS,
    LABELS,
    OUTCOME_COLUMNS,
    SECTIONS,
    outcome_is_complete,
)
from dz_awards.nominations.enums import EvidenceStatus


@dataclass(frozen=True)
class Problem:
    field: str  # the id of the form control, without the "id_" prefix
    section: str
    label: str
    message: str

    @property
    def anchor(self):
        return f"id_{self.field}"


@dataclass(frozen=True)
class SectionProgress:
    key: str
    title: str
    done: int
    total: int
    complete: bool  # nothing the section needs is missing or wrong


def _category_problem(nomination):
    if nomination.category_id is None:
        return "Choose the award category."
    if nomination.category.cycle_id != nomination.cycle_id:
        return "Choose a category of this year's awards."
    return None


def _start_date_problem(nomination):
    if nomination.start_date is None:
        return "Enter the date the program started."
    if nomination.start_date > timezone.localdate():
        return "The program must already be running: enter a date in the past."
    return None


def _participation_problem(nomination):
    return None if nomination.participation else "Say whether participation is mandatory."


def _attestation_problem(nomination):
    if nomination.head_attestation:
        return None
    return "The head of the agency must confirm the nomination before it is submitted."


SINGLE_CHECKS = {
    "category": _category_problem,
    "start_date": _start_date_problem,
    "participation": _participation_problem,
    "head_attestation": _attestation_problem,
}


def _outcome_problems(nomination, section):
    label = LABELS["outcomes"]
    rows = nomination.outcomes or []
    problems = []
    if not any(outcome_is_complete(row) for row in rows):
        problems.append(
            Problem(
                "outcomes-0-metric",
                section,
                label,
                "Give at least one measured outcome with its figures before and after.",
            )
        )
    for index, row in enumerate(rows):
        for key, column, limit in OUTCOME_COLUMNS:
            if len(row.get(key, "")) > limit:
                problems.append(
                    Problem(
                        f"outcomes-{index}-{key}",
                        section,
                        f"{label}, row {index + 1}, {column}",
                        f"Shorten this to {limit:,} characters or fewer "
                        f"(it has {len(row[key]):,}).",
                    )
                )
    return problems


def _extra_problems(nomination, name, section):
    """Problems of the answers that are not plain text."""
    if name == "outcomes":
        return _outcome_problems(nomination, section)
    message = SINGLE_CHECKS[name](nomination)
    return [Problem(name, section, LABELS[name], message)] if message else []


def _text_problems(nomination, text_field, section):
    value = (getattr(nomination, text_field.name) or "").strip()
    problem = None
    if text_field.required and not value:
        problem = "Answer this question." if text_field.long else "Fill in this field."
    elif len(value) > text_field.limit:
        problem = (
            f"Shorten this to {text_field.limit:,} characters or fewer (it has {len(value):,})."
        )
    elif value and text_field.name in EMAIL_FIELDS:
        try:
            validate_email(value)
        except ValidationError:
            problem = "Enter an email address like name@agency.gov."
    if problem:
        return [Problem(text_field.name, section, text_field.label, problem)]
    return []


def _evidence_problems(nomination):
    if nomination.pk is None:
        return []
    checking = nomination.evidence.filter(
        status=EvidenceStatus.PROCESSING, removed_at__isnull=True
    ).count()
    if not checking:
        return []
    return [
        Problem(
            "evidence",
            "evidence",
            "Files",
            f"{checking} file{'s are' if checking > 1 else ' is'} still being checked. "
            "Wait a moment, then try again.",
        )
    ]


def submission_problems(nomination):
    """Every reason the nomination cannot be submitted yet, in the order of the form."""
    return _evidence_problems(nomination) + _answer_problems(nomination)


def _answer_problems(nomination):
    """The problems of the answers themselves (no query: files are not looked at)."""
    problems = []
    for section in SECTIONS:
        for text_field in section.fields:
            problems += _text_problems(nomination, text_field, section.key)
        for name in section.extra:
            problems += _extra_problems(nomination, name, section.key)
    return problems


def completeness(nomination):
    """Per section: how many of its questions are answered, for the progress indicator.

    Only an answer counts: a blank optional question is not answered, although nothing
    is missing for submission. An answer with a problem (too long, not an email) does
    not count either. A section is complete when it has no problem left, that is when
    every question it needs is answered, whatever its optional ones hold.
    """
    problems = _answer_problems(nomination)
    progress = []
    for section in SECTIONS:
        total = len(section.fields) + len(section.extra)
        with_problem = {p.field.split("-")[0] for p in problems if p.section == section.key}
        # The extra answers are all required: blank, they always have a problem.
        unanswered = {
            f.name for f in section.fields if not (getattr(nomination, f.name) or "").strip()
        }
        done = total - len(with_problem | unanswered)
        progress.append(
            SectionProgress(section.key, section.title, done, total, complete=not with_problem)
        )
    return progress
