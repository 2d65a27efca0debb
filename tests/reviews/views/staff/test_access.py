"""Every staff review page is for program staff only: 404 for anyone else signed in,
sign-in for a visitor, and nothing changed either way. Other staff pages link to them.
"""

import pytest
from django.urls import reverse

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations.models import Nomination
from reviews.models import Assignment
from tests import factories
from tests.reviews.views.staff.helpers import assign, nominated, prepare
from tests.reviews.views.staff.helpers import page_text as _text


def _all_urls(cycle, nomination, row):
    return [
        ("get", reverse("staff:reviewers")),
        ("get", reverse("staff:reviewer-invite")),
        ("get", reverse("staff:review", kwargs={"cycle": cycle.pk})),
        ("post", reverse("staff:review-auto-assign", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-progress", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-workload", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-policy", kwargs={"cycle": cycle.pk})),
        ("post", reverse("staff:review-policy", kwargs={"cycle": cycle.pk})),
        ("post", reverse("staff:review-remind", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-scoreboard", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-decisions", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-release", kwargs={"cycle": cycle.pk})),
        ("post", reverse("staff:review-release", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-export-nominations", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:review-export-reviews", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})),
        ("post", reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk})),
        ("get", reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk})),
        ("post", reverse("staff:nomination-open-review", kwargs={"pk": nomination.pk})),
        ("get", reverse("staff:nomination-close-review", kwargs={"pk": nomination.pk})),
        ("post", reverse("staff:nomination-decision", kwargs={"pk": nomination.pk})),
        ("post", reverse("staff:assignment-remove", kwargs={"pk": row.pk})),
        ("post", reverse("staff:assignment-reopen", kwargs={"pk": row.pk})),
    ]


@pytest.mark.parametrize("who", ["agency member", "reviewer"])
def test_every_page_is_404_for_people_without_the_staff_role(
    client, staff, category, reviewers, who
):
    nomination = nominated(category)
    prepare(staff, nomination)
    row = assign(staff, nomination, reviewers[0])
    person = (
        factories.MembershipFactory(agency=nomination.agency).user
        if who == "agency member"
        else reviewers[0]
    )
    client.force_login(person)
    before = (
        list(Assignment.objects.values_list("pk", "state")),
        list(Nomination.objects.values_list("pk", "state")),
        OutboxEmail.objects.count(),
    )
    for method, url in _all_urls(category.cycle, nomination, row):
        response = getattr(client, method)(url, {"outcome": "finalist"})
        assert response.status_code == 404, url
    assert before == (
        list(Assignment.objects.values_list("pk", "state")),
        list(Nomination.objects.values_list("pk", "state")),
        OutboxEmail.objects.count(),
    )


def test_every_page_sends_a_signed_out_visitor_to_sign_in(client, staff, category, reviewers):
    nomination = nominated(category)
    prepare(staff, nomination)
    row = assign(staff, nomination, reviewers[0])
    for method, url in _all_urls(category.cycle, nomination, row):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


# Links from other staff pages ------------------------------------------------------------


def test_staff_home_cycles_and_nomination_link_to_review_pages(
    staff_client, staff, category, reviewers
):
    nomination = nominated(category)
    prepare(staff, nomination)
    cycle = category.cycle

    home = _text(staff_client.get(reverse("staff:home")))
    assert reverse("staff:reviewers") in home
    assert reverse("staff:review", kwargs={"cycle": cycle.pk}) in home

    cycles = _text(staff_client.get(reverse("staff:cycles")))
    assert reverse("staff:review-scoreboard", kwargs={"cycle": cycle.pk}) in cycles

    detail = _text(
        staff_client.get(reverse("staff:nomination-detail", kwargs={"pk": nomination.pk}))
    )
    assert "Review copy: ready" in detail
    assert reverse("staff:nomination-review-copy", kwargs={"pk": nomination.pk}) in detail
    assert reverse("staff:nomination-assignments", kwargs={"pk": nomination.pk}) in detail
    assert reverse("staff:nomination-open-review", kwargs={"pk": nomination.pk}) in detail
