"""`make run` lets a newcomer in as staff: the demo prints what the second step needs."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from dz_awards.demo.content.world import DEMO_PASSWORD
from tests.accounts.conftest import sign_in
from tests.demo.worlds import ON_SQLITE_ONLY, run_demo_data

pytestmark = ON_SQLITE_ONLY

CODE_URL = reverse("accounts:login-code")
STAFF_HOME = reverse("staff:home")

_LOGIN = re.compile(
    r"demo login: staff (?P<email>\S+) (?P<password>\S+)\n"
    r"    authenticator secret: (?P<secret>[A-Z2-7]+)\n"
    r"    backup codes \(each works once\): (?P<codes>[a-z0-9 ]+)\n"
)


@pytest.mark.django_db
def test_demo_staff_sign_in_with_printed_secret_and_backup_codes(settings):
    settings.DEBUG = True
    output = run_demo_data()

    logins = [m.groupdict() for m in _LOGIN.finditer(output)]
    assert [login["email"] for login in logins] == ["staff@example.org", "staff2@example.org"]
    assert output.count("demo login: ") == 4
    first, second = logins
    assert first["password"] == DEMO_PASSWORD

    # The secret, as an authenticator app holds it, makes the code of the moment.
    client = Client()
    assert sign_in(client, first["email"], first["password"])["Location"] == CODE_URL
    code = f"{totp(b32decode(first['secret'])):06d}"
    client.post(CODE_URL, {"code": code})
    assert client.get(STAFF_HOME).status_code == 200

    # A printed backup code works once.
    backup = second["codes"].split()[0]
    client = Client()
    sign_in(client, second["email"], second["password"])
    client.post(CODE_URL, {"code": backup})
    assert client.get(STAFF_HOME).status_code == 200
    again = Client()
    sign_in(again, second["email"], second["password"])
    assert "That code is not right" in again.post(CODE_URL, {"code": backup}).content.decode()

    # Loading again keeps the devices (and the codes left) as they are.
    assert run_demo_data() == output
    left = StaticToken.objects.filter(device__user__email=second["email"])
    assert sorted(left.values_list("token", flat=True)) == second["codes"].split()[1:]
