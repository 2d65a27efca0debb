"""Last year's demo nominations: sixteen programs from six agencies, and how far each went.

Each one is written once here; `dz_awards.demo.content.past_answers` turns
it into the agency's answers and into the copy reviewers read.
"""

from dataclasses import dataclass

from dz_awards.demo.content.reviews import BAYVIEW, EASTBROOK, MARLOW, NORTHFIELD
from dz_awards.demo.content.world import CEDAR, RIVERTON
from dz_awards.nominations.enums import Participation
from reviews.enums import Outcome

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
