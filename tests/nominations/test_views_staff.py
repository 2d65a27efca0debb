"""Program staff pages for nominations: the filtered list, one submission, and its actions."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from dz_awards.agencies.models import Agency
from dz_awards.core.models import AuditEvent
from dz_awards.nominations import services
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination, NominationMessage
from tests import factories
from tests.nominations.view_helpers import add_pdf, database_state, form_data, submitted

S = NominationState


def _staff_url(name, nomination):
    return reverse(f"staff:{name}", kwargs={"pk": nomination.pk})


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# The list and its filters --------------------------------------------------------------


@pytest.fixture
def listed(db):
    """Four nominations over two cycles, three categories, three states; and a draft."""
    riverton = factories.AgencyFactory(name="Riverton Police Department")
    lakeside = factories.AgencyFactory(name="Lakeside Sheriff Office")
    first = factories.CycleFactory(year=2031)
    second = factories.CycleFactory(year=2032)
    peer = factories.CategoryFactory(cycle=first, label="Peer support")
    fitness = factories.CategoryFactory(cycle=first, label="Fitness")
    driving = factories.CategoryFactory(cycle=second, label="Safe driving")

    def make(title, agency, category, state):
        nomination = factories.submitted_nomination(
            title=title, agency=agency, cycle=category.cycle, category=category
        )
        Nomination.objects.filter(pk=nomination.pk).update(state=state)
        return nomination

    world = {
        "peer": make("Peer Support Team", riverton, peer, S.SUBMITTED),
        "fitness": make("Fitness Challenge", lakeside, fitness, S.RETURNED),
        "driving": make("Driver Training", riverton, driving, S.INELIGIBLE),
        "lakeside_driving": make("Night Driving Course", lakeside, driving, S.SUBMITTED),
        "cycles": (first, second),
        "categories": (peer, fitness, driving),
    }
    factories.NominationFactory(
        title="Riverton Secret Draft", agency=riverton, cycle=first, category=peer
    )
    return world


def _listed_titles(response):
    html = response.content.decode()
    return sorted(
        re.findall(r'<td><a href="/staff/nominations/[0-9a-f-]{36}/">([^<]+)</a></td>', html)
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Driver Training", "Fitness Challenge", "Night Driving Course", "Peer Support Team"]),
        ({"cycle": "first"}, ["Fitness Challenge", "Peer Support Team"]),
        ({"cycle": "second"}, ["Driver Training", "Night Driving Course"]),
        ({"category": "fitness"}, ["Fitness Challenge"]),
        ({"category": "driving"}, ["Driver Training", "Night Driving Course"]),
        ({"state": S.SUBMITTED}, ["Night Driving Course", "Peer Support Team"]),
        ({"state": S.INELIGIBLE}, ["Driver Training"]),
        ({"q": "riverton"}, ["Driver Training", "Peer Support Team"]),
        ({"q": "DRIVING"}, ["Night Driving Course"]),
        ({"q": "lakeside", "state": S.SUBMITTED}, ["Night Driving Course"]),
        ({"cycle": "second", "q": "riverton"}, ["Driver Training"]),
        ({"state": S.DRAFT}, []),
        ({"q": "Secret Draft"}, []),
    ],
)
def test_staff_list_filters_by_cycle_category_state_and_q(client, staff, listed, query, expected):
    """Each filter, alone or combined, lists exactly the matching submitted nominations."""
    params = dict(query)
    if "cycle" in params:
        params["cycle"] = str(listed["cycles"][params["cycle"] == "second"].pk)
    if "category" in params:
        index = {"fitness": 1, "driving": 2}[params["category"]]
        params["category"] = str(listed["categories"][index].pk)
    client.force_login(staff)
    response = client.get(reverse("staff:nominations"), params)
    assert response.status_code == 200
    assert sorted(n.title for n in response.context["page"]) == expected
    assert _listed_titles(response) == expected
    count = len(expected)
    assert f"<p>{count} nomination{'' if count == 1 else 's'}.</p>" in response.content.decode()


def test_staff_list_shows_state_revisions_and_files_per_row(client, staff, member, agency):
    """A row shows the state badge, the number of revisions and the number of files."""
    nomination = factories.NominationFactory(agency=agency, complete=True, title="Counted Program")
    add_pdf(member, nomination, "one.pdf")
    add_pdf(member, nomination, "two.pdf")
    services.nomination_submit(user=member, nomination=nomination)
    services.nomination_return_for_changes(actor=staff, nomination=nomination, message="More.")
    services.nomination_resubmit(user=member, nomination=nomination)
    client.force_login(staff)
    html = client.get(reverse("staff:nominations")).content.decode()
    row = re.search(
        r"<tr>\s*<td><input[^>]*></td>\s*<td><a [^>]*>Counted Program</a>.*?</tr>", html, re.S
    ).group(0)
    assert "Status: </span>Submitted</span>" in row
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "2"]


# Verifying the agency from the nomination page ----------------------------------------


@pytest.fixture
def sent(member, agency):
    """A nomination of `agency` (whose only member is `member`), submitted through the service."""
    return submitted(member, agency=agency)


def test_staff_verify_agency_from_nomination_page_verifies_and_audits(
    client, staff, sent, owner, django_capture_on_commit_callbacks
):
    """The Verify agency button on a nomination verifies the agency and records who did it."""
    agency = sent.agency
    client.force_login(staff)
    verify_url = _staff_url("nomination-verify-agency", sent)
    page = client.get(_staff_url("nomination-detail", sent)).content.decode()
    assert f'action="{verify_url}"' in page
    assert "Not yet verified" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(verify_url, follow=True)
    assert response.redirect_chain == [(_staff_url("nomination-detail", sent), 302)]
    assert _messages(response) == [f"{agency.name} is verified."]
    agency.refresh_from_db()
    assert agency.verified_by == staff
    assert agency.verified_at is not None
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Agency), object_id=str(agency.pk)
    )
    assert list(events.values_list("action", "actor", "from_state", "to_state")) == [
        ("agency_verified", staff.pk, "unverified", "verified")
    ]
    assert [m.to for m in mail.outbox] == [[owner.email]]
    html = response.content.decode()
    assert "Verified agency" in html
    assert f'action="{verify_url}"' not in html


# Returning and screening out --------------------------------------------------------------

ACTIONS = [
    ("nomination-return", S.RETURNED, "Program staff asked for changes"),
    ("nomination-screen-out", S.INELIGIBLE, "Why this nomination is ineligible"),
]


@pytest.mark.parametrize("name", [name for name, _state, _heading in ACTIONS])
@pytest.mark.parametrize("message", ["", "   \n  "])
def test_staff_action_without_message_is_refused(client, staff, sent, name, message):
    """Returning or screening out needs a message: without one nothing changes."""
    client.force_login(staff)
    before = database_state()
    response = client.post(_staff_url(name, sent), {"message": message})
    assert response.status_code == 200
    assert response.context["form"].errors == {"message": ["This field is required."]}
    assert "This field is required." in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("action", ACTIONS, ids=[name for name, *_rest in ACTIONS])
def test_staff_action_with_message_shows_it_to_the_agency(
    client, staff, sent, action, django_capture_on_commit_callbacks
):
    """With a message the nomination moves on; the agency reads it on the page and by email."""
    name, state, heading = action
    member = sent.agency.memberships.get().user
    client.force_login(staff)
    text = "The 2024 injury figures are missing & must be added."
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_staff_url(name, sent), {"message": text})
    assert response.url == _staff_url("nomination-detail", sent)
    sent.refresh_from_db()
    assert (sent.state, sent.staff_message) == (state, text)
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert text in mail.outbox[0].body

    client.force_login(member)
    html = client.get(reverse("nominations:detail", kwargs={"pk": sent.pk})).content.decode()
    alert = re.search(
        rf"<h2 id=\"staff-message-heading\" class=\"h5\">{heading}</h2>\s*<div>(.*?)</div>",
        html,
        re.S,
    )
    assert alert.group(1) == "<p>The 2024 injury figures are missing &amp; must be added.</p>"


def test_staff_action_form_page_shows_the_field_label(client, staff, member, agency):
    """The screen-out page asks why the nomination is ineligible."""
    nomination = submitted(member, agency=agency)
    client.force_login(staff)
    html = client.get(_staff_url("nomination-screen-out", nomination)).content.decode()
    assert "Why is the nomination ineligible?" in html
    assert "Screen out as ineligible</h1>" in html


# What staff read --------------------------------------------------------------------------


@pytest.fixture
def edited_after_return(client, staff, member, agency):
    """Submitted with one summary, returned, then changed by the agency but not resubmitted."""
    nomination = submitted(member, agency=agency, summary="The submitted summary.")
    services.nomination_return_for_changes(
        actor=staff, nomination=nomination, message="Add figures."
    )
    nomination.refresh_from_db()
    client.force_login(member)
    response = client.post(
        reverse("nominations:autosave", kwargs={"pk": nomination.pk}),
        form_data(nomination, summary="An unsubmitted draft edit."),
    )
    assert response.json()["status"] == "saved"
    nomination.refresh_from_db()
    return nomination


def test_staff_detail_shows_latest_revision_not_a_later_draft_edit(
    client, staff, edited_after_return
):
    """Staff read what was submitted, never the agency's unsubmitted changes."""
    client.force_login(staff)
    html = client.get(_staff_url("nomination-detail", edited_after_return)).content.decode()
    assert edited_after_return.summary == "An unsubmitted draft edit."
    assert "As submitted in revision 1</h2>" in html
    assert "<dd>The submitted summary.</dd>" in html
    assert "An unsubmitted draft edit." not in html


def test_staff_detail_after_resubmission_shows_the_new_revision(
    client, staff, member, edited_after_return
):
    """Once resubmitted, staff read revision 2 with the agency's changes."""
    services.nomination_resubmit(user=member, nomination=edited_after_return)
    client.force_login(staff)
    html = client.get(_staff_url("nomination-detail", edited_after_return)).content.decode()
    assert "As submitted in revision 2</h2>" in html
    assert "<dd>An unsubmitted draft edit.</dd>" in html
    assert "<dd>The submitted summary.</dd>" not in html


def test_staff_changes_page_never_offers_the_current_draft(client, staff, edited_after_return):
    """Asking the staff changes page for the current text falls back to submitted text."""
    client.force_login(staff)
    response = client.get(
        _staff_url("nomination-changes", edited_after_return), {"from": "1", "to": "current"}
    )
    assert response.context["choices"] == [("1", "Revision 1")]
    assert "An unsubmitted draft edit." not in response.content.decode()


def test_staff_message_thread_on_detail_shows_agency_messages(client, staff, member, agency):
    """The staff page shows the agency's messages with the author's name."""
    nomination = submitted(member, agency=agency)
    services.message_post(user=member, nomination=nomination, body="Our question to staff.")
    client.force_login(staff)
    html = client.get(_staff_url("nomination-detail", nomination)).content.decode()
    assert f"<strong>{escape(member.full_name)}</strong>" in html
    assert "<p>Our question to staff.</p>" in html
    assert NominationMessage.objects.get().from_staff is False
