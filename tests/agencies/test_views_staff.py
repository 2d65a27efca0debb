"""Program staff pages for agencies: access, verification, decisions, the filtered list."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dz_awards.agencies.enums import AgencyType, MembershipStatus
from dz_awards.core.models import AuditEvent, OutboxEmail
from tests.factories import (
    AgencyFactory,
    CycleFactory,
    MembershipFactory,
    OwnerFactory,
    StaffFactory,
    UserFactory,
)

VERIFIED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def staff_urls(agency, membership):
    """Every staff URL, as (method, url)."""
    pk = agency.pk
    both = {"pk": pk, "membership_pk": membership.pk}
    return [
        ("get", reverse("staff:home")),
        ("get", reverse("staff:agencies")),
        ("get", reverse("staff:agency", kwargs={"pk": pk})),
        ("get", reverse("staff:cycles")),
        ("post", reverse("staff:agency-verify", kwargs={"pk": pk})),
        ("post", reverse("staff:membership-approve", kwargs=both)),
        ("post", reverse("staff:membership-decline", kwargs=both)),
    ]


@pytest.fixture
def owned(db):
    """An unverified agency with an owner and a pending request."""
    owner = OwnerFactory(agency__name="Riverton Police Department")
    pending = MembershipFactory(agency=owner.agency, status=MembershipStatus.PENDING)
    return owner.agency, owner.user, pending


def assert_unchanged(agency, pending):
    agency.refresh_from_db()
    pending.refresh_from_db()
    assert (agency.verified_at, agency.verified_by) == (None, None)
    assert (pending.status, pending.decided_by) == (MembershipStatus.PENDING, None)
    assert AuditEvent.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(7))
@pytest.mark.parametrize("who", ["outsider", "owner"])
def test_staff_urls_signed_in_non_staff_gets_404(client, owned, index, who, mailoutbox):
    """For anyone signed in without the staff role (even the agency's owner) staff pages are 404."""
    agency, owner, pending = owned
    CycleFactory()
    method, url = staff_urls(agency, pending)[index]
    client.force_login(owner if who == "owner" else UserFactory())
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert "Riverton Police Department" not in response.content.decode()
    assert_unchanged(agency, pending)
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(7))
def test_staff_urls_anonymous_redirected_to_login(client, owned, index):
    """Anonymous visitors to staff pages are sent to the login page."""
    agency, _, pending = owned
    method, url = staff_urls(agency, pending)[index]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    assert_unchanged(agency, pending)


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(7))
def test_staff_urls_inactive_staff_gets_404(client, owned, index):
    """A deactivated staff account is signed out on its next request and sent to login."""
    agency, _, pending = owned
    method, url = staff_urls(agency, pending)[index]
    client.force_login(StaffFactory(is_active=False))
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    assert_unchanged(agency, pending)


@pytest.mark.django_db
def test_staff_verify_view_verifies_audits_and_emails_owner(
    client, owned, django_capture_on_commit_callbacks, mailoutbox
):
    """Staff verification sets who and when, is audited, emails the owner, returns to the agency."""
    agency, owner, _ = owned
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("staff:agency-verify", kwargs={"pk": agency.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.url == reverse("staff:agency", kwargs={"pk": agency.pk})
    agency.refresh_from_db()
    assert agency.verified_by == staff
    assert agency.verified_at is not None
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.to_state) == ("agency_verified", staff, "verified")
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([owner.email], "Riverton Police Department is verified")
    ]


@pytest.mark.django_db
def test_staff_verify_view_twice_one_event_one_email(
    client, owned, django_capture_on_commit_callbacks, mailoutbox
):
    """A double-clicked verify button verifies once and emails once."""
    agency, _, _ = owned
    client.force_login(StaffFactory())
    url = reverse("staff:agency-verify", kwargs={"pk": agency.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert AuditEvent.objects.filter(action="agency_verified").count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "decision",
    [
        ("staff:membership-approve", MembershipStatus.APPROVED),
        ("staff:membership-decline", MembershipStatus.DECLINED),
    ],
    ids=["approve", "decline"],
)
def test_staff_membership_decision_view_decides(
    client, owned, decision, django_capture_on_commit_callbacks, mailoutbox
):
    """Staff may decide a pending request; the requester is emailed."""
    name, status = decision
    agency, _, pending = owned
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse(name, kwargs={"pk": agency.pk, "membership_pk": pending.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.url == reverse("staff:agency", kwargs={"pk": agency.pk})
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (status, staff)
    assert [m.to for m in mailoutbox] == [[pending.user.email]]


@pytest.mark.django_db
def test_staff_agency_detail_shows_members_and_history(client, owned):
    """The staff page of an agency lists its members and its audit trail."""
    agency, owner, pending = owned
    client.force_login(StaffFactory())
    client.post(reverse("staff:agency-verify", kwargs={"pk": agency.pk}))
    response = client.get(reverse("staff:agency", kwargs={"pk": agency.pk}))
    html = response.content.decode()
    assert {m.user for m in response.context["memberships"]} == {owner, pending.user}
    assert [e.action for e in response.context["events"]] == ["agency_verified"]
    assert "Verify this agency" not in html
    assert "Verified agency" in html


# The filtered list --------------------------------------------------------


@pytest.fixture
def directory(db):
    """Four agencies differing in verification, state, type, city and ORI."""
    AgencyFactory(
        name="Riverton Police Department",
        city="Riverton",
        state="OH",
        ori="OH0770100",
        verified_at=VERIFIED_AT,
    )
    AgencyFactory(
        name="Cedar County Sheriff's Office",
        city="Cedar Falls",
        state="IA",
        agency_type=AgencyType.SHERIFF,
    )
    AgencyFactory(name="Lakeside Police", city="Lakeside", state="OH", ori="OH0770200")
    AgencyFactory(
        name="State University Police",
        city="Riverton Heights",
        state="VA",
        agency_type=AgencyType.CAMPUS,
        verified_at=VERIFIED_AT,
    )


def listed(client, **filters):
    response = client.get(reverse("staff:agencies"), filters)
    assert response.status_code == 200
    return [a.name for a in response.context["page"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "names"),
    [
        (
            {},
            [
                "Cedar County Sheriff's Office",
                "Lakeside Police",
                "Riverton Police Department",
                "State University Police",
            ],
        ),
        ({"verified": "no"}, ["Cedar County Sheriff's Office", "Lakeside Police"]),
        ({"verified": "yes"}, ["Riverton Police Department", "State University Police"]),
        ({"state": "OH"}, ["Lakeside Police", "Riverton Police Department"]),
        ({"agency_type": AgencyType.SHERIFF}, ["Cedar County Sheriff's Office"]),
        ({"q": "cedar county"}, ["Cedar County Sheriff's Office"]),
        ({"q": "riverton"}, ["Riverton Police Department", "State University Police"]),
        ({"q": "Cedar Falls"}, ["Cedar County Sheriff's Office"]),
        ({"q": "oh0770200"}, ["Lakeside Police"]),
        ({"q": "OH07701"}, []),
        ({"q": "  lakeside  "}, ["Lakeside Police"]),
        ({"state": "OH", "verified": "no"}, ["Lakeside Police"]),
        ({"q": "riverton", "state": "VA"}, ["State University Police"]),
    ],
)
def test_staff_agency_list_filters(client, directory, filters, names):
    """Staff filter by verification, state, type, and search name, city or exact ORI."""
    client.force_login(StaffFactory())
    assert listed(client, **filters) == names


@pytest.mark.django_db
def test_staff_agency_list_invalid_filter_lists_nothing(client, directory):
    """An unknown state code is a form error and lists no agency, not all of them."""
    client.force_login(StaffFactory())
    response = client.get(reverse("staff:agencies"), {"state": "XX"})
    assert list(response.context["page"]) == []
    assert "state" in response.context["filter"].errors
    assert "0 agencies." in response.content.decode()


@pytest.mark.django_db
def test_staff_agency_list_shows_member_and_request_counts(client):
    """Each row counts approved members and pending requests separately."""
    agency = AgencyFactory(name="Riverton Police Department")
    OwnerFactory(agency=agency)
    MembershipFactory(agency=agency)
    MembershipFactory(agency=agency, status=MembershipStatus.PENDING)
    MembershipFactory(agency=agency, status=MembershipStatus.DECLINED)
    client.force_login(StaffFactory())
    response = client.get(reverse("staff:agencies"))
    [row] = response.context["page"]
    assert (row.member_count, row.pending_count) == (2, 1)
    assert re.search(r"<td>2</td>\s*<td>1</td>", response.content.decode())


@pytest.mark.django_db
def test_staff_agency_list_pagination_keeps_filters(client):
    """The next-page link carries the filters; page 2 holds the rest."""
    for n in range(27):
        AgencyFactory(name=f"Agency {n:02d}", state="OH")
    client.force_login(StaffFactory())
    first = client.get(reverse("staff:agencies"), {"state": "OH"})
    assert len(first.context["page"]) == 25
    assert 'href="?state=OH&amp;page=2"' in first.content.decode()
    second = client.get(reverse("staff:agencies"), {"state": "OH", "page": "2"})
    assert [a.name for a in second.context["page"]] == ["Agency 25", "Agency 26"]


@pytest.mark.django_db
def test_staff_agency_list_query_count_same_for_1_and_20_agencies(client):
    """The staff agency list costs the same number of queries for 1 agency as for 20."""
    client.force_login(StaffFactory())
    url = reverse("staff:agencies")
    staff = StaffFactory()
    first = AgencyFactory(verified_at=VERIFIED_AT, verified_by=staff)
    OwnerFactory(agency=first)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert len(response.context["page"]) == 1
    for n in range(19):
        agency = AgencyFactory(
            verified_at=VERIFIED_AT if n % 2 else None, verified_by=staff if n % 2 else None
        )
        OwnerFactory(agency=agency)
        MembershipFactory(agency=agency, status=MembershipStatus.PENDING)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["page"]) == 20
    assert len(twenty) == len(one)
