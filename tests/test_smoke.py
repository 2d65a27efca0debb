import pytest
from django.urls import reverse

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
