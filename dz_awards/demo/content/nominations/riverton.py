"""This year's demo nominations from the Riverton Police Department (agency@example.org).

A half-written draft, one submitted, one returned with a thread, one
resubmitted after its return, and one withdrawn.
"""

from dz_awards.demo.content.nominations.specs import (
    PARTIAL_DRAFT,
    RESUBMITTED,
    YEAR_VS_LAST,
    DemoNomination,
    Document,
    Poster,
    outcome,
)
from dz_awards.demo.content.world import RIVERTON, STAFF_2
from dz_awards.nominations.enums import NominationState, Participation

S = NominationState

RIVERTON_NOMINATIONS = (
    DemoNomination(
        agency=RIVERTON,
        category="comprehensive-wellness",
        ends_as=PARTIAL_DRAFT,
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
                outcome("Crashes involving marked units", "14", "6", YEAR_VS_LAST, "Fleet records"),
                outcome(
                    "Seat-belt use at random checks",
                    "71%",
                    "97%",
                    YEAR_VS_LAST,
                    "Sergeants' checks, about 120 a month",
                ),
                outcome(
                    "Speed flags a month (20+ mph over, no lights)",
                    "38",
                    "9",
                    YEAR_VS_LAST,
                    "Vehicle telematics",
                ),
                outcome("Officers injured in crashes", "5", "1", YEAR_VS_LAST, "Injury reports"),
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
                outcome(
                    "Officers reached within 24 hours of a critical incident",
                    "20%",
                    "94%",
                    YEAR_VS_LAST,
                    "Peer team call log",
                ),
                outcome(
                    "First counseling visits",
                    "9",
                    "31",
                    YEAR_VS_LAST,
                    "Employee assistance program report",
                ),
                outcome("Resignations linked to stress", "6", "1", YEAR_VS_LAST, "Exit interviews"),
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
        ends_as=RESUBMITTED,
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
                outcome(
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
        staff=STAFF_2,
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
                outcome(
                    "Vest wear at random checks",
                    "82%",
                    "99%",
                    YEAR_VS_LAST,
                    "Sergeants' random checks",
                ),
                outcome(
                    "Vests refitted or replaced",
                    "0",
                    "37",
                    "First year of the program",
                    "Quartermaster's log",
                ),
                outcome(
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
                outcome(
                    "Officers passing the annual fitness assessment",
                    "64%",
                    "81%",
                    YEAR_VS_LAST,
                    "Assessment records",
                ),
                outcome(
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
)
