"""The demo world: accounts, this year's and last year's cycles, the two demo agencies.

`load_demo_data` builds (or completes) it in one transaction, then hands over
to the loaders of nominations (this year), reviews (last year's review and
decisions), profiles (the public library) and the bulk-returned set (six
agencies of its own), and asks for the packets. Idempotent: whatever exists is
found by its natural key (email, cycle year, category code, agency name and
state, nomination title) and left as it is.
"""

import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from dz_awards.accounts.enums import PROGRAM_STAFF_GROUP
from dz_awards.agencies import services as agency_services
from dz_awards.agencies.models import Membership
from dz_awards.cycles.models import Category, Cycle
from dz_awards.demo.content.world import (
    AGENCIES,
    CATEGORIES,
    DEMO_PASSWORD,
    DEMO_TWO_FACTOR,
    DEMO_USERS,
    JOIN_REQUEST,
    LOGINS,
    STAFF,
)
from dz_awards.demo.loaders.bulk import load_demo_bulk_agencies, load_demo_bulk_returned
from dz_awards.demo.loaders.emails import load_demo_email_wording
from dz_awards.demo.loaders.feedback import load_demo_feedback, load_demo_feedback_policy
from dz_awards.demo.loaders.guidelines import load_demo_guidelines
from dz_awards.demo.loaders.nominations import load_demo_nominations
from dz_awards.demo.loaders.outbox import emails_already_sent
from dz_awards.demo.loaders.packets import load_demo_packets
from dz_awards.demo.loaders.people import demo_account, demo_agency, demo_two_factor
from dz_awards.demo.loaders.preferences import load_demo_preferences
from dz_awards.demo.loaders.profiles import load_demo_profiles
from dz_awards.demo.loaders.recognition import load_demo_recognition
from dz_awards.demo.loaders.reviews import load_demo_reviews
from dz_awards.nominations.services import evidence_process_image
from reviews.services import rubric_create_default

logger = logging.getLogger(__name__)

EASTERN = ZoneInfo("America/New_York")


def eastern(year, month, day, at=time(0, 0)):
    """That day (at `at`) in US Eastern time, where the awards keep their deadlines."""
    return datetime.combine(date(year, month, day), at, tzinfo=EASTERN)


def demo_cycle_dates(now):
    """The demo cycle, open at `now`: it closes the next January 31, 11:59 PM ET.

    It opens September 1 like the real awards; loaded between February and
    August, when the real cycle would not be open yet, it opens February 1
    instead (right after the previous demo cycle's deadline), so that the demo
    always has a cycle that takes nominations.
    """
    local = timezone.localtime(now, EASTERN)
    close_year = local.year + 1 if local.month >= 2 else local.year
    closes = eastern(close_year, 1, 31, time(23, 59))
    opens = eastern(close_year - 1, 9, 1)
    if now < opens:
        opens = eastern(close_year - 1, 2, 1)
    return opens, closes


def load_demo_data(now=None):
    """Create (or complete) the demo world. Returns the demo logins as (role, email) pairs.

    The demo images are checked and re-encoded while the world is built, as the
    background worker would before an agency could submit: the demo is complete
    as soon as this returns. (The worker's own task for them then finds nothing
    left to do; the loop below only catches any image still waiting.)
    """
    image_ids = _load_world(now or timezone.now())
    for evidence_id in image_ids:
        evidence_process_image(evidence_id)
    load_demo_packets()
    return LOGINS


@transaction.atomic
def _load_world(now):
    """Everything but processing the images; returns the new images' ids."""
    # Registration links, verification notices and the join request belong to
    # the demo's past: the worker is not to send them when the demo starts.
    with emails_already_sent():
        users = _accounts()
        cycle, past = _cycles(now)
        staff = users[STAFF]
        for each in (cycle, past):
            rubric_create_default(actor=staff, cycle=each)
        load_demo_email_wording(cycle=cycle, staff=staff)
        agencies = _agencies(users, staff)
        bulk_agencies = load_demo_bulk_agencies(staff=staff, password=DEMO_PASSWORD)
    image_ids = []
    # Submitting needs the cycle open by the server's clock. A demo cycle made by
    # an earlier run may have other dates; then its nominations are left out.
    if cycle.is_open():
        image_ids = load_demo_nominations(cycle=cycle, agencies=agencies, users=users)
    else:
        logger.warning(
            "The demo cycle %s is not open now (%s to %s): its nominations are left out.",
            cycle.year,
            cycle.opens_at,
            cycle.closes_at,
        )
    load_demo_feedback_policy(past=past, staff=staff)  # decided before any release
    load_demo_reviews(
        past=past, current=cycle, users=users, agencies=agencies, password=DEMO_PASSWORD
    )
    load_demo_guidelines(past=past, current=cycle, users=users)
    load_demo_preferences(current=cycle, users=users)  # after the panels; nobody assigned yet
    load_demo_feedback(past=past, staff=staff)
    load_demo_profiles(past=past, users=users)
    load_demo_recognition(past=past, users=users)
    if cycle.is_open():
        load_demo_bulk_returned(cycle=cycle, staff=staff, agencies=bulk_agencies)
    return image_ids


def _accounts():
    """The demo logins: {email: user}. Staff get their role; the reviewer gets theirs
    from the invitation last year's review sends (`dz_awards.demo.loaders.reviews`)."""
    staff_group, _ = Group.objects.get_or_create(name=PROGRAM_STAFF_GROUP)
    users = {}
    for role, email, name, title in DEMO_USERS:
        user = demo_account(email=email, full_name=name, job_title=title, password=DEMO_PASSWORD)
        if role == "staff":
            # Staff roles are given in the admin (which audits them); no service gives them.
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            user.groups.add(staff_group)
            secret, backup_codes = DEMO_TWO_FACTOR[email]
            demo_two_factor(user=user, secret=secret, backup_codes=backup_codes)
        users[email] = user
    return users


def _cycles(now):
    """This year's cycle (open at `now`) and last year's, each with the five categories.

    Program staff set up cycles and categories in the admin: there is no
    service for them, so the demo writes the rows.
    """
    opens, closes = demo_cycle_dates(now)
    cycle, _ = Cycle.objects.get_or_create(
        year=closes.year,
        defaults={
            "name": f"{closes.year} Destination Zero Awards",
            "opens_at": opens,
            "closes_at": closes,
        },
    )
    past, _ = Cycle.objects.get_or_create(
        year=closes.year - 1,
        defaults={
            "name": f"{closes.year - 1} Destination Zero Awards",
            "opens_at": eastern(closes.year - 2, 9, 1),
            "closes_at": eastern(closes.year - 1, 1, 31, time(23, 59)),
        },
    )
    for each in (cycle, past):
        for position, (code, label, description, focus) in enumerate(CATEGORIES):
            Category.objects.get_or_create(
                cycle=each,
                code=code,
                defaults={
                    "label": label,
                    "description": description,
                    "judging_focus": focus,
                    "position": position,
                },
            )
    return cycle, past


def _agencies(users, staff):
    """The two demo agencies, each created by its owner ({name: agency}), and a
    colleague's request to join Riverton, waiting for the owner's approval."""
    agencies = {}
    for owner_email, name, kind, state, city, sworn, civilians, ori, verified in AGENCIES:
        agencies[name] = demo_agency(
            owner=users[owner_email],
            name=name,
            kind=kind,
            state=state,
            city=city,
            sworn=sworn,
            civilians=civilians,
            ori=ori,
            verified_by=staff if verified else None,
        )
    agency_name, email, message = JOIN_REQUEST
    agency, member = agencies[agency_name], users[email]
    # Asked once: a request the owner has since declined is not made again.
    if not Membership.objects.filter(agency=agency, user=member).exists():
        agency_services.agency_request_join(user=member, agency=agency, message=message)
    return agencies
