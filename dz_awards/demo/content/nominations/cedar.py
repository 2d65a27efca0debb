"""This year's demo nominations from the Cedar County Sheriff's Office (sheriff@example.org).

A complete draft, one submitted with a letter of support, and one screened out.
"""

from dz_awards.demo.content.nominations.specs import (
    YEAR_VS_LAST,
    DemoNomination,
    Document,
    Poster,
    outcome,
)
from dz_awards.demo.content.world import CEDAR, STAFF_2
from dz_awards.nominations.enums import EvidenceKind, NominationState, Participation

S = NominationState

CEDAR_NOMINATIONS = (
    DemoNomination(
        agency=CEDAR,
        category="officer-traffic-safety",
        ends_as=S.DRAFT,
        started=(3, 2),
        content={
            "title": "Rural Crash Reduction Initiative",
            "participation": Participation.MANDATORY,
            "summary": (
                "Deputies patrol long rural roads alone, often at dusk. A driving course built "
                "for gravel and two-lane roads, deer-strike awareness, and near-miss reporting "
                "have cut single-vehicle crashes by two thirds."
            ),
            "problem": (
                "Most of our crashes involved a single patrol car on a rural road: deer strikes, "
                "loss of control on gravel and running off the road at night."
            ),
            "data_before": (
                "In the year before the initiative: 9 single-vehicle crashes involving deputies, "
                "11 deer-strike damage claims and 2 near-misses reported."
            ),
            "description": (
                "A one-day course on gravel and two-lane roads at the county fairgrounds; "
                "deer-whistles and upgraded headlights on every patrol car; a map of deer-strike "
                "hotspots in the patrol briefing; and a one-minute near-miss report on the "
                "in-car computer."
            ),
            "implementation": (
                "Two deputies trained as instructors taught every deputy over one winter. "
                "The hotspot map is updated monthly from our own and the state's crash data."
            ),
            "partners": "Iowa Department of Transportation (crash data); Cedar County Engineer.",
            "policy_training": (
                "Policy 300.2 requires the rural driving course every two years and a near-miss "
                "report after any close call."
            ),
            "goals": "Halve single-vehicle crashes within three years; report every near-miss.",
            "outcomes": [
                outcome(
                    "Single-vehicle crashes involving deputies",
                    "9",
                    "3",
                    YEAR_VS_LAST,
                    "County risk pool claims",
                ),
                outcome(
                    "Deer-strike damage claims", "11", "4", YEAR_VS_LAST, "Fleet repair records"
                ),
                outcome(
                    "Near-misses reported (more is better)",
                    "2",
                    "17",
                    YEAR_VS_LAST,
                    "In-car near-miss reports",
                ),
            ],
            "participation_rates": "All 61 deputies completed the course; 100% of patrol cars "
            "fitted.",
            "integration": "The hotspot map is part of every patrol briefing.",
            "sustainability": (
                "The course uses our own instructors and the fairgrounds at no charge; the "
                "headlight upgrade is now part of the patrol car specification."
            ),
            "cost_funding": (
                "$9,500 in the first year (instructor training, headlights); the county risk "
                "pool refunded half."
            ),
            "promotion": "Briefings, and the sheriff rode along on the first course day.",
            "buy_in": "Deputies suggested the near-miss report and its one-minute format.",
            "advice": "Teach on the roads your deputies actually drive.",
            "resources_needed": "Two instructors, a closed course for one day, and crash data.",
        },
        poster=Poster(
            "Slow down at dusk. Deer do not.",
            ("amber", (240, 170, 40)),
            ("brown", (100, 60, 20)),
            "road",
        ),
        documents=(
            Document(
                "Rural driving course outline.pdf",
                "Rural Driving Course: Outline",
                (
                    (
                        "Morning: braking and cornering on gravel; recovering from a drop-off at "
                        "the edge of the road."
                    ),
                    (
                        "Afternoon: night driving on two-lane roads; deer-strike avoidance; when "
                        "to brake and when not to swerve."
                    ),
                    "Close: how to file a near-miss report in one minute.",
                ),
            ),
        ),
    ),
    DemoNomination(
        agency=CEDAR,
        category="comprehensive-safety",
        ends_as=S.SUBMITTED,
        started=(4, 7),
        content={
            "title": "Safety Culture 360",
            "participation": Participation.MIXED,
            "summary": (
                "A safety committee of deputies, jail staff and dispatchers reviews every "
                "injury and near-miss, and turns what it learns into training, equipment and "
                "policy within 90 days."
            ),
            "problem": (
                "Injuries were treated as bad luck. Nobody looked for patterns across the road, "
                "the jail and the courthouse, and the same injuries kept happening."
            ),
            "data_before": (
                "In the year before: 27 recordable injuries, 410 lost workdays, 8 deputies "
                "injured in use-of-force incidents and 4 near-misses reported."
            ),
            "description": (
                "The committee meets monthly and reviews every injury and near-miss. Each review "
                "ends with one change and an owner. Changes so far include defensive tactics "
                "refreshers in the jail, roadside lighting kits, and a two-deputy rule for "
                "certain warrant services."
            ),
            "implementation": (
                "The sheriff chartered the committee, gave it a budget, and promised an answer "
                "to every recommendation within 30 days."
            ),
            "partners": "Iowa Communities Assurance Pool (loss-control adviser).",
            "policy_training": (
                "Policy 100.8 establishes the committee; every supervisor completes a four-hour "
                "incident review course."
            ),
            "goals": "Half the recordable injuries in three years; a near-miss reporting culture.",
            "outcomes": [
                outcome("Recordable injuries", "27", "12", YEAR_VS_LAST, "OSHA 300 log"),
                outcome("Lost workdays", "410", "160", YEAR_VS_LAST, "Payroll records"),
                outcome(
                    "Deputies injured in use-of-force incidents",
                    "8",
                    "3",
                    YEAR_VS_LAST,
                    "Use-of-force reports",
                ),
                outcome("Near-misses reported", "4", "56", YEAR_VS_LAST, "Committee records"),
            ],
            "participation_rates": (
                "Supervisors take part by policy; 44 of 83 employees have filed at least one "
                "near-miss report."
            ),
            "integration": (
                "Committee changes go into the training calendar and the budget request each year."
            ),
            "sustainability": (
                "The committee is written into policy, and its members rotate every two years."
            ),
            "cost_funding": "$15,000 a year from the operating budget; the risk pool matches it.",
            "promotion": "A one-page 'what we changed' note after every meeting.",
            "buy_in": "Members are elected by their units, and every recommendation is answered.",
            "advice": "Answer every recommendation, even with a no and a reason.",
            "resources_needed": "A committee with a small budget and the sheriff's backing.",
        },
        poster=Poster(
            "Every deputy home, every shift.",
            ("forest green", (34, 110, 60)),
            ("dark green", (10, 50, 30)),
            "shield",
        ),
        chart=True,
        documents=(
            Document(
                "Safety committee charter.pdf",
                "Cedar County Sheriff's Office Safety Committee: Charter",
                (
                    (
                        "Members: two deputies, two jail staff, one dispatcher and one supervisor, "
                        "each elected by their unit for two years."
                    ),
                    (
                        "Meetings: monthly. Every injury and near-miss since the last meeting is "
                        "reviewed."
                    ),
                    (
                        "Recommendations: each review ends with one change and an owner. The "
                        "sheriff answers every recommendation in writing within 30 days."
                    ),
                ),
            ),
            Document(
                "Letter of support from the risk pool.pdf",
                "Letter of Support",
                (
                    "To the Destination Zero selection committee:",
                    (
                        "The Iowa Communities Assurance Pool has worked with the Cedar County "
                        "Sheriff's Office on Safety Culture 360 since it began. The office's "
                        "claims fell by more than half over the period, and its near-miss "
                        "reporting is now a model we share with other members."
                    ),
                    "Loss Control Adviser, Iowa Communities Assurance Pool",
                ),
                kind=EvidenceKind.LETTER,
                description="From the county's risk pool.",
            ),
        ),
    ),
    DemoNomination(
        agency=CEDAR,
        category="general-officer-safety",
        ends_as=S.INELIGIBLE,
        started=(3, 5),
        content={
            "title": "Stop the Bleed for Citizens",
            "participation": Participation.VOLUNTARY,
            "summary": (
                "Deputies teach free bleeding-control classes to residents, schools and "
                "churches across the county, and leave a tourniquet kit at every rural fire "
                "station."
            ),
            "problem": (
                "Ambulances can take 25 minutes to reach parts of the county, and most residents "
                "did not know how to stop severe bleeding."
            ),
            "data_before": "No bleeding-control classes in the county; no public tourniquet kits.",
            "description": (
                "Two-hour classes taught by deputies certified as instructors, using the "
                "national Stop the Bleed curriculum, with a kit left at each rural fire station."
            ),
            "implementation": (
                "Four deputies became instructors; classes are booked through the county website."
            ),
            "partners": "Cedar County EMS; the regional trauma center.",
            "policy_training": "Instructors recertify every two years.",
            "goals": "Train 1,000 residents in two years; a kit at every rural fire station.",
            "outcomes": [
                outcome("Residents trained", "0", "1,240", "Two years", "Class sign-in sheets"),
                outcome("Public tourniquet kits placed", "0", "48", "Two years", "EMS records"),
            ],
            "participation_rates": "4 of 61 deputies teach; classes have averaged 18 people.",
            "integration": "Classes are part of the office's community outreach calendar.",
            "sustainability": "Kits are replaced by the trauma center at no cost.",
            "cost_funding": "$6,000 for training kits, from a hospital foundation grant.",
            "promotion": "Local radio, school newsletters and the county fair.",
            "buy_in": "The instructors volunteered; other deputies help at the county fair.",
            "advice": "Partner with EMS early; they bring credibility and equipment.",
            "resources_needed": "Certified instructors and training kits.",
        },
        poster=Poster(
            "Stop the bleed. Save a life.",
            ("red", (200, 30, 40)),
            ("dark red", (90, 10, 15)),
            "cross",
        ),
        documents=(
            Document(
                "Class outline.pdf",
                "Stop the Bleed Class Outline",
                (
                    "1. Call 911 and make the scene safe.",
                    "2. Find the bleeding; apply firm, direct pressure.",
                    "3. Pack the wound; apply a tourniquet to a limb when pressure fails.",
                ),
            ),
        ),
        staff=STAFF_2,
        screen_reason=(
            "These awards recognize programs that protect the agency's own officers and staff. "
            "Your classes train residents, which is valuable work but outside the awards. If "
            "your deputies carry tourniquets and train with them too, that program could be "
            "nominated under General Officer Safety."
        ),
    ),
)
