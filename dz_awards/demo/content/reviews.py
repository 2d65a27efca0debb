"""Last year's review: the agencies that nominated only then, the reviewers, what they write.

The reviewers' biases and tastes make the scoreboard worth reading: one is
harsh, one lenient, and the panel splits on one nomination.
"""

from dataclasses import dataclass

from dz_awards.agencies.enums import AgencyType
from dz_awards.demo.content.nominations import AGENCY_CONTACTS
from dz_awards.demo.content.world import AGENCY_OWNERS, REVIEWER, RIVERTON
from reviews.enums import Confidence

BAYVIEW = "Bayview Police Department"
MARLOW = "Marlow County Sheriff's Office"
NORTHFIELD = "Northfield Police Department"
EASTBROOK = "Eastbrook Police Department"


@dataclass(frozen=True)
class DemoAgency:
    """An agency that nominated last year; its owner's login is not printed."""

    name: str
    kind: str
    state: str
    city: str
    sworn: int
    civilians: int
    ori: str
    owner_email: str
    owner_name: str
    owner_title: str


PAST_AGENCIES = (
    DemoAgency(
        BAYVIEW,
        AgencyType.MUNICIPAL,
        "CA",
        "Bayview",
        214,
        61,
        "CA0380900",
        "bayview@example.org",
        "Lt. Priya Shah",
        "Professional Standards Lieutenant",
    ),
    DemoAgency(
        MARLOW,
        AgencyType.SHERIFF,
        "TX",
        "Marlow",
        88,
        40,
        "TX1230000",
        "marlow@example.org",
        "Sgt. Dale Hutchins",
        "Training Sergeant",
    ),
    DemoAgency(
        NORTHFIELD,
        AgencyType.MUNICIPAL,
        "MN",
        "Northfield",
        176,
        45,
        "MN0190200",
        "northfield@example.org",
        "Cmdr. Erin Vasquez",
        "Patrol Commander",
    ),
    DemoAgency(
        EASTBROOK,
        AgencyType.MUNICIPAL,
        "GA",
        "Eastbrook",
        97,
        26,
        "GA0600300",
        "eastbrook@example.org",
        "Ofc. Tyrone Mitchell",
        "Wellness Officer",
    ),
)

# What each agency answers in the contact section: this year's two as in their
# nominations, and the four that nominated only last year.
HEADS = {
    name: (contacts["head_name"], contacts["head_title"], contacts["head_email"])
    for name, contacts in AGENCY_CONTACTS.items()
} | {
    BAYVIEW: ("Chief Helen Park", "Chief of Police", "chief.park@bayview-pd.example.org"),
    MARLOW: ("Sheriff Ray Caldwell", "Sheriff", "sheriff.caldwell@marlowcounty.example.org"),
    NORTHFIELD: ("Chief Anders Holm", "Chief of Police", "chief.holm@northfield-pd.example.org"),
    EASTBROOK: ("Chief Denise Carter", "Chief of Police", "chief.carter@eastbrook-pd.example.org"),
}
# Which login owns, and nominated for, each agency.
OWNERS = AGENCY_OWNERS | {a.name: a.owner_email for a in PAST_AGENCIES}


@dataclass(frozen=True)
class DemoReviewer:
    email: str
    name: str
    state: str
    home_agency: str | None
    # How this reviewer uses the scale, in points added to every score they give.
    bias: float
    # On a nomination that splits the panel: which side this reviewer takes.
    taste: int
    # Category codes of the panels this reviewer sits on.
    panels: tuple


ALL = (
    "general-officer-safety",
    "officer-traffic-safety",
    "officer-wellness",
    "comprehensive-safety",
    "comprehensive-wellness",
)
REVIEWERS = (
    DemoReviewer(REVIEWER, "Chief (ret.) Dana Brooks", "VA", None, 0.0, 1, ALL),
    DemoReviewer("renee.walsh@example.org", "Capt. Renee Walsh", "TX", None, -0.7, -1, ALL),
    DemoReviewer("luis.ferreira@example.org", "Dr. Luis Ferreira", "CA", None, 0.6, 1, ALL),
    DemoReviewer(
        "janet.okafor@example.org",
        "Lt. Col. (ret.) Janet Okafor",
        "GA",
        None,
        0.2,
        -1,
        ("general-officer-safety", "officer-wellness", "comprehensive-wellness"),
    ),
    # Works for an agency that nominated: never assigned to its nominations.
    DemoReviewer(
        "marcus.bell@example.org",
        "Sgt. Marcus Bell",
        "OH",
        RIVERTON,
        -0.2,
        -1,
        (
            "officer-traffic-safety",
            "officer-wellness",
            "comprehensive-safety",
            "comprehensive-wellness",
        ),
    ),
    DemoReviewer(
        "ana.lindqvist@example.org",
        "Deputy Chief Ana Lindqvist",
        "MN",
        None,
        0.1,
        1,
        ("general-officer-safety", "officer-traffic-safety", "comprehensive-safety"),
    ),
)


# What staff and reviewers write -----------------------------------------------------------

CONFLICT_NOTE = (
    "I recognise this program: I advised the agency on it two years ago, so I should not score it."
)
DECLINE_NOTE = "I am away on a training deployment for most of the scoring weeks."

JUSTIFICATIONS = {
    "results": (
        "Few figures, and no comparison with before the program.",
        "Some measured results, but the baseline is thin.",
        "Clear figures before and after for the main goals, from named sources.",
    ),
    "integration": (
        "Reads as a one-off effort outside normal operations.",
        "In policy or training, but not yet part of supervision or the budget.",
        "Written into policy, training and supervision, with a named owner.",
    ),
    "durability": (
        "Depends on one person or one-time money.",
        "Running, but the plan for when its champion leaves is vague.",
        "Funded from the regular budget and run by more than one person.",
    ),
    "buy-in": (
        "No participation figures, or low take-up.",
        "Moderate participation; officers' views are not shown.",
        "High participation, and officers helped shape it.",
    ),
    "promotion": (
        "Little said about how officers heard of it.",
        "Promoted at roll call and by email.",
        "Promoted by officers who took part, in several channels.",
    ),
    "replicability": (
        "Hard to copy without this agency's particular resources.",
        "Could be copied with some adaptation and a modest budget.",
        "Simple to copy; the advice and resource list are practical.",
    ),
}
OVERALL = (
    (
        (
            "An honest effort, but the nomination does not show that the program changed much "
            "yet. Measured results would make a stronger case next year."
        ),
        (
            "Good intentions and a real problem; the evidence of results is too thin to compare "
            "with the stronger nominations."
        ),
    ),
    (
        (
            "A solid program with some measured results. The case would be stronger with a "
            "longer baseline and more on how it will last."
        ),
        "Sound and worth sharing. Results are promising but the comparison with before is partial.",
    ),
    (
        (
            "An outstanding program: clear measured results, built into how the agency works, "
            "and easy for others to copy."
        ),
        (
            "Strong on every criterion. The figures before and after make the case, and the "
            "advice to other agencies is practical."
        ),
    ),
)
CONFIDENCE = (Confidence.HIGH, Confidence.MEDIUM, Confidence.HIGH, Confidence.LOW)
