"""Staff's wording of a cycle's emails: placeholders checked on save, previewed with real data."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dz_awards.core.models import AuditEvent
from dz_awards.core.placeholders import fill, placeholder_problems
from dz_awards.cycles.emails import DEFAULTS, EmailKind
from dz_awards.cycles.models import EmailTemplate
from dz_awards.cycles.services import (
    EmailTemplateError,
    email_template_reset,
    email_template_save,
)
from dz_awards.nominations.enums import NominationState as S
from tests import factories

ALLOWED = ("agency_name", "link")


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("Hello {agency_name}, see {link}.", []),
        ("Hello {agency_nam}.", ["Unknown placeholder {agency_nam}."]),
        (
            "{{ user.email }}",
            ["“{ user.email }” is not a placeholder", "A brace “{” or “}” opens or closes"],
        ),
        ("{% now 'Y' %}", ["“{% now 'Y' %}” is not a placeholder"]),
        ("a { b", ["A brace “{” or “}” opens or closes no placeholder"]),
        (
            "{Agency_Name} {agency_nam} {agency_nam}",
            ["“{Agency_Name}” is not a placeholder", "Unknown placeholder {agency_nam}."],
        ),
    ],
)
def test_placeholder_problems_name_each_problem_once(text, problems):
    found = placeholder_problems(text, ALLOWED)
    assert [p[: len(expected)] for p, expected in zip(found, problems, strict=True)] == problems


def test_fill_is_one_pass_and_leaves_the_rest_as_text():
    """A value holding a placeholder or template syntax is not filled again."""
    values = {"agency_name": "{link} {% now 'Y' %}", "link": "https://x.example/"}
    assert fill("{agency_name} · {link} · {other}", values) == (
        "{link} {% now 'Y' %} · https://x.example/ · {other}"
    )


@pytest.fixture
def cycle(db):
    return factories.CycleFactory()


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        (
            "Hi {agency_name}",
            "Your {deadline_date} is near.",
            "Unknown placeholder {deadline_date}.",
        ),
        ("Hi {staff_message}", "Text", "Unknown placeholder {staff_message}."),
        ("Line one\r\nBcc: x@example.org", "Text", "The subject must be one line."),
        ("Hi", "{% if x %}secret{% endif %}", "“{% if x %}” is not a placeholder"),
    ],
)
def test_save_refuses_unknown_or_malformed_placeholders(staff, cycle, subject, body, message):
    """Never a blank in the email: the wording is refused, nothing stored or recorded."""
    with pytest.raises(EmailTemplateError) as refused:
        email_template_save(
            actor=staff, cycle=cycle, kind=EmailKind.WITHDRAWN, subject=subject, body=body
        )
    assert message in str(refused.value)
    assert not EmailTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="email_template").exists()


def test_save_then_change_then_reset_is_audited(staff, cycle):
    kind = EmailKind.RETURNED
    email_template_save(actor=staff, cycle=cycle, kind=kind, subject=" A ", body="{staff_message}")
    row = email_template_save(actor=staff, cycle=cycle, kind=kind, subject="B", body="{link}")
    assert (row.subject, row.body, row.updated_by) == ("B", "{link}", staff)
    assert EmailTemplate.objects.count() == 1
    assert email_template_reset(actor=staff, cycle=cycle, kind=kind) is True
    assert email_template_reset(actor=staff, cycle=cycle, kind=kind) is False
    assert not EmailTemplate.objects.exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", "actor", "message")) == [
        ("email_template_created", staff.pk, "Returned for changes. Subject: A"),
        ("email_template_changed", staff.pk, "Returned for changes. Subject: B"),
        ("email_template_reset", staff.pk, "Returned for changes"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda actor, cycle: email_template_save(
            actor=actor, cycle=cycle, kind=EmailKind.RETURNED, subject="A", body="B"
        ),
        lambda actor, cycle: email_template_reset(
            actor=actor, cycle=cycle, kind=EmailKind.RETURNED
        ),
    ],
    ids=["save", "reset"],
)
def test_only_staff_change_wording(user, cycle, change):
    with pytest.raises(PermissionDenied):
        change(user, cycle)


# Pages ----------------------------------------------------------------------------------


def _url(cycle, kind=EmailKind.RETURNED, suffix=""):
    return reverse(f"staff:email-template{suffix}", kwargs={"cycle": cycle.pk, "kind": kind})


def test_list_shows_every_kind_and_which_are_changed(client, staff, cycle):
    email_template_save(actor=staff, cycle=cycle, kind=EmailKind.RETURNED, subject="A", body="B")
    client.force_login(staff)
    page = client.get(reverse("staff:email-templates", kwargs={"cycle": cycle.pk})).content.decode()
    for kind in EmailKind:
        assert _url(cycle, kind) in page
    assert page.count("This cycle's own") == 1
    assert page.count(">Default<") == len(EmailKind) - 1


def test_editor_starts_from_default_and_previews_the_latest_nomination(client, staff, cycle):
    agency = factories.AgencyFactory(name="Riverton Police Department")
    factories.OwnerFactory(agency=agency, user__full_name="Dana Cruz")
    factories.NominationFactory(
        cycle=cycle, agency=agency, title="Peer Support", state=S.SUBMITTED, staff_message="Fix it"
    )
    client.force_login(staff)
    response = client.get(_url(cycle))
    form = response.context["form"]
    assert form["body"].value() == DEFAULTS[EmailKind.RETURNED].starting_body()
    subject, body, nomination = response.context["preview"]
    assert subject == "Changes requested: Peer Support"
    assert body.startswith(
        'Hello Dana Cruz,\n\nProgram staff have returned "Peer Support" '
        "(Riverton Police Department) for changes. Their message:\n\nFix it\n"
    )
    assert nomination.title == "Peer Support"


def test_preview_without_nominations_uses_sample_data(client, staff, cycle):
    client.force_login(staff)
    response = client.post(
        _url(cycle), {"subject": "{agency_name}", "body": "{cycle_name}", "preview": "Preview"}
    )
    assert response.context["preview"] == ("Sample County Sheriff's Office", cycle.name, None)
    assert "With sample data" in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_save_with_unknown_placeholder_keeps_the_typed_text(client, staff, cycle):
    client.force_login(staff)
    typed = "Dear {agency_nam},\n\nSee {link}."
    response = client.post(_url(cycle), {"subject": "Hi", "body": typed, "save": "Save"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"body": ["Unknown placeholder {agency_nam}."]}
    assert "Dear {agency_nam},\n\nSee {link}.</textarea>" in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_save_and_reset_through_the_pages(client, staff, cycle):
    client.force_login(staff)
    response = client.post(
        _url(cycle), {"subject": "Back to you: {nomination_title}", "body": "{link}", "save": "S"}
    )
    assert response.status_code == 302
    row = EmailTemplate.objects.get()
    assert (row.kind, row.subject, row.body) == (
        "returned",
        "Back to you: {nomination_title}",
        "{link}",
    )
    page = client.get(_url(cycle)).content.decode()
    assert "This cycle uses its own wording" in page
    assert client.post(_url(cycle, suffix="-reset")).status_code == 302
    assert not EmailTemplate.objects.exists()


@pytest.mark.parametrize("who", ["agency member", "anonymous"])
def test_wording_pages_are_staff_only(client, owner, cycle, who):
    if who == "agency member":
        client.force_login(owner)
    response = client.post(_url(cycle), {"subject": "A", "body": "B", "save": "S"})
    assert response.status_code == (404 if who == "agency member" else 302)
    assert not EmailTemplate.objects.exists()


def test_unknown_kind_is_404(client, staff, cycle):
    client.force_login(staff)
    assert client.get(_url(cycle, "nope")).status_code == 404
    assert client.post(_url(cycle, "nope", "-reset")).status_code == 404
