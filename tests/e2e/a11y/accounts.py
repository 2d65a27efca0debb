"""Accessibility scenarios: signing in and up, passwords, and two-factor sign-in."""

import re
import time

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from dz_awards.accounts import two_factor
from dz_awards.accounts.services import set_password_url
from tests import factories
from tests.e2e.a11y.common import WRONG_PASSWORD, error_summary
from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import LOGIN_PATH, field, sign_in_with_session
from tests.reviews import helpers as review

LOGIN_CODE_PATH = "/accounts/login/code/"


@scenario("login", "Sign in", on_phone=True)
def login(page):
    page.goto("/accounts/login/")


@scenario("login, failed attempt", "Sign in", on_phone=True)
def login_failed(page):
    user = factories.UserFactory()
    page.goto("/accounts/login/")
    field(page, "Email address").fill(user.email)
    field(page, "Password").fill(WRONG_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(error_summary(page)).to_contain_text("do not match an account")


@scenario("login, locked out after five failures", "Too many sign-in attempts", status=429)
def login_locked_out(page):
    user = factories.UserFactory()
    page.goto("/accounts/login/")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        field(page, "Email address").fill(user.email)
        field(page, "Password").fill(WRONG_PASSWORD)
        # The page after a failure looks like the one before: wait for the new one.
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if attempt < settings.AXES_FAILURE_LIMIT:
            expect(error_summary(page)).to_be_visible()


@scenario("register", "Create an account", on_phone=True)
def register(page):
    page.goto("/accounts/register/")


@scenario("register, with errors", "Create an account", on_phone=True)
def register_errors(page):
    page.goto("/accounts/register/")
    # Both pass the browser's own checks and fail the server's.
    field(page, "Full name").fill("   ")
    field(page, "Work email address").fill("pat@example")
    page.get_by_role("button", name="Create account").click()
    expect(error_summary(page)).to_contain_text("Please correct these problems")


@scenario("register, email sent", "Check your email")
def register_sent(page):
    page.goto("/accounts/register/")
    field(page, "Full name").fill("Pat Lee")
    field(page, "Work email address").fill("pat.lee@example.org")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url("/accounts/register/sent/")


@scenario("password reset", "Reset your password")
def password_reset(page):
    page.goto("/accounts/password/reset/")


@scenario("password reset, email sent", "Check your email")
def password_reset_sent(page):
    page.goto("/accounts/password/reset/")
    field(page, "Email address").fill("someone@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page).to_have_url("/accounts/password/reset/sent/")


def _set_password_path(user):
    return set_password_url(user).removeprefix(settings.SITE_URL)


@scenario("set password, valid link", "Choose your password")
def set_password_valid(page):
    user = factories.UserFactory(email_verified_at=None)
    page.goto(_set_password_path(user))
    expect(field(page, "New password")).to_be_visible()


@scenario("set password, with errors", "Choose your password")
def set_password_errors(page):
    user = factories.UserFactory(email_verified_at=None)
    page.goto(_set_password_path(user))
    field(page, "New password").fill("a-long-and-memorable-phrase-2031")
    field(page, "New password confirmation").fill("a-different-phrase-entirely-2031")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(error_summary(page)).to_contain_text(
        "The two password fields didn\N{RIGHT SINGLE QUOTATION MARK}t match"
    )


@scenario("set password, invalid link", "This link no longer works")
def set_password_invalid(page):
    user = factories.UserFactory(email_verified_at=None)
    path = _set_password_path(user)
    page.goto(path.rsplit("/", 2)[0] + "/not-a-valid-token/")


@scenario("password change", "Change your password")
def password_change(page):
    sign_in_with_session(page, factories.UserFactory())
    page.goto("/accounts/password/change/")


@scenario("password change, with errors", "Change your password")
def password_change_errors(page):
    sign_in_with_session(page, factories.UserFactory())
    page.goto("/accounts/password/change/")
    field(page, "Old password").fill(WRONG_PASSWORD)
    field(page, "New password").fill("a-long-and-memorable-phrase-2031")
    field(page, "New password confirmation").fill("a-long-and-memorable-phrase-2031")
    page.get_by_role("button", name="Change password").click()
    expect(error_summary(page)).to_contain_text("Old password")


# Two-factor sign-in ----------------------------------------------------------------


def code_at(device, steps_ahead=0):
    """The code the person's authenticator app shows now (or that many steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device):
    """A well-formed code the device does not accept now (none of the steps it tolerates)."""
    accepted = {code_at(device, steps) for steps in (-1, 0, 1)}
    return next(c for c in ("123456", "654321", "111111", "222222") if c not in accepted)


def signed_in_reviewer(page):
    person = review.reviewer(email="dana.whitfield@example.org", full_name="Dana Whitfield")
    sign_in_with_session(page, person)
    return person


TWO_FACTOR_HEADING = "Two-factor sign-in"
CODE_HEADING = "Enter your sign-in code"


@scenario("two-factor set-up, off", TWO_FACTOR_HEADING)
def two_factor_off(page):
    signed_in_reviewer(page)
    page.goto("/accounts/two-factor/")
    expect(page.get_by_role("button", name="Set up two-factor sign-in")).to_be_visible()


def start_two_factor(page):
    person = signed_in_reviewer(page)
    page.goto("/accounts/two-factor/")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    return person


@scenario("two-factor set-up, QR code and code form", TWO_FACTOR_HEADING, on_phone=True)
def two_factor_setup(page):
    start_two_factor(page)
    expect(field(page, "6-digit code")).to_be_visible()


@scenario("two-factor set-up, wrong code", TWO_FACTOR_HEADING)
def two_factor_setup_wrong(page):
    person = start_two_factor(page)
    field(page, "6-digit code").fill(wrong_code(two_factor.unconfirmed_device(person)))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(error_summary(page)).to_contain_text("That code is not right.")


@scenario("two-factor set-up, on: backup codes shown once", "Your backup codes", on_phone=True)
def two_factor_on(page):
    person = start_two_factor(page)
    field(page, "6-digit code").fill(code_at(two_factor.unconfirmed_device(person)))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in is on. From now on")).to_be_visible()
    expect(page.get_by_role("list", name=re.compile("10 backup codes"))).to_be_visible()
    expect(page.get_by_role("button", name="Print the codes")).to_be_visible()


@scenario("two-factor, on for a reviewer", TWO_FACTOR_HEADING)
def two_factor_on_reviewer(page):
    person = signed_in_reviewer(page)
    device = two_factor.two_factor_start(user=person)
    two_factor.two_factor_confirm(user=person, code=code_at(device))
    sign_in_with_session(page, person)
    page.goto("/accounts/two-factor/")
    expect(page.get_by_role("button", name="Turn off two-factor sign-in")).to_be_visible()
    expect(page.get_by_text("unused backup codes")).to_be_visible()


def signed_in_staff(page, *, device=True, verified=True):
    """Program staff signed in with the session only; without `verified`, by password alone."""
    person = factories.StaffFactory(full_name="Pat Rivera", two_factor_device=device)
    client = Client()
    client.force_login(person)
    if not verified:
        session = client.session
        session.pop(DEVICE_ID_SESSION_KEY, None)
        session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": page.context.live_server_url}]
    )
    return person


@scenario("two-factor set-up, required of staff", TWO_FACTOR_HEADING, on_phone=True)
def two_factor_required(page):
    signed_in_staff(page, device=False)
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    expect(page.get_by_text("Program staff must use two-factor sign-in")).to_be_visible()


@scenario("two-factor, staff with few backup codes left", TWO_FACTOR_HEADING, on_phone=True)
def two_factor_few_codes(page):
    person = signed_in_staff(page)
    two_factor.two_factor_backup_codes_generate(user=person)
    for token in StaticToken.objects.filter(device__user=person).order_by("pk")[:8]:
        token.delete()
    page.goto("/accounts/two-factor/")
    expect(page.get_by_text("Only 2 backup codes left.")).to_be_visible()
    expect(page.get_by_role("button", name="Set up a new device")).to_be_visible()


@scenario("two-factor, staff setting up a new device", TWO_FACTOR_HEADING)
def two_factor_new_device(page):
    signed_in_staff(page)
    page.goto("/accounts/two-factor/")
    page.get_by_role("button", name="Set up a new device").click()
    expect(page.get_by_role("heading", name="Set up your new device")).to_be_visible()


VERIFY_HEADING = "Confirm it is you"


@scenario("two-factor code for a signed-in session", VERIFY_HEADING, on_phone=True)
def two_factor_verify(page):
    signed_in_staff(page, verified=False)
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next="))
    expect(field(page, "Code")).to_be_focused()


@scenario("two-factor code for a signed-in session, wrong code", VERIFY_HEADING)
def two_factor_verify_wrong(page):
    person = signed_in_staff(page, verified=False)
    page.goto("/accounts/two-factor/verify/")
    field(page, "Code").fill(wrong_code(TOTPDevice.objects.get(user=person)))
    page.get_by_role("button", name="Continue").click()
    expect(error_summary(page)).to_contain_text("That code is not right.")


RESET_LIST_HEADING = "Two-factor sign-in of staff and reviewers"


@scenario("staff: two-factor sign-in of people", RESET_LIST_HEADING, on_phone=True)
def two_factor_people(page):
    factories.StaffFactory(full_name="Morgan Lee")
    factories.StaffFactory(full_name="Sam New", two_factor_device=False)
    review.reviewer(email="dana.whitfield@example.org", full_name="Dana Whitfield")
    signed_in_staff(page)
    page.goto("/staff/people/two-factor/")
    expect(page.get_by_role("link", name="Reset two-factor sign-in of Morgan Lee")).to_be_visible()


def _reset_page(page):
    colleague = factories.StaffFactory(full_name="Morgan Lee")
    signed_in_staff(page)
    page.goto(f"/staff/people/{colleague.pk}/two-factor/reset/")
    return colleague


@scenario("staff: reset a colleague's two-factor sign-in", "Reset two-factor sign-in of Morgan Lee")
def two_factor_reset(page):
    _reset_page(page)
    expect(field(page, "Reason")).to_be_visible()


@scenario(
    "staff: reset a colleague's two-factor sign-in, no reason",
    "Reset two-factor sign-in of Morgan Lee",
)
def two_factor_reset_errors(page):
    _reset_page(page)
    field(page, "Reason").fill("   ")
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(error_summary(page)).to_contain_text("This field is required.")


def password_step(page):
    """A reviewer with two-factor sign-in on gets past the password, onto the code page."""
    person = review.reviewer(email="dana.whitfield@example.org")
    device = two_factor.two_factor_start(user=person)
    two_factor.two_factor_confirm(user=person, code=code_at(device))
    page.goto(LOGIN_PATH)
    field(page, "Email address").fill(person.email)
    field(page, "Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{LOGIN_CODE_PATH}")
    return device


@scenario("two-factor sign-in code", CODE_HEADING, on_phone=True)
def two_factor_login_code(page):
    password_step(page)
    expect(field(page, "Code")).to_be_focused()


@scenario("two-factor sign-in code, wrong code", CODE_HEADING)
def two_factor_login_wrong(page):
    device = password_step(page)
    field(page, "Code").fill(wrong_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(error_summary(page)).to_contain_text("4 tries left.")
