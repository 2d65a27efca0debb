"""Last year's public library: how far each finalist's or winner's profile goes, and its look.

Staff write the public copy (`public_copy`) from the nomination's figures;
each category has its own poster colours and emblem for the pictures drawn
where a program has none of its own.
"""

from dataclasses import dataclass

from dz_awards.profiles.enums import Award, ProfileState

P = ProfileState


@dataclass(frozen=True)
class Look:
    top: tuple
    bottom: tuple
    colour: str
    emblem: str


# One look per category, dark enough for white words (contrast above 4.5:1).
LOOKS = {
    "general-officer-safety": Look((22, 64, 122), (10, 32, 66), "dark blue", "shield"),
    "officer-traffic-safety": Look((150, 70, 10), (92, 36, 6), "dark orange", "road"),
    "officer-wellness": Look((10, 105, 100), (4, 58, 56), "dark teal", "heart"),
    "comprehensive-safety": Look((128, 24, 40), (70, 12, 22), "dark red", "check"),
    "comprehensive-wellness": Look((84, 40, 124), (44, 18, 70), "dark purple", "cross"),
}
DEFAULT_LOOK = Look((52, 58, 64), (22, 26, 30), "dark grey", "shield")


@dataclass(frozen=True)
class DemoProfile:
    """How far one of last year's profiles goes, and the copy staff write for it."""

    title: str  # the past nomination's title
    ends_at: str
    topics: tuple
    results: str
    retract_reason: str = ""


DEMO_PROFILES = (
    DemoProfile(
        "Every Call a Briefing: Pre-Shift Threat Reviews",
        P.PUBLISHED,
        ("Threat information", "Roll call"),
        "Officers now arrive at a dangerous address knowing what happened there before, "
        "and they wait for a cover unit. Assaults at flagged addresses fell by two thirds.",
    ),
    DemoProfile(
        "Bayview Body Armor Compliance Audits",
        P.PUBLISHED,
        ("Body armor",),
        "Within a year every vest in service was within its warranty, and random checks "
        "found nearly every officer wearing one, in summer too.",
    ),
    DemoProfile(
        "Marlow County Rural Roads Safety Plan",
        P.PUBLISHED,
        ("Driving safety", "Rural policing"),
        "Patrol crashes on the county's rural roads fell from about ten a year to three, "
        "and one deputy was hurt in two years instead of nine in three.",
    ),
    DemoProfile(
        "Whole-Officer Wellness Plan",
        P.PUBLISHED,
        ("Fitness", "Mental health", "Family support"),
        "Most officers now use at least one wellness service, and sick hours fell by a "
        "third in two years.",
    ),
    DemoProfile(
        "Family Resilience Academy",
        P.AGENCY_APPROVED,
        ("Family support", "Mental health"),
        "Four times as many family members now use the assistance program, and families "
        "say they know where to get help.",
    ),
    DemoProfile(
        "Riverton Safety Officer Program",
        P.PROOF_SENT,
        ("Safety officer", "Injury review"),
        "Officer injuries fell from 47 to 26 a year, and work days lost to injury by more "
        "than half.",
    ),
    DemoProfile(
        "Peer Support and Chaplaincy Network",
        P.RETRACTED,
        ("Peer support", "Mental health"),
        "Almost every deputy involved in a critical incident is now contacted within a day, "
        "and stress-related resignations fell from five to one.",
        retract_reason=(
            "The sheriff's office asked us to take it down while the network is reorganised "
            "under a new chaplain; it will be prepared again."
        ),
    ),
    DemoProfile(
        "Sleep and Shift-Length Reform",
        P.DRAFT,
        ("Fatigue and sleep",),
        "The longest shift of a deputy's week is now under twelve hours on average, and "
        "half as many deputies sleep under six hours before a shift.",
    ),
)


def public_copy(demo, spec, *, award, slug):
    """The results and key figures staff write for the profile, and a winner's video link.

    `spec` is the past nomination the profile was made from (its outcomes).
    """
    figures = [
        {"figure": after, "label": f"{metric} (was {before})"}
        for metric, before, after in spec.outcomes
    ]
    lines = "\n".join(
        f"- **{metric}**: {before} before, {after} after."
        for metric, before, after in spec.outcomes
    )
    data = {
        "results": f"{demo.results}\n\n{lines}\n\nMeasured from the agency's own records, "
        "the year before launch against the last twelve months.",
        "key_figures": figures,
    }
    if award == Award.WINNER:
        data["video_url"] = f"https://video.example.org/destination-zero/{slug}"
    return data
