"""Program staff configure cycles in the admin, through the "Program staff" group."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dz_awards.accounts.enums import PROGRAM_STAFF_GROUP, REVIEWERS_GROUP
from dz_awards.cycles.models import Cycle
from tests.factories import StaffFactory


@pytest.mark.django_db
def test_program_staff_group_exists_after_migrate_with_cycle_permissions():
    """Migrating creates the role groups; program staff may manage cycles and categories."""
    group = Group.objects.get(name=PROGRAM_STAFF_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "add_cycle",
        "change_cycle",
        "delete_cycle",
        "view_cycle",
        "add_category",
        "change_category",
        "delete_category",
        "view_category",
    } <= codenames
    assert "delete_agency" not in codenames
    assert Group.objects.filter(name=REVIEWERS_GROUP).exists()


@pytest.mark.django_db
def test_admin_cycle_add_page_opens_for_program_staff_group_member(client):
    """A staff user in the Program staff group can open the page that creates a cycle."""
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=PROGRAM_STAFF_GROUP))
    client.force_login(staff)
    response = client.get(reverse("admin:cycles_cycle_add"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="opens_at_0"' in html
    assert 'name="closes_at_0"' in html
    assert 'name="categories-TOTAL_FORMS"' in html


@pytest.mark.django_db
def test_admin_cycle_add_page_refused_without_group(client):
    """Being staff alone does not grant the cycle permissions: the add page is refused."""
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:cycles_cycle_add"))
    assert response.status_code == 403
    assert Cycle.objects.count() == 0


@pytest.mark.django_db
def test_admin_cycle_add_deadline_before_opening_shows_message(client):
    """Saving a cycle whose deadline precedes its opening is refused with a plain message."""
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=PROGRAM_STAFF_GROUP))
    client.force_login(staff)
    response = client.post(
        reverse("admin:cycles_cycle_add"),
        {
            "name": "2027 Destination Zero Awards",
            "year": "2027",
            "opens_at_0": "2026-09-01",
            "opens_at_1": "00:00",
            "closes_at_0": "2026-08-31",
            "closes_at_1": "23:59",
            "reviewers_per_nomination": "3",
            "categories-TOTAL_FORMS": "0",
            "categories-INITIAL_FORMS": "0",
            "categories-MIN_NUM_FORMS": "0",
            "categories-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "The deadline must be after the opening time." in response.content.decode()
    assert Cycle.objects.count() == 0
