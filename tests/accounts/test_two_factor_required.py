"""Two-factor sign-in required for program staff and the admin, backup codes and recovery.

The clock is frozen and moved by hand, as in test_two_factor.py: a TOTP code
belongs to a 30-second step and a device never accepts the same step twice.
"""

import re
import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.accounts import two_factor
from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.core.models import AuditEvent
from tests import factories
from tests.accounts.conftest import LOGIN_URL, sign_in

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("accounts:two-factor")
START_URL = reverse("accounts:two-factor-start")
CONFIRM_URL = reverse("accounts:two-factor-confirm")
DISABLE_URL = reverse("accounts:two-factor-disable")
BACKUP_URL = reverse("accounts:two-factor-backup-codes")
VERIFY_URL = reverse("accounts:two-factor-verify")
CODE_URL = reverse("accounts:login-code")
LOGOUT_URL = reverse("accounts:logout")
STAFF_HOME = reverse("staff:home")
PEOPLE_URL = reverse("staff:two-factor-people")
AFTER_LOGIN = reverse("portal:after-login")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2031, 3, 3, 15, 0, 5, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def password_only(client, user):
    """Signed in with the password alone: the session has given no second factor."""
    client.force_login(user)
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()
    return client


def with_backup_codes(user, codes=("abcd2345", "efgh6789", "jkmn2345", "pqrs6789")):
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    for code in codes:
        device.token_set.create(token=code)
    return list(codes)


def audit_actions(user):
    return list(
        AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="two_factor")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def enrol(client):
    """Set up the authenticator app through the pages; returns the backup codes shown."""
    client.post(START_URL)
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    response = client.post(CONFIRM_URL, {"confirm-code": factories.totp_code(device)})
    assert response["Location"] == BACKUP_URL
    page = client.get(BACKUP_URL).content.decode()
    return re.findall(r"<li>([a-z2-7]{8})</li>", page)


# Required: after the password, enrolment or the code ----------------------------


def test_staff_without_device_goes_from_password_to_enrolment(client):
    staff = factories.StaffFactory(two_factor_device=False)

    response = sign_in(client, staff.email, follow=True)

    assert response.redirect_chain[-1] == (f"{PAGE_URL}?next={AFTER_LOGIN}", 302)
    html = response.content.decode()
    assert "Program staff must use two-factor sign-in before opening any other page" in html
    assert response.wsgi_request.user.is_verified() is False


def test_staff_with_device_asked_for_code_before_signing_in(client, staff):
    response = sign_in(client, staff.email)

    assert response["Location"] == CODE_URL
    assert "_auth_user_id" not in client.session


def test_staff_sign_in_with_code_opens_staff_pages(client, staff, clock):
    sign_in(client, staff.email)
    client.post(CODE_URL, {"code": factories.totp_code(staff)})

    response = client.get(STAFF_HOME)

    assert response.status_code == 200
    assert response.wsgi_request.user.is_verified() is True


def test_superuser_not_staff_must_enrol_too(client):
    boss = factories.UserFactory(is_superuser=True, two_factor_device=False)
    password_only(client, boss)

    response = client.get(AFTER_LOGIN)

    assert response["Location"] == f"{PAGE_URL}?next={AFTER_LOGIN}"
    assert client.get(PAGE_URL).status_code == 200


def test_unverified_staff_may_sign_out(client):
    password_only(client, factories.StaffFactory(two_factor_device=False))

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_unverified_staff_with_device_cannot_open_enrolment_pages(client, staff):
    """A password alone must not replace the device: the set-up pages ask for the code first."""
    password_only(client, staff)

    for url in (PAGE_URL, START_URL, CONFIRM_URL):
        response = client.post(url, {"replace": "1"}) if url != PAGE_URL else client.get(url)
        assert response["Location"].startswith(f"{VERIFY_URL}?next=")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_unknown_address_is_still_404_for_unverified_staff(client):
    password_only(client, factories.StaffFactory(two_factor_device=False))

    assert client.get("/staff/no-such-page/").status_code == 404


def test_agency_member_unaffected(client, owner):
    client.force_login(owner)

    assert client.get(reverse("portal:dashboard")).status_code == 200


# Every staff and admin route --------------------------------------------------------


_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
# Samples for path converters; a regex group takes the first sample that fits it.
_SAMPLES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "app_label": "cycles", "url": "no-page/"}


def _concrete(pattern):
    """A path segment that `pattern` matches, its parameters filled with samples."""
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RoutePattern):
        return _CONVERTER.sub(lambda m: _SAMPLES.get(m["kind"] or "", "1"), text)
    text = _GROUP.sub(lambda m: _SAMPLES.get(m["name"], "1"), text.lstrip("^").rstrip("$"))
    assert not set(text) & set("()[]*+?|\\"), text
    return text


def _walk(patterns, prefix=""):
    for pattern in patterns:
        here = prefix + _concrete(pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, here)
        else:
            yield pattern, "/" + here


def staff_and_admin_paths():
    """One concrete path for every route under /staff/ and the admin, each checked to resolve
    to its own view (named or not: the admin's catch-all and old-style redirects too)."""
    paths = []
    for pattern, path in _walk(get_resolver().url_patterns):
        if path.startswith(("/staff/", f"/{settings.ADMIN_URL}")):
            assert resolve(path).func == pattern.callback, path
            paths.append(path)
    return paths


STAFF_AND_ADMIN_PATHS = staff_and_admin_paths()


def test_route_walk_covers_staff_and_admin():
    """The walk below reaches each area: a change that hid routes from it would show here."""
    staff_paths = [p for p in STAFF_AND_ADMIN_PATHS if p.startswith("/staff/")]
    admin_paths = [p for p in STAFF_AND_ADMIN_PATHS if p.startswith(f"/{settings.ADMIN_URL}")]
    assert len(staff_paths) > 40
    assert len(admin_paths) > 40
    assert PEOPLE_URL in staff_paths
    assert f"/{settings.ADMIN_URL}" in admin_paths
    assert f"/{settings.ADMIN_URL}otp_static/staticdevice/" in admin_paths
    assert f"/{settings.ADMIN_URL}no-page/" in admin_paths  # the admin's catch-all


@pytest.mark.parametrize("has_device", [False, True], ids=["no-device", "device-not-verified"])
@pytest.mark.parametrize("superuser", [False, True], ids=["staff", "superuser"])
def test_every_staff_and_admin_route_sends_unverified_staff_to_second_factor(
    client, has_device, superuser
):
    person = factories.StaffFactory(is_superuser=superuser, two_factor_device=has_device)
    password_only(client, person)
    target = VERIFY_URL if has_device else PAGE_URL

    for path in STAFF_AND_ADMIN_PATHS:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"].startswith(f"{target}?next="), path


def test_admin_refuses_unverified_staff_even_without_the_middleware(staff):
    """Defence in depth: the admin site itself asks for a verified session."""
    request = RequestFactory().get("/admin/")
    request.user = staff
    staff.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    staff.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_admin_opens_for_verified_staff(client):
    superuser = factories.StaffFactory(is_superuser=True)
    client.force_login(superuser)

    assert client.get(f"/{settings.ADMIN_URL}").status_code == 200


# Enrolment and backup codes ------------------------------------------------------------


def test_enrolment_shows_ten_backup_codes_once_and_records_it(client):
    staff = factories.StaffFactory(two_factor_device=False)
    password_only(client, staff)

    codes = enrol(client)

    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    )
    again = client.get(BACKUP_URL)
    assert again["Location"] == PAGE_URL
    assert audit_actions(staff) == ["two_factor_enabled", "two_factor_backup_codes_generated"]
    assert client.get(STAFF_HOME).status_code == 200


def test_backup_code_page_says_to_store_codes_and_offers_print_and_copy(client):
    password_only(client, factories.StaffFactory(two_factor_device=False))
    client.post(START_URL)
    device = TOTPDevice.objects.get(confirmed=False)
    client.post(CONFIRM_URL, {"confirm-code": factories.totp_code(device)})

    html = client.get(BACKUP_URL).content.decode()

    assert "this page is the only time they are shown" in html
    assert "data-print-page" in html
    assert "data-copy-codes" in html
    assert '<textarea id="backup-codes-text"' in html


def test_sign_in_with_backup_code_works_once(client, staff):
    codes = with_backup_codes(staff)

    sign_in(client, staff.email)
    response = client.post(CODE_URL, {"code": codes[0].upper()}, follow=True)

    assert response.wsgi_request.user.is_verified() is True
    assert "You used a backup code; it will not work again. 3 are left." in (
        response.content.decode()
    )
    event = AuditEvent.objects.get(action="two_factor_backup_code_used")
    assert (event.actor, event.subject, event.message) == (staff, staff, "3 backup codes left.")
    assert client.get(STAFF_HOME).status_code == 200

    other = Client()
    sign_in(other, staff.email)
    again = other.post(CODE_URL, {"code": codes[0]})
    assert again.status_code == 200
    assert "That code is not right" in again.content.decode()
    assert "_auth_user_id" not in other.session


def test_backup_code_with_space_or_dash_accepted(client, staff):
    codes = with_backup_codes(staff)
    sign_in(client, staff.email)

    client.post(CODE_URL, {"code": f"{codes[1][:4]}-{codes[1][4:]}"})

    assert client.session["_auth_user_id"] == str(staff.pk)


# The last: a backup code typed in full-width letters and digits.
FULL_WIDTH = "\uff41\uff42\uff43\uff44\uff12\uff13\uff14\uff15"


@pytest.mark.parametrize("typed", ["12345", "abc", "abcd 234!", FULL_WIDTH])
def test_sign_in_code_malformed_refused(client, staff, typed):
    sign_in(client, staff.email)

    response = client.post(CODE_URL, {"code": typed})

    assert "Enter the 6 digits your authenticator app shows, or one of your backup codes." in (
        response.content.decode()
    )


def test_regenerating_backup_codes_voids_the_old_ones(client, staff):
    old = with_backup_codes(staff)
    client.force_login(staff)

    response = client.post(BACKUP_URL)

    assert response["Location"] == BACKUP_URL
    new = re.findall(r"<li>([a-z2-7]{8})</li>", client.get(BACKUP_URL).content.decode())
    assert len(new) == 10
    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert stored == set(new)
    assert not stored & set(old)
    assert audit_actions(staff) == ["two_factor_backup_codes_regenerated"]
    other = Client()
    sign_in(other, staff.email)
    assert "That code is not right" in other.post(CODE_URL, {"code": old[0]}).content.decode()


def test_regenerating_needs_a_verified_session(client):
    reviewer = factories.UserFactory(two_factor_device=True)
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    old = with_backup_codes(reviewer)
    password_only(client, reviewer)

    response = client.post(BACKUP_URL)

    assert response["Location"] == f"{VERIFY_URL}?next={BACKUP_URL}"
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)


def test_backup_codes_need_a_device_first(client):
    password_only(client, factories.StaffFactory(two_factor_device=False))

    assert client.post(BACKUP_URL)["Location"].startswith(f"{PAGE_URL}?next=")
    with pytest.raises(two_factor.TwoFactorError, match="Turn on two-factor sign-in first"):
        two_factor.two_factor_backup_codes_generate(user=factories.UserFactory())


def test_security_page_counts_backup_codes_and_warns_when_few(client, staff):
    with_backup_codes(staff, codes=[f"code{n}abc" for n in range(5)])
    client.force_login(staff)

    html = client.get(PAGE_URL).content.decode()
    assert "You have <strong>5</strong> unused backup codes." in html
    assert "alert-warning" not in html

    StaticToken.objects.filter(token__in=["code0abc", "code1abc"]).delete()
    html = client.get(PAGE_URL).content.decode()
    assert "Only 3 backup codes left." in html

    StaticToken.objects.all().delete()
    assert "You have no backup codes left." in client.get(PAGE_URL).content.decode()


def test_staff_cannot_turn_two_factor_off(client, staff):
    client.force_login(staff)

    assert DISABLE_URL not in client.get(PAGE_URL).content.decode()
    response = client.post(DISABLE_URL, {"disable-code": factories.totp_code(staff)}, follow=True)

    assert "To use a new phone, set up a new device instead." in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


# The code page for a signed-in session -------------------------------------------


def test_verify_page_accepts_app_code_and_goes_on(client, staff):
    password_only(client, staff)
    blocked = client.get(reverse("staff:nominations"))
    assert blocked["Location"] == f"{VERIFY_URL}?next={reverse('staff:nominations')}"

    response = client.post(blocked["Location"], {"code": factories.totp_code(staff)})

    assert response["Location"] == reverse("staff:nominations")
    assert client.get(reverse("staff:nominations")).status_code == 200


def test_verify_page_refuses_wrong_code_and_ignores_next_to_other_site(client, staff, clock):
    password_only(client, staff)
    right = factories.totp_code(staff)
    wrong = next(c for c in ("123456", "654321") if c != right)

    refused = client.post(VERIFY_URL, {"code": wrong})
    assert "That code is not right" in refused.content.decode()
    assert refused.wsgi_request.user.is_verified() is False

    clock.shift(2)  # the device waits a second after a wrong code
    response = client.post(
        f"{VERIFY_URL}?next=https://evil.example/", {"code": factories.totp_code(staff)}
    )
    assert response["Location"] == AFTER_LOGIN


def test_verify_page_accepts_backup_code(client, staff):
    codes = with_backup_codes(staff)
    password_only(client, staff)

    client.post(VERIFY_URL, {"code": codes[2]})

    assert client.get(STAFF_HOME).status_code == 200
    assert StaticToken.objects.filter(token=codes[2]).exists() is False


def test_verify_page_when_verified_or_without_device(client, staff):
    client.force_login(staff)
    assert client.get(f"{VERIFY_URL}?next={PEOPLE_URL}")["Location"] == PEOPLE_URL

    reviewer = factories.UserFactory()
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    other = password_only(Client(), reviewer)
    assert other.get(VERIFY_URL)["Location"] == PAGE_URL


# Recovery: a new device after a backup code, or a colleague's reset ------------------


def test_lost_phone_backup_code_then_new_device(client, staff, clock):
    codes = with_backup_codes(staff)
    old = TOTPDevice.objects.get(user=staff)
    sign_in(client, staff.email)
    client.post(CODE_URL, {"code": codes[0]})

    client.post(START_URL, {"replace": "1"})
    new = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert "Set up your new device" in client.get(PAGE_URL).content.decode()
    response = client.post(CONFIRM_URL, {"confirm-code": factories.totp_code(new)}, follow=True)

    assert "Your new device is in use." in response.content.decode()
    assert list(TOTPDevice.objects.filter(user=staff).values_list("pk", flat=True)) == [new.pk]
    assert TOTPDevice.objects.filter(pk=old.pk).exists() is False
    assert StaticToken.objects.filter(device__user=staff).count() == 3
    assert response.wsgi_request.user.otp_device == TOTPDevice.objects.get(pk=new.pk)
    assert audit_actions(staff) == [
        "two_factor_backup_code_used",
        "two_factor_device_removed",
        "two_factor_enabled",
    ]


def test_colleague_resets_lost_device_with_reason(client, staff):
    colleague = factories.StaffFactory(full_name="Robin Gray")
    with_backup_codes(colleague)
    theirs = Client()
    theirs.force_login(colleague)
    assert theirs.get(STAFF_HOME).status_code == 200
    client.force_login(staff)
    url = reverse("staff:two-factor-reset", args=[colleague.pk])

    people = client.get(PEOPLE_URL).content.decode()
    assert f'href="{url}"' in people
    response = client.post(url, {"reason": "Lost phone;\nconfirmed by a call to her desk."})

    assert response["Location"] == PEOPLE_URL
    assert TOTPDevice.objects.filter(user=colleague).exists() is False
    assert StaticDevice.objects.filter(user=colleague).exists() is False
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert (event.actor, event.subject, event.message) == (
        staff,
        colleague,
        "Lost phone; confirmed by a call to her desk.",
    )
    # Their open session must now enrol before any other page.
    assert theirs.get(STAFF_HOME)["Location"] == f"{PAGE_URL}?next={STAFF_HOME}"
    fresh = Client()
    assert sign_in(fresh, colleague.email, follow=True).redirect_chain[-1][0].startswith(PAGE_URL)


def test_reset_of_own_two_factor_refused(client, staff):
    client.force_login(staff)
    url = reverse("staff:two-factor-reset", args=[staff.pk])

    assert f'href="{url}"' not in client.get(PEOPLE_URL).content.decode()
    page = client.get(url).content.decode()
    assert "You cannot reset your own two-factor sign-in" in page
    response = client.post(url, {"reason": "I lost my phone"})

    assert "You cannot reset your own two-factor sign-in." in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff).exists()
    assert AuditEvent.objects.filter(action="two_factor_reset").exists() is False


def test_reset_needs_a_reason(client, staff):
    colleague = factories.StaffFactory()
    client.force_login(staff)

    response = client.post(reverse("staff:two-factor-reset", args=[colleague.pk]), {"reason": " "})

    assert "This field is required." in response.content.decode()
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_reset_page_404_for_people_outside_its_scope(client, staff, owner):
    reviewer_without_device = factories.UserFactory()
    reviewer_without_device.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    client.force_login(staff)

    for person in (owner, reviewer_without_device):
        url = reverse("staff:two-factor-reset", args=[person.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404


def test_reset_pages_404_for_non_staff(client, owner):
    colleague = factories.StaffFactory()
    client.force_login(owner)

    assert client.get(PEOPLE_URL).status_code == 404
    url = reverse("staff:two-factor-reset", args=[colleague.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_reset_service_refuses_non_staff_and_people_without_device(staff):
    reviewer = factories.UserFactory(two_factor_device=True)
    with pytest.raises(two_factor.TwoFactorError, match="Only program staff"):
        two_factor.two_factor_reset(actor=reviewer, user=staff, reason="x")
    bare = factories.UserFactory()
    with pytest.raises(two_factor.TwoFactorError, match="has no two-factor sign-in to reset"):
        two_factor.two_factor_reset(actor=staff, user=bare, reason="x")
    with pytest.raises(two_factor.TwoFactorError, match="Say why"):
        two_factor.two_factor_reset(actor=staff, user=reviewer, reason=" \n")


def test_people_page_lists_staff_and_reviewers_with_status(client, staff, owner):
    reviewer = factories.UserFactory(full_name="Dana Brooks")
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    newcomer = factories.StaffFactory(full_name="Sam New", two_factor_device=False)
    client.force_login(staff)

    html = client.get(PEOPLE_URL).content.decode()

    assert "Dana Brooks" in html
    assert "Sam New" in html
    assert owner.email not in html
    assert html.count("Not set up") == 2
    assert reverse("staff:two-factor-reset", args=[newcomer.pk]) not in html


def test_reviewer_may_still_turn_two_factor_off(client, clock):
    reviewer = factories.UserFactory(two_factor_device=True)
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    with_backup_codes(reviewer)
    client.force_login(reviewer)

    client.post(DISABLE_URL, {"disable-code": factories.totp_code(reviewer)})

    assert TOTPDevice.objects.filter(user=reviewer).exists() is False
    assert StaticDevice.objects.filter(user=reviewer).exists() is False
    assert audit_actions(reviewer) == ["two_factor_device_removed", "two_factor_disabled"]


def test_login_url_stays_open_to_anonymous(client):
    assert client.get(LOGIN_URL).status_code == 200


def test_backup_code_refused_when_person_has_none(client, staff):
    """A device without backup codes: a typed backup code is just a wrong code."""
    sign_in(client, staff.email)

    response = client.post(CODE_URL, {"code": "abcd2345"})

    assert "That code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_backup_code_for_someone_without_two_factor_refused():
    with pytest.raises(two_factor.TwoFactorError, match="Two-factor sign-in is off"):
        two_factor.two_factor_verify(user=factories.UserFactory(), code="abcd2345")


def test_backup_codes_page_without_device_sends_to_set_up(client):
    reviewer = factories.UserFactory()
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    client.force_login(reviewer)

    assert client.post(BACKUP_URL)["Location"] == PAGE_URL
    assert StaticDevice.objects.exists() is False
