"""The demo's people, categories and agencies: who signs in, and as what.

Every demo account has the published password DEMO_PASSWORD; `manage.py
demo_data` prints one login per role (LOGINS). Past agencies' owners and the
other reviewers (`dz_awards.demo.content.reviews`) sign in with it too, but
are not printed.
"""

from dz_awards.agencies.enums import AgencyType

DEMO_PASSWORD = "demo-Password-2026"  # noqa: S105 published on purpose: demo data only

STAFF = "staff@example.org"
# The second staff member publishes the profiles the first prepared (two-person rule).
STAFF_2 = "staff2@example.org"
REVIEWER = "reviewer@example.org"
AGENCY_LOGIN = "agency@example.org"

RIVERTON = "Riverton Police Department"
CEDAR = "Cedar County Sheriff's Office"

DEMO_USERS = [
    # role, email, full name, title
    ("staff", "staff@example.org", "Pat Rivera", "Program Manager"),
    ("staff", "staff2@example.org", "Morgan Lee", "Program Officer"),
    ("reviewer", "reviewer@example.org", "Chief (ret.) Dana Brooks", "Selection Committee"),
    ("agency", "agency@example.org", "Sgt. Alex Kim", "Wellness Coordinator"),
    ("agency", "officer@example.org", "Ofc. Jamie Cruz", "Training Officer"),
    ("agency", "sheriff@example.org", "Lt. Sam Ortiz", "Safety Officer"),
]

CATEGORIES = [
    (
        "general-officer-safety",
        "General Officer Safety",
        "Programs that reduce line-of-duty deaths and injuries from any cause.",
        "Measurable reductions in injuries, assaults or deaths; policy and training that last.",
    ),
    (
        "officer-traffic-safety",
        "Officer Traffic Safety",
        "Programs that protect officers on the road: driving, seat belts, roadside safety.",
        "Fewer crashes and roadside incidents; seat-belt compliance; supervisor buy-in.",
    ),
    (
        "officer-wellness",
        "Officer Wellness",
        "Programs for officers' physical and mental health and resilience.",
        "Participation rates, confidential access, outcomes such as fitness or absences.",
    ),
    (
        "comprehensive-safety",
        "Comprehensive Safety",
        "Agency-wide safety strategies that combine several programs.",
        "Integration across the agency, leadership commitment, sustained results.",
    ),
    (
        "comprehensive-wellness",
        "Comprehensive Wellness",
        "Agency-wide wellness strategies covering body, mind, family and finances.",
        "Breadth and integration, employee buy-in, funding that lasts beyond one year.",
    ),
]

AGENCIES = [
    # owner email, name, type, state, city, sworn, civilians, ORI, verified
    (
        "agency@example.org",
        RIVERTON,
        AgencyType.MUNICIPAL,
        "OH",
        "Riverton",
        142,
        38,
        "OH0770100",
        True,
    ),
    (
        "sheriff@example.org",
        CEDAR,
        AgencyType.SHERIFF,
        "IA",
        "Cedar Falls",
        61,
        22,
        "",
        False,
    ),
]

# Which demo login owns which agency, and acts for it.
AGENCY_OWNERS = {name: owner for owner, name, *_rest in AGENCIES}

# A Riverton colleague waiting for the owner's approval, to show the join flow.
JOIN_REQUEST = (
    RIVERTON,
    "officer@example.org",
    "I run the peer support team and will help with our nomination.",
)

# Program staff must sign in with a second factor. Each demo staff login has an
# authenticator device with this published secret (base32, as authenticator apps
# take it) and these backup codes; `manage.py demo_data` prints both beside the
# login. Demo data only: anyone can make these codes.
DEMO_TWO_FACTOR = {
    STAFF: ("DZAWARDSDEMOSTAFFONE222222222222", ["dz1code1", "dz1code2", "dz1code3", "dz1code4"]),
    STAFF_2: (
        "DZAWARDSDEMOSTAFFTWO333333333333",
        ["dz2code1", "dz2code2", "dz2code3", "dz2code4"],
    ),
}

# The logins the command prints, one line each, in this order.
LOGINS = [
    ("staff", STAFF),
    ("staff", STAFF_2),
    ("reviewer", REVIEWER),
    ("agency", AGENCY_LOGIN),
]
