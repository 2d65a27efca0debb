"""The bulk-returned set: six agencies, each with one nomination this year, that program
staff return together with one message (`dz_awards.demo.loaders.bulk`).

The set has agencies and owners of its own, so that it shows the bulk action on
the staff lists without touching the other demo stories: the demo agency
login's dashboard still has the one nomination its own story returns. Their
owners sign in with the demo password, but their logins are not printed.
"""

from dz_awards.agencies.enums import AgencyType
from dz_awards.demo.content.reviews import DemoAgency

HARBOR = "Harbor City Police Department"
PINE_RIDGE = "Pine Ridge Police Department"
LAKE_COUNTY = "Lake County Sheriff's Office"
GRANITE = "Granite Falls Police Department"
MESA = "Mesa Verde Police Department"
WILLOW = "Willow Creek Police Department"

BULK_AGENCIES = (
    DemoAgency(
        HARBOR,
        AgencyType.MUNICIPAL,
        "WA",
        "Harbor City",
        120,
        34,
        "WA0270400",
        "harbor@example.org",
        "Sgt. Mei Tanaka",
        "Wellness Coordinator",
    ),
    DemoAgency(
        PINE_RIDGE,
        AgencyType.MUNICIPAL,
        "CO",
        "Pine Ridge",
        58,
        15,
        "CO0180200",
        "pineridge@example.org",
        "Lt. Owen Brandt",
        "Traffic Lieutenant",
    ),
    DemoAgency(
        LAKE_COUNTY,
        AgencyType.SHERIFF,
        "NC",
        "Lakeview",
        95,
        41,
        "NC0550000",
        "lakecounty@example.org",
        "Cpl. Rosa Delgado",
        "Training Corporal",
    ),
    DemoAgency(
        GRANITE,
        AgencyType.MUNICIPAL,
        "ME",
        "Granite Falls",
        32,
        9,
        "ME0100100",
        "granitefalls@example.org",
        "Ofc. Nate Cyr",
        "Radio Officer",
    ),
    DemoAgency(
        MESA,
        AgencyType.MUNICIPAL,
        "AZ",
        "Mesa Verde",
        210,
        70,
        "AZ0070800",
        "mesaverde@example.org",
        "Sgt. Lena Ortiz",
        "Health and Safety Sergeant",
    ),
    DemoAgency(
        WILLOW,
        AgencyType.MUNICIPAL,
        "KY",
        "Willow Creek",
        44,
        12,
        "KY0560300",
        "willowcreek@example.org",
        "Ofc. Brian Hale",
        "Patrol Officer",
    ),
)

# (agency, title, category code): one nomination each, all in need of the same change
# (none has the letter of support the message asks for).
BULK_RETURNED = (
    (HARBOR, "Shift Fatigue Limits", "officer-wellness"),
    (PINE_RIDGE, "Roadside Safety Refresher", "officer-traffic-safety"),
    (LAKE_COUNTY, "Range Day Medical Kits", "general-officer-safety"),
    (GRANITE, "Rural Backup Radio Checks", "general-officer-safety"),
    (MESA, "Annual Hearing Screening", "officer-wellness"),
    (WILLOW, "Night Patrol Visibility Vests", "officer-traffic-safety"),
)
BULK_MESSAGE = (
    "Thank you for your nomination. This year every nomination needs a letter of support "
    "from the head of the agency: please attach it as a PDF, then resubmit."
)
