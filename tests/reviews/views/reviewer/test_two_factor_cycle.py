"""A cycle may require two-factor sign-in of its reviewers: their pages ask for it first."""

from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.cycles.models import Cycle
from tests import factories

ENROL_URL = reverse("accounts:two-factor")
VERIFY_URL = reverse("accounts:two-factor-verify")


def _reviewer_pages(world):
    assignment = world.assignments[0]
    return [
        reverse("reviews:queue"),
        reverse("reviews:export"),
        reverse("reviews:assignment", args=[assignment.pk]),
        reverse("reviews:review", args=[assignment.pk]),
    ]


def _require(cycle):
    cycle.reviewers_need_two_factor = True
    cycle.save(update_fields=["reviewers_need_two_factor"])


def test_reviewer_pages_open_without_two_factor_when_cycle_does_not_require_it(client, world):
    client.force_login(world.reviewers[0])

    for url in _reviewer_pages(world):
        assert client.get(url).status_code == 200, url


def test_reviewer_without_device_sent_to_enrolment_when_cycle_requires_it(client, world):
    _require(world.cycle)
    client.force_login(world.reviewers[0])

    for url in _reviewer_pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{ENROL_URL}?next={url}"
    # Enrolment itself stays open to them.
    assert client.get(ENROL_URL).status_code == 200


def test_reviewer_with_device_asked_for_code_then_in(client, world):
    _require(world.cycle)
    reviewer = world.reviewers[0]
    TOTPDevice.objects.create(user=reviewer, name="Authenticator app", confirmed=True)
    client.force_login(reviewer)
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY)
    session.save()
    url = reverse("reviews:queue")

    assert client.get(url)["Location"] == f"{VERIFY_URL}?next={url}"
    response = client.post(f"{VERIFY_URL}?next={url}", {"code": factories.totp_code(reviewer)})

    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_other_cycle_requirement_does_not_concern_reviewer(client, world):
    _require(factories.CycleFactory())
    client.force_login(world.reviewers[0])

    assert client.get(reverse("reviews:queue")).status_code == 200


def test_cycle_admin_form_offers_the_requirement(db):
    staff = factories.StaffFactory(is_superuser=True)
    request = RequestFactory().get("/")
    request.user = staff
    form = site.get_model_admin(Cycle).get_form(request)()

    assert "reviewers_need_two_factor" in form.fields
    assert form.fields["reviewers_need_two_factor"].label == (
        "Reviewers must use two-factor sign-in"
    )
