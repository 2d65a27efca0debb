"""Demo nominations: one for every state the nomination feature reaches, made through its services.

Nothing here sets a state or writes a revision directly: each nomination is
started, typed, given files, submitted, returned, resubmitted, withdrawn or
screened out by the same service calls the pages make, so its audit trail,
revisions, message thread and outbox emails are the real thing.

The pictures are drawn with Pillow (a campaign poster and a before-and-after
chart) and the PDFs are written by hand, so the demo needs no files on disk.
"""

import io
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind, NominationState, Participation
from dz_awards.nominations.models import Nomination

S = NominationState
RIVERTON = "Riverton Police Department"
CEDAR = "Cedar County Sheriff's Office"

# What each demo agency answers in the contact section of every nomination.
AGENCY_CONTACTS = {
    RIVERTON: {
        "submitter_phone": "(555) 010-4417",
        "head_name": "Chief Maria Delgado",
        "head_title": "Chief of Police",
        "head_email": "chief.delgado@riverton-pd.example.org",
    },
    CEDAR: {
        "submitter_phone": "(555) 013-2290",
        "head_name": "Sheriff Thomas Whitfield",
        "head_title": "Sheriff",
        "head_email": "sheriff.whitfield@cedarcounty.example.org",
    },
}

# Which demo login acts for which agency (its owner).
AGENCY_AUTHORS = {RIVERTON: "agency@example.org", CEDAR: "sheriff@example.org"}


@dataclass(frozen=True)
class Poster:
    """A campaign poster: a white emblem in a circle on a two-color gradient, and a slogan."""

    headline: str
    top: tuple  # (color name for the alt text, RGB)
    bottom: tuple
    emblem: str  # a key of EMBLEMS


@dataclass(frozen=True)
class Document:
    file_name: str
    title: str
    paragraphs: tuple
    kind: str = EvidenceKind.DOCUMENT
    description: str = ""


@dataclass(frozen=True)
class DemoNomination:
    agency: str
    category: str  # a category code of the demo cycle
    ends_as: str  # "partial draft", or the NominationState it is left in, or "resubmitted"
    started: tuple  # (years before the cycle's year, month): the program's start date
    content: dict
    poster: Poster | None = None
    chart: bool = False
    documents: tuple = ()
    # Returned and resubmitted: staff's request, then the thread that follows it.
    staff: str = "staff@example.org"
    return_message: str = ""
    thread: tuple = ()  # (author email, body) pairs, after the return
    # Resubmitted: what the agency changed and the files it added before resubmitting.
    changes: dict = field(default_factory=dict)
    chart_after_return: bool = False
    documents_after_return: tuple = ()
    withdraw_reason: str = ""
    screen_reason: str = ""

    @property
    def title(self):
        return self.content["title"]


def _outcome(metric, before, after, period, source):
    return {"metric": metric, "before": before, "after": after, "period": period, "source": source}


YEAR_VS_LAST = "Year before launch vs last 12 months"

NOMINATIONS = (
    DemoNomination(
        agency=RIVERTON,
        category="comprehensive-wellness",
        ends_as="partial draft",
        started=(2, 3),
        content={
            "title": "Annual Mental Health Check-ins",
            "participation": Participation.MANDATORY,
            "summary": (
                "Every sworn officer and dispatcher meets a licensed clinician once a year for a "
                "confidential wellness conversation on paid time. Nothing but attendance is "
                "reported back to the department."
            ),
            "problem": (
                "In our staff survey officers said they would not ask for help until things were "
                "bad, because asking felt like admitting they were unfit for duty. Two officers "
                "went on stress leave in the same year; neither had talked to anyone beforehand."
            ),
            "data_before": (
                "Employee assistance program use in the year before: about 9 of 142 sworn "
                "(check the exact figure with HR). Survey: 61% would not seek counseling "
                "because of "
            ),
        },
    ),
    DemoNomination(
        agency=RIVERTON,
        category="officer-traffic-safety",
        ends_as=S.SUBMITTED,
        started=(3, 4),
        content={
            "title": "Arrive Alive: Seat Belts and Safe Speeds",
            "participation": Participation.MANDATORY,
            "summary": (
                "Arrive Alive makes seat belts and safe speeds part of every sergeant's week. "
                "In-car telematics flag unbelted driving and speeds 20 mph over the limit without "
                "lights and siren; sergeants review the flags with each officer, and every officer "
                "takes a four-hour driving refresher each year."
            ),
            "problem": (
                "Three officers were hurt in crashes in a single year, two of them unbelted. "
                "Officers told us belts snag on duty belts and slow them getting out of the car, "
                "and nobody ever checked."
            ),
            "data_before": (
                "In the year before the program: 14 crashes involving marked units, 5 officer "
                "injuries in crashes, seat-belt use of 71% at sergeants' random checks, and 38 "
                "speed flags a month from telematics we already had but did not read."
            ),
            "description": (
                "Telematics reports go to the shift sergeant every Monday. A flag leads to a "
                "conversation, not a discipline file; a third flag in 90 days leads to a "
                "ride-along with a driving instructor. Seat-belt extenders and belt-friendly "
                "holster positions are offered to every officer. The annual refresher covers "
                "intersection clearing, pursuit decisions and emergency driving on wet roads."
            ),
            "implementation": (
                "We started with one shift for three months, fixed the report format with the "
                "sergeants, then rolled it out to all four shifts. The union reviewed the policy "
                "before launch and agreed that flags are coaching records only."
            ),
            "partners": (
                "Riverton Fleet Services (telematics); Ohio Traffic Safety Office (instructor "
                "training); FOP Lodge 27."
            ),
            "policy_training": (
                "General Order 41.3 requires seat belts whenever the vehicle moves, except in the "
                "final approach to a stop where the officer judges a fast exit necessary. Every "
                "officer completes a four-hour refresher each year, and new officers complete "
                "eight hours during field training."
            ),
            "goals": (
                "Halve crashes involving marked units within two years; seat-belt use above 95% "
                "at random checks; no officer injured in a crash while unbelted."
            ),
            "outcomes": [
                _outcome(
                    "Crashes involving marked units", "14", "6", YEAR_VS_LAST, "Fleet records"
                ),
                _outcome(
                    "Seat-belt use at random checks",
                    "71%",
                    "97%",
                    YEAR_VS_LAST,
                    "Sergeants' checks, about 120 a month",
                ),
                _outcome(
                    "Speed flags a month (20+ mph over, no lights)",
                    "38",
                    "9",
                    YEAR_VS_LAST,
                    "Vehicle telematics",
                ),
                _outcome("Officers injured in crashes", "5", "1", YEAR_VS_LAST, "Injury reports"),
            ],
            "participation_rates": (
                "All 142 sworn officers: 100% completed the refresher last year; 131 met their "
                "sergeant about at least one flag."
            ),
            "integration": (
                "Telematics review is part of the sergeants' weekly checklist, and crash figures "
                "are read out at the monthly command staff meeting."
            ),
            "sustainability": (
                "The telematics contract is part of the fleet budget, and the instructors are our "
                "own officers, so the program costs little once it is running."
            ),
            "cost_funding": (
                "$41,000 in the first year (telematics licenses, instructor certification, "
                "overtime); about $12,000 a year since, from the operating budget."
            ),
            "promotion": (
                "A roll-call video by the chief, posters in the sally port, and a monthly "
                "'best shift' seat-belt figure on the intranet."
            ),
            "buy_in": (
                "Officers chose the belt-friendly holster positions themselves and the union "
                "helped write the policy. Flags stay out of discipline files."
            ),
            "advice": (
                "Read the data you already have before you buy anything. Keep the first months "
                "about coaching, and let sergeants shape the weekly report."
            ),
            "resources_needed": (
                "Vehicle telematics, two certified driving instructors, and one hour a week of "
                "each sergeant's time."
            ),
        },
        poster=Poster(
            "Click it before you roll",
            ("navy", (16, 37, 84)),
            ("steel blue", (70, 130, 180)),
            "road",
        ),
        chart=True,
        documents=(
            Document(
                "Arrive Alive general order.pdf",
                "General Order 41.3: Vehicle Operation and Seat Belt Use",
                (
                    "1. Purpose. To reduce crashes and injuries involving department vehicles.",
                    (
                        "2. Seat belts. Officers and passengers wear seat belts whenever the "
                        "vehicle is moving. An officer may release the belt in the final approach "
                        "to a stop when a fast exit is necessary."
                    ),
                    (
                        "3. Speed. Without lights and siren, officers keep to the posted limit. "
                        "Telematics flags speeds 20 mph or more over the limit."
                    ),
                    (
                        "4. Review. The shift sergeant reviews telematics flags every week and "
                        "discusses each with the officer. Flags are coaching records and are not "
                        "placed in discipline files."
                    ),
                    (
                        "5. Training. Every officer completes a four-hour driving refresher each "
                        "year; new officers complete eight hours during field training."
                    ),
                ),
                description="The general order that sets up the program.",
            ),
        ),
    ),
    DemoNomination(
        agency=RIVERTON,
        category="officer-wellness",
        ends_as=S.RETURNED,
        started=(4, 9),
        content={
            "title": "Peer Support Team",
            "participation": Participation.VOLUNTARY,
            "summary": (
                "Fourteen officers and two dispatchers, chosen by their colleagues and trained "
                "for 40 hours, contact every employee involved in a critical incident within 24 "
                "hours, and are available to anyone, any time, in confidence."
            ),
            "problem": (
                "After a line-of-duty death in a neighboring agency, several of our officers "
                "struggled for months without telling anyone. Our employee assistance program "
                "was barely used, and officers said they did not trust it."
            ),
            "data_before": (
                "In the year before the team: 9 first visits to the employee assistance program, "
                "6 resignations our exit interviews linked to stress, and only about 1 in 5 "
                "officers involved in a critical incident spoke to anyone about it."
            ),
            "description": (
                "Peers are nominated and voted for by colleagues. After a critical incident, the "
                "on-call peer contacts everyone involved within 24 hours. Peers refer to a panel "
                "of three clinicians who know police work, and the department pays for the first "
                "six sessions. Peers meet monthly with the team's clinical adviser."
            ),
            "implementation": (
                "A working group of officers, dispatchers and the union designed the team over "
                "six months. The first 16 peers were trained by the state's peer support "
                "association, and the confidentiality policy was signed before the first call."
            ),
            "partners": (
                "Ohio Peer Support Association (training); Riverton Behavioral Health (clinical "
                "adviser and referral panel); FOP Lodge 27."
            ),
            "policy_training": (
                "General Order 22.7 makes a peer contact automatic after a critical incident and "
                "protects what is said to a peer. Peers complete 40 hours of initial training and "
                "8 hours each year."
            ),
            "goals": (
                "Reach every officer involved in a critical incident within 24 hours; double "
                "first visits to counseling; fewer resignations linked to stress."
            ),
            "outcomes": [
                _outcome(
                    "Officers reached within 24 hours of a critical incident",
                    "20%",
                    "94%",
                    YEAR_VS_LAST,
                    "Peer team call log",
                ),
                _outcome(
                    "First counseling visits",
                    "9",
                    "31",
                    YEAR_VS_LAST,
                    "Employee assistance program report",
                ),
                _outcome(
                    "Resignations linked to stress", "6", "1", YEAR_VS_LAST, "Exit interviews"
                ),
            ],
            "participation_rates": (
                "The team made 212 contacts last year. In our anonymous survey, 78% of officers "
                "said they would call a peer if they were struggling."
            ),
            "integration": (
                "A peer is on the critical incident checklist next to the supervisor's report. "
                "Peers brief every recruit class and every new dispatcher."
            ),
            "sustainability": (
                "Training and the clinical adviser are a line in the operating budget; peers "
                "elect their own replacements every two years."
            ),
            "cost_funding": (
                "$18,000 a year: training, the clinical adviser's retainer and call-out "
                "overtime. The first year was funded by a state wellness grant."
            ),
            "promotion": (
                "Peers introduced themselves at every roll call; a wallet card lists the on-call "
                "number; the chief told her own story in a department video."
            ),
            "buy_in": (
                "Colleagues choose the peers, and nothing a peer hears reaches supervisors. "
                "The union co-wrote the policy."
            ),
            "advice": (
                "Let officers choose the peers and write confidentiality into policy before the "
                "first call."
            ),
            "resources_needed": (
                "A coordinator at about 20% of a position, a training budget, and a clinician "
                "who understands police work."
            ),
        },
        poster=Poster(
            "You are not alone. Call the peer team.",
            ("teal", (0, 128, 128)),
            ("navy", (16, 37, 84)),
            "heart",
        ),
        chart=True,
        documents=(
            Document(
                "Peer support team charter.pdf",
                "Riverton Police Peer Support Team: Charter",
                (
                    (
                        "Who we are. Officers and dispatchers chosen by their colleagues and "
                        "trained to listen, support and refer."
                    ),
                    (
                        "What we do. We contact every employee involved in a critical incident "
                        "within 24 hours, and anyone may call the on-call peer at any time."
                    ),
                    (
                        "Confidentiality. What is said to a peer stays with the peer, except a "
                        "threat to life, which the peer takes to the clinical adviser."
                    ),
                    (
                        "Referral. The department pays for the first six sessions with a clinician "
                        "from our panel."
                    ),
                ),
                description="The team's charter, approved by the chief and the union.",
            ),
        ),
        return_message=(
            "Thank you for this nomination. Before it goes to the Selection Committee, please add "
            "how many different officers used the team last year (not only the number of "
            "contacts), and attach General Order 22.7. Reply here if anything is unclear."
        ),
        thread=(
            (
                "agency@example.org",
                (
                    "Thanks, Pat. Who uses the team is confidential by design. Can we give it as a "
                    "share of sworn staff rather than a count by unit?"
                ),
            ),
            (
                "staff@example.org",
                (
                    "Yes, a percentage of sworn staff is fine, and an approximate figure is "
                    "enough. The judges never see anything about individual officers."
                ),
            ),
        ),
    ),
    DemoNomination(
        agency=RIVERTON,
        category="general-officer-safety",
        ends_as="resubmitted",
        started=(3, 6),
        content={
            "title": "Body Armor Fit and Wear Program",
            "participation": Participation.MANDATORY,
            "summary": (
                "Every officer wears body armor that fits on every shift. Vests are fitted by a "
                "trained quartermaster, checked at monthly inspection and replaced before their "
                "warranty runs out."
            ),
            "problem": (
                "Officers left vests in their lockers on hot days and in plain-clothes "
                "assignments, and many vests no longer fitted after years of use."
            ),
            "data_before": (
                "Vest wear at random checks was 82% in the year before the program, lower in "
                "summer."
            ),
            "description": (
                "A mandatory-wear policy with no summer exemption; vest carriers in a lighter "
                "fabric and outer carriers for plain-clothes work; a fitting by the quartermaster "
                "for every officer; and a monthly check of every vest's fit, condition and "
                "expiry date at shift inspection."
            ),
            "implementation": (
                "The quartermaster was trained by two manufacturers, fitted every officer over "
                "three months, and keeps a log of each vest's serial number and expiry date."
            ),
            "partners": "Ohio Bureau of Justice Assistance body armor grant program.",
            "policy_training": (
                "General Order 12.4 requires body armor on duty in uniform and in plain clothes. "
                "Sergeants check fit and expiry at monthly inspection using a written checklist."
            ),
            "goals": (
                "Vest wear above 98% at random checks, all year; no vest in service past its "
                "warranty."
            ),
            "outcomes": [
                _outcome(
                    "Vest wear at random checks",
                    "82%",
                    "99%",
                    YEAR_VS_LAST,
                    "Sergeants' random checks",
                ),
            ],
            "participation_rates": "All 142 sworn officers, uniform and plain clothes.",
            "integration": (
                "Vest checks are part of monthly shift inspection; fitting is part of every "
                "recruit's first week."
            ),
            "sustainability": (
                "Replacement is planned five years ahead in the equipment budget, with half "
                "the cost from the federal and state grant programs."
            ),
            "cost_funding": (
                "About $850 per vest; 30 to 35 vests replaced each year. Half is covered by "
                "grants, half by the equipment budget."
            ),
            "promotion": (
                "A letter from the chief to every officer's home, and a roll-call session with "
                "an officer whose vest stopped a round in a neighboring county."
            ),
            "buy_in": (
                "Officers chose the carrier fabric in a trial, and the policy applies to the "
                "command staff too."
            ),
            "advice": (
                "Fit matters as much as wear: a vest that does not fit is a vest that stays in "
                "the locker."
            ),
            "resources_needed": (
                "A trained quartermaster, a replacement budget and a simple log of serial "
                "numbers and expiry dates."
            ),
        },
        poster=Poster(
            "Fit it. Wear it. Go home.",
            ("charcoal", (45, 45, 50)),
            ("slate blue", (80, 100, 140)),
            "shield",
        ),
        documents=(
            Document(
                "Body armor policy.pdf",
                "General Order 12.4: Body Armor",
                (
                    (
                        "1. Officers wear department-issued body armor on duty, in uniform and in "
                        "plain clothes. There is no seasonal exemption."
                    ),
                    (
                        "2. Each vest is fitted by the quartermaster when issued and when an "
                        "officer's fit changes."
                    ),
                    "3. Vests are replaced before the manufacturer's warranty expires.",
                    "4. Sergeants check fit, condition and expiry at monthly inspection.",
                ),
                description="The body armor general order.",
            ),
        ),
        staff="staff2@example.org",
        return_message=(
            "Thank you. The judges will ask whether the vests fit, not only whether they are "
            "worn. Please add how many vests were refitted or replaced and how expiry dates are "
            "checked, and attach the inspection checklist if you have one."
        ),
        thread=(
            (
                "agency@example.org",
                (
                    "Done: we added the refit and replacement figures from the quartermaster's log "
                    "and attached the checklist sergeants use at inspection. Resubmitting now."
                ),
            ),
        ),
        changes={
            "summary": (
                "Every officer wears body armor that fits on every shift. Vests are fitted by a "
                "trained quartermaster, checked against a written checklist at monthly "
                "inspection and replaced before their warranty runs out: 37 vests were refitted "
                "or replaced in the first year."
            ),
            "data_before": (
                "Vest wear at random checks was 82% in the year before the program, and 64% in "
                "July and August. The quartermaster's first audit found 23 vests past their "
                "five-year warranty and 41 that no longer fitted."
            ),
            "outcomes": [
                _outcome(
                    "Vest wear at random checks",
                    "82%",
                    "99%",
                    YEAR_VS_LAST,
                    "Sergeants' random checks",
                ),
                _outcome(
                    "Vests refitted or replaced",
                    "0",
                    "37",
                    "First year of the program",
                    "Quartermaster's log",
                ),
                _outcome(
                    "Vests in service past warranty",
                    "23",
                    "0",
                    "First audit vs last audit",
                    "Quartermaster's log",
                ),
            ],
        },
        chart_after_return=True,
        documents_after_return=(
            Document(
                "Vest inspection checklist.pdf",
                "Monthly Body Armor Inspection Checklist",
                (
                    "For each officer on the shift, the sergeant checks and initials:",
                    "- The vest is worn and the carrier is closed at the sides.",
                    "- The front panel reaches the navel and covers the top of the sternum.",
                    "- Panels show no creases, tears or water damage.",
                    (
                        "- The expiry date on the panel label is more than 60 days away; if not, "
                        "the quartermaster is told the same day."
                    ),
                ),
                description="The checklist sergeants use at monthly inspection.",
            ),
        ),
    ),
    DemoNomination(
        agency=RIVERTON,
        category="officer-wellness",
        ends_as=S.WITHDRAWN,
        started=(2, 1),
        content={
            "title": "On-Duty Fitness Hour",
            "participation": Participation.VOLUNTARY,
            "summary": (
                "Officers may spend one hour of each shift week in the department gym, on the "
                "clock, with a coach from the city's recreation department twice a week."
            ),
            "problem": (
                "Back and knee injuries were our largest cause of lost days, and most officers "
                "on rotating shifts had no time to exercise."
            ),
            "data_before": (
                "212 days lost to musculoskeletal injuries and 64% passing the annual fitness "
                "assessment in the year before the program."
            ),
            "description": (
                "One paid hour a week in the department gym, scheduled by the sergeant so that "
                "minimum staffing holds. A coach runs mobility and strength sessions twice a "
                "week, and the annual assessment is now a coaching conversation, not a test."
            ),
            "implementation": (
                "We refitted an unused storage room as a gym with asset-forfeiture funds and "
                "agreed the scheduling rules with each shift's sergeant."
            ),
            "partners": "Riverton Parks and Recreation (coaching).",
            "policy_training": (
                "Administrative Order 7 sets the hour and the scheduling rules; every "
                "participant completes a 30-minute safety induction."
            ),
            "goals": "Fewer lost days from musculoskeletal injuries; more officers passing the "
            "annual assessment.",
            "outcomes": [
                _outcome(
                    "Officers passing the annual fitness assessment",
                    "64%",
                    "81%",
                    YEAR_VS_LAST,
                    "Assessment records",
                ),
                _outcome(
                    "Days lost to musculoskeletal injuries",
                    "212",
                    "131",
                    YEAR_VS_LAST,
                    "Workers' compensation claims",
                ),
            ],
            "participation_rates": "97 of 142 sworn officers used the hour at least twice a month.",
            "integration": "The hour is on the shift schedule like court time or training.",
            "sustainability": (
                "The coach is shared with the city's recreation department at no cost to us; "
                "equipment replacement is in the operating budget."
            ),
            "cost_funding": (
                "$22,000 to equip the gym (asset-forfeiture funds); about $3,000 a year since."
            ),
            "promotion": "Roll-call announcements and a monthly team challenge between shifts.",
            "buy_in": "Sergeants schedule the hour themselves, so no shift loses cover.",
            "advice": "Put the hour on the schedule; an optional hour nobody schedules is unused.",
            "resources_needed": "A room, basic equipment and a coach for two sessions a week.",
        },
        poster=Poster(
            "One hour a week. On the clock.",
            ("orange", (230, 120, 30)),
            ("dark red", (120, 20, 20)),
            "check",
        ),
        documents=(
            Document(
                "Fitness hour rules.pdf",
                "Administrative Order 7: On-Duty Fitness Hour",
                (
                    (
                        "Each sworn officer may spend one hour of each shift week in the "
                        "department gym on duty."
                    ),
                    "The shift sergeant schedules the hour so that minimum staffing holds.",
                    "Every participant completes a 30-minute safety induction first.",
                ),
            ),
        ),
        withdraw_reason=(
            "The city is folding the fitness hour into a wider wellness program next spring. "
            "We would rather nominate the finished program next year."
        ),
    ),
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
                _outcome(
                    "Single-vehicle crashes involving deputies",
                    "9",
                    "3",
                    YEAR_VS_LAST,
                    "County risk pool claims",
                ),
                _outcome(
                    "Deer-strike damage claims", "11", "4", YEAR_VS_LAST, "Fleet repair records"
                ),
                _outcome(
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
                _outcome("Recordable injuries", "27", "12", YEAR_VS_LAST, "OSHA 300 log"),
                _outcome("Lost workdays", "410", "160", YEAR_VS_LAST, "Payroll records"),
                _outcome(
                    "Deputies injured in use-of-force incidents",
                    "8",
                    "3",
                    YEAR_VS_LAST,
                    "Use-of-force reports",
                ),
                _outcome("Near-misses reported", "4", "56", YEAR_VS_LAST, "Committee records"),
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
                _outcome("Residents trained", "0", "1,240", "Two years", "Class sign-in sheets"),
                _outcome("Public tourniquet kits placed", "0", "48", "Two years", "EMS records"),
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
        staff="staff2@example.org",
        screen_reason=(
            "These awards recognize programs that protect the agency's own officers and staff. "
            "Your classes train residents, which is valuable work but outside the awards. If "
            "your deputies carry tourniquets and train with them too, that program could be "
            "nominated under General Officer Safety."
        ),
    ),
)


# Pictures ---------------------------------------------------------------------------


def _font(size):
    return ImageFont.load_default(size=size)


def _gradient(size, top, bottom):
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return image


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _draw_emblem(draw, emblem, cx, cy, r):
    white = (255, 255, 255)
    if emblem == "shield":
        draw.polygon(
            [
                (cx - r * 0.6, cy - r * 0.6),
                (cx, cy - r * 0.75),
                (cx + r * 0.6, cy - r * 0.6),
                (cx + r * 0.55, cy + r * 0.1),
                (cx, cy + r * 0.75),
                (cx - r * 0.55, cy + r * 0.1),
            ],
            fill=white,
        )
    elif emblem == "heart":
        k = r * 0.33
        draw.ellipse([cx - 2 * k, cy - 1.6 * k, cx, cy + 0.4 * k], fill=white)
        draw.ellipse([cx, cy - 1.6 * k, cx + 2 * k, cy + 0.4 * k], fill=white)
        draw.polygon(
            [
                (cx - 1.93 * k, cy - 0.2 * k),
                (cx, cy - 0.6 * k),
                (cx + 1.93 * k, cy - 0.2 * k),
                (cx, 2 * k + cy),
            ],
            fill=white,
        )
    elif emblem == "road":
        draw.polygon(
            [
                (cx - r * 0.15, cy - r * 0.7),
                (cx + r * 0.15, cy - r * 0.7),
                (cx + r * 0.6, cy + r * 0.65),
                (cx - r * 0.6, cy + r * 0.65),
            ],
            fill=white,
        )
        dark = (40, 40, 40)
        for i in range(4):
            top = cy - r * 0.6 + i * r * 0.35
            half = 0.02 * r + i * 0.015 * r
            draw.rectangle([cx - half, top, cx + half, top + r * 0.2], fill=dark)
    elif emblem == "check":
        draw.line(
            [(cx - r * 0.5, cy), (cx - r * 0.12, cy + r * 0.4), (cx + r * 0.55, cy - r * 0.45)],
            fill=white,
            width=round(r * 0.2),
            joint="curve",
        )
    elif emblem == "cross":
        arm = r * 0.18
        draw.rectangle([cx - arm, cy - r * 0.6, cx + arm, cy + r * 0.6], fill=white)
        draw.rectangle([cx - r * 0.6, cy - arm, cx + r * 0.6, cy + arm], fill=white)


EMBLEMS = {
    "shield": "a white shield",
    "heart": "a white heart",
    "road": "a white road with a dashed center line",
    "check": "a white check mark",
    "cross": "a white cross",
}


def poster_jpeg(poster, agency_name):
    """A 960 by 540 JPEG poster, saved with camera EXIF that the upload check must remove."""
    image = _gradient((960, 540), poster.top[1], poster.bottom[1]).convert("RGBA")
    # Faint white diagonal stripes for texture, and a dark panel that keeps the words legible.
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for x in range(-540, 960, 60):
        shapes.line([(x, 540), (x + 540, 0)], fill=(255, 255, 255, 22), width=12)
    shapes.rounded_rectangle([390, 90, 930, 330], radius=18, fill=(0, 0, 0, 110))
    image = Image.alpha_composite(image, overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    cx, cy, r = 200, 250, 150
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=10)
    _draw_emblem(draw, poster.emblem, cx, cy, r)
    headline_font, small_font = _font(50), _font(24)
    y = 112
    for line in _wrap(draw, poster.headline, headline_font, 500):
        draw.text((414, y), line, font=headline_font, fill=(255, 255, 255))
        y += 62
    draw.text((414, y + 20), agency_name, font=small_font, fill=(240, 240, 240))
    draw.rectangle([0, 500, 960, 540], fill=(255, 255, 255))
    draw.text(
        (24, 507),
        "Destination Zero: every officer home safe",
        font=small_font,
        fill=poster.bottom[1],
    )
    exif = Image.Exif()
    exif[0x010F] = "DemoCam"  # Make
    exif[0x0110] = "DemoCam 5"  # Model
    exif[0x013B] = agency_name  # Artist
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def poster_alt_text(poster, agency_name):
    return (
        f"Campaign poster: {EMBLEMS[poster.emblem]} in a circle on a background fading from "
        f"{poster.top[0]} to {poster.bottom[0]}, with the words \u201c{poster.headline}\u201d "
        f"and the name {agency_name}."
    )


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _number(text):
    match = _NUMBER.search(text or "")
    return float(match.group().replace(",", "")) if match else None


def _chart_rows(outcomes):
    rows = [
        r for r in outcomes if _number(r["before"]) is not None and _number(r["after"]) is not None
    ]
    return rows[:4]


def chart_png(title, outcomes):
    """A 960 by 540 PNG bar chart of the outcomes' figures before and after (with a text chunk)."""
    rows = _chart_rows(outcomes)
    image = Image.new("RGB", (960, 540), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    grey, blue, ink = (160, 160, 160), (31, 90, 166), (33, 37, 41)
    draw.text((40, 24), f"Before and after: {title}", font=_font(30), fill=ink)
    draw.rectangle([40, 74, 60, 94], fill=grey)
    draw.text((68, 72), "Before", font=_font(20), fill=ink)
    draw.rectangle([160, 74, 180, 94], fill=blue)
    draw.text((188, 72), "After", font=_font(20), fill=ink)
    base, top = 420, 150
    draw.line([(40, base), (920, base)], fill=ink, width=2)
    slot = 880 / max(len(rows), 1)
    label_font, value_font = _font(16), _font(20)
    for index, row in enumerate(rows):
        before, after = _number(row["before"]), _number(row["after"])
        biggest = max(before, after) or 1
        left = 40 + index * slot + slot * 0.2
        bar = slot * 0.28
        for offset, value, text, color in (
            (0, before, row["before"], grey),
            (bar + 6, after, row["after"], blue),
        ):
            height = max((base - top) * value / biggest, 2)
            x0 = left + offset
            draw.rectangle([x0, base - height, x0 + bar, base], fill=color)
            draw.text((x0 + 4, base - height - 26), text, font=value_font, fill=ink)
        y = base + 10
        for line in _wrap(draw, row["metric"], label_font, slot - 16)[:4]:
            draw.text((40 + index * slot + 8, y), line, font=label_font, fill=ink)
            y += 20
    info = PngInfo()
    info.add_text("Software", "Spreadsheet export")  # removed when the upload is re-encoded
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def chart_alt_text(outcomes):
    rows = _chart_rows(outcomes)
    text = "Bar chart of measured outcomes before and after the program:"
    for row in rows:
        part = f" {row['metric']}, {row['before']} before and {row['after']} after;"
        if len(text) + len(part) > 298:
            break
        text += part
    return text.rstrip(";") + "."


# Documents --------------------------------------------------------------------------


def _pdf_string(text):
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_document(title, paragraphs, *, agency_name):
    """A small, valid PDF with real text: a title, the agency and paragraphs, on letter pages."""
    lines = [("F2", 16, title), ("F1", 11, agency_name), ("F1", 11, "")]
    for paragraph in paragraphs:
        lines += [("F1", 11, part) for part in textwrap.wrap(paragraph, 88)] + [("F1", 11, "")]
    lines.append(("F1", 9, "Demo document created for the DZ Awards demo site."))
    per_page = 44
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]

    # 1 catalog, 2 page tree, 3 regular font, 4 bold font, 5 info; then page and content pairs.
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R>>",
        3: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        4: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>",
        5: b"<</Title" + _pdf_string(title) + b"/Producer(DZ Awards demo data)>>",
    }
    kids = []
    for index, page in enumerate(pages):
        page_id, content_id = 6 + 2 * index, 7 + 2 * index
        kids.append(f"{page_id} 0 R".encode())
        stream = b"BT 72 740 Td 15 TL\n"
        for font, size, text in page:
            stream += f"/{font} {size} Tf ".encode() + _pdf_string(text) + b" Tj T*\n"
        stream += b"ET"
        objects[page_id] = (
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
            b"/Resources<</Font<</F1 3 0 R/F2 4 0 R>>>>/Contents "
            + f"{content_id} 0 R".encode()
            + b">>"
        )
        objects[content_id] = (
            f"<</Length {len(stream)}>>\nstream\n".encode() + stream + b"\nendstream"
        )
    objects[2] = b"<</Type/Pages/Kids[" + b" ".join(kids) + f"]/Count {len(pages)}>>".encode()

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<</Size {size}/Root 1 0 R/Info 5 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# Loading ----------------------------------------------------------------------------


def _saved(user, nomination, content):
    result = services.nomination_save_draft(
        user=user, nomination=nomination, content=content, version=nomination.version
    )
    if not result.saved:  # pragma: no cover - nobody else edits while the demo loads
        msg = f"Demo nomination {nomination} changed while loading."
        raise RuntimeError(msg)
    return result.nomination


def _slug(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _add_files(user, nomination, spec, *, chart, documents, poster):
    """Upload the spec's files through `evidence_add`; returns the ids of the images."""
    agency_name = nomination.agency.name
    images = []
    if poster and spec.poster:
        evidence = services.evidence_add(
            user=user,
            nomination=nomination,
            upload=SimpleUploadedFile(
                f"{_slug(spec.title)}-poster.jpg",
                poster_jpeg(spec.poster, agency_name),
                "image/jpeg",
            ),
            kind=EvidenceKind.IMAGE,
            alt_text=poster_alt_text(spec.poster, agency_name),
            description="The poster used to promote the program.",
        )
        # Checked at once, as the worker would before the agency could submit.
        services.evidence_process_image(evidence.pk)
        images.append(evidence.pk)
    if chart:
        outcomes = nomination.outcomes
        evidence = services.evidence_add(
            user=user,
            nomination=nomination,
            upload=SimpleUploadedFile(
                f"{_slug(spec.title)}-outcomes.png", chart_png(spec.title, outcomes), "image/png"
            ),
            kind=EvidenceKind.IMAGE,
            alt_text=chart_alt_text(outcomes),
            description="The measured outcomes as a chart.",
        )
        services.evidence_process_image(evidence.pk)
        images.append(evidence.pk)
    for document in documents:
        services.evidence_add(
            user=user,
            nomination=nomination,
            upload=SimpleUploadedFile(
                document.file_name,
                pdf_document(document.title, document.paragraphs, agency_name=agency_name),
                "application/pdf",
            ),
            kind=document.kind,
            description=document.description,
        )
    return images


def _load_one(spec, *, agency, cycle, users):
    """Take one demo nomination through the services to its final state; returns image ids."""
    author = users[AGENCY_AUTHORS[spec.agency]]
    staff = users[spec.staff]
    year_back, month = spec.started
    content = {
        **spec.content,
        "category": cycle.categories.get(code=spec.category),
        "start_date": date(cycle.year - year_back, month, 1),
    }
    nomination = services.nomination_create(
        user=author, agency=agency, cycle=cycle, category=content["category"], title=spec.title
    )
    if spec.ends_as == "partial draft":
        _saved(author, nomination, content)
        return []
    content.update(AGENCY_CONTACTS[spec.agency], head_attestation=True)
    nomination = _saved(author, nomination, content)
    images = _add_files(
        author, nomination, spec, chart=spec.chart, documents=spec.documents, poster=True
    )
    if spec.ends_as == S.DRAFT:
        return images
    services.nomination_submit(user=author, nomination=nomination)
    if spec.ends_as == S.WITHDRAWN:
        services.nomination_withdraw(
            user=author, nomination=nomination, reason=spec.withdraw_reason
        )
    elif spec.ends_as == S.INELIGIBLE:
        services.nomination_screen_out(
            actor=staff, nomination=nomination, reason=spec.screen_reason
        )
    elif spec.ends_as in (S.RETURNED, "resubmitted"):
        services.nomination_return_for_changes(
            actor=staff, nomination=nomination, message=spec.return_message
        )
        for email, body in spec.thread:
            services.message_post(user=users[email], nomination=nomination, body=body)
    if spec.ends_as == "resubmitted":
        nomination = _saved(author, Nomination.objects.get(pk=nomination.pk), spec.changes)
        images += _add_files(
            author,
            nomination,
            spec,
            chart=spec.chart_after_return,
            documents=spec.documents_after_return,
            poster=False,
        )
        services.nomination_resubmit(user=author, nomination=nomination)
    return images


def load_demo_nominations(*, cycle, agencies, users):
    """Add the demo nominations missing from `cycle` (found by agency and title).

    Must run in a transaction. Returns the ids of the images added, which are
    still being checked: process them after the transaction commits.
    """
    images = []
    for spec in NOMINATIONS:
        agency = agencies[spec.agency]
        if Nomination.objects.filter(agency=agency, cycle=cycle, title=spec.title).exists():
            continue
        images += _load_one(spec, agency=agency, cycle=cycle, users=users)
    return images
