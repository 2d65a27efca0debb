import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.factories import CategoryFactory


@pytest.mark.django_db
def test_home_shows_open_cycle_categories_and_eastern_deadline(client):
    category = CategoryFactory(label="Officer Wellness")
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert category.cycle.name in html
    assert "Officer Wellness" in html
    assert "Nominations are open" in html
    assert (" EST" in html) or (" EDT" in html)


def _database_state():
    """Rows per table, and what post_migrate builds, by natural keys (ids differ)."""
    counts = {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    content_types = set(ContentType.objects.values_list("app_label", "model"))
    permissions = set(Permission.objects.values_list("content_type__app_label", "codename", "name"))
    groups = {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    return counts, content_types, permissions, groups


@pytest.mark.django_db(transaction=True)
def test_the_reset_after_transactional_tests_leaves_what_djangos_flush_leaves(database_resets):
    """The suite's faster reset (tests/conftest.py) ends where Django's own does."""
    factories.OwnerFactory()
    CategoryFactory()
    call_command("flush", verbosity=0, interactive=False)
    after_django = _database_state()
    assert after_django[3], "post_migrate builds the role groups"

    factories.OwnerFactory()
    CategoryFactory()
    reset = database_resets["default"]
    reset()

    assert _database_state() == after_django
    assert set(reset.tables) >= set(after_django[0]), "every model's table is emptied"
