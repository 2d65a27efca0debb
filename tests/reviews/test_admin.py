"""The rubric in the admin: editable until the cycle's first review, read-only after.

Program staff (the "Program staff" group) edit rubrics, criteria and their
levels in the admin; every save goes through the rubric services.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dz_awards.accounts.enums import PROGRAM_STAFF_GROUP
from dz_awards.core.models import AuditEvent
from reviews import services
from reviews.models import Criterion, Rubric
from tests.reviews import helpers


@pytest.fixture
def admin_client(client, staff):
    staff.groups.add(Group.objects.get(name=PROGRAM_STAFF_GROUP))
    client.force_login(staff)
    return client


def _rubric_post(rubric, *, weight):
    """The rubric's admin form as posted, with every criterion's weight set to `weight`."""
    criteria = list(rubric.criteria.order_by("pk"))
    data = {
        "cycle": str(rubric.cycle_id),
        "scale_min": str(rubric.scale_min),
        "scale_max": str(rubric.scale_max),
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}"
        data |= {
            f"{prefix}-id": str(criterion.pk),
            f"{prefix}-rubric": str(rubric.pk),
            f"{prefix}-position": str(criterion.position),
            f"{prefix}-code": criterion.code,
            f"{prefix}-name": criterion.name,
            f"{prefix}-category": "",
            f"{prefix}-weight": weight,
        }
    return data


def _criterion_post(criterion, *, weight):
    levels = list(criterion.levels.order_by("pk"))
    data = {
        "rubric": str(criterion.rubric_id),
        "category": "",
        "code": criterion.code,
        "name": criterion.name,
        "description": criterion.description,
        "weight": weight,
        "position": str(criterion.position),
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": str(len(levels)),
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for index, level in enumerate(levels):
        data |= {
            f"levels-{index}-id": str(level.pk),
            f"levels-{index}-criterion": str(criterion.pk),
            f"levels-{index}-score": str(level.score),
            f"levels-{index}-text": level.text,
        }
    return data


def _weights(rubric):
    return set(Criterion.objects.filter(rubric=rubric).values_list("weight", flat=True))


def _score(reviewing):
    row = reviewing[0]
    data = helpers.review_input(row.nomination, total=4, version=1)
    services.review_save(user=row.reviewer, assignment=row, data=data, submit=True)


def test_admin_rubric_change_before_any_review_saves_through_the_service(admin_client, cycle):
    rubric = Rubric.objects.get(cycle=cycle)
    url = reverse("admin:reviews_rubric_change", args=[rubric.pk])
    response = admin_client.post(url, _rubric_post(rubric, weight="2"))
    assert response.status_code == 302
    assert _weights(rubric) == {Decimal(2)}
    assert AuditEvent.objects.filter(action="rubric_changed", object_id=str(cycle.pk)).count() == 7


def test_admin_rubric_after_scoring_is_read_only_and_a_post_is_refused(
    admin_client, cycle, reviewing
):
    _score(reviewing)
    rubric = Rubric.objects.get(cycle=cycle)
    url = reverse("admin:reviews_rubric_change", args=[rubric.pk])

    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="scale_max"' not in html
    assert 'name="criteria-0-weight"' not in html

    response = admin_client.post(url, _rubric_post(rubric, weight="2"))
    assert response.status_code == 403
    assert _weights(rubric) == {Decimal(1)}
    assert not AuditEvent.objects.filter(action="rubric_changed").exists()


def test_admin_criterion_after_scoring_is_read_only_and_a_post_is_refused(
    admin_client, cycle, reviewing
):
    _score(reviewing)
    criterion = Criterion.objects.filter(rubric__cycle=cycle).first()
    url = reverse("admin:reviews_criterion_change", args=[criterion.pk])

    assert 'name="weight"' not in admin_client.get(url).content.decode()
    response = admin_client.post(url, _criterion_post(criterion, weight="3"))
    assert response.status_code == 403
    assert Criterion.objects.get(pk=criterion.pk).weight == Decimal(1)
    assert (
        admin_client.post(
            reverse("admin:reviews_criterion_delete", args=[criterion.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_admin_criterion_change_before_scoring_is_saved(admin_client, cycle):
    criterion = Criterion.objects.filter(rubric__cycle=cycle).first()
    url = reverse("admin:reviews_criterion_change", args=[criterion.pk])
    response = admin_client.post(url, _criterion_post(criterion, weight="3"))
    assert response.status_code == 302
    assert Criterion.objects.get(pk=criterion.pk).weight == Decimal(3)


def test_admin_new_criterion_on_a_scored_rubric_is_refused_with_the_reason(
    admin_client, cycle, reviewing
):
    _score(reviewing)
    rubric = Rubric.objects.get(cycle=cycle)
    data = {
        "rubric": str(rubric.pk),
        "category": "",
        "code": "extra",
        "name": "Extra",
        "description": "One more.",
        "weight": "1",
        "position": "9",
        "levels-TOTAL_FORMS": "0",
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:reviews_criterion_add"), data)
    assert response.status_code == 200
    assert "its scale, criteria and levels can no longer change" in response.content.decode()
    assert not Criterion.objects.filter(code="extra").exists()
