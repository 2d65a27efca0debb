"""Staff's message to every nominating agency of a cycle, a category or a state."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.mailings.models import BulkMessage, BulkMessageRecipient
from dz_awards.mailings.services import MailingError, bulk_message_send
from dz_awards.nominations.enums import NominationState as S
from tests import factories


@pytest.fixture
def world(db):
    """A cycle with two categories; agencies in OH and TX, one with two nominations."""
    cycle = factories.CycleFactory()
    wellness = factories.CategoryFactory(cycle=cycle, label="Wellness")
    safety = factories.CategoryFactory(cycle=cycle, label="Safety")
    agencies = {}
    for name, state in (("Akron PD", "OH"), ("Dayton PD", "OH"), ("Austin PD", "TX")):
        agency = factories.AgencyFactory(name=name, state=state)
        factories.OwnerFactory(agency=agency, user__full_name=f"{name} Owner")
        agencies[name] = agency
    factories.MembershipFactory(agency=agencies["Akron PD"], user__full_name="Akron Member")
    factories.MembershipFactory(agency=agencies["Akron PD"], status=MembershipStatus.PENDING)
    for agency, category, state in (
        (agencies["Akron PD"], wellness, S.SUBMITTED),
        (agencies["Akron PD"], safety, S.IN_REVIEW),
        (agencies["Dayton PD"], safety, S.RETURNED),
        (agencies["Austin PD"], wellness, S.WINNER),
    ):
        factories.NominationFactory(agency=agency, cycle=cycle, category=category, state=state)
    # Neither a draft nor another cycle's nomination makes an agency a nominating one here.
    factories.NominationFactory(cycle=cycle, category=wellness, state=S.DRAFT)
    factories.NominationFactory(state=S.SUBMITTED)
    return cycle, wellness, safety, agencies


def _send(staff, cycle, *, token=None, category=None, state="", subject="News for {agency_name}"):
    return bulk_message_send(
        actor=staff,
        token=token or uuid.uuid4(),
        cycle=cycle,
        category=category,
        state=state,
        subject=subject,
        body="Hello {recipient_name} of {agency_name}: {cycle_name} closes {deadline}. {link}",
    )


def test_message_reaches_each_agency_once_and_each_member_once(
    world, staff, django_capture_on_commit_callbacks
):
    """Akron has two nominations: its two active members get one email each, not two."""
    cycle = world[0]
    with django_capture_on_commit_callbacks(execute=True):
        message, sent_now = _send(staff, cycle)

    assert sent_now is True
    assert sorted(m.subject for m in mail.outbox) == [
        "News for Akron PD",
        "News for Akron PD",
        "News for Austin PD",
        "News for Dayton PD",
    ]
    assert len({m.to[0] for m in mail.outbox}) == 4
    akron_member = next(m for m in mail.outbox if "Akron Member" in m.body)
    assert akron_member.body.startswith(f"Hello Akron Member of Akron PD: {cycle.name} closes ")
    assert list(message.recipients.values_list("agency_name", "people")) == [
        ("Akron PD", 2),
        ("Austin PD", 1),
        ("Dayton PD", 1),
    ]
    event = AuditEvent.objects.get(action="bulk_message_sent")
    assert (event.actor, event.message) == (
        staff,
        "3 agencies, 4 emails. Subject: News for {agency_name}",
    )


def test_double_submit_sends_once(world, staff, django_capture_on_commit_callbacks):
    cycle = world[0]
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = _send(staff, cycle, token=token)
        again, sent_now = _send(staff, cycle, token=token)
    assert (again, sent_now) == (first, False)
    assert len(mail.outbox) == 4
    assert BulkMessage.objects.count() == 1
    assert AuditEvent.objects.filter(action="bulk_message_sent").count() == 1


@pytest.mark.parametrize(
    ("narrow", "expected"),
    [
        ({"category": "Wellness"}, ["Akron PD", "Austin PD"]),
        ({"category": "Safety"}, ["Akron PD", "Dayton PD"]),
        ({"state": "OH"}, ["Akron PD", "Dayton PD"]),
        ({"category": "Wellness", "state": "TX"}, ["Austin PD"]),
    ],
)
def test_category_and_state_narrow_the_agencies(world, staff, narrow, expected):
    cycle, wellness, safety, _ = world
    category = {"Wellness": wellness, "Safety": safety}.get(narrow.get("category"))
    message, _ = _send(staff, cycle, category=category, state=narrow.get("state", ""))
    assert list(message.recipients.values_list("agency_name", flat=True)) == expected


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"state": "AK"}, "No agency has a submitted nomination that matches"),
        ({"subject": "Hi {nomination_title}"}, "Unknown placeholder {nomination_title}."),
        ({"subject": "Hi\nBcc: x@example.org"}, "The subject must be one line."),
        ({"other_cycle_category": True}, "That category belongs to another cycle."),
    ],
)
def test_refused_messages_send_nothing(world, staff, change, error):
    cycle = world[0]
    category = factories.CategoryFactory() if change.pop("other_cycle_category", False) else None
    with pytest.raises(MailingError) as refused:
        _send(staff, cycle, category=category, **change)
    assert error in str(refused.value)
    assert not BulkMessage.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_only_staff_send(world, owner):
    with pytest.raises(PermissionDenied):
        _send(owner, world[0])


# Pages ------------------------------------------------------------------------------------


def test_write_check_confirm_send_and_follow_progress(world, client, staff):
    """The whole flow without JavaScript: counts before sending, progress after."""
    cycle = world[0]
    client.force_login(staff)
    new = reverse("staff:bulk-message-new", kwargs={"cycle": cycle.pk})
    typed = {"state": "OH", "subject": "Deadline for {agency_name}", "body": "See {link}."}
    check = client.post(new, {**typed, "check": "Check who gets it"})
    page = check.content.decode()
    assert "It goes to 2 agencies: 3 people, one email each." in page
    assert "As Akron PD reads it" in page
    assert "Deadline for Akron PD" in page
    token = check.context["form"]["token"].value()
    confirm = {**typed, "category": "", "token": token, "send": ""}

    sent = client.post(new, confirm)
    message = BulkMessage.objects.get()
    assert sent.url == reverse("staff:bulk-message", kwargs={"pk": message.pk})
    twice = client.post(new, confirm, follow=True)
    assert "This message was already sent; it was not sent again." in twice.content.decode()
    assert BulkMessage.objects.count() == 1
    assert OutboxEmail.objects.count() == 3

    # Nothing is delivered inside the test's transaction: the worker's part is played here.
    OutboxEmail.objects.exclude(key__contains=str(world[3]["Dayton PD"].pk)).update(
        status=OutboxStatus.SENT
    )
    detail = client.get(message.get_absolute_url())
    assert "2 of 3 emails delivered" in detail.content.decode()
    assert detail["Refresh"] == "5"
    assert "Refresh" not in client.get(message.get_absolute_url() + "?refresh=off")
    OutboxEmail.objects.update(status=OutboxStatus.SENT)
    done = client.get(message.get_absolute_url())
    assert "3 of 3 emails delivered" in done.content.decode()
    assert "Refresh" not in done
    listing = client.get(reverse("staff:bulk-messages", kwargs={"cycle": cycle.pk}))
    assert "Nominating agencies from Ohio" in listing.content.decode()


def test_check_with_a_bad_placeholder_keeps_the_typed_text(world, client, staff):
    client.force_login(staff)
    new = reverse("staff:bulk-message-new", kwargs={"cycle": world[0].pk})
    response = client.post(new, {"subject": "Hi", "body": "Dear {agency}", "check": "C"})
    assert response.context["form"].errors == {"body": ["Unknown placeholder {agency}."]}
    assert "Dear {agency}</textarea>" in response.content.decode()
    edit = client.post(new, {"subject": "Hi", "body": "Dear {agency_name}", "edit": ""})
    assert "Dear {agency_name}</textarea>" in edit.content.decode()
    assert client.get(new).status_code == 200
    assert not BulkMessageRecipient.objects.exists()


def test_send_refused_shows_the_reason(world, client, staff):
    client.force_login(staff)
    new = reverse("staff:bulk-message-new", kwargs={"cycle": world[0].pk})
    data = {"state": "AK", "subject": "Hi", "body": "B", "token": str(uuid.uuid4()), "send": ""}
    response = client.post(new, data)
    assert "No agency has a submitted nomination that matches" in response.content.decode()
    check = client.post(new, {**data, "token": "", "check": ""})
    assert "the message would reach nobody" in check.content.decode()


@pytest.mark.parametrize("who", ["agency member", "anonymous"])
def test_message_pages_are_staff_only(world, client, owner, who):
    if who == "agency member":
        client.force_login(owner)
    new = reverse("staff:bulk-message-new", kwargs={"cycle": world[0].pk})
    data = {"subject": "Hi", "body": "B", "token": str(uuid.uuid4()), "send": ""}
    assert client.post(new, data).status_code == (404 if who == "agency member" else 302)
    assert not BulkMessage.objects.exists()
