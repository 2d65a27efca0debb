"""Rate limits: each one, passed from one address, answers 429 while another address goes on.

Each test sets a small rate for its limit (the test settings raise them all so
that the rest of the suite never meets one). Counts are per client address as
`core.net.throttle_ip` gives it, kept in the shared database cache.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.agencies.models import Membership
from dz_awards.core.limits import wait_words
from dz_awards.nominations.models import Evidence, NominationMessage
from reviews.models import ReviewerInvitation
from tests import factories
from tests.accounts.conftest import LOGIN_URL, REGISTER_URL, RESET_URL, WRONG_PASSWORD
from tests.files import pdf_upload

pytestmark = pytest.mark.django_db

User = get_user_model()

ATTACKER = "198.51.100.7"
NEIGHBOUR = "203.0.113.20"
TOO_MANY = "Too many requests"


def limit(settings, name, rate="2/h"):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, name: rate}


def assert_limited(response):
    """A 429 page that says, in words, when to try again, matching `Retry-After`."""
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 3600
    html = response.content.decode()
    assert f"<h1>{TOO_MANY}</h1>" in html
    assert f"Try again in {wait_words(retry_after)}</strong>" in html
    assert "Destination Zero Awards</title>" in html  # the site's own page, not a bare error


def assert_limited_json(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json; charset=utf-8"
    retry_after = int(response["Retry-After"])
    body = json.loads(response.content)
    message = f"Too many requests from your network. Try again in {wait_words(retry_after)}."
    assert body == {
        "status": "limited",
        "error": message,
        "errors": [message],
        "retry_after": retry_after,
    }


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST from `address`, running what the request queued for after commit (emails)."""

    def send(client, url, data, address, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, REMOTE_ADDR=address, **extra)

    return send


# Registration and password reset: strangers, and each sends an email ----------------------


def test_registration_limit_per_address(settings, client, post):
    """Past the limit, no account is made and no email sent; another address still registers."""
    limit(settings, "registration")
    for n in range(2):
        response = post(client, REGISTER_URL, registration_data(n), ATTACKER)
        assert response.status_code == 302

    assert_limited(post(client, REGISTER_URL, registration_data(2), ATTACKER))
    assert not User.objects.filter(email="person2@example.org").exists()
    assert len(mail.outbox) == 2

    assert post(client, REGISTER_URL, registration_data(3), NEIGHBOUR).status_code == 302
    assert User.objects.filter(email="person3@example.org").exists()
    assert len(mail.outbox) == 3


def registration_data(n):
    return {"email": f"person{n}@example.org", "full_name": "Pat Lee", "job_title": "Sergeant"}


def test_registration_form_stays_readable_when_limited(settings, client, post):
    """Only POST counts: the form itself is never limited."""
    limit(settings, "registration", "1/h")
    for n in range(3):
        post(client, REGISTER_URL, registration_data(n), ATTACKER)

    assert client.get(REGISTER_URL, REMOTE_ADDR=ATTACKER).status_code == 200
    assert_limited(post(client, REGISTER_URL, registration_data(9), ATTACKER))


def test_password_reset_limit_per_address(settings, client, post):
    """Past the limit, no reset email goes out; another address still gets one."""
    limit(settings, "password_reset")
    # One link per person per window is sent anyway: a different person each time.
    people = [factories.UserFactory() for _ in range(4)]
    for person in people[:2]:
        assert post(client, RESET_URL, {"email": person.email}, ATTACKER).status_code == 302
    assert len(mail.outbox) == 2

    assert_limited(post(client, RESET_URL, {"email": people[2].email}, ATTACKER))
    assert len(mail.outbox) == 2

    assert post(client, RESET_URL, {"email": people[3].email}, NEIGHBOUR).status_code == 302
    assert [message.to for message in mail.outbox[2:]] == [[people[3].email]]


# Sign-in: wrong passwords from one address, whatever the username --------------------------


def test_login_limit_counts_wrong_passwords_across_usernames(settings, client):
    """Password spraying: a wrong password for each of many accounts uses up the address.

    Past the limit even the right password is not tried from there (the
    attacker learns nothing), while the same person signs in from elsewhere.
    """
    limit(settings, "login", "3/h")
    people = [factories.UserFactory() for _ in range(4)]
    for person in people[:3]:
        response = client.post(
            LOGIN_URL,
            {"username": person.email, "password": WRONG_PASSWORD},
            REMOTE_ADDR=ATTACKER,
        )
        assert response.status_code == 200

    target = people[3]
    response = client.post(
        LOGIN_URL,
        {"username": target.email, "password": factories.PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )
    assert_limited(response)
    assert "_auth_user_id" not in client.session

    elsewhere = Client(REMOTE_ADDR=NEIGHBOUR)
    response = elsewhere.post(LOGIN_URL, {"username": target.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert elsewhere.session["_auth_user_id"] == str(target.pk)


def test_login_limit_does_not_count_successful_sign_ins(settings):
    """An office behind one address signs in all morning: only wrong passwords count."""
    limit(settings, "login", "2/h")
    for person in [factories.UserFactory() for _ in range(4)]:
        office = Client(REMOTE_ADDR=ATTACKER)
        response = office.post(
            LOGIN_URL, {"username": person.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302


# Agency work: join requests, messages, uploads -----------------------------------------------


def test_join_request_limit_per_address(settings, client, user, post):
    """Each join request emails an agency's owners; past the limit none is made."""
    limit(settings, "join_request")
    client.force_login(user)
    agencies = []
    for _ in range(4):
        agency = factories.AgencyFactory()
        factories.OwnerFactory(agency=agency)
        agencies.append(agency)

    def join(agency, address):
        url = reverse("agencies:join", kwargs={"pk": agency.pk})
        return post(client, url, {"message": "I run our wellness unit."}, address)

    assert [join(a, ATTACKER).status_code for a in agencies[:2]] == [302, 302]
    assert_limited(join(agencies[2], ATTACKER))
    assert not Membership.objects.filter(user=user, agency=agencies[2]).exists()
    assert len(mail.outbox) == 2

    assert join(agencies[3], NEIGHBOUR).status_code == 302
    assert Membership.objects.filter(user=user, agency=agencies[3]).exists()


def test_message_limit_per_address(settings, client, post):
    """Each agency message emails every staff member; past the limit none is posted."""
    limit(settings, "message")
    factories.StaffFactory()
    nomination = factories.submitted_nomination()
    client.force_login(factories.MembershipFactory(agency=nomination.agency).user)
    url = reverse("nominations:messages", kwargs={"pk": nomination.pk})

    for n in range(2):
        assert post(client, url, {"body": f"Question {n}"}, ATTACKER).status_code == 302
    assert_limited(post(client, url, {"body": "Question 2"}, ATTACKER))
    assert list(NominationMessage.objects.values_list("body", flat=True).order_by("pk")) == [
        "Question 0",
        "Question 1",
    ]
    assert len(mail.outbox) == 2

    assert post(client, url, {"body": "From home"}, NEIGHBOUR).status_code == 302
    assert NominationMessage.objects.filter(body="From home").exists()


@pytest.fixture
def evidence_url(client, draft_of_member):
    nomination, member = draft_of_member
    client.force_login(member)
    return reverse("nominations:evidence", kwargs={"pk": nomination.pk})


@pytest.fixture
def draft_of_member(db):
    agency = factories.AgencyFactory()
    member = factories.MembershipFactory(agency=agency).user
    return factories.NominationFactory(agency=agency, complete=True), member


def test_upload_limit_per_address(settings, client, evidence_url, post):
    """Every upload counts, refused or not; past the limit the file is not even read."""
    limit(settings, "upload")
    for _ in range(2):
        assert post(client, evidence_url, {"kind": "document"}, ATTACKER).status_code == 400

    response = post(client, evidence_url, {"kind": "document", "file": pdf_upload()}, ATTACKER)
    assert_limited(response)
    assert not Evidence.objects.exists()

    assert post(client, evidence_url, {"kind": "document"}, NEIGHBOUR).status_code == 400


def test_upload_limit_answers_the_upload_script_in_json(settings, client, evidence_url, post):
    """The page's script asks for JSON and shows `errors`: the 429 says when, in words."""
    limit(settings, "upload", "1/h")
    post(client, evidence_url, {"kind": "document"}, ATTACKER, HTTP_ACCEPT="application/json")

    response = post(
        client,
        evidence_url,
        {"kind": "document", "file": pdf_upload()},
        ATTACKER,
        HTTP_ACCEPT="application/json",
    )

    assert_limited_json(response)
    assert client.get(evidence_url, REMOTE_ADDR=ATTACKER).status_code == 200


# Invitations: staff invite reviewers by email -------------------------------------------------


@pytest.fixture
def staff_client(client, staff):
    """Program staff, signed in with both factors (staff pages require the second)."""
    device = TOTPDevice.objects.create(user=staff, name="Phone", confirmed=True)
    client.force_login(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_invitation_limit_per_address(settings, staff_client, post):
    """Each invitation emails a stranger; past the limit none is made or sent."""
    limit(settings, "invitation")
    url = reverse("staff:reviewer-invite")

    def invite(n, address):
        data = {"email": f"reviewer{n}@example.org", "full_name": f"Reviewer {n}"}
        return post(staff_client, url, data, address)

    assert [invite(n, ATTACKER).status_code for n in range(2)] == [302, 302]
    assert_limited(invite(2, ATTACKER))
    assert not ReviewerInvitation.objects.filter(email="reviewer2@example.org").exists()
    assert len(mail.outbox) == 2

    assert invite(3, NEIGHBOUR).status_code == 302
    assert ReviewerInvitation.objects.filter(email="reviewer3@example.org").exists()


# Open data: the JSON API, the CSV and the feed share one allowance ----------------------------

API_URL = reverse("profiles:api-list")
CSV_URL = reverse("profiles:api-csv")
FEED_URL = reverse("profiles:feed")


def test_open_data_limit_is_shared_by_json_csv_and_feed(settings, client):
    """Three reads of any of them use up a 3/h allowance; then each answers 429."""
    limit(settings, "open_data", "3/h")
    for url in (API_URL, CSV_URL, FEED_URL):
        response = client.get(url, REMOTE_ADDR=ATTACKER)
        assert response.status_code == 200

    assert_limited_json(client.get(API_URL, REMOTE_ADDR=ATTACKER))
    assert_limited(client.get(CSV_URL, REMOTE_ADDR=ATTACKER))
    assert_limited(client.get(FEED_URL, REMOTE_ADDR=ATTACKER))

    assert client.get(API_URL, REMOTE_ADDR=NEIGHBOUR).status_code == 200


# Addresses: an IPv6 /64 is one client; proxies ------------------------------------------------


def test_ipv6_slash_64_is_one_address(settings, client):
    """Hopping between addresses of one /64 buys nothing; the next /64 is someone else."""
    limit(settings, "open_data", "2/h")
    assert client.get(API_URL, REMOTE_ADDR="2001:db8:1:2::1").status_code == 200
    assert client.get(API_URL, REMOTE_ADDR="2001:db8:1:2:aaaa::9").status_code == 200

    assert_limited_json(client.get(API_URL, REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:ffff"))
    assert client.get(API_URL, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_forged_forwarded_for_does_not_buy_requests(settings, client):
    """With no trusted proxy, a new X-Forwarded-For on every request changes nothing."""
    settings.TRUSTED_PROXIES = []
    limit(settings, "open_data", "2/h")
    for n in range(2):
        client.get(API_URL, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    response = client.get(API_URL, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert_limited_json(response)


def test_behind_trusted_proxy_each_client_has_its_own_count(settings, client):
    """Behind our proxy, clients are told apart by the address the proxy saw."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    limit(settings, "open_data", "2/h")
    for _ in range(2):
        client.get(API_URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.1.1.1, {ATTACKER}")

    forged = f"192.0.2.1, {ATTACKER}"
    assert_limited_json(client.get(API_URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forged))
    response = client.get(API_URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=NEIGHBOUR)
    assert response.status_code == 200


def test_limit_turned_off_never_answers_429(settings, client):
    """A rate of "off" turns that limit off."""
    limit(settings, "open_data", "off")
    statuses = {client.get(API_URL, REMOTE_ADDR=ATTACKER).status_code for _ in range(5)}
    assert statuses == {200}
