"""The groups that carry roles, with the admin permissions program staff need."""

from django.contrib.auth.models import Group, Permission

from dz_awards.accounts.enums import PROGRAM_STAFF_GROUP, REVIEWERS_GROUP

PROGRAM_STAFF_PERMISSIONS = {
    "cycles": [
        "add_cycle",
        "change_cycle",
        "delete_cycle",
        "view_cycle",
        "add_category",
        "change_category",
        "delete_category",
        "view_category",
    ],
    "agencies": ["view_agency", "change_agency", "view_membership"],
    "core": ["view_auditevent", "view_outboxemail"],
    "nominations": ["view_nomination", "view_nominationrevision", "view_evidence"],
    "reviews": [
        "add_rubric",
        "change_rubric",
        "view_rubric",
        "add_criterion",
        "change_criterion",
        "delete_criterion",
        "view_criterion",
        "add_leveldescriptor",
        "change_leveldescriptor",
        "delete_leveldescriptor",
        "view_leveldescriptor",
        "add_reviewphase",
        "change_reviewphase",
        "delete_reviewphase",
        "view_reviewphase",
        "add_panel",
        "change_panel",
        "view_panel",
        "change_reviewerprofile",
        "view_reviewerprofile",
    ],
    "accounts": ["view_user"],
}


def ensure_role_groups(**kwargs):
    """Create the role groups and give program staff their admin permissions (idempotent)."""
    staff, _ = Group.objects.get_or_create(name=PROGRAM_STAFF_GROUP)
    Group.objects.get_or_create(name=REVIEWERS_GROUP)
    wanted = [
        Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
        for app, codenames in PROGRAM_STAFF_PERMISSIONS.items()
    ]
    for permissions in wanted:
        staff.permissions.add(*permissions)
