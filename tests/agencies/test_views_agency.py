"""Agency-facing pages: isolation between agencies, creating, editing, joining."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dz_awards.agencies.enums import AgencyType, MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.core.models import AuditEvent
from tests.factories import (
    AgencyFactory,
    CycleFactory,
    MembershipFactory,
    OwnerFactory,
    StaffFactory,
    UserFactory,
    agency_profile_form_data,
)

PROFILE = agency_profile_form_data(contact_phone="")


VERIFIED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def world(db):
    """Agency A (an owner, a plain member, a pending request) and agency B (its owner)."""
    a = AgencyFactory(name="Alpha Police Department", city="Alphaville")
    b = AgencyFactory(name="Bravo Sheriff's Office", city="Bravo")
    return SimpleNamespace(
        a=a,
        b=b,
        owner_a=OwnerFactory(agency=a, user__full_name="Olive Owner").user,
        member_a=MembershipFactory(agency=a, user__full_name="Mel Member").user,
        pending=MembershipFactory(
            agency=a, status=MembershipStatus.PENDING, user__full_name="Pat Pending"
        ),
        owner_b=OwnerFactory(agency=b).user,
    )


def agency_urls(world):
    """Every page of agency A, as (method, url)."""
    pk, membership_pk = world.a.pk, world.pending.pk
    return [
        ("get", reverse("agencies:detail", kwargs={"pk": pk})),
        ("get", reverse("agencies:edit", kwargs={"pk": pk})),
        ("post", reverse("agencies:edit", kwargs={"pk": pk})),
        ("get", reverse("agencies:members", kwargs={"pk": pk})),
        (
            "post",
            reverse(
                "agencies:membership-approve", kwargs={"pk": pk, "membership_pk": membership_pk}
            ),
        ),
        (
            "post",
            reverse(
                "agencies:membership-decline", kwargs={"pk": pk, "membership_pk": membership_pk}
            ),
        ),
    ]


def assert_agency_a_unchanged(world):
    world.pending.refresh_from_db()
    assert (world.pending.status, world.pending.decided_by) == (MembershipStatus.PENDING, None)
    world.a.refresh_from_db()
    assert (world.a.name, world.a.city) == ("Alpha Police Department", "Alphaville")
    assert AuditEvent.objects.count() == 0


# Isolation ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(6))
def test_agency_pages_other_agency_member_gets_404(client, world, index, mailoutbox):
    """An owner of agency B reaching any page of agency A gets 404, and nothing changes."""
    method, url = agency_urls(world)[index]
    client.force_login(world.owner_b)
    response = getattr(client, method)(
        url, {**PROFILE, "name": "Hijacked"} if method == "post" else {}
    )
    assert response.status_code == 404
    assert "Alpha Police Department" not in response.content.decode()
    assert_agency_a_unchanged(world)
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(6))
def test_agency_pages_anonymous_redirected_to_login(client, world, index):
    """Without signing in, every agency page sends the visitor to the login page and back."""
    method, url = agency_urls(world)[index]
    response = getattr(client, method)(url, PROFILE if method == "post" else {})
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    assert_agency_a_unchanged(world)


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(6))
def test_agency_pages_signed_in_without_membership_gets_404(client, world, index):
    """A signed-in person with no membership (or only a pending one) in A gets 404."""
    method, url = agency_urls(world)[index]
    client.force_login(world.pending.user)
    response = getattr(client, method)(url, PROFILE if method == "post" else {})
    assert response.status_code == 404
    assert_agency_a_unchanged(world)


@pytest.mark.django_db
def test_agency_detail_member_sees_profile_without_edit_link(client, world):
    """A plain member sees the agency's profile but no edit link."""
    client.force_login(world.member_a)
    response = client.get(reverse("agencies:detail", kwargs={"pk": world.a.pk}))
    html = response.content.decode()
    assert response.context["agency"] == world.a
    assert "<h1>Alpha Police Department</h1>" in html
    assert "Edit profile" not in html
    assert reverse("agencies:edit", kwargs={"pk": world.a.pk}) not in html


@pytest.mark.django_db
def test_agency_detail_owner_sees_edit_link(client, world):
    """An owner sees the link to edit the profile."""
    client.force_login(world.owner_a)
    response = client.get(reverse("agencies:detail", kwargs={"pk": world.a.pk}))
    html = response.content.decode()
    assert "Edit profile" in html
    assert reverse("agencies:edit", kwargs={"pk": world.a.pk}) in html


@pytest.mark.django_db
def test_agency_members_owner_sees_request_with_decision_buttons(client, world):
    """The owner's members page lists every membership with approve/decline for pending ones."""
    client.force_login(world.owner_a)
    response = client.get(reverse("agencies:members", kwargs={"pk": world.a.pk}))
    html = response.content.decode()
    assert {m.user.full_name for m in response.context["memberships"]} == {
        "Olive Owner",
        "Mel Member",
        "Pat Pending",
    }
    approve = reverse(
        "agencies:membership-approve", kwargs={"pk": world.a.pk, "membership_pk": world.pending.pk}
    )
    assert approve in html


@pytest.mark.django_db
def test_agency_members_plain_member_sees_list_without_buttons(client, world):
    """A plain member sees who belongs but neither the requests nor any way to act on them."""
    client.force_login(world.member_a)
    response = client.get(reverse("agencies:members", kwargs={"pk": world.a.pk}))
    html = response.content.decode()
    assert "Olive Owner" in html
    assert "Pat Pending" not in html
    assert "/approve/" not in html
    assert "/decline/" not in html


@pytest.mark.django_db
def test_agency_edit_owner_gets_form(client, world):
    """The owner gets the edit form filled with the agency's profile."""
    client.force_login(world.owner_a)
    response = client.get(reverse("agencies:edit", kwargs={"pk": world.a.pk}))
    assert "<h1>Edit Alpha Police Department</h1>" in response.content.decode()
    assert response.context["form"].instance == world.a


def test_agency_edit_invalid_post_keeps_saved_name_in_heading_and_typed_text_in_form(client, world):
    """A failed edit shows the saved name as the page heading, and keeps what was typed."""
    client.force_login(world.owner_a)
    response = client.post(
        reverse("agencies:edit", kwargs={"pk": world.a.pk}),
        {"name": "Renamed Police Department", "sworn_officers": "0"},
    )
    html = response.content.decode()
    assert "<h1>Edit Alpha Police Department</h1>" in html
    assert 'value="Renamed Police Department"' in html
    world.a.refresh_from_db()
    assert world.a.name == "Alpha Police Department"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_agency_edit_plain_member_gets_403(client, world, method):
    """A plain member may not open or post the edit form; the profile is unchanged."""
    client.force_login(world.member_a)
    url = reverse("agencies:edit", kwargs={"pk": world.a.pk})
    response = getattr(client, method)(url, {**PROFILE, "name": "Renamed"})
    assert response.status_code == 403
    assert_agency_a_unchanged(world)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["agencies:membership-approve", "agencies:membership-decline"])
def test_membership_decision_plain_member_gets_403(client, world, name, mailoutbox):
    """A plain member cannot approve or decline; the request stays pending."""
    client.force_login(world.member_a)
    url = reverse(name, kwargs={"pk": world.a.pk, "membership_pk": world.pending.pk})
    response = client.post(url)
    assert response.status_code == 403
    assert_agency_a_unchanged(world)
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "decision",
    [
        ("agencies:membership-approve", MembershipStatus.APPROVED),
        ("agencies:membership-decline", MembershipStatus.DECLINED),
    ],
    ids=["approve", "decline"],
)
def test_membership_decision_owner_decides_and_requester_emailed(
    client, world, decision, django_capture_on_commit_callbacks, mailoutbox
):
    """The owner's decision is saved, audited, emailed, and they return to the members page."""
    name, status = decision
    client.force_login(world.owner_a)
    url = reverse(name, kwargs={"pk": world.a.pk, "membership_pk": world.pending.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("agencies:members", kwargs={"pk": world.a.pk})
    world.pending.refresh_from_db()
    assert (world.pending.status, world.pending.decided_by) == (status, world.owner_a)
    assert [m.to for m in mailoutbox] == [[world.pending.user.email]]
    assert AuditEvent.objects.get().to_state == status


@pytest.mark.django_db
def test_membership_decision_other_agency_request_via_own_url_404(client, world):
    """An owner of A cannot decide B's request by putting its id under A's URL."""
    b_pending = MembershipFactory(agency=world.b, status=MembershipStatus.PENDING)
    client.force_login(world.owner_a)
    url = reverse(
        "agencies:membership-approve", kwargs={"pk": world.a.pk, "membership_pk": b_pending.pk}
    )
    response = client.post(url)
    assert response.status_code == 404
    b_pending.refresh_from_db()
    assert b_pending.status == MembershipStatus.PENDING


@pytest.mark.django_db
def test_membership_decision_already_decided_404_and_unchanged(client, world, mailoutbox):
    """Approving a request that was already declined answers 404 and keeps the decline."""
    world.pending.status = MembershipStatus.DECLINED
    world.pending.save()
    client.force_login(world.owner_a)
    url = reverse(
        "agencies:membership-approve", kwargs={"pk": world.a.pk, "membership_pk": world.pending.pk}
    )
    response = client.post(url)
    assert response.status_code == 404
    world.pending.refresh_from_db()
    assert world.pending.status == MembershipStatus.DECLINED
    assert mailoutbox == []


@pytest.mark.django_db
def test_membership_decision_get_not_allowed(client, world):
    """Decisions are POST only: a GET (a link, a prefetch) changes nothing."""
    client.force_login(world.owner_a)
    url = reverse(
        "agencies:membership-approve", kwargs={"pk": world.a.pk, "membership_pk": world.pending.pk}
    )
    response = client.get(url)
    assert response.status_code == 405
    assert_agency_a_unchanged(world)


# Create and edit ----------------------------------------------------------


@pytest.mark.django_db
def test_agency_create_view_creates_owned_unverified_agency(client):
    """Posting the form creates the agency, makes the poster its owner and audits it."""
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("agencies:create"), PROFILE)
    agency = Agency.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("agencies:detail", kwargs={"pk": agency.pk})
    assert (agency.name, agency.ori, agency.sworn_officers) == (
        "Riverton Police Department",
        "OH0770100",
        142,
    )
    assert agency.memberships.get().user == user
    assert agency.memberships.get().role == MembershipRole.OWNER
    assert agency.memberships.get().status == MembershipStatus.APPROVED
    assert list(AuditEvent.objects.values_list("action", "actor")) == [("agency_created", user.pk)]


@pytest.mark.django_db
def test_agency_create_view_ignores_posted_privileged_fields(client):
    """verified_at, verified_by, created_by, id and status in the POST are ignored."""
    user = UserFactory()
    staff = StaffFactory()
    client.force_login(user)
    chosen_id = "11111111-1111-1111-1111-111111111111"
    client.post(
        reverse("agencies:create"),
        {
            **PROFILE,
            "verified_at": "2026-01-01 00:00",
            "verified_by": staff.pk,
            "created_by": staff.pk,
            "id": chosen_id,
            "status": MembershipStatus.APPROVED,
        },
    )
    agency = Agency.objects.get()
    assert (agency.verified_at, agency.verified_by, agency.created_by) == (None, None, user)
    assert str(agency.pk) != chosen_id
    assert not agency.is_verified


@pytest.mark.django_db
def test_agency_create_view_duplicate_ori_form_error_not_500(client):
    """A taken ORI (typed in lowercase) redisplays the form with the error; nothing is created."""
    AgencyFactory(ori="OH0770100")
    client.force_login(UserFactory())
    response = client.post(reverse("agencies:create"), {**PROFILE, "ori": "oh0770100"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"ori": ["Another agency already uses this ORI."]}
    assert "ORI: Another agency already uses this ORI." in response.content.decode()
    assert Agency.objects.count() == 1


@pytest.mark.django_db
def test_agency_create_view_anonymous_redirected(client):
    """Creating an agency needs an account."""
    response = client.post(reverse("agencies:create"), PROFILE)
    assert response.url == f"{reverse('accounts:login')}?next={reverse('agencies:create')}"
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_agency_edit_view_owner_saves_and_ignores_verification(client, world):
    """The owner's edit is saved and audited; a posted verified_at is ignored."""
    client.force_login(world.owner_a)
    url = reverse("agencies:edit", kwargs={"pk": world.a.pk})
    response = client.post(
        url,
        {
            **PROFILE,
            "name": "Alpha Police Department",
            "city": "Alphaville",
            "state": world.a.state,
            "ori": "",
            "sworn_officers": "60",
            "verified_at": "2026-01-01 00:00",
        },
    )
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.sworn_officers == 60
    assert world.a.verified_at is None
    event = AuditEvent.objects.get(action="agency_updated")
    assert event.actor == world.owner_a
    assert event.message.startswith("Changed: ")
    assert "sworn_officers" in event.message


# Join ---------------------------------------------------------------------


@pytest.mark.django_db
def test_join_search_excludes_agencies_user_belongs_to(client, world):
    """The search never offers an agency the person already belongs to."""
    client.force_login(world.member_a)
    response = client.get(reverse("agencies:join-search"), {"q": "o"})
    names = [a.name for a in response.context["page"]]
    assert names == ["Bravo Sheriff's Office"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [MembershipStatus.PENDING, MembershipStatus.DECLINED], ids=["pending", "declined"]
)
def test_join_search_lists_agency_with_unapproved_request(client, world, status):
    """An agency where the person's request is pending or declined is still listed."""
    world.pending.status = status
    world.pending.save()
    client.force_login(world.pending.user)
    response = client.get(reverse("agencies:join-search"), {"q": "Alpha"})
    assert [a.name for a in response.context["page"]] == ["Alpha Police Department"]


@pytest.mark.django_db
def test_join_search_by_name_fragment_and_state(client):
    """A name fragment matches anywhere, any case; the state narrows the results."""
    AgencyFactory(name="Springfield Police Department", state="IL")
    AgencyFactory(name="Springfield Police Department", state="MO")
    AgencyFactory(name="Springdale Sheriff", state="IL")
    AgencyFactory(name="Shelbyville Police", state="IL")
    client.force_login(UserFactory())
    url = reverse("agencies:join-search")

    by_name = client.get(url, {"q": "springf"}).context["page"]
    assert sorted((a.name, a.state) for a in by_name) == [
        ("Springfield Police Department", "IL"),
        ("Springfield Police Department", "MO"),
    ]
    by_both = client.get(url, {"q": "spring", "state": "IL"})
    assert sorted(a.name for a in by_both.context["page"]) == [
        "Springdale Sheriff",
        "Springfield Police Department",
    ]
    assert "2 agencies found" in by_both.content.decode()
    by_state = client.get(url, {"state": "MO"}).context["page"]
    assert [a.state for a in by_state] == ["MO"]


@pytest.mark.django_db
def test_join_search_without_terms_lists_nothing(client):
    """The directory is not listed wholesale: without a search nothing is shown."""
    AgencyFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("agencies:join-search"))
    assert response.context["page"] is None
    assert "found" not in response.content.decode()


@pytest.mark.django_db
def test_join_search_no_match_says_so(client):
    """A search with no result says none was found."""
    AgencyFactory(name="Alpha Police Department")
    client.force_login(UserFactory())
    response = client.get(reverse("agencies:join-search"), {"q": "Zulu"})
    assert "No agencies found" in response.content.decode()


@pytest.mark.django_db
def test_join_request_view_creates_pending_and_emails_owner(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    """Asking to join B through the page makes a pending request and emails B's owner."""
    client.force_login(world.member_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agencies:join", kwargs={"pk": world.b.pk}), {"message": "Hello"}
        )
    assert response.url == reverse("portal:dashboard")
    membership = Membership.objects.get(agency=world.b, user=world.member_a)
    assert (membership.status, membership.message) == (MembershipStatus.PENDING, "Hello")
    assert [m.to for m in mailoutbox] == [[world.owner_b.email]]


@pytest.mark.django_db
def test_join_request_view_own_agency_404(client, world, mailoutbox):
    """A member cannot ask to join their own agency again."""
    client.force_login(world.member_a)
    response = client.post(reverse("agencies:join", kwargs={"pk": world.a.pk}))
    assert response.status_code == 404
    assert mailoutbox == []


@pytest.mark.django_db
def test_join_request_view_declined_person_can_ask_again(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    """The dashboard's "Ask again" link works: a declined request becomes pending again."""
    world.pending.status = MembershipStatus.DECLINED
    world.pending.save()
    client.force_login(world.pending.user)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    join_url = reverse("agencies:join", kwargs={"pk": world.a.pk})
    assert join_url in dashboard

    assert client.get(join_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(join_url, {"message": "Please reconsider"})
    world.pending.refresh_from_db()
    assert world.pending.status == MembershipStatus.PENDING
    assert [m.to for m in mailoutbox] == [[world.owner_a.email]]


# Dashboard ----------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_sorts_memberships_by_state(client):
    """The dashboard shows approved agencies, pending and declined requests apart."""
    user = UserFactory()
    MembershipFactory(user=user, agency__name="Approved PD")
    MembershipFactory(user=user, agency__name="Pending PD", status=MembershipStatus.PENDING)
    MembershipFactory(user=user, agency__name="Declined PD", status=MembershipStatus.DECLINED)
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    context = response.context
    assert [m.agency.name for m in context["approved"]] == ["Approved PD"]
    assert [m.agency.name for m in context["pending"]] == ["Pending PD"]
    assert [m.agency.name for m in context["declined"]] == ["Declined PD"]
    html = response.content.decode()
    assert "Your request to join Declined PD was declined." in html
    assert "You asked to join <strong>Pending PD</strong>" in html


@pytest.mark.django_db
def test_dashboard_without_agency_offers_create_and_join(client):
    """Someone with no agency is shown how to create or join one."""
    client.force_login(UserFactory())
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Get started: your agency" in html
    assert reverse("agencies:create") in html
    assert reverse("agencies:join-search") in html


# Query counts -------------------------------------------------------------


def count_queries(client, url, data=None):
    """Queries made by one GET of `url`, and the response."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
def test_join_search_query_count_same_for_1_and_20_agencies(client):
    """The join search costs the same number of queries for 1 result as for 20."""
    client.force_login(UserFactory())
    url = reverse("agencies:join-search")
    AgencyFactory(name="Lakeside Police 0", verified_at=VERIFIED_AT)
    one, response = count_queries(client, url, {"q": "Lakeside"})
    assert len(response.context["page"]) == 1
    for n in range(1, 20):
        AgencyFactory(name=f"Lakeside Police {n}", agency_type=AgencyType.TRIBAL)
    twenty, response = count_queries(client, url, {"q": "Lakeside"})
    assert len(response.context["page"]) == 20
    assert twenty == one


@pytest.mark.django_db
def test_dashboard_query_count_same_for_1_and_5_memberships(client):
    """The dashboard costs the same number of queries for 1 agency as for 5."""
    CycleFactory()
    user = UserFactory()
    client.force_login(user)
    MembershipFactory(user=user)
    one, response = count_queries(client, reverse("portal:dashboard"))
    assert len(response.context["approved"]) == 1
    MembershipFactory(user=user, role=MembershipRole.OWNER)
    MembershipFactory(user=user, status=MembershipStatus.PENDING)
    MembershipFactory(user=user, status=MembershipStatus.DECLINED)
    MembershipFactory(user=user, agency__verified_at=VERIFIED_AT)
    five, response = count_queries(client, reverse("portal:dashboard"))
    context = response.context
    assert len(context["approved"]) + len(context["pending"]) + len(context["declined"]) == 5
    assert five == one


def test_agency_members_plain_member_sees_no_requests_or_notes(client, world):
    """Join requests and their notes are for the owners; a plain member sees approved members."""
    world.pending.message = "my cell is 555-0100"
    world.pending.save()
    client.force_login(world.member_a)
    html = client.get(reverse("agencies:members", kwargs={"pk": world.a.pk})).content.decode()
    assert "Mel Member" in html
    assert "Pat Pending" not in html
    assert "555-0100" not in html


def test_join_request_again_while_pending_says_so_and_sends_nothing(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    """Asking again while a request is pending tells the person it is still waiting."""
    client.force_login(world.pending.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agencies:join", kwargs={"pk": world.a.pk}), {"message": "again"}, follow=True
        )
    assert "have not decided yet" in response.content.decode()
    assert mailoutbox == []
    assert Membership.objects.filter(agency=world.a, user=world.pending.user).count() == 1
