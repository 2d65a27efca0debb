"""Is a nomination ready to submit: every problem tied to its form control, and progress."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dz_awards.nominations.validation import completeness, submission_problems
from tests import factories

# Written out here, not read from content.py, so losing a requirement fails a test:
# (field, section, message when blank).
LONG = "Answer this question."
SHORT = "Fill in this field."
REQUIRED_TEXT = [
    ("title", "overview", SHORT),
    ("summary", "overview", LONG),
    ("problem", "need", LONG),
    ("data_before", "need", LONG),
    ("description", "what", LONG),
    ("implementation", "what", LONG),
    ("policy_training", "what", LONG),
    ("goals", "results", LONG),
    ("participation_rates", "results", LONG),
    ("integration", "durability", LONG),
    ("sustainability", "durability", LONG),
    ("cost_funding", "durability", LONG),
    ("promotion", "durability", LONG),
    ("buy_in", "durability", LONG),
    ("advice", "replicability", LONG),
    ("resources_needed", "replicability", LONG),
    ("submitter_name", "contacts", SHORT),
    ("submitter_title", "contacts", SHORT),
    ("submitter_email", "contacts", SHORT),
    ("head_name", "contacts", SHORT),
    ("head_title", "contacts", SHORT),
    ("head_email", "contacts", SHORT),
]
SECTION_TOTALS = [
    ("overview", "Program overview", 5),
    ("need", "The need", 2),
    ("what", "What you did", 4),
    ("results", "Results", 3),
    ("durability", "Durability and promotion", 5),
    ("replicability", "Replicability", 2),
    ("contacts", "Contacts", 8),
]


def _rows(problems):
    return [(p.anchor, p.section, p.label, p.message) for p in problems]


def _complete(**changes):
    return factories.NominationFactory(complete=True, **changes)


def _progress(nomination):
    return [(p.key, p.title, p.done, p.total, p.complete) for p in completeness(nomination)]


def test_submission_problems_complete_nomination_has_none(db):
    """A nomination with every answer given has nothing left to fix."""
    assert submission_problems(_complete()) == []


@pytest.mark.parametrize("blank", ["", "   \n\t"], ids=["empty", "whitespace"])
@pytest.mark.parametrize(("field", "section", "message"), REQUIRED_TEXT)
def test_submission_problems_required_text_blank_gives_one_problem(
    field, section, message, blank, db
):
    """Each required text answer left blank gives exactly one problem, anchored at its control."""
    problems = submission_problems(_complete(**{field: blank}))
    assert [(p.anchor, p.section, p.message) for p in problems] == [
        (f"id_{field}", section, message)
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"category": None},
            ("id_category", "overview", "Award category", "Choose the award category."),
        ),
        (
            {"start_date": None},
            (
                "id_start_date",
                "overview",
                "Program start date",
                "Enter the date the program started.",
            ),
        ),
        (
            {"participation": ""},
            (
                "id_participation",
                "overview",
                "Participation",
                "Say whether participation is mandatory.",
            ),
        ),
        (
            {"outcomes": []},
            (
                "id_outcomes-0-metric",
                "results",
                "Measured outcomes",
                "Give at least one measured outcome with its figures before and after.",
            ),
        ),
        (
            {"head_attestation": False},
            (
                "id_head_attestation",
                "contacts",
                "Agency head's attestation",
                "The head of the agency must confirm the nomination before it is submitted.",
            ),
        ),
    ],
    ids=["category", "start_date", "participation", "outcomes", "head_attestation"],
)
def test_submission_problems_missing_non_text_answer_gives_one_problem(changes, expected, db):
    """Category, start date, participation, outcomes and attestation each give one problem."""
    assert _rows(submission_problems(_complete(**changes))) == [expected]


def test_submission_problems_summary_blank_is_labelled_for_the_page(db):
    """The problem carries the question's label and the link target the page uses."""
    (problem,) = submission_problems(_complete(summary=""))
    assert (problem.field, problem.anchor, problem.label) == (
        "summary",
        "id_summary",
        "Short summary",
    )


@pytest.mark.parametrize("field", ["partners", "submitter_phone"])
def test_submission_problems_optional_field_blank_is_fine(field, db):
    """Partners and the submitter's phone number may be left blank."""
    assert submission_problems(_complete(**{field: ""})) == []


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("title", 200, "Shorten this to 200 characters or fewer (it has 201)."),
        ("summary", 1500, "Shorten this to 1,500 characters or fewer (it has 1,501)."),
        ("description", 5000, "Shorten this to 5,000 characters or fewer (it has 5,001)."),
        ("partners", 2000, "Shorten this to 2,000 characters or fewer (it has 2,001)."),
        ("submitter_phone", 40, "Shorten this to 40 characters or fewer (it has 41)."),
    ],
)
def test_submission_problems_over_limit_text_asks_to_shorten(field, limit, message, db):
    """One character over a field's limit gives the 'Shorten this' problem at that field."""
    problems = submission_problems(_complete(**{field: "x" * (limit + 1)}))
    assert [(p.anchor, p.message) for p in problems] == [(f"id_{field}", message)]


@pytest.mark.parametrize(("field", "limit"), [("title", 200), ("summary", 1500)])
def test_submission_problems_text_at_limit_is_accepted(field, limit, db):
    """Exactly at the limit (surrounding spaces not counted) is fine."""
    assert submission_problems(_complete(**{field: "  " + "x" * limit + "\n"})) == []


@pytest.mark.parametrize("field", ["submitter_email", "head_email"])
@pytest.mark.parametrize("value", ["not-an-email", "alex@", "alex kim@example.org"])
def test_submission_problems_bad_email_is_a_problem(field, value, db):
    """An email address that is not one gives one problem at that field."""
    problems = submission_problems(_complete(**{field: value}))
    assert [(p.anchor, p.message) for p in problems] == [
        (f"id_{field}", "Enter an email address like name@agency.gov.")
    ]


def test_submission_problems_future_start_date_is_a_problem(db):
    """A program that has not started yet cannot be nominated."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert _rows(submission_problems(_complete(start_date=tomorrow))) == [
        (
            "id_start_date",
            "overview",
            "Program start date",
            "The program must already be running: enter a date in the past.",
        )
    ]


def test_submission_problems_start_date_today_is_accepted(db):
    """A program that started today is running."""
    assert submission_problems(_complete(start_date=timezone.localdate())) == []


def test_submission_problems_category_of_another_cycle_is_a_problem(db):
    """A category from a different year's awards is refused."""
    other_year = factories.CategoryFactory()
    nomination = _complete(category=other_year)
    assert nomination.cycle_id != other_year.cycle_id
    assert _rows(submission_problems(nomination)) == [
        ("id_category", "overview", "Award category", "Choose a category of this year's awards.")
    ]


def test_submission_problems_outcome_without_figures_is_a_problem(db):
    """An outcome row needs its measure and the figures before and after."""
    nomination = _complete(outcomes=[{"metric": "Injuries", "before": "12", "after": ""}])
    assert [p.anchor for p in submission_problems(nomination)] == ["id_outcomes-0-metric"]


def test_submission_problems_over_limit_outcome_cells_point_at_each_cell(db):
    """Each over-long outcome cell is its own problem, anchored at its row and column."""
    rows = [
        {"metric": "m" * 201, "before": "12", "after": "3"},
        {"metric": "Sick days", "before": "b" * 101, "after": "40"},
    ]
    assert _rows(submission_problems(_complete(outcomes=rows))) == [
        (
            "id_outcomes-0-metric",
            "results",
            "Measured outcomes, row 1, Measure",
            "Shorten this to 200 characters or fewer (it has 201).",
        ),
        (
            "id_outcomes-1-before",
            "results",
            "Measured outcomes, row 2, Before",
            "Shorten this to 100 characters or fewer (it has 101).",
        ),
    ]


def test_submission_problems_are_listed_in_form_order(db):
    """Problems come in the order of the form, section by section."""
    nomination = _complete(head_email="", summary="", goals="", category=None)
    assert [p.anchor for p in submission_problems(nomination)] == [
        "id_summary",
        "id_category",
        "id_goals",
        "id_head_email",
    ]


def test_completeness_complete_nomination_has_every_section_done(db):
    """A complete nomination shows every section complete."""
    assert _progress(_complete()) == [
        (key, title, total, total, True) for key, title, total in SECTION_TOTALS
    ]


def test_completeness_counts_answers_per_section(db):
    """A new draft (title and category only) counts what is in, section by section."""
    nomination = factories.NominationFactory()
    assert _progress(nomination) == [
        ("overview", "Program overview", 2, 5, False),
        ("need", "The need", 0, 2, False),
        ("what", "What you did", 0, 4, False),
        ("results", "Results", 0, 3, False),
        ("durability", "Durability and promotion", 0, 5, False),
        ("replicability", "Replicability", 0, 2, False),
        ("contacts", "Contacts", 0, 8, False),
    ]


def test_completeness_outcome_problems_count_as_one_answer(db):
    """Several problems in the outcomes table make one answer incomplete, not several."""
    rows = [
        {"metric": "m" * 201, "before": "12", "after": "3"},
        {"metric": "Sick days", "before": "b" * 101, "after": "40"},
    ]
    progress = {p.key: (p.done, p.total) for p in completeness(_complete(outcomes=rows))}
    assert progress["results"] == (2, 3)
    assert sum(done for done, _total in progress.values()) == 28


def test_completeness_one_missing_answer_marks_only_its_section(db):
    """A missing head email leaves contacts at 7 of 8 and every other section complete."""
    progress = {
        p.key: (p.done, p.total, p.complete) for p in completeness(_complete(head_email=""))
    }
    assert progress["contacts"] == (7, 8, False)
    assert all(complete for key, (_d, _t, complete) in progress.items() if key != "contacts")
