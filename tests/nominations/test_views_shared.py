"""Pages the agency and program staff share: downloading a file, writing a message."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus
from dz_awards.nominations.models import NominationMessage
from tests import factories
from tests.files import MINIMAL_PDF, pdf_upload, png_upload
from tests.nominations.view_helpers import submitted


def _url(name, nomination, **kwargs):
    return reverse(f"nominations:{name}", kwargs={"pk": nomination.pk, **kwargs})


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# Evidence download --------------------------------------------------------------------


def _download(client, nomination, item):
    response = client.get(_url("evidence-download", nomination, evidence=item.pk))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # The file only: response.close() would also close the test's database connection.
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    return response, content


def test_evidence_download_is_a_safe_attachment_with_the_stored_bytes(
    member_client, member, draft, django_capture_on_commit_callbacks
):
    """The file comes as an attachment with a safe name, nosniff and a sandbox CSP; the
    agency gets its own upload back, not the clean copy."""
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_add(
            user=member,
            nomination=draft,
            upload=pdf_upload('../../etc/Annual\x00 "report"\r\n.pdf'),
            kind=EvidenceKind.DOCUMENT,
        )
    item.refresh_from_db()
    assert item.clean_file.name
    response, content = _download(member_client, draft, item)
    assert response.status_code == 200
    assert item.original_name == 'Annual "report".pdf'
    assert response["Content-Disposition"] == 'attachment; filename="Annual \\"report\\".pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    with item.file.open("rb") as handle:
        assert content == handle.read() == MINIMAL_PDF


def test_evidence_download_of_image_still_processing_is_404(member_client, member, draft):
    """An image not yet re-encoded cannot be downloaded: 404 until it is ready."""
    item = services.evidence_add(
        user=member,
        nomination=draft,
        upload=png_upload(),
        kind=EvidenceKind.IMAGE,
        alt_text="Officers at a training day.",
    )
    assert item.status == EvidenceStatus.PROCESSING
    response, content = _download(member_client, draft, item)
    assert response.status_code == 404
    assert not content.startswith(b"\x89PNG")


def test_evidence_download_of_processed_image_serves_the_reencoded_copy(
    member_client, member, draft, django_capture_on_commit_callbacks
):
    """Once processed, the image downloads as the stored, re-encoded bytes, without the
    text chunk the upload carried."""
    from PIL.PngImagePlugin import PngInfo

    chunk = PngInfo()
    chunk.add_text("Comment", "taken at 38.8977 N, 77.0365 W")
    original = png_upload(pnginfo=chunk)
    original_bytes = original.read()
    original.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_add(
            user=member,
            nomination=draft,
            upload=original,
            kind=EvidenceKind.IMAGE,
            alt_text="Officers at a training day.",
        )
    item.refresh_from_db()
    assert item.status == EvidenceStatus.READY
    response, content = _download(member_client, draft, item)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="photo.png"'
    with item.file.open("rb") as handle:
        assert content == handle.read()
    assert content.startswith(b"\x89PNG")
    assert b"38.8977" in original_bytes
    assert b"38.8977" not in content


# Messages -----------------------------------------------------------------------------


@pytest.fixture
def with_staff(member, agency):
    nomination = submitted(member, agency=agency, title="Peer Support")
    staff = factories.StaffFactory(email="screener@example.org")
    factories.StaffFactory(email="gone@example.org", is_active=False)
    return nomination, staff


def test_message_from_member_emails_staff(
    member_client, member, with_staff, django_capture_on_commit_callbacks
):
    """A member's message is stored as theirs and emailed to active program staff."""
    nomination, _staff = with_staff
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            _url("messages", nomination), {"body": "Can we add a letter?"}
        )
    assert response.url == _url("detail", nomination) + "#messages"
    message = NominationMessage.objects.get()
    assert (message.author, message.from_staff, message.body) == (
        member,
        False,
        "Can we add a letter?",
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["screener@example.org"], f"New message from {nomination.agency.name}")
    ]
    assert "Can we add a letter?" in mail.outbox[0].body
    assert reverse("staff:nomination-detail", kwargs={"pk": nomination.pk}) in mail.outbox[0].body


def test_message_from_staff_emails_agency_members(
    client, member, agency, with_staff, django_capture_on_commit_callbacks
):
    """A staff message is stored as from staff and emailed to the agency's approved members."""
    nomination, staff = with_staff
    owner = factories.OwnerFactory(agency=agency).user
    factories.MembershipFactory(agency=agency, status=MembershipStatus.PENDING)
    mail.outbox.clear()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:nomination-messages", kwargs={"pk": nomination.pk}),
            {"body": "Yes, please add it."},
        )
    assert response.url == (
        reverse("staff:nomination-detail", kwargs={"pk": nomination.pk}) + "#messages"
    )
    message = NominationMessage.objects.get()
    assert (message.author, message.from_staff) == (staff, True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, owner.email])
    assert {m.subject for m in mail.outbox} == {f"New message about {nomination}"}
    assert all("Yes, please add it." in m.body for m in mail.outbox)
    client.force_login(member)
    html = _page(client, _url("detail", nomination))
    assert "<strong>Program staff</strong>" in html
    assert "<p>Yes, please add it.</p>" in html


def test_message_too_long_is_refused_and_text_comes_back(member_client, with_staff):
    """A message over 5000 characters is not sent; its text is back in the form next time."""
    nomination, _staff = with_staff
    text = "A" * 4990 + " the end."  # 4999
    text += "!!"  # 5001
    mail.outbox.clear()
    response = member_client.post(_url("messages", nomination), {"body": text}, follow=True)
    assert not NominationMessage.objects.exists()
    assert mail.outbox == []
    assert _messages(response) == ["Ensure this value has at most 5000 characters (it has 5001)."]
    assert response.context["message_form"]["body"].value() == text
    assert re.search(rf">\s*{text}</textarea>", response.content.decode())
    # Only once: the next visit shows an empty form.
    again = member_client.get(_url("detail", nomination))
    assert again.context["message_form"]["body"].value() is None
