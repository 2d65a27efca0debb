"""Who reaches which nomination URL: the agency's own members, staff once submitted; else 404.

Every test starts from the same world, built once for the module
(`tests.worlds.module_world`); each runs in a savepoint inside it, on fresh
copies of its rows.
"""

from dataclasses import dataclass, fields, replace

import pytest
from django.urls import reverse

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.nominations import services
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import DraftConflict, Evidence, Nomination
from dz_awards.nominations.snapshots import snapshot
from tests import factories
from tests.files import pdf_upload
from tests.nominations.view_helpers import (
    add_pdf,
    database_state,
    form_data,
    make_reviewer,
    submitted,
)
from tests.worlds import fresh, module_world_fixture

S = NominationState

# Every agency-side nomination URL, with each method it answers.
AGENCY_ROUTES = [
    ("detail", "get"),
    ("edit", "get"),
    ("edit", "post"),
    ("autosave", "get"),
    ("autosave", "post"),
    ("conflict", "get"),
    ("conflict", "post"),
    ("submit", "get"),
    ("submit", "post"),
    ("withdraw", "get"),
    ("withdraw", "post"),
    ("delete", "get"),
    ("delete", "post"),
    ("move", "post"),
    ("evidence", "get"),
    ("evidence", "post"),
    ("evidence-download", "get"),
    ("evidence-delete", "post"),
    ("revision", "get"),
    ("changes", "get"),
    ("messages", "post"),
]

# Every staff nomination URL (the list included), with each method it answers.
STAFF_ROUTES = [
    ("nominations", "get"),
    ("nomination-detail", "get"),
    ("nomination-return", "get"),
    ("nomination-return", "post"),
    ("nomination-screen-out", "get"),
    ("nomination-screen-out", "post"),
    ("nomination-verify-agency", "post"),
    ("nomination-revision", "get"),
    ("nomination-changes", "get"),
    ("nomination-evidence-download", "get"),
    ("nomination-messages", "post"),
]

SECRET_SUMMARY = "Alpha confidential summary about officer injuries"


@dataclass
class World:
    member_a: object
    pending_a: object
    member_b: object
    reviewer: object
    plain: object
    staff: object
    returned: Nomination  # editable, with revision 1, a file, a message and a conflict
    submitted: Nomination  # with staff now, revision 1, a file, a message
    draft: Nomination  # never submitted: the agency's own
    later_cycle: object

    def user(self, name):
        return getattr(self, name)


def build_world():
    member_a = factories.MembershipFactory(agency__name="Alpha Police Department").user
    agency_a = member_a.memberships.get().agency
    pending_a = factories.MembershipFactory(agency=agency_a, status=MembershipStatus.PENDING).user
    member_b = factories.MembershipFactory(agency__name="Beta Sheriff's Office").user
    agency_b = member_b.memberships.get().agency
    staff = factories.StaffFactory()
    category = factories.CategoryFactory()
    cycle = category.cycle
    common = {"agency": agency_a, "cycle": cycle, "category": category, "summary": SECRET_SUMMARY}

    returned = submitted(member_a, title="Alpha Returned Program", **common)
    services.nomination_return_for_changes(
        actor=staff, nomination=returned, message="Please add the 2024 figures."
    )
    returned.refresh_from_db()
    services.message_post(user=member_a, nomination=returned, body="Alpha question to staff")
    services.nomination_save_draft(
        user=member_a, nomination=returned, content={"summary": "Alpha kept edit"}, version=0
    )

    sent = submitted(member_a, title="Alpha Submitted Program", **common)
    services.message_post(user=member_a, nomination=sent, body="Alpha note on the submission")

    draft = factories.NominationFactory(title="Alpha Draft Program", complete=True, **common)
    add_pdf(member_a, draft, "alpha-draft.pdf")
    # A revision row on a draft never happens through the services; it is here so that
    # the revision URL would answer 200 if the staff scope let drafts through.
    factories.NominationRevisionFactory(nomination=draft, number=1, content=snapshot(draft))

    # B has its own nomination, so B's member is a real agency member with data of their own.
    submitted(member_b, agency=agency_b, cycle=cycle, category=category, title="Beta Program")

    return World(
        member_a=member_a,
        pending_a=pending_a,
        member_b=member_b,
        reviewer=make_reviewer(),
        plain=factories.UserFactory(),
        staff=staff,
        returned=returned,
        submitted=sent,
        draft=draft,
        later_cycle=factories.CycleFactory(year=cycle.year + 1),
    )


access_world = module_world_fixture("access_world", build_world, with_media_root=True)


@pytest.fixture
def world(access_world, db, settings):
    """The module's world in one test (a savepoint in it): rows read again, files readable."""
    shared, media_root = access_world
    settings.MEDIA_ROOT = media_root
    return replace(shared, **{f.name: fresh(getattr(shared, f.name)) for f in fields(shared)})


def _agency_request(world, nomination, name, method):
    """(url, data) for one agency route on `nomination`, with data that would change it."""
    kwargs = {"pk": nomination.pk}
    if name == "conflict":
        kwargs["conflict"] = DraftConflict.objects.filter(nomination=nomination).first().pk
    if name in ("evidence-download", "evidence-delete"):
        kwargs["evidence"] = Evidence.objects.filter(nomination=nomination).first().pk
    if name == "revision":
        kwargs["number"] = 1
    url = reverse(f"nominations:{name}", kwargs=kwargs)
    data = {}
    if method == "post":
        data = {
            "edit": form_data(nomination, summary="Overwritten by an outsider"),
            "autosave": form_data(nomination, summary="Overwritten by an outsider"),
            "conflict": {"version": str(nomination.version), "take_summary": "mine"},
            "withdraw": {"confirm": "on", "reason": "Outsider"},
            "move": {"cycle": str(world.later_cycle.pk)},
            "evidence": {"kind": "document", "file": pdf_upload("outsider.pdf")},
            "messages": {"body": "A message from an outsider"},
        }.get(name, {})
    return url, data


def _staff_request(nomination, name, method):
    if name == "nominations":
        return reverse("staff:nominations"), {}
    kwargs = {"pk": nomination.pk}
    if name == "nomination-evidence-download":
        kwargs["evidence"] = Evidence.objects.filter(nomination=nomination).first().pk
    if name == "nomination-revision":
        kwargs["number"] = 1
    url = reverse(f"staff:{name}", kwargs=kwargs)
    data = {}
    if method == "post":
        data = {
            "nomination-return": {"message": "Returned by an outsider"},
            "nomination-screen-out": {"message": "Screened out by an outsider"},
            "nomination-messages": {"body": "A message from an outsider"},
        }.get(name, {})
    return url, data


def _send(client, method, url, data):
    """Make the request and read the response; a file download's handle is closed.

    Only the file: `response.close()` would also signal the end of a request, which
    closes the test's own database connection (unnoticed on SQLite, fatal on PostgreSQL).
    """
    response = client.post(url, data) if method == "post" else client.get(url)
    if response.streaming:
        response.body_text = b"".join(response.streaming_content).decode(errors="replace")
        if getattr(response, "file_to_stream", None) is not None:
            response.file_to_stream.close()
    else:
        response.body_text = response.content.decode()
    return response


def _assert_no_data(response, *nominations):
    body = response.body_text
    for nomination in nominations:
        assert nomination.title not in body
        assert str(nomination.pk) not in body
    assert SECRET_SUMMARY not in body
    assert "Alpha question to staff" not in body


def _login_url(url):
    return f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(("name", "method"), AGENCY_ROUTES)
@pytest.mark.parametrize("who", ["member_b", "pending_a", "reviewer", "plain", "staff"])
def test_agency_url_outsider_gets_404_and_nothing_changes(client, world, who, name, method):
    """Anyone but an approved member of the agency gets 404, no data, and no change."""
    url, data = _agency_request(world, world.returned, name, method)
    client.force_login(world.user(who))
    before = database_state()
    response = _send(client, method, url, data)
    assert response.status_code == 404
    _assert_no_data(response, world.returned)
    assert database_state() == before


@pytest.mark.parametrize(("name", "method"), AGENCY_ROUTES)
def test_agency_url_anonymous_is_sent_to_login_and_nothing_changes(client, world, name, method):
    """Signed out: a redirect to the login page (401 JSON for autosave), no data, no change."""
    url, data = _agency_request(world, world.returned, name, method)
    before = database_state()
    response = _send(client, method, url, data)
    if name == "autosave":
        assert response.status_code == 401
        assert response.json() == {
            "status": "signed_out",
            "message": "Your session has ended. Sign in again to keep saving.",
        }
    else:
        assert response.status_code == 302
        assert response.url == _login_url(url)
    _assert_no_data(response, world.returned)
    assert database_state() == before


@pytest.mark.parametrize(("name", "method"), AGENCY_ROUTES)
def test_agency_url_own_member_is_not_refused(client, world, name, method):
    """The control: the agency's own member reaches every one of these URLs."""
    url, data = _agency_request(world, world.returned, name, method)
    client.force_login(world.member_a)
    response = _send(client, method, url, data)
    assert response.status_code in {200, 302, 400, 409}


@pytest.mark.parametrize(("name", "method"), STAFF_ROUTES)
@pytest.mark.parametrize("who", ["member_a", "pending_a", "member_b", "reviewer", "plain"])
def test_staff_url_non_staff_gets_404_and_nothing_changes(client, world, who, name, method):
    """Agency members (of this agency too), reviewers and others get 404 on staff URLs."""
    url, data = _staff_request(world.submitted, name, method)
    client.force_login(world.user(who))
    before = database_state()
    response = _send(client, method, url, data)
    assert response.status_code == 404
    _assert_no_data(response, world.submitted, world.returned)
    assert database_state() == before


@pytest.mark.parametrize(("name", "method"), STAFF_ROUTES)
def test_staff_url_anonymous_is_sent_to_login_and_nothing_changes(client, world, name, method):
    """Signed out: staff URLs redirect to the login page and change nothing."""
    url, data = _staff_request(world.submitted, name, method)
    before = database_state()
    response = _send(client, method, url, data)
    assert response.status_code == 302
    assert response.url == _login_url(url)
    _assert_no_data(response, world.submitted)
    assert database_state() == before


@pytest.mark.parametrize(("name", "method"), STAFF_ROUTES)
def test_staff_url_staff_reaches_a_submitted_nomination(client, world, name, method):
    """The control: program staff reach every staff URL of a submitted nomination."""
    url, data = _staff_request(world.submitted, name, method)
    client.force_login(world.staff)
    response = _send(client, method, url, data)
    assert response.status_code in {200, 302}


@pytest.mark.parametrize(("name", "method"), [r for r in STAFF_ROUTES if r[0] != "nominations"])
def test_staff_url_on_a_draft_is_404_for_staff_and_nothing_changes(client, world, name, method):
    """A draft is the agency's own: staff get 404 on every staff URL of it."""
    url, data = _staff_request(world.draft, name, method)
    client.force_login(world.staff)
    before = database_state()
    response = _send(client, method, url, data)
    assert response.status_code == 404
    _assert_no_data(response, world.draft)
    assert database_state() == before


def test_staff_list_leaves_drafts_out(client, world):
    """The staff list shows submitted nominations and never a draft."""
    client.force_login(world.staff)
    response = client.get(reverse("staff:nominations"))
    titles = sorted(n.title for n in response.context["page"])
    assert titles == ["Alpha Returned Program", "Alpha Submitted Program", "Beta Program"]
    assert "Alpha Draft Program" not in response.content.decode()


def test_agency_url_deactivated_member_is_signed_out(client, world):
    """A member whose account was deactivated is signed out and sees nothing of the nomination."""
    client.force_login(world.member_a)
    world.member_a.is_active = False
    world.member_a.save(update_fields=["is_active"])
    url = reverse("nominations:detail", kwargs={"pk": world.returned.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == _login_url(url)


def test_agency_url_other_agencys_evidence_id_under_own_nomination_is_404(client, world):
    """A file id of another nomination, put under one's own nomination's URL, is 404."""
    other_file = Evidence.objects.get(nomination__agency__name="Beta Sheriff's Office")
    client.force_login(world.member_a)
    for name in ("evidence-download", "evidence-delete"):
        url = reverse(
            f"nominations:{name}", kwargs={"pk": world.returned.pk, "evidence": other_file.pk}
        )
        response = client.post(url) if name == "evidence-delete" else client.get(url)
        assert response.status_code == 404
    assert Evidence.objects.filter(pk=other_file.pk).exists()
