"""Demo data: a small, realistic world to click through. Idempotent.

Later capabilities (nominations, reviews, profiles) extend `load_demo_data`.
Nominations live in `dz_awards.demo.nominations`, last year's review and
decisions in `dz_awards.demo.reviews`, the public library (imported history
and last year's profiles) in `dz_awards.demo.profiles`.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from dz_awards.accounts.enums import PROGRAM_STAFF_GROUP, REVIEWERS_GROUP
from dz_awards.agencies.enums import AgencyType, MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.cycles.models import Category, Cycle
from dz_awards.demo.nominations import load_demo_nominations
from dz_awards.demo.profiles import load_demo_profiles
from dz_awards.demo.reviews import load_demo_reviews
from dz_awards.nominations.services import evidence_process_image
from reviews.services import rubric_create_default

EASTERN = ZoneInfo("America/New_York")
DEMO_PASSWORD = "demo-Password-2026"  # noqa: S105 published on purpose: demo data only

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
        "Riverton Police Department",
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
        "Cedar County Sheriff's Office",
        AgencyType.SHERIFF,
        "IA",
        "Cedar Falls",
        61,
        22,
        "",
        False,
    ),
]


def _eastern(year, month, day, at=time(0, 0)):
    return datetime.combine(date(year, month, day), at, tzinfo=EASTERN)


def _demo_cycle_dates(now):
    """The demo cycle, open at `now`: it closes the next January 31, 11:59 PM ET.

    It opens September 1 like the real awards; loaded between February and
    August, when the real cycle would not be open yet, it opens February 1
    instead (right after the previous demo cycle's deadline), so that the demo
    always has a cycle that takes nominations.
    """
    local = timezone.localtime(now, EASTERN)
    close_year = local.year + 1 if local.month >= 2 else local.year
    closes = _eastern(close_year, 1, 31, time(23, 59))
    opens = _eastern(close_year - 1, 9, 1)
    if now < opens:
        opens = _eastern(close_year - 1, 2, 1)
    return opens, closes


def _user(role, email, name, title, *, staff_group, reviewers_group):
    user, created = get_user_model().objects.get_or_create(
        email=email,
        defaults={
            "full_name": name,
            "job_title": title,
            "email_verified_at": timezone.now(),
            "is_staff": role == "staff",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if role == "staff":
        user.groups.add(staff_group)
    if role == "reviewer":
        user.groups.add(reviewers_group)
    return user


def load_demo_data(now=None):
    """Create (or complete) the demo world. Returns the demo logins as (role, email) pairs.

    The demo images are checked and re-encoded while the world is built, as the
    background worker would before an agency could submit: the demo is complete
    as soon as this returns. (The worker's own task for them then finds nothing
    left to do; the loop below only catches any image still waiting.)
    """
    logins, images = _load_world(now or timezone.now())
    for evidence_id in images:
        evidence_process_image(evidence_id)
    return logins


@transaction.atomic
def _load_world(now):
    """Everything but processing the images; returns the logins and the new images' ids."""
    staff_group, _ = Group.objects.get_or_create(name=PROGRAM_STAFF_GROUP)
    reviewers_group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    users = {
        email: _user(
            role, email, name, title, staff_group=staff_group, reviewers_group=reviewers_group
        )
        for role, email, name, title in DEMO_USERS
    }

    opens, closes = _demo_cycle_dates(now)
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
            "opens_at": _eastern(closes.year - 2, 9, 1),
            "closes_at": _eastern(closes.year - 1, 1, 31, time(23, 59)),
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

    staff = users["staff@example.org"]
    for each in (cycle, past):
        rubric_create_default(actor=staff, cycle=each)
    agencies = {}
    for owner_email, name, kind, state, city, sworn, civilians, ori, verified in AGENCIES:
        owner = users[owner_email]
        agency, _ = Agency.objects.get_or_create(
            name=name,
            state=state,
            defaults={
                "agency_type": kind,
                "city": city,
                "sworn_officers": sworn,
                "civilian_staff": civilians,
                "ori": ori,
                "website": "https://www.example.org/",
                "contact_name": owner.full_name,
                "contact_title": owner.job_title,
                "contact_email": owner.email,
                "created_by": owner,
                "verified_at": now if verified else None,
                "verified_by": staff if verified else None,
            },
        )
        agencies[name] = agency
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
    riverton = agencies["Riverton Police Department"]
    # A colleague waiting for the owner's approval, to show the join flow.
    Membership.objects.get_or_create(
        agency=riverton,
        user=users["officer@example.org"],
        defaults={"message": "I run the peer support team and will help with our nomination."},
    )
    images = []
    # Submitting needs the cycle open by the server's clock. A demo cycle made by
    # an earlier run may have other dates; then its nominations are left out.
    if cycle.is_open():
        images = load_demo_nominations(cycle=cycle, agencies=agencies, users=users)
    load_demo_reviews(
        past=past, current=cycle, users=users, agencies=agencies, password=DEMO_PASSWORD
    )
    load_demo_profiles(past=past, users=users)
    logins = [
        ("staff", "staff@example.org"),
        # The second staff member publishes the profiles the first prepared.
        ("staff", "staff2@example.org"),
        ("reviewer", "reviewer@example.org"),
        ("agency", "agency@example.org"),
    ]
    return logins, images
