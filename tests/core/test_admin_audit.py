"""Admin changes are audit events: adding, changing and deleting through the admin pages
each record who did it, to which object, and the admin's own message."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from dz_awards.core.admin_audit import AuditedAdminSite, AuditedModelAdminMixin
from dz_awards.core.audit_chain import audit_chain_verify
from dz_awards.core.models import AuditEvent
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    person = StaffFactory(is_superuser=True)
    client.force_login(person)
    return person


def admin_events():
    return list(AuditEvent.objects.filter(action__startswith="admin_").order_by("id"))


def test_admin_add_records_actor_object_and_message(client, superuser):
    response = client.post(reverse("admin:auth_group_add"), {"name": "Reviewers of 2031"})

    assert response.status_code == 302
    group = Group.objects.get(name="Reviewers of 2031")
    [event] = admin_events()
    assert (event.actor, event.action, event.subject, event.object_repr, event.message) == (
        superuser,
        "admin_added",
        group,
        "Reviewers of 2031",
        "Added.",
    )
    assert audit_chain_verify().broken is None


def test_admin_change_records_the_changed_fields_as_the_admin_message_has_them(client, superuser):
    group = Group.objects.create(name="Panel West")

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]), {"name": "Panel West of 2031"}
    )

    assert response.status_code == 302
    [event] = admin_events()
    entry = LogEntry.objects.get()
    assert (event.actor, event.action, event.subject) == (superuser, "admin_changed", group)
    assert event.message == entry.get_change_message() == "Changed Name."


def test_admin_delete_records_the_object_before_it_goes(client, superuser):
    group = Group.objects.create(name="Old panel")
    group_pk = group.pk

    response = client.post(reverse("admin:auth_group_delete", args=[group_pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Group.objects.filter(pk=group_pk).exists()
    [event] = admin_events()
    assert (event.actor, event.action, event.object_id, event.object_repr, event.message) == (
        superuser,
        "admin_deleted",
        str(group_pk),
        "Old panel",
        "Deleted.",
    )


def test_admin_delete_selected_action_records_each_object(client, superuser):
    """The changelist's bulk delete (whose admin log Django writes in bulk) is audited too."""
    groups = [Group.objects.create(name=name) for name in ("Panel A", "Panel B")]

    response = client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Group.objects.filter(pk__in=[g.pk for g in groups]).exists()
    assert [(e.action, e.object_repr, e.actor) for e in admin_events()] == [
        ("admin_deleted", "Panel A", superuser),
        ("admin_deleted", "Panel B", superuser),
    ]
    assert audit_chain_verify().verified == 2


def test_admin_failed_change_records_nothing(client, superuser):
    """A form the admin refuses changes nothing and records nothing."""
    group = Group.objects.create(name="Panel West")

    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": ""})

    assert response.status_code == 200
    assert admin_events() == []


def test_audited_site_keeps_a_model_admin_that_is_already_audited():
    """A model admin that already has the mixin is registered as it is, not wrapped twice."""

    class AlreadyAudited(AuditedModelAdminMixin, admin.ModelAdmin):
        pass

    class Plain(admin.ModelAdmin):
        pass

    site = AuditedAdminSite(name="audit-test")
    site.register(Group, AlreadyAudited)
    site.register(LogEntry, Plain)

    assert type(site.get_model_admin(Group)) is AlreadyAudited
    wrapped = type(site.get_model_admin(LogEntry))
    assert wrapped.__mro__[1:3] == (AuditedModelAdminMixin, Plain)
