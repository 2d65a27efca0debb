"""What a nomination says: its sections, fields, character limits and what is required.

One place for the shape of the form. The model has one column per text field;
the edit form, the completeness indicator, the submission check, revision
snapshots and the diff all read this list, so a field added here shows up in all
of them.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TextField:
    name: str
    label: str
    limit: int
    required: bool = True
    help: str = ""
    long: bool = True  # a textarea; short fields are one line


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    fields: tuple = field(default_factory=tuple)
    # Fields that are not plain text: checked by name in `completeness`.
    extra: tuple = ()


SECTIONS = (
    Section(
        "overview",
        "Program overview",
        "Name the program, choose the award category and say in a few sentences what it is.",
        (
            TextField("title", "Program title", 200, long=False),
            TextField(
                "summary",
                "Short summary",
                1500,
                help="Two or three sentences a busy reader can take in at once.",
            ),
        ),
        extra=("category", "start_date", "participation"),
    ),
    Section(
        "need",
        "The need",
        "What problem did the program address, and what did your data show before it began?",
        (
            TextField("problem", "The problem", 3000),
            TextField(
                "data_before",
                "Data before the program",
                3000,
                help="Injuries, collisions, sick days, survey results: whatever you measured.",
            ),
        ),
    ),
    Section(
        "what",
        "What you did",
        "Describe the program and how you put it in place.",
        (
            TextField("description", "Program description", 5000),
            TextField("implementation", "How it was implemented", 4000),
            TextField("partners", "Partners", 2000, required=False),
            TextField("policy_training", "Policy and training", 3000),
        ),
    ),
    Section(
        "results",
        "Results",
        "What the program set out to do and what changed, with figures.",
        (
            TextField("goals", "Goals", 2000),
            TextField(
                "participation_rates",
                "Participation rates",
                2000,
                help="How many officers and staff take part, as numbers or percentages.",
            ),
        ),
        extra=("outcomes",),
    ),
    Section(
        "durability",
        "Durability and promotion",
        "How the program lasts, what it costs, and how you brought people on board.",
        (
            TextField("integration", "Integration into the agency", 3000),
            TextField("sustainability", "Sustainability", 3000),
            TextField("cost_funding", "Cost and funding", 2000),
            TextField("promotion", "How the program was promoted", 2000),
            TextField("buy_in", "Employee buy-in", 2000),
        ),
    ),
    Section(
        "replicability",
        "Replicability",
        "What another agency needs to know to start the same program.",
        (
            TextField("advice", "Advice to other agencies", 3000),
            TextField("resources_needed", "Resources needed", 2000),
        ),
    ),
    Section(
        "contacts",
        "Contacts",
        "Who we can talk to about this nomination, and the head of your agency's sign-off.",
        (
            TextField("submitter_name", "Your name", 150, long=False),
            TextField("submitter_title", "Your title", 150, long=False),
            TextField("submitter_email", "Your email address", 254, long=False),
            TextField("submitter_phone", "Your phone number", 40, required=False, long=False),
            TextField("head_name", "Agency head's name", 150, long=False),
            TextField("head_title", "Agency head's title", 150, long=False),
            TextField("head_email", "Agency head's email address", 254, long=False),
        ),
        extra=("head_attestation",),
    ),
)

TEXT_FIELDS = {f.name: f for section in SECTIONS for f in section.fields}
EMAIL_FIELDS = ("submitter_email", "head_email")

OUTCOME_COLUMNS = (
    ("metric", "Measure", 200),
    ("before", "Before", 100),
    ("after", "After", 100),
    ("period", "Period", 100),
    ("source", "Source of the figures", 200),
)
MAX_OUTCOMES = 10

# Everything a revision snapshot records and a diff compares, in reading order.
LABELS = {
    "title": "Program title",
    "category": "Award category",
    "start_date": "Program start date",
    "participation": "Participation",
    **{name: f.label for name, f in TEXT_FIELDS.items()},
    "outcomes": "Measured outcomes",
    "head_attestation": "Agency head's attestation",
}
SNAPSHOT_ORDER = [
    "title",
    "category",
    "start_date",
    "participation",
    *[f.name for s in SECTIONS for f in s.fields if f.name != "title"],
    "outcomes",
    "head_attestation",
]
ATTESTATION_TEXT = (
    "The head of the agency has read this nomination and confirms that it is accurate and "
    "that the program is in place."
)


def clean_outcomes(rows):
    """Keep only rows with something typed in them; every cell a string."""
    cleaned = []
    for row in rows or []:
        if not isinstance(row, dict):
            continue
        values = {key: str(row.get(key) or "").strip() for key, _label, _limit in OUTCOME_COLUMNS}
        if any(values.values()):
            cleaned.append(values)
    return cleaned[:MAX_OUTCOMES]


def outcome_is_complete(row):
    return bool(row.get("metric") and row.get("before") and row.get("after"))
