"""Two-factor sign-in: offered to reviewers and staff, asked for after the password.

The clock is frozen and moved by hand: a TOTP code belongs to a 30-second
step, a device never accepts the same step twice, and after a wrong code the
device waits (1 s, 2 s, 4 s, ...) before it checks another.
"""

import re
import time
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.accounts import two_factor
from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.accounts.services import set_password_url
from dz_awards.accounts.views import PENDING_SIGN_IN_KEY
from dz_awards.core.models import AuditEvent
from tests import factories
from tests.accounts.conftest import (
    DASHBOARD_URL,
    LOGIN_URL,
    NEW_PASSWORD,
    WRONG_PASSWORD,
    sign_in,
)

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("accounts:two-factor")
START_URL = reverse("accounts:two-factor-start")
CONFIRM_URL = reverse("accounts:two-factor-confirm")
DISABLE_URL = reverse("accounts:two-factor-disable")
CODE_URL = reverse("accounts:login-code")
AFTER_LOGIN = reverse("portal:after-login")
PASSWORD_CHANGE_URL = reverse("accounts:password-change")
STEP = 30


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2031, 3, 3, 15, 0, 5, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def reviewer(db):
    person = factories.UserFactory(email="reviewer@example.org")
    person.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return person


@pytest.fixture
def device(reviewer):
    """Two-factor sign-in already on for the reviewer."""
    return TOTPDevice.objects.create(user=reviewer, name="Authenticator app", confirmed=True)


def code_for(device, *, steps_ahead=0):
    """The code the person's app shows now (or that many 30-second steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * STEP
    return f"{totp.token():06d}"


def wrong_code(device):
    """A well-formed code the device does not accept now (none of the steps it tolerates)."""
    accepted = {code_for(device, steps_ahead=n) for n in (-1, 0, 1)}
    return next(c for c in ("123456", "654321", "111111", "222222") if c not in accepted)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def opens_login_required_page(client):
    return client.get(PASSWORD_CHANGE_URL).status_code == 200


def enter_code(client, code, **extra):
    return client.post(CODE_URL, {"code": code}, **extra)


# The set-up page ---------------------------------------------------------------


def test_setup_page_offered_to_reviewer(client, reviewer):
    """A reviewer sees the offer and the button that starts set-up; nothing is made yet."""
    client.force_login(reviewer)

    response = client.get(PAGE_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Two-factor sign-in is <strong>off</strong>." in html
    assert f'action="{START_URL}"' in html
    assert TOTPDevice.objects.exists() is False


def test_setup_page_offered_to_program_staff(client, staff):
    client.force_login(staff)

    assert client.get(PAGE_URL).status_code == 200


@pytest.mark.parametrize("url", [PAGE_URL, START_URL, CONFIRM_URL, DISABLE_URL])
def test_setup_pages_404_for_agency_only_user(client, owner, url):
    """Someone who is neither reviewer nor staff finds no such page, and can make no device."""
    client.force_login(owner)

    response = client.post(url, {"confirm-code": "123456"}) if url != PAGE_URL else client.get(url)

    assert response.status_code == 404
    assert TOTPDevice.objects.exists() is False


def test_setup_page_sends_anonymous_visitor_to_sign_in(client, db):
    response = client.get(PAGE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={PAGE_URL}"


def test_setup_link_in_account_menu_for_reviewer_only(client, reviewer, owner):
    client.force_login(reviewer)
    assert f'href="{PAGE_URL}"' in client.get(PASSWORD_CHANGE_URL).content.decode()

    client.force_login(owner)
    assert f'href="{PAGE_URL}"' not in client.get(PASSWORD_CHANGE_URL).content.decode()


def test_setup_start_shows_key_and_qr_code(client, reviewer):
    """Starting makes an unconfirmed device and shows its key, grouped, and a CSP-safe QR code."""
    client.force_login(reviewer)

    response = client.post(START_URL, follow=True)

    device = TOTPDevice.objects.get(user=reviewer)
    html = response.content.decode()
    assert device.confirmed is False
    assert two_factor.grouped_secret(device) in html
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", two_factor.grouped_secret(device))
    svg = re.search(r"<svg[^>]*qr-code.*?</svg>", html, re.DOTALL).group(0)
    assert 'role="img"' in svg
    assert "aria-label=" in svg
    assert "style" not in svg
    assert "otpauth://totp/Destination%20Zero%20Awards%3Areviewer%40example.org?" in html
    assert "no-store" in response["Cache-Control"]


def test_setup_start_again_replaces_unfinished_key(client, reviewer):
    client.force_login(reviewer)
    client.post(START_URL)
    first = TOTPDevice.objects.get(user=reviewer)

    client.post(START_URL)

    second = TOTPDevice.objects.get(user=reviewer)
    assert second.pk != first.pk
    assert second.key != first.key


def test_setup_confirm_with_code_turns_it_on_and_records_audit_event(client, reviewer, clock):
    client.force_login(reviewer)
    client.post(START_URL)
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post(CONFIRM_URL, {"confirm-code": code_for(device)}, follow=True)

    device.refresh_from_db()
    assert device.confirmed is True
    assert "Two-factor sign-in is on." in response.content.decode()
    event = AuditEvent.objects.get(action="two_factor_enabled")
    assert event.actor == reviewer
    assert event.subject == reviewer
    # This browser gave the code: its session counts as verified.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_setup_confirm_sent_twice_says_it_is_on(client, reviewer, clock):
    """A double-clicked confirm turns it on once; the second answer says so."""
    client.force_login(reviewer)
    client.post(START_URL)
    code = code_for(TOTPDevice.objects.get(user=reviewer))
    client.post(CONFIRM_URL, {"confirm-code": code})

    response = client.post(CONFIRM_URL, {"confirm-code": code}, follow=True)

    assert "Two-factor sign-in is already on for your account." in response.content.decode()
    assert AuditEvent.objects.filter(action="two_factor_enabled").count() == 1


def test_setup_confirm_accepts_code_typed_with_space(client, reviewer, clock):
    client.force_login(reviewer)
    client.post(START_URL)
    device = TOTPDevice.objects.get(user=reviewer)
    code = code_for(device)

    client.post(CONFIRM_URL, {"confirm-code": f" {code[:3]} {code[3:]} "})

    device.refresh_from_db()
    assert device.confirmed is True


def test_setup_confirm_wrong_code_refused(client, reviewer, clock):
    """A wrong code leaves it off, says so beside the field, and keeps the key on the page."""
    client.force_login(reviewer)
    client.post(START_URL)
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post(CONFIRM_URL, {"confirm-code": wrong_code(device)})

    html = response.content.decode()
    device.refresh_from_db()
    assert response.status_code == 200
    assert device.confirmed is False
    assert "That code is not right." in html
    assert 'href="#id_confirm-code"' in html
    assert two_factor.grouped_secret(device) in html
    assert AuditEvent.objects.filter(action="two_factor_enabled").exists() is False


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦"])
def test_setup_confirm_malformed_code_refused(client, reviewer, typed):
    client.force_login(reviewer)
    client.post(START_URL)

    response = client.post(CONFIRM_URL, {"confirm-code": typed})

    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=reviewer).confirmed is False
    assert "id_confirm-code" in response.content.decode()


def test_setup_start_refused_while_on(client, reviewer, device):
    client.force_login(reviewer)

    response = client.post(START_URL, follow=True)

    assert "already on" in response.content.decode()
    assert list(TOTPDevice.objects.filter(user=reviewer)) == [device]


# Turning it off ----------------------------------------------------------------


def test_disable_without_right_code_keeps_it_on(client, reviewer, device, clock):
    client.force_login(reviewer)

    response = client.post(DISABLE_URL, {"disable-code": wrong_code(device)})

    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert AuditEvent.objects.filter(action="two_factor_disabled").exists() is False


def test_disable_by_get_is_not_allowed(client, reviewer, device):
    client.force_login(reviewer)

    assert client.get(DISABLE_URL).status_code == 405
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_disable_with_code_turns_it_off(client, reviewer, device, clock):
    client.force_login(reviewer)

    response = client.post(DISABLE_URL, {"disable-code": code_for(device)}, follow=True)

    assert "Two-factor sign-in is off." in response.content.decode()
    assert TOTPDevice.objects.filter(user=reviewer).exists() is False
    assert AuditEvent.objects.get(action="two_factor_disabled").actor == reviewer
    # Signing in no longer asks for a code.
    other = Client()
    assert sign_in(other, reviewer.email)["Location"] == AFTER_LOGIN


def test_page_stays_open_to_turn_off_after_role_is_gone(client, reviewer, device):
    """Someone no longer a reviewer can still reach the page to turn their device off."""
    reviewer.groups.clear()
    client.force_login(reviewer)

    assert client.get(PAGE_URL).status_code == 200


# Signing in --------------------------------------------------------------------


def test_sign_in_without_device_unchanged(client, reviewer):
    """No device (or one never confirmed): the password alone signs in, as before."""
    TOTPDevice.objects.create(user=reviewer, confirmed=False)

    response = sign_in(client, reviewer.email)

    assert response["Location"] == AFTER_LOGIN
    assert signed_in_user_id(client) == str(reviewer.pk)


def test_sign_in_with_device_asks_for_code_before_signing_in(client, reviewer, device, clock):
    response = sign_in(client, reviewer.email)

    assert response.status_code == 302
    assert response["Location"] == CODE_URL
    assert signed_in_user_id(client) is None
    page = client.get(CODE_URL)
    assert page.status_code == 200
    assert "Enter your sign-in code" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_sign_in_wrong_password_never_reaches_code_step(client, reviewer, device):
    sign_in(client, reviewer.email, WRONG_PASSWORD)

    assert PENDING_SIGN_IN_KEY not in client.session
    assert client.get(CODE_URL)["Location"] == LOGIN_URL


def test_half_signed_in_session_cannot_open_login_required_pages(client, reviewer, device):
    sign_in(client, reviewer.email)

    for url in (PASSWORD_CHANGE_URL, DASHBOARD_URL, PAGE_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_URL}?next={url}"


def test_sign_in_with_right_code_signs_in_verified(client, reviewer, device, clock):
    """The code completes sign-in: signed in, verified by the device, on a fresh session key."""
    arrived = client.session
    arrived["planted"] = True
    arrived.save()
    sign_in(client, reviewer.email)
    pending_key = client.session.session_key

    response = enter_code(client, code_for(device))

    assert response.status_code == 302
    assert response["Location"] == AFTER_LOGIN
    assert signed_in_user_id(client) == str(reviewer.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_SIGN_IN_KEY not in client.session
    assert client.session.session_key not in (arrived.session_key, pending_key)
    assert opens_login_required_page(client)
    assert client.get(PAGE_URL).wsgi_request.user.is_verified() is True


def test_sign_in_code_goes_on_to_next_page(client, reviewer, device, clock):
    client.post(
        f"{LOGIN_URL}?next={PASSWORD_CHANGE_URL}",
        {"username": reviewer.email, "password": factories.PASSWORD},
    )

    response = enter_code(client, code_for(device))

    assert response["Location"] == PASSWORD_CHANGE_URL


def test_sign_in_code_ignores_next_to_other_site(client, reviewer, device, clock):
    client.post(
        f"{LOGIN_URL}?next=https://evil.example/",
        {"username": reviewer.email, "password": factories.PASSWORD},
    )

    response = enter_code(client, code_for(device))

    assert response["Location"] == AFTER_LOGIN


def test_sign_in_wrong_code_refused_with_tries_left(client, reviewer, device, clock):
    sign_in(client, reviewer.email)

    response = enter_code(client, wrong_code(device))

    html = response.content.decode()
    assert response.status_code == 200
    assert "That code is not right." in html
    assert "4 tries left." in html
    assert signed_in_user_id(client) is None


def test_sign_in_five_wrong_codes_drop_pending_sign_in(client, reviewer, device, clock):
    """After five wrong codes the password must be given again; the right code no longer helps."""
    sign_in(client, reviewer.email)
    for left in (4, 3, 2, 1):
        clock.shift(20)  # past the device's wait after the previous wrong code
        assert f"{left} tr" in enter_code(client, wrong_code(device)).content.decode()
    clock.shift(20)

    fifth = enter_code(client, wrong_code(device), follow=True)

    assert fifth.redirect_chain == [(LOGIN_URL, 302)]
    assert "The code was wrong 5 times." in fifth.content.decode()
    clock.shift(20)
    late = enter_code(client, code_for(device), follow=True)
    assert late.redirect_chain == [(LOGIN_URL, 302)]
    assert "Your sign-in has expired." in late.content.decode()
    assert signed_in_user_id(client) is None


def test_sign_in_after_dropped_pending_starts_again(client, reviewer, device, clock):
    """Dropping the pending sign-in locks nobody out: password and a right code still work."""
    sign_in(client, reviewer.email)
    for _ in range(5):
        clock.shift(20)
        enter_code(client, wrong_code(device))
    clock.shift(20)

    sign_in(client, reviewer.email)
    response = enter_code(client, code_for(device))

    assert response["Location"] == AFTER_LOGIN
    assert signed_in_user_id(client) == str(reviewer.pk)


def test_sign_in_other_browser_wrong_codes_do_not_touch_owner_session(reviewer, device, clock):
    """Someone with the password failing codes elsewhere ends only their own pending sign-in."""
    owner, intruder = Client(), Client()
    sign_in(owner, reviewer.email)
    sign_in(intruder, reviewer.email)
    for _ in range(5):
        clock.shift(20)
        enter_code(intruder, wrong_code(device))
    clock.shift(20)

    response = enter_code(owner, code_for(device))

    assert response["Location"] == AFTER_LOGIN
    assert signed_in_user_id(owner) == str(reviewer.pk)
    assert signed_in_user_id(intruder) is None


def test_sign_in_code_at_once_after_wrong_code_asks_to_wait(client, reviewer, device, clock):
    """Right after a wrong code the device waits a moment; that attempt is not counted."""
    sign_in(client, reviewer.email)
    enter_code(client, wrong_code(device))

    response = enter_code(client, code_for(device))

    html = response.content.decode()
    assert "After a wrong code, this account waits before the next try" in html
    assert "Wait 1 second," in html
    assert signed_in_user_id(client) is None
    assert client.session[PENDING_SIGN_IN_KEY]["wrong"] == 1
    clock.shift(2)
    assert enter_code(client, code_for(device))["Location"] == AFTER_LOGIN


def test_device_wait_after_wrong_codes_is_capped(reviewer, device, clock):
    """However many wrong codes anyone sends, the owner waits minutes at most, not days."""
    for _ in range(20):
        clock.shift(10 * 60)
        with pytest.raises(two_factor.WrongCodeError):
            two_factor.two_factor_verify(user=reviewer, code=wrong_code(device))

    device.refresh_from_db()
    assert device.throttling_failure_count == two_factor.MAX_COUNTED_FAILURES
    clock.shift(2 ** (two_factor.MAX_COUNTED_FAILURES - 1) + 1)
    assert two_factor.two_factor_verify(user=reviewer, code=code_for(device)) == device


def test_sign_in_code_cannot_be_used_twice(reviewer, device, clock):
    """A code seen over someone's shoulder is spent once it signed the owner in."""
    owner, onlooker = Client(), Client()
    sign_in(owner, reviewer.email)
    sign_in(onlooker, reviewer.email)
    code = code_for(device)
    enter_code(owner, code)

    response = enter_code(onlooker, code)

    assert response.status_code == 200
    assert signed_in_user_id(onlooker) is None


def test_sign_in_pending_expires_after_five_minutes(client, reviewer, device, clock):
    sign_in(client, reviewer.email)
    clock.shift(5 * 60 + 1)

    response = enter_code(client, code_for(device), follow=True)

    assert response.redirect_chain == [(LOGIN_URL, 302)]
    assert "Your sign-in has expired." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_sign_in_pending_dropped_when_password_changes(client, reviewer, device, clock):
    sign_in(client, reviewer.email)
    reviewer.set_password(NEW_PASSWORD)
    reviewer.save()

    response = enter_code(client, code_for(device))

    assert response["Location"] == LOGIN_URL
    assert signed_in_user_id(client) is None


def test_sign_in_code_page_without_password_step_sends_to_sign_in(client, db):
    response = client.get(CODE_URL)

    assert response["Location"] == LOGIN_URL


def test_sign_in_success_clears_password_failures(client, reviewer, device, clock):
    """Completing both steps counts as a successful sign-in for the login throttle."""
    for _ in range(4):
        sign_in(client, reviewer.email, WRONG_PASSWORD)
    sign_in(client, reviewer.email)
    enter_code(client, code_for(device))
    client.post(reverse("accounts:logout"))

    for _ in range(4):
        sign_in(client, reviewer.email, WRONG_PASSWORD)
    assert sign_in(client, reviewer.email)["Location"] == CODE_URL


# Other ways in -----------------------------------------------------------------


def test_set_password_link_does_not_skip_code(client, reviewer, device):
    """The emailed link proves the address only: the person must still sign in with a code."""
    link = set_password_url(reviewer).removeprefix(settings.SITE_URL)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )

    reviewer.refresh_from_db()
    assert reviewer.check_password(NEW_PASSWORD)
    assert response.redirect_chain == [(LOGIN_URL, 302)]
    assert "Sign in with it and a code from your authenticator app." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_admin_sign_in_goes_through_site_sign_in(client, db):
    """The admin's own password-only form is replaced by the site's sign-in."""
    admin_index = reverse("admin:index")

    response = client.get(admin_index, follow=True)

    assert response.redirect_chain[-1] == (f"{LOGIN_URL}?next={admin_index}", 302)


def test_admin_sign_in_for_signed_in_non_staff_is_404(client, reviewer):
    client.force_login(reviewer)

    response = client.get(reverse("admin:login"))

    assert response.status_code == 404
