"""`Cache-Control: private, no-store` on every response to a signed-in person that has not
chosen its own caching; anonymous visitors' public pages are left as they were."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from dz_awards.core.cache_control import PrivateCacheControlMiddleware
from tests import factories
from tests.reviews.helpers import reviewer

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def member():
    return factories.MembershipFactory().user


@pytest.mark.parametrize(
    ("make_person", "pages"),
    [
        (member, ["portal:dashboard", "accounts:password-change", "portal:home"]),
        (factories.StaffFactory, ["staff:home", "portal:dashboard"]),
        (reviewer, ["reviews:queue", "portal:home"]),
    ],
    ids=["agency-member", "program-staff", "reviewer"],
)
def test_signed_in_pages_are_private_no_store(client, make_person, pages):
    client.force_login(make_person())
    for name in pages:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert response["Cache-Control"] == PRIVATE, name


def test_signed_in_redirect_is_private_no_store_too(client):
    """Even a redirect to a signed-in person carries it (it may name private addresses)."""
    client.force_login(member())
    response = client.get(reverse("portal:after-login"))
    assert response.status_code == 302
    assert response["Cache-Control"] == PRIVATE


def test_admin_keeps_its_own_never_cache_which_is_private_and_no_store(client):
    client.force_login(factories.StaffFactory(is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.mark.parametrize("name", ["portal:home", "profiles:directory"])
def test_anonymous_public_pages_have_no_cache_control(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert not response.has_header("Cache-Control")


def test_anonymous_sign_in_page_keeps_its_own_header(client):
    """Django's sign-in view is never cached by its own choice; nothing is added to it."""
    response = client.get(reverse("accounts:login"))
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def _through_middleware(user, response):
    request = RequestFactory().get("/")
    request.user = user
    return PrivateCacheControlMiddleware(lambda _request: response)(request)


def test_view_that_chose_its_own_caching_keeps_it():
    chosen = HttpResponse("feed")
    chosen["Cache-Control"] = "public, max-age=300"
    response = _through_middleware(factories.UserFactory(), chosen)
    assert response["Cache-Control"] == "public, max-age=300"


def test_private_file_download_to_a_signed_in_person_is_private_no_store():
    download = FileResponse(io.BytesIO(b"%PDF-1.4"), as_attachment=True, filename="policy.pdf")
    response = _through_middleware(factories.UserFactory(), download)
    assert response["Cache-Control"] == PRIVATE


def test_anonymous_response_is_unchanged():
    response = _through_middleware(AnonymousUser(), HttpResponse("public"))
    assert not response.has_header("Cache-Control")


def test_request_without_user_is_unchanged():
    request = RequestFactory().get("/")
    response = PrivateCacheControlMiddleware(lambda _request: HttpResponse("static"))(request)
    assert not response.has_header("Cache-Control")


def test_sign_out_response_is_not_marked_for_the_next_visitor(client):
    """The view signed the person out: its answer is an anonymous one."""
    client.force_login(member())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.get("Cache-Control") != PRIVATE
