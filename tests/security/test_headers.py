"""Security headers on every kind of page: CSP without inline code, no framing, no sniffing."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = {
    "home": lambda: Client().get(reverse("portal:home")),
    "login": lambda: Client().get(reverse("accounts:login")),
    "register": lambda: Client().get(reverse("accounts:register")),
    "register-sent": lambda: Client().get(reverse("accounts:register-sent")),
    "password-reset": lambda: Client().get(reverse("accounts:password-reset")),
    "not-found": lambda: Client().get("/no-such-page/"),
    "csrf-failure": lambda: Client(enforce_csrf_checks=True).post(reverse("accounts:login")),
}


@pytest.fixture(params=PAGES)
def response(request):
    return PAGES[request.param]()


def csp_directives(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_csp_allows_no_unsafe_inline_or_eval(response):
    """No directive of the policy allows inline code or eval."""
    sources = [s for values in csp_directives(response).values() for s in values]
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources
    assert "'unsafe-hashes'" not in sources


def test_csp_default_src_is_self_only(response):
    """Anything not named otherwise may load from this site only."""
    assert csp_directives(response)["default-src"] == ["'self'"]


def test_csp_scripts_and_styles_come_from_this_site_only(response):
    """Scripts and styles load from our own static files, never a CDN or data: URL."""
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


def test_csp_frame_ancestors_none(response):
    """No site may frame our pages (clickjacking)."""
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]


def test_csp_object_src_none(response):
    """Plugins (object, embed) are never loaded."""
    assert csp_directives(response)["object-src"] == ["'none'"]


def test_csp_base_uri_and_form_action_self(response):
    """An injected <base> or form cannot send links or posts to another site."""
    directives = csp_directives(response)
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def test_content_type_options_nosniff(response):
    """Browsers must not guess a content type other than the one we send."""
    assert response["X-Content-Type-Options"] == "nosniff"


def test_referrer_policy_same_origin(response):
    """Full URLs (which may carry tokens) are not sent to other sites as referrers."""
    assert response["Referrer-Policy"] == "same-origin"


def test_x_frame_options_deny(response):
    """Older browsers that ignore frame-ancestors are told not to frame us either."""
    assert response["X-Frame-Options"] == "DENY"


def test_cross_origin_opener_policy_same_origin(response):
    """Windows opened from other sites get no handle on ours."""
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
