"""Demo review data: last year's cycle reviewed, scored and decided, through the review services.

The previous demo cycle gets its own nominations, from the two demo agencies
and four more, and goes through the whole review as staff and reviewers would:
reviewers are invited and accept, panels are set up per category, staff write
each review copy (the identity check runs on it), the automatic assignment
fills the panels, one reviewer declines for lack of time and is replaced at
once, another declares a conflict and is replaced too, a reviewer whose home
agency nominated is never assigned to it, reviews are scored (one reviewer
harsh, one lenient, one nomination splitting the panel), review opens and
closes, and decisions are staged and released, so that the scoreboard, the
charts and every decision state show real numbers and the agencies have their
outcome emails.

Two nominations come late and are still open: the demo reviewer
(reviewer@example.org) has one to accept and one with a draft review, beside
the reviews they submitted.

The services check the clock, so the past cycle is made to take submissions
and its scoring phase runs now while the demo is built; both are then moved
back to their real, past dates by queryset updates, with the submission,
review and release times that belong to them. A "Late reviews" phase runs now,
so the open nomination can still be reviewed; the current cycle gets its
panels and a scoring phase after its deadline. The emails all this queued
(invitations, assignments, receipts, outcomes) stay in the outbox marked as
sent, so that the worker does not print a year's mail when the demo starts.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from dz_awards.agencies.enums import AgencyType, MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from dz_awards.cycles.models import Cycle
from dz_awards.demo.nominations import pdf_document
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind, NominationState, Participation
from dz_awards.nominations.models import Nomination, NominationRevision
from reviews import selectors, services
from reviews.enums import AssignmentState, Confidence, DeclineReason, Outcome
from reviews.models import Assignment, Decision, Panel, Review, ReviewPhase

A = AssignmentState
S = NominationState
RIVERTON = "Riverton Police Department"
CEDAR = "Cedar County Sheriff's Office"
BAYVIEW = "Bayview Police Department"
MARLOW = "Marlow County Sheriff's Office"
NORTHFIELD = "Northfield Police Department"
EASTBROOK = "Eastbrook Police Department"

DEMO_REVIEWER = "reviewer@example.org"


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

# What each agency answers in the contact section.
HEADS = {
    RIVERTON: ("Chief Maria Delgado", "Chief of Police", "chief.delgado@riverton-pd.example.org"),
    CEDAR: ("Sheriff Thomas Whitfield", "Sheriff", "sheriff.whitfield@cedarcounty.example.org"),
    BAYVIEW: ("Chief Helen Park", "Chief of Police", "chief.park@bayview-pd.example.org"),
    MARLOW: ("Sheriff Ray Caldwell", "Sheriff", "sheriff.caldwell@marlowcounty.example.org"),
    NORTHFIELD: ("Chief Anders Holm", "Chief of Police", "chief.holm@northfield-pd.example.org"),
    EASTBROOK: ("Chief Denise Carter", "Chief of Police", "chief.carter@eastbrook-pd.example.org"),
}
OWNERS = {RIVERTON: "agency@example.org", CEDAR: "sheriff@example.org"} | {
    a.name: a.owner_email for a in PAST_AGENCIES
}


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
    DemoReviewer(DEMO_REVIEWER, "Chief (ret.) Dana Brooks", "VA", None, 0.0, 1, ALL),
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

# What each past nomination ends as.
WINNER = "winner"
FINALIST = "finalist"
NOT_SELECTED = "not selected"
STAGED_FINALIST = "staged finalist"
STAGED_NOT_SELECTED = "staged not selected"
REVIEWED = "reviewed"  # review closed, nothing decided yet
IN_REVIEW = "in review"  # late: the demo reviewer's draft
SUBMITTED = "submitted"  # late: waiting for the demo reviewer to accept
LATE = (IN_REVIEW, SUBMITTED)
RELEASED = {WINNER: Outcome.WINNER, FINALIST: Outcome.FINALIST, NOT_SELECTED: Outcome.NOT_SELECTED}
STAGED = {STAGED_FINALIST: Outcome.FINALIST, STAGED_NOT_SELECTED: Outcome.NOT_SELECTED}


@dataclass(frozen=True)
class PastNomination:
    """One nomination of last year. In the texts, {agency} and {city} stand for the
    agency's own name and city; in the copy staff prepare for reviewers they become
    "the agency" and "the city"."""

    agency: str
    category: str
    title: str
    blind_title: str
    quality: float  # how good it is, on the 1 to 5 scale, before reviewers' biases
    ends_as: str
    started: tuple  # (years before the cycle's year, month)
    participation: str
    summary: str
    problem: str
    data_before: str
    description: str
    outcomes: tuple  # (metric, before, after)
    executive_summary: str
    splits_panel: bool = False
    demo_reviewer: bool = False  # the demo reviewer is assigned by hand
    document: tuple = ()  # (file name, title, paragraphs): a file with no agency identity


PAST_NOMINATIONS = (
    PastNomination(
        NORTHFIELD,
        "general-officer-safety",
        "Every Call a Briefing: Pre-Shift Threat Reviews",
        "Pre-shift threat reviews for every patrol shift",
        4.3,
        WINNER,
        (3, 5),
        Participation.MANDATORY,
        "Every patrol shift at {agency} starts with a ten-minute threat review: known violent "
        "addresses, open warrants and officer-safety alerts from the last 72 hours, pushed to "
        "each car's terminal. Officers arriving at a flagged address wait for a cover unit.",
        "Two officers were shot at addresses with a documented history of violence that "
        "neither of them knew about. The information existed in three systems nobody read "
        "before a call.",
        "In the two years before the program: 19 assaults on officers at addresses already "
        "flagged in records, 2 officers shot, and a cover unit present at 41% of calls to "
        "flagged addresses.",
        "An analyst prepares the briefing from records, warrants and bulletins; sergeants "
        "deliver it at roll call, and dispatch marks flagged addresses on every call. Policy "
        "requires a cover unit at a flagged address unless a supervisor decides otherwise.",
        (
            ("Assaults on officers at flagged addresses", "19", "6"),
            ("Calls to flagged addresses with a cover unit", "41%", "93%"),
        ),
        "A mid-sized municipal department built a daily threat briefing from its records and "
        "warrant systems and flags dangerous addresses on every dispatched call. Assaults at "
        "flagged addresses fell from 19 to 6 over two years, with cover units now at 93% of "
        "such calls.",
    ),
    PastNomination(
        BAYVIEW,
        "general-officer-safety",
        "Bayview Body Armor Compliance Audits",
        "Body armor compliance audits",
        3.7,
        FINALIST,
        (4, 2),
        Participation.MANDATORY,
        "Sergeants at {agency} check body armor fit, expiry and wear on a random schedule, and "
        "any vest that fails a check is replaced within a week. Results go to command staff "
        "every month.",
        "An internal review found that one vest in five was past its warranty date and that "
        "many officers took their vests off in hot weather.",
        "At the first audit 22% of vests were expired, and wear compliance at random checks "
        "was 74%.",
        "A quartermaster tracks every vest's issue and expiry date; random audits reach each "
        "officer at least twice a year. Summer carriers and cooling inserts make wearing a "
        "vest in hot weather bearable.",
        (
            ("Vests past warranty", "22%", "0%"),
            ("Wear compliance at random checks", "74%", "98%"),
        ),
        "A coastal municipal department audits body armor fit, expiry and wear at random and "
        "replaces failed vests within a week. Expired vests fell from 22% to none and wear "
        "compliance rose from 74% to 98%.",
    ),
    PastNomination(
        EASTBROOK,
        "general-officer-safety",
        "Foot Pursuit Policy and Training",
        "Foot pursuit policy and training",
        2.4,
        NOT_SELECTED,
        (1, 9),
        Participation.MANDATORY,
        "{agency} adopted a foot pursuit policy and a four-hour training block on when to end "
        "a pursuit and how to set up a perimeter instead.",
        "Officers were hurt in foot pursuits several times a year, often alone and out of "
        "radio contact.",
        "Six officer injuries in foot pursuits in the year before the policy; the number of "
        "pursuits was not recorded.",
        "The policy lists when a pursuit should end and requires the pursuing officer to "
        "broadcast location and direction. Training uses video of real pursuits and a short "
        "scenario course.",
        (("Officer injuries in foot pursuits", "6", "4"),),
        "A suburban department wrote its first foot pursuit policy and trained every officer "
        "on it in a four-hour block. Injuries in foot pursuits fell from 6 to 4 in the first "
        "year; pursuits were not counted before the policy.",
    ),
    PastNomination(
        MARLOW,
        "officer-traffic-safety",
        "Marlow County Rural Roads Safety Plan",
        "Rural roads safety plan for deputies",
        4.4,
        WINNER,
        (3, 1),
        Participation.MANDATORY,
        "{agency} mapped where its deputies crash on rural roads, changed patrol routes and "
        "speeds on the worst stretches, and gave every deputy a day of rural driving training.",
        "Deputies drive long distances at night on two-lane roads with deer, farm equipment "
        "and no shoulders. The office lost a deputy in a single-vehicle crash.",
        "In the three years before the plan: 31 crashes involving patrol units, 9 deputies "
        "injured and one killed; 60% of the crashes happened on four road segments.",
        "Crash data and deputies' own reports identified the four worst segments; deputies "
        "now patrol them at set speeds and use pull-offs the road department built. The "
        "training day covers night driving, animal strikes and off-road recovery.",
        (
            ("Crashes involving patrol units a year", "10.3", "3"),
            ("Deputies injured in crashes", "9 in three years", "1 in two years"),
        ),
        "A large rural sheriff's office mapped where its deputies crashed, changed patrol "
        "practice on four road segments and trained every deputy in rural night driving. "
        "Patrol crashes fell from about 10 a year to 3, with one injury in two years.",
    ),
    PastNomination(
        RIVERTON,
        "officer-traffic-safety",
        "Move Over, Slow Down Community Campaign",
        "Move over, slow down campaign for drivers",
        2.6,
        NOT_SELECTED,
        (1, 6),
        Participation.VOLUNTARY,
        "A public campaign reminding drivers in {city} to move over and slow down for stopped "
        "emergency vehicles, with billboards, school visits and social media.",
        "Officers at roadside stops were clipped by passing cars twice in one year.",
        "Two officers struck at roadside stops in the year before; near misses were not counted.",
        "Officers visited driving schools and high schools, the city paid for four "
        "billboards, and the department posted short videos. Traffic officers handed out "
        "cards explaining the law at stops.",
        (
            ("Officers struck at roadside stops", "2", "1"),
            ("Views of the campaign videos", "0", "about 40,000"),
        ),
        "A municipal department ran a public move-over campaign with billboards, school "
        "visits and online videos. Officers struck at roadside stops fell from 2 to 1; the "
        "campaign's reach is counted in views rather than in drivers' behavior.",
    ),
    PastNomination(
        NORTHFIELD,
        "officer-traffic-safety",
        "Crash Review Board",
        "Crash review board for police vehicle collisions",
        3.5,
        STAGED_FINALIST,
        (2, 8),
        Participation.MANDATORY,
        "Every crash involving a vehicle of {agency} goes to a board of peers, a fleet manager "
        "and a driving instructor, which recommends training, equipment or policy changes "
        "rather than discipline.",
        "Crash reviews used to end in discipline or in nothing, so officers minimized what "
        "happened and the same kinds of crashes kept recurring.",
        "In the year before the board: 27 crashes, 11 judged preventable, and no record of "
        "what was learned from any of them.",
        "The board meets monthly, interviews the officers involved and publishes a one-page "
        "lesson to the whole department. Its recommendations so far include intersection "
        "clearing drills and moving in-car computer mounts.",
        (
            ("Crashes involving police vehicles", "27", "19"),
            ("Preventable crashes", "11", "5"),
        ),
        "A municipal department sends every police vehicle crash to a peer review board that "
        "recommends training and equipment changes instead of discipline. Crashes fell from "
        "27 to 19 and preventable ones from 11 to 5 in two years; the program is recent.",
        splits_panel=True,
        demo_reviewer=True,
    ),
    PastNomination(
        EASTBROOK,
        "officer-wellness",
        "Family Resilience Academy",
        "Family resilience academy for officers and their families",
        4.2,
        WINNER,
        (3, 3),
        Participation.VOLUNTARY,
        "Twice a year {agency} runs a weekend academy for officers' spouses, partners and "
        "older children about the job, stress, shift work and getting help, with free "
        "childcare.",
        "Officers told us their families did not understand the job and did not know where "
        "to turn when an officer was struggling.",
        "Before the academy, 4% of officers' family members had ever used the employee "
        "assistance program; the family survey scored 2.6 out of 5 on knowing where to get "
        "help.",
        "A clinician, a chaplain and spouses who have been through the academy teach the "
        "sessions. Families get a ride-along, a tour of dispatch and a resource guide to keep.",
        (
            ("Family members using the assistance program", "4%", "17%"),
            ("Family survey: knowing where to get help (out of 5)", "2.6", "4.3"),
        ),
        "A municipal department runs a twice-yearly weekend academy for officers' families on "
        "stress, shift work and getting help, with childcare provided. Family use of the "
        "assistance program rose from 4% to 17%; 310 family members have attended.",
    ),
    PastNomination(
        CEDAR,
        "officer-wellness",
        "Sleep and Shift-Length Reform",
        "Sleep and shift-length reform",
        3.6,
        FINALIST,
        (2, 10),
        Participation.MANDATORY,
        "{agency} capped shifts at twelve hours including overtime, moved to a "
        "forward-rotating schedule and gives every deputy sleep coaching.",
        "Deputies routinely worked 16-hour days once court and overtime were added, and two "
        "fatigue-related crashes happened in one year.",
        "Before the change: an average longest shift of 15.2 hours a week, 2 fatigue-related "
        "crashes, and 38% of deputies sleeping under six hours.",
        "Court appearances are scheduled within the cap, overtime is rotated, and a sleep "
        "coach meets every deputy once. Supervisors can send a tired deputy home without loss "
        "of pay.",
        (
            ("Average longest shift of the week (hours)", "15.2", "11.6"),
            ("Deputies sleeping under six hours", "38%", "19%"),
        ),
        "A rural sheriff's office capped shifts at twelve hours, moved to a forward-rotating "
        "schedule and added sleep coaching. Deputies sleeping under six hours fell from 38% "
        "to 19%, with no fatigue-related crash since.",
    ),
    PastNomination(
        BAYVIEW,
        "officer-wellness",
        "Annual Cardiac Screening",
        "Annual cardiac screening for officers",
        3.0,
        REVIEWED,
        (2, 4),
        Participation.VOLUNTARY,
        "Officers of {agency} can have a free annual cardiac screening, stress test included, "
        "with results going only to the officer and their doctor.",
        "Heart attacks are a leading cause of on-duty deaths, and the department lost an "
        "officer to a cardiac event after a foot chase.",
        "No screening before; a voluntary survey found that 29% of officers had not seen a "
        "doctor in three years.",
        "A local hospital runs the screenings over two weeks each spring. Officers with risk "
        "factors are offered a follow-up with a cardiologist and a fitness plan.",
        (("Officers screened", "0", "61%"), ("Officers referred for follow-up", "0", "23")),
        "A municipal department offers free, confidential annual cardiac screening with a "
        "stress test through a local hospital. 61% of officers took part and 23 were referred "
        "for follow-up; outcomes beyond participation are not measured yet.",
        demo_reviewer=True,
    ),
    PastNomination(
        RIVERTON,
        "comprehensive-safety",
        "Riverton Safety Officer Program",
        "Full-time safety officer program",
        4.0,
        WINNER,
        (4, 1),
        Participation.MANDATORY,
        "{agency} made one sergeant its full-time safety officer, who reviews every injury, "
        "crash and use of force and turns them into changes in policy, training and equipment.",
        "Injuries were investigated by whichever supervisor was on duty, and the lessons were "
        "lost.",
        "In the year before: 47 officer injuries, 14 crashes and 312 work days lost.",
        "The safety officer attends every serious incident, keeps a record of injuries and "
        "near misses and chairs a quarterly safety committee with the union. Changes so far "
        "include new traffic vests, a tourniquet for every officer and a revised "
        "vehicle-stop policy.",
        (("Officer injuries", "47", "26"), ("Work days lost to injury", "312", "141")),
        "A municipal department made one sergeant a full-time safety officer who reviews "
        "every injury, crash and use of force and drives changes in policy, training and "
        "equipment. Injuries fell from 47 to 26 and lost work days from 312 to 141 in four "
        "years.",
    ),
    PastNomination(
        MARLOW,
        "comprehensive-safety",
        "Near-Miss Reporting System",
        "Anonymous near-miss reporting",
        2.9,
        STAGED_NOT_SELECTED,
        (1, 11),
        Participation.VOLUNTARY,
        "Deputies of {agency} can report a near miss anonymously through a short online form; "
        "a committee reviews the reports every month.",
        "Close calls were never reported, so the office learned only from incidents after "
        "someone was hurt.",
        "No near-miss reports before the system.",
        "The form takes two minutes and asks what happened, what almost happened and what "
        "would prevent it. The committee posts a summary of lessons at each station.",
        (("Near-miss reports a month", "0", "5"), ("Changes made after a report", "0", "7")),
        "A rural sheriff's office set up an anonymous online near-miss report, reviewed "
        "monthly by a committee. It gets about five reports a month and seven changes "
        "followed in the first year; injury figures are not given.",
        demo_reviewer=True,
    ),
    PastNomination(
        BAYVIEW,
        "comprehensive-safety",
        "Critical Incident Review Cycle",
        "After-action reviews of critical incidents",
        3.3,
        REVIEWED,
        (2, 7),
        Participation.MANDATORY,
        "After every critical incident {agency} holds a structured after-action review within "
        "ten days and tracks each recommendation until it is done.",
        "After-action reviews happened only after the worst incidents, and their "
        "recommendations were rarely followed up.",
        "Before: four reviews a year, and 35% of recommendations completed within a year.",
        "A trained facilitator runs each review with everyone involved, dispatch included. "
        "Each recommendation gets an owner and a deadline and stays on the command staff "
        "agenda until it is closed.",
        (
            ("After-action reviews a year", "4", "21"),
            ("Recommendations completed within a year", "35%", "82%"),
        ),
        "A municipal department holds a facilitated after-action review within ten days of "
        "every critical incident and tracks each recommendation to completion. Reviews rose "
        "from 4 to 21 a year and completed recommendations from 35% to 82%.",
        demo_reviewer=True,
    ),
    PastNomination(
        CEDAR,
        "comprehensive-safety",
        "Deputy Safety Committee",
        "Deputy-led safety committee",
        3.8,
        IN_REVIEW,
        (3, 9),
        Participation.MANDATORY,
        "A committee of deputies from every division of {agency} meets monthly, reviews "
        "injuries and close calls, and proposes changes that the sheriff answers within 30 "
        "days.",
        "Deputies felt that safety decisions were made without them and that their concerns "
        "went nowhere.",
        "In the year before the committee: 23 deputy injuries, 6 crashes, and a staff survey "
        "in which 31% agreed that safety concerns were acted on.",
        "Members are elected by their divisions for two years. The committee has changed jail "
        "transport procedures, added a second deputy to night civil process and bought new "
        "traffic cones and lights.",
        (("Deputy injuries", "23", "14"), ("Survey: safety concerns are acted on", "31%", "72%")),
        "A rural sheriff's office has a committee of elected deputies that reviews injuries "
        "and close calls and proposes changes the sheriff must answer within 30 days. "
        "Injuries fell from 23 to 14, and agreement that concerns are acted on rose from 31% "
        "to 72%.",
        demo_reviewer=True,
        document=(
            "safety-committee-evaluation.pdf",
            "Safety committee: three-year evaluation",
            (
                (
                    "The committee met 34 times in three years and made 41 proposals; 33 were "
                    "adopted, 5 were adopted in part and 3 were declined with reasons."
                ),
                (
                    "Deputy injuries fell from 23 in the year before the committee to 14 in the "
                    "third year. Crashes fell from 6 to 3."
                ),
                (
                    "In the staff survey, agreement that safety concerns are acted on rose from "
                    "31% to 72%, and 88% of deputies knew who their division's member was."
                ),
            ),
        ),
    ),
    PastNomination(
        NORTHFIELD,
        "comprehensive-wellness",
        "Whole-Officer Wellness Plan",
        "Whole-officer wellness plan",
        4.1,
        WINNER,
        (4, 6),
        Participation.MIXED,
        "{agency} combines an annual wellness check, on-duty fitness time, peer support, "
        "financial counseling and a family program in one plan run by a wellness coordinator.",
        "Wellness programs had been started one at a time, and few officers used any of them.",
        "Before the plan: 12% of officers used any wellness service in a year, and sick leave "
        "came to 2,900 hours a year.",
        "A full-time coordinator runs the plan with a clinician, the peer team and human "
        "resources. Each officer gets a yearly confidential check-in and an hour of fitness "
        "time per shift.",
        (
            ("Officers using at least one wellness service", "12%", "78%"),
            ("Sick hours a year", "2,900", "1,950"),
        ),
        "A municipal department brought its wellness programs together under a full-time "
        "coordinator: a yearly confidential check-in, on-duty fitness time, peer support, "
        "financial counseling and a family program. Use of any wellness service rose from "
        "12% to 78%.",
    ),
    PastNomination(
        RIVERTON,
        "comprehensive-wellness",
        "Financial Fitness for Officers",
        "Financial fitness classes for officers",
        2.7,
        NOT_SELECTED,
        (1, 3),
        Participation.VOLUNTARY,
        "{agency} offers evening classes on budgeting, debt and retirement planning, taught "
        "by a credit union.",
        "Several officers worked long off-duty jobs to pay debts, which left them tired on duty.",
        "No figures before the classes.",
        "Six evening classes a year, open to officers and their partners, with one-to-one "
        "sessions on request.",
        (("Officers attending at least one class", "0", "34"),),
        "A municipal department offers voluntary evening classes on budgeting, debt and "
        "retirement, run by a credit union. 34 officers attended; there are no figures on "
        "off-duty work or finances.",
    ),
    PastNomination(
        MARLOW,
        "comprehensive-wellness",
        "Peer Support and Chaplaincy Network",
        "Peer support and chaplaincy network",
        3.4,
        FINALIST,
        (3, 2),
        Participation.VOLUNTARY,
        "Trained peer supporters and volunteer chaplains of {agency} contact every deputy "
        "involved in a critical incident within 24 hours and stay in touch for a month.",
        "Deputies at remote stations dealt with traumatic calls alone, far from any support.",
        "Before the network: no contact after incidents, and 5 stress-related resignations in "
        "two years.",
        "Twelve peers and four chaplains cover every station; contacts are confidential and "
        "logged only as counts. Peers refer deputies to a clinician when needed.",
        (
            ("Deputies contacted within 24 hours of a critical incident", "0%", "96%"),
            ("Stress-related resignations in two years", "5", "1"),
        ),
        "A rural sheriff's office trained peers and volunteer chaplains who contact every "
        "deputy within 24 hours of a critical incident. Contacts within a day reached 96%, "
        "and stress-related resignations fell from 5 to 1 in two years.",
    ),
    PastNomination(
        EASTBROOK,
        "comprehensive-wellness",
        "Mind, Body, Badge",
        "Combined mental and physical wellness program",
        3.6,
        SUBMITTED,
        (2, 1),
        Participation.MANDATORY,
        "{agency} pairs a yearly mental health check-in with a fitness assessment and a "
        "personal plan for every officer, with time on duty to follow it.",
        "Officers treated mental and physical health separately and used neither service "
        "until a crisis.",
        "Before the program: 8% of officers used counseling in a year, and 41% passed the "
        "fitness assessment.",
        "A clinician and a fitness coordinator see each officer on the same day and agree a "
        "plan with them. Officers get two hours a week on duty for exercise and can book "
        "counseling without a supervisor's approval.",
        (
            ("Officers using counseling in a year", "8%", "27%"),
            ("Officers passing the fitness assessment", "41%", "66%"),
        ),
        "A municipal department gives every officer a yearly mental health check-in and a "
        "fitness assessment on the same day, with a personal plan and exercise time on duty. "
        "Counseling use rose from 8% to 27% and fitness passes from 41% to 66%.",
        demo_reviewer=True,
        document=(
            "wellness-program-results.pdf",
            "Mental and physical wellness program: results after two years",
            (
                (
                    "Every officer had a check-in and a fitness assessment on the same day in "
                    "each of the two years; 94% agreed a personal plan."
                ),
                (
                    "Counseling use rose from 8% to 27% of officers a year. Passes of the fitness "
                    "assessment rose from 41% to 66%."
                ),
                (
                    "Two hours of exercise a week on duty cost about 4% of patrol hours, covered "
                    "by adjusting shift overlaps."
                ),
            ),
        ),
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


# Loading ----------------------------------------------------------------------------------


def load_demo_reviews(*, past, current, users, agencies, password):
    """Add the review demo: last year's cycle reviewed and decided, the current cycle set up.

    Must run in a transaction. Idempotent: last year's review is made only while
    that cycle has no nominations and no review phase; panels and the current
    cycle's phase are only added when missing.
    """
    staff = users["staff@example.org"]
    if not (past.nominations.exists() or ReviewPhase.objects.filter(cycle=past).exists()):
        _load_past_review(past=past, staff=staff, agencies=agencies, password=password)
    _panels(current)
    ReviewPhase.objects.get_or_create(
        cycle=current,
        name="Scoring",
        defaults={
            "starts_at": current.closes_at + timedelta(days=1),
            "ends_at": current.closes_at + timedelta(days=60),
            "reviews_open": True,
            "blind": True,
            "show_others": False,
        },
    )


def _panels(cycle):
    """One panel per category of `cycle`, with the demo reviewers who sit on it."""
    people = {
        u.email: u for u in get_user_model().objects.filter(email__in=[r.email for r in REVIEWERS])
    }
    for category in cycle.categories.all():
        panel, _ = Panel.objects.get_or_create(category=category)
        members = [
            people[r.email] for r in REVIEWERS if category.code in r.panels and r.email in people
        ]
        panel.members.add(*members)


def _load_past_review(*, past, staff, agencies, password):
    now = timezone.now()
    emails_before = OutboxEmail.objects.aggregate(last=Max("id"))["last"] or 0
    agencies = {**agencies, **_past_agencies(staff, password, now)}
    reviewers = _reviewers(staff, agencies, password)
    _panels(past)
    nominations = _past_nominations(past, agencies, now)
    # The scoring phase runs now while reviews are written; it is moved back at the end.
    scoring = ReviewPhase.objects.create(
        cycle=past,
        name="Scoring",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        reviews_open=True,
        blind=True,
        show_others=False,
    )
    main = [spec for spec in PAST_NOMINATIONS if spec.ends_as not in LATE]
    _review(staff, past, reviewers, {spec: nominations[spec] for spec in main})
    _decide(staff, past, {spec: nominations[spec] for spec in main})
    scoring_start, scoring_end = _scoring_dates(past, now)
    ReviewPhase.objects.create(
        cycle=past,
        name="Late reviews",
        starts_at=scoring_end,
        ends_at=now + timedelta(days=21),
        reviews_open=True,
        blind=True,
        show_others=True,
    )
    late = {spec: nominations[spec] for spec in PAST_NOMINATIONS if spec.ends_as in LATE}
    _review_late(staff, past, reviewers, late)
    ReviewPhase.objects.filter(pk=scoring.pk).update(starts_at=scoring_start, ends_at=scoring_end)
    _backdate(
        past,
        [nominations[spec].pk for spec in main],
        [nominations[spec].pk for spec in PAST_NOMINATIONS],
        (scoring_start, scoring_end),
        now,
    )
    # Last year's emails went out last year: the worker is not to send them again now.
    OutboxEmail.objects.filter(id__gt=emails_before, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENT, sent_at=now
    )


def _past_nominations(past, agencies, now):
    """Each agency submits its nominations, the cycle taking submissions meanwhile."""
    deadline = {"opens_at": past.opens_at, "closes_at": past.closes_at}
    Cycle.objects.filter(pk=past.pk).update(
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(hours=1)
    )
    past.refresh_from_db()
    nominations = {spec: _submitted(spec, past, agencies[spec.agency]) for spec in PAST_NOMINATIONS}
    Cycle.objects.filter(pk=past.pk).update(**deadline)
    past.refresh_from_db()
    return nominations


def _review(staff, past, reviewers, nominations):
    """Copies, assignment (the demo reviewer by hand, the rest automatic), one decline
    and one conflict replaced, acceptance, review opened, reviews submitted, closed."""
    demo = reviewers[DEMO_REVIEWER]
    for spec, nomination in nominations.items():
        _review_copy(staff, nomination)
        if spec.demo_reviewer:
            services.assignment_add(actor=staff, nomination=nomination, reviewer=demo)
    run = services.assignment_auto(actor=staff, cycle=past)
    if run.shortfalls or run.categories_without_panel:  # pragma: no cover - the demo is sized
        msg = f"Demo assignment left seats empty: {run.shortfalls}"
        raise RuntimeError(msg)
    ids = [n.pk for n in nominations.values()]
    _decline_and_conflict(reviewers, ids)
    for row in Assignment.objects.filter(nomination__in=ids, state=A.INVITED).order_by("pk"):
        services.assignment_accept(user=row.reviewer, assignment=row)
    for nomination in nominations.values():
        services.nomination_open_review(actor=staff, nomination=nomination)
    for spec, nomination in nominations.items():
        _submit_reviews(spec, nomination)
        services.nomination_close_review(actor=staff, nomination=nomination)


def _decide(staff, past, nominations):
    """Winners, finalists and not selected released together; two more staged after."""
    for spec, nomination in nominations.items():
        if spec.ends_as in RELEASED:
            services.decision_stage(
                actor=staff, nomination=nomination, outcome=RELEASED[spec.ends_as]
            )
    services.decisions_release(actor=staff, cycle=past)
    for spec, nomination in nominations.items():
        if spec.ends_as in STAGED:
            services.decision_stage(
                actor=staff, nomination=nomination, outcome=STAGED[spec.ends_as]
            )


def _review_late(staff, past, reviewers, nominations):
    """The late nominations: one waits for the demo reviewer to accept, one is in review
    with the demo reviewer's draft."""
    demo = reviewers[DEMO_REVIEWER]
    for nomination in nominations.values():
        _review_copy(staff, nomination)
        services.assignment_add(actor=staff, nomination=nomination, reviewer=demo)
    services.assignment_auto(actor=staff, cycle=past)
    for spec, nomination in nominations.items():
        for row in nomination.assignments.filter(state=A.INVITED).exclude(reviewer=demo):
            services.assignment_accept(user=row.reviewer, assignment=row)
        if spec.ends_as == IN_REVIEW:
            mine = nomination.assignments.get(reviewer=demo)
            services.assignment_accept(user=demo, assignment=mine)
            services.nomination_open_review(actor=staff, nomination=nomination)
            _submit_reviews(spec, nomination, draft_by=demo)


def _scoring_dates(past, now):
    """(start, end) of last year's scoring phase: after the deadline, over before now."""
    end = min(past.closes_at + timedelta(days=45), now - timedelta(days=2))
    start = past.closes_at + timedelta(days=1)
    if end - start < timedelta(days=7):  # loaded just after the deadline
        start = end - timedelta(days=14)
    return start, end


def _backdate(past, main_ids, all_ids, scoring, now):
    """Give what was made now the times it had last year: submissions before the
    deadline, reviews within the scoring phase, the release after it."""
    scoring_start, scoring_end = scoring
    for index, pk in enumerate(all_ids):
        submitted = past.closes_at - timedelta(days=2 * (len(all_ids) - index), hours=index)
        Nomination.objects.filter(pk=pk).update(submitted_at=submitted)
        NominationRevision.objects.filter(nomination_id=pk).update(created_at=submitted)
    Assignment.objects.filter(nomination__in=main_ids).update(due_at=scoring_end)
    reviews = list(
        Review.objects.filter(
            assignment__nomination__in=main_ids, submitted_at__isnull=False
        ).order_by("pk")
    )
    span = scoring_end - scoring_start
    for index, review in enumerate(reviews):
        review.submitted_at = scoring_start + span * (index + 1) / (len(reviews) + 1)
        review.updated_at = review.submitted_at
    Review.objects.bulk_update(reviews, ["submitted_at", "updated_at"])
    Decision.objects.filter(nomination__cycle=past, released_at__isnull=False).update(
        released_at=scoring_end + (now - scoring_end) / 2,
        staged_at=scoring_end + (now - scoring_end) / 3,
    )


def _past_agencies(staff, password, now):
    """The four agencies that nominated only last year, each with its owner."""
    agencies = {}
    for spec in PAST_AGENCIES:
        owner, created = get_user_model().objects.get_or_create(
            email=spec.owner_email,
            defaults={
                "full_name": spec.owner_name,
                "job_title": spec.owner_title,
                "email_verified_at": now,
            },
        )
        if created:
            owner.set_password(password)
            owner.save(update_fields=["password"])
        agency, _ = Agency.objects.get_or_create(
            name=spec.name,
            state=spec.state,
            defaults={
                "agency_type": spec.kind,
                "city": spec.city,
                "sworn_officers": spec.sworn,
                "civilian_staff": spec.civilians,
                "ori": spec.ori,
                "website": "https://www.example.org/",
                "contact_name": owner.full_name,
                "contact_title": owner.job_title,
                "contact_email": owner.email,
                "created_by": owner,
                "verified_at": now,
                "verified_by": staff,
            },
        )
        Membership.objects.get_or_create(
            agency=agency,
            user=owner,
            defaults={
                "role": MembershipRole.OWNER,
                "status": MembershipStatus.APPROVED,
                "decided_at": now,
                "decided_by": owner,
            },
        )
        agencies[spec.name] = agency
    return agencies


def _reviewers(staff, agencies, password):
    """Invite each demo reviewer and accept the invitation as they would: {email: user}."""
    users = get_user_model().objects
    reviewers = {}
    for spec in REVIEWERS:
        invitation, token = services.reviewer_invite(
            actor=staff,
            email=spec.email,
            full_name=spec.name,
            home_agency=agencies.get(spec.home_agency),
            state=spec.state,
        )
        existing = users.filter(email__iexact=spec.email).first()
        reviewers[spec.email] = services.invitation_accept(
            pk=invitation.pk, token=token, user=existing, password=password
        )
    return reviewers


def _fill(text, agency, *, redacted=False):
    if redacted:
        return text.format(agency="the agency", city="the city")
    return text.format(agency=agency.name, city=agency.city)


def _content(spec, cycle, agency):
    """Every answer of the nomination form, in the agency's own words."""
    name = agency.name
    head_name, head_title, head_email = HEADS[spec.agency]
    index = PAST_NOMINATIONS.index(spec)
    years_back, month = spec.started
    rate = min(99, round(40 + spec.quality * 12))
    return {
        "title": spec.title,
        "category": cycle.categories.get(code=spec.category),
        "start_date": date(cycle.year - years_back, month, 1),
        "participation": spec.participation,
        "summary": _fill(spec.summary, agency),
        "problem": spec.problem,
        "data_before": spec.data_before,
        "description": spec.description,
        "implementation": (
            f"{name} piloted the program with one shift for three months, adjusted it with "
            "the supervisors' feedback and then extended it to every shift. A lieutenant owns "
            "it and reports to command staff each quarter."
        ),
        "partners": f"City of {agency.city}; the regional training academy.",
        "policy_training": (
            "A written directive sets out who does what. Every officer is trained on it at "
            "annual in-service training, and new officers learn it in field training."
        ),
        "goals": (
            f"Improve “{spec.outcomes[0][0].lower()}” within two years, and involve every officer."
        ),
        "participation_rates": (
            f"Of our {agency.sworn_officers} sworn officers, {rate}% took part last year."
        ),
        "outcomes": [
            {
                "metric": metric,
                "before": before,
                "after": after,
                "period": "Year before launch vs last 12 months",
                "source": f"{name} records",
            }
            for metric, before, after in spec.outcomes
        ],
        "integration": (
            "The program is written into policy, taught in training and checked by "
            f"supervisors; its costs are in the regular operating budget of {name}."
        ),
        "sustainability": (
            "Two trained coordinators can run it, so it does not depend on one person, and "
            "its budget line is renewed every year."
        ),
        "cost_funding": f"About ${12 + 7 * index},000 a year from the operating budget.",
        "promotion": (
            f"Roll-call briefings, the {name} newsletter and short videos by officers who "
            "took part."
        ),
        "buy_in": "Officers helped design it, and their union reviewed it before launch.",
        "advice": (
            "Start small with one shift, measure before you begin, and let officers shape the "
            "details."
        ),
        "resources_needed": (
            "A coordinator for a few hours a week, supervisors' time and a modest budget for "
            "materials."
        ),
        "submitter_phone": "(555) 014-2200",
        "head_name": head_name,
        "head_title": head_title,
        "head_email": head_email,
        "head_attestation": True,
    }


def _submitted(spec, cycle, agency):
    """The agency starts, writes, attaches and submits the nomination."""
    author = get_user_model().objects.get(email=OWNERS[spec.agency])
    content = _content(spec, cycle, agency)
    nomination = nomination_services.nomination_create(
        user=author, agency=agency, cycle=cycle, category=content["category"], title=spec.title
    )
    nomination = nomination_services.nomination_save_draft(
        user=author, nomination=nomination, content=content, version=nomination.version
    ).nomination
    if spec.document:
        file_name, title, paragraphs = spec.document
        nomination_services.evidence_add(
            user=author,
            nomination=nomination,
            upload=SimpleUploadedFile(
                file_name,
                pdf_document(title, paragraphs, agency_name="Program evaluation"),
                "application/pdf",
            ),
            kind=EvidenceKind.DOCUMENT,
            description="An evaluation of the program's results.",
        )
    nomination_services.nomination_submit(user=author, nomination=nomination)
    return Nomination.objects.get(pk=nomination.pk)


def _redacted_text(spec):
    lines = [
        _fill(spec.summary, None, redacted=True),
        "",
        "The need",
        spec.problem,
        spec.data_before,
        "",
        "What was done",
        spec.description,
        "",
        "Results",
        *[
            f"- {metric}: {before} before, {after} after."
            for metric, before, after in spec.outcomes
        ],
    ]
    return "\n".join(lines)


def _review_copy(staff, nomination):
    """Staff write the copy for reviewers; the identity check runs at once."""
    spec = next(s for s in PAST_NOMINATIONS if s.title == nomination.title)
    copy = services.review_copy_save(
        actor=staff,
        nomination=nomination,
        executive_summary=spec.executive_summary,
        redacted_title=spec.blind_title,
        redacted_text=_redacted_text(spec),
        files=list(nomination.evidence.all()),
    )
    findings = services.review_copy_check(copy.pk)
    if findings:  # pragma: no cover - the demo copies are written without identity
        msg = f"The demo review copy of {nomination} shows the agency's identity: {findings}"
        raise RuntimeError(msg)


def _decline_and_conflict(reviewers, main_ids):
    """One reviewer declines for lack of time, another declares a conflict; both are
    replaced at once by the automatic assignment."""
    invited = Assignment.objects.filter(nomination__in=main_ids, state=A.INVITED).order_by("pk")
    busy = invited.filter(reviewer=reviewers["ana.lindqvist@example.org"]).first()
    services.assignment_decline(
        user=busy.reviewer, assignment=busy, reason=DeclineReason.AVAILABILITY, note=DECLINE_NOTE
    )
    conflicted = (
        invited.filter(reviewer=reviewers["janet.okafor@example.org"])
        .exclude(nomination=busy.nomination)
        .first()
    )
    services.conflict_declare(user=conflicted.reviewer, assignment=conflicted, reason=CONFLICT_NOTE)


def _score(spec, reviewer, criterion_index):
    """A whole score: the nomination's quality, the reviewer's bias, a little variety."""
    n = PAST_NOMINATIONS.index(spec)
    r = next(i for i, each in enumerate(REVIEWERS) if each is reviewer)
    emphasis = (0.3, 0.1, -0.2, 0.2, -0.3, -0.1)[(criterion_index + n) % 6]
    variety = ((r * 7 + n * 5 + criterion_index * 3) % 5 - 2) * 0.2
    value = spec.quality + reviewer.bias + emphasis + variety
    if spec.splits_panel:
        value += 1.1 * reviewer.taste
    return max(1, min(5, math.floor(value + 0.5)))


def _review_input(spec, nomination, reviewer, *, version, draft=False):
    _rubric, criteria = selectors.criteria_for(nomination)
    scores = {}
    for index, criterion in enumerate(criteria):
        if draft and index >= 3:
            scores[criterion.pk] = (None, "")
            continue
        score = _score(spec, reviewer, index)
        band = 0 if score <= 2 else (1 if score == 3 else 2)
        scores[criterion.pk] = (score, JUSTIFICATIONS.get(criterion.code, ("",) * 3)[band])
    if draft:
        return services.ReviewInput(scores, "", "", version)
    mean = sum(s for s, _ in scores.values()) / len(scores)
    band = 0 if mean < 2.75 else (1 if mean < 3.75 else 2)
    r = REVIEWERS.index(reviewer)
    n = PAST_NOMINATIONS.index(spec)
    return services.ReviewInput(
        scores=scores,
        overall_comment=OVERALL[band][(r + n) % 2],
        confidence=CONFIDENCE[(r + n) % len(CONFIDENCE)],
        version=version,
    )


def _submit_reviews(spec, nomination, *, draft_by=None):
    """Each accepted reviewer without a conflict submits; `draft_by` only saves a draft."""
    by_email = {r.email: r for r in REVIEWERS}
    rows = selectors.exclude_conflicted(
        Assignment.objects.filter(nomination=nomination, state=A.ACCEPTED)
    ).select_related("reviewer")
    for row in rows.order_by("pk"):
        reviewer = by_email[row.reviewer.email]
        draft = draft_by is not None and row.reviewer_id == draft_by.pk
        data = _review_input(spec, nomination, reviewer, version=1, draft=draft)
        services.review_save(user=row.reviewer, assignment=row, data=data, submit=not draft)
