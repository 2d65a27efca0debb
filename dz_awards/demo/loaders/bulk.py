"""A set of this year's nominations returned together by one bulk action, to show it.

Six agencies of the set's own (`dz_awards.demo.content.bulk`), each created by
its owner and verified by staff, submit a short nomination through the
nomination services; program staff then return all six at once with one
message through the staff list's bulk action (`reviews.bulk`), so each gets the
same audit record, email and message as a nomination returned on its own page.
The other demo agencies are left alone: their stories stay as they are.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from dz_awards.agencies.models import Agency
from dz_awards.demo.content.bulk import BULK_AGENCIES, BULK_MESSAGE, BULK_RETURNED
from dz_awards.demo.loaders.people import demo_agencies_of_owners
from dz_awards.nominations import services
from dz_awards.nominations.enums import Participation
from dz_awards.nominations.models import Nomination
from reviews import bulk

# Which login owns, and nominates for, each agency of the set.
OWNERS = {spec.name: spec.owner_email for spec in BULK_AGENCIES}


def load_demo_bulk_agencies(*, staff, password) -> dict[str, Agency]:
    """The set's six agencies ({name: agency}), each created by its own owner (an account
    with `password`) and verified by `staff`; those found are left as they are."""
    return demo_agencies_of_owners(BULK_AGENCIES, staff=staff, password=password)


def _content(title, category, start):
    return {
        "title": title,
        "category": category,
        "start_date": start,
        "participation": Participation.VOLUNTARY,
        "summary": f"{title}: a program the agency runs for every officer.",
        "problem": "Officers faced a risk the agency had not addressed.",
        "data_before": "The agency counted incidents for two years before the program.",
        "description": "Supervisors run the program on every shift with a written checklist.",
        "implementation": "A working group wrote the policy and trained every supervisor.",
        "partners": "The county's occupational health service.",
        "policy_training": "A general order makes the program part of every shift.",
        "goals": "Fewer injuries and fewer officers leaving for health reasons.",
        "outcomes": [
            {
                "metric": "Injuries reported",
                "before": "14",
                "after": "9",
                "period": "Two years before and after",
                "source": "Injury reports",
            }
        ],
        "participation_rates": "Every shift took part in the first year.",
        "integration": "Part of the shift briefing.",
        "sustainability": "Funded from the operating budget.",
        "cost_funding": "Training time only.",
        "promotion": "Roll-call briefings.",
        "buy_in": "Officers helped write the checklist.",
        "advice": "Start with the supervisors.",
        "resources_needed": "A coordinator at 10% time.",
        "submitter_name": "Program Coordinator",
        "submitter_title": "Wellness Coordinator",
        "submitter_email": "coordinator@example.org",
        "submitter_phone": "+1 555 0100",
        "head_name": "Chief of Police",
        "head_title": "Chief of Police",
        "head_email": "chief@example.org",
        "head_attestation": True,
    }


def load_demo_bulk_returned(*, cycle, staff, agencies: dict[str, Agency]):
    """Submit the set's missing nominations in `cycle` and return them with one bulk action.

    `agencies` are the set's agencies by name (`load_demo_bulk_agencies`). Must run
    in a transaction. Returns the bulk action's results (none once the set exists).
    """
    users = get_user_model().objects
    submitted = []
    for agency_name, title, code in BULK_RETURNED:
        if Nomination.objects.filter(cycle=cycle, title=title).exists():
            continue
        author = users.get(email=OWNERS[agency_name])
        category = cycle.categories.get(code=code)
        nomination = services.nomination_create(
            user=author, agency=agencies[agency_name], cycle=cycle, category=category, title=title
        )
        content = _content(title, category, date(timezone.localdate().year - 3, 1, 1))
        nomination = services.nomination_save_draft(
            user=author, nomination=nomination, content=content, version=nomination.version
        ).nomination
        services.nomination_submit(user=author, nomination=nomination)
        submitted.append(nomination)
    return bulk.bulk_run(
        actor=staff,
        action=bulk.ACTIONS["return"],
        nominations=submitted,
        data=bulk.BulkInput(text=BULK_MESSAGE),
    )
