"""Two-factor sign-in is required of program staff and of anyone who can open the admin.

One middleware rather than a check in each staff view: a page added later, an
admin page, or a page that needs no staff rights at all (the dashboard of a
staff member who is also an agency member) cannot be reached by a session
that has given only a password. Such a session can open only the pages that
let it give a second factor (or sign out): enrolment when the person has no
authenticator device yet, the code page when they have one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from dz_awards.accounts.two_factor import confirmed_device, two_factor_required_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

# Pages a signed-in person without a device may open: set one up, or sign out.
ENROLMENT_VIEWS = frozenset(
    {
        "accounts:two-factor",
        "accounts:two-factor-start",
        "accounts:two-factor-confirm",
        "accounts:logout",
    }
)
# Pages a signed-in person with a device may open before giving a code from it.
VERIFICATION_VIEWS = frozenset({"accounts:two-factor-verify", "accounts:logout"})


def second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    """None once this session has given a second factor; otherwise where to give one.

    Enrolment for a person with no authenticator device, the code page for a
    person with one; either comes back to this page afterwards (`next`).
    """
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]  # installed by django-otp's middleware
        return None
    target = (
        "accounts:two-factor" if confirmed_device(user) is None else "accounts:two-factor-verify"
    )
    return redirect_to_login(request.get_full_path(), login_url=reverse(target))


def allowed_before_second_factor(request: HttpRequest) -> bool:
    """Whether the page asked for is one of those that lead to giving the second factor."""
    # Called from process_view, so the address has been resolved.
    allowed = VERIFICATION_VIEWS if confirmed_device(request.user) else ENROLMENT_VIEWS
    return request.resolver_match.view_name in allowed  # type: ignore[union-attr]


class TwoFactorRequiredMiddleware:
    """Sends program staff (and admin users) to enrolment or the code page until verified.

    Runs after django-otp's OTPMiddleware, which marks `request.user` verified.
    Works on the resolved view, so an unknown address is still a plain 404.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or not two_factor_required_for(user):
            return None
        if user.is_verified() or allowed_before_second_factor(request):  # type: ignore[attr-defined]
            return None
        return second_factor_redirect(request)
