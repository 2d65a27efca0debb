"""The agency's evidence page: the limits shown before an upload, and uploads answered as
a page or as JSON, a refusal always a form error (never a server error)."""

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus
from dz_awards.nominations.models import Evidence
from tests.files import HTML, MINIMAL_PDF, pdf_upload, png_upload, upload
from tests.files import bilevel_png as _bilevel_png
from tests.nominations.view_helpers import ALT, NOT_AN_IMAGE, TOO_MANY_PIXELS, add_pdf
from tests.nominations.view_helpers import nomination_url as _url
from tests.nominations.view_helpers import page_html as _page
from tests.nominations.view_helpers import stored_files as _stored_files

IMAGE = EvidenceKind.IMAGE


def test_evidence_page_shows_limits_and_usage_before_upload(member_client, member, draft, settings):
    """The size, count and quota limits (from settings) and what is used are shown up front."""
    settings.EVIDENCE_MAX_IMAGE_BYTES = 3 * 1024 * 1024
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = 7 * 1024 * 1024
    settings.EVIDENCE_MAX_FILES = 9
    settings.EVIDENCE_QUOTA_BYTES = 50 * 1024 * 1024
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 12_000_000
    add_pdf(member, draft)
    html = _page(member_client, _url("evidence", draft))
    assert "Images: JPEG, PNG or WebP, up to 3.0\xa0MB and 12 megapixels each." in html
    assert (
        "Documents and letters of support: PDF, up to 7.0\xa0MB each, without a password."
    ) in html
    assert "Up to 9 files and 50.0\xa0MB in all for this nomination" in html
    used = filesizeformat(len(MINIMAL_PDF))
    assert f"Used: 1 of 9 files, {used} of 50.0\xa0MB." in html
    assert (
        "Images: JPEG, PNG or WebP up to 3.0\xa0MB and 12 megapixels. Documents and letters: "
        "PDF up to 7.0\xa0MB."
    ) in html
    assert html.index("Up to 9 files") < html.index('type="file"')


def test_evidence_json_upload_of_bad_file_returns_invalid_with_errors(member_client, draft):
    """A JSON upload of a non-PDF answers {status: invalid, errors} and stores nothing."""
    response = member_client.post(
        _url("evidence", draft),
        {"kind": EvidenceKind.DOCUMENT, "file": upload("report.pdf", b"<html>not a pdf</html>")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": "invalid",
        "errors": ["File: This file is not a PDF. Save or print it as a PDF and try again."],
    }
    assert not Evidence.objects.exists()


def test_evidence_json_upload_without_alt_text_for_image_lists_that_error(member_client, draft):
    """An image without alternative text is refused in JSON with the field named."""
    response = member_client.post(
        _url("evidence", draft),
        {"kind": EvidenceKind.IMAGE, "file": png_upload()},
        headers={"Accept": "application/json"},
    )
    assert response.json() == {
        "status": "invalid",
        "errors": [
            (
                "Alternative text (for images): Describe the image in a sentence for people "
                "who cannot see it."
            )
        ],
    }
    assert not Evidence.objects.exists()


def test_evidence_json_upload_of_good_pdf_returns_uploaded_with_redirect(
    member_client, draft, member
):
    """A JSON upload of a real PDF answers {status: uploaded, redirect} and stores it, being
    checked until its clean copy is made."""
    response = member_client.post(
        _url("evidence", draft),
        {"kind": EvidenceKind.LETTER, "file": pdf_upload("Support letter.pdf")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json() == {"status": "uploaded", "redirect": _url("evidence", draft)}
    item = Evidence.objects.get()
    assert (item.nomination, item.kind, item.status, item.original_name, item.uploaded_by) == (
        draft,
        EvidenceKind.LETTER,
        EvidenceStatus.PROCESSING,
        "Support letter.pdf",
        member,
    )
    with item.file.open("rb") as handle:
        assert handle.read() == MINIMAL_PDF


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            lambda: upload("flood.png", _bilevel_png(30_000, 30_000), "image/png"),
            TOO_MANY_PIXELS,
        ),
        (lambda: upload("logo.svg", HTML, "image/svg+xml"), NOT_AN_IMAGE),
    ],
    ids=["pixel-flood", "html-as-svg"],
)
def test_evidence_page_upload_refusal_is_a_form_error(file, message, member_client, nomination):
    """A refused upload re-shows the form with the message (status 400), never a 500."""
    url = reverse("nominations:evidence", kwargs={"pk": nomination.pk})
    response = member_client.post(url, {"kind": IMAGE, "alt_text": ALT, "file": file()})
    assert response.status_code == 400
    assert message in response.content.decode()
    json_response = member_client.post(
        url,
        {"kind": IMAGE, "alt_text": ALT, "file": file()},
        headers={"accept": "application/json"},
    )
    assert (json_response.status_code, json_response.json()) == (
        400,
        {"status": "invalid", "errors": [f"File: {message}"]},
    )
    assert Evidence.objects.count() == 0
    assert _stored_files() == []
