"""Several evidence files in one POST (a browser without the page's script sends them so):
each file is checked on its own, refused ones are named with their reasons, and the ones
that passed are kept. Limits of count and space hold file by file, and the rate limit
still counts requests."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from tests.files import HTML, MINIMAL_PDF, pdf_upload, png_upload, upload
from tests.nominations.view_helpers import ALT, NOT_A_PDF, add_pdf
from tests.nominations.view_helpers import nomination_url as _url

DOCUMENT = EvidenceKind.DOCUMENT
JSON = {"Accept": "application/json"}


def _names():
    return sorted(Evidence.objects.values_list("original_name", flat=True))


def _mixed_batch():
    """Two good PDFs around a web page named like a PDF and an empty file."""
    return [
        pdf_upload("policy.pdf"),
        upload("report.pdf", HTML, "application/pdf"),
        upload("blank.pdf", b"", "application/pdf"),
        pdf_upload("training.pdf"),
    ]


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_mixed_batch_without_script_keeps_good_files_and_names_each_refusal(
    member_client, draft, member
):
    """The page comes back (400) with a reason per refused file, named; the good ones are
    stored, being checked, and announced in one message."""
    response = member_client.post(
        _url("evidence", draft), {"kind": DOCUMENT, "file": _mixed_batch()}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": [f"report.pdf: {NOT_A_PDF}", "blank.pdf: This file is empty."]
    }
    html = response.content.decode()
    assert f"File: report.pdf: {NOT_A_PDF}" in html  # in the error summary
    assert "2 files are uploaded: policy.pdf, training.pdf." in html
    assert _names() == ["policy.pdf", "training.pdf"]
    assert set(Evidence.objects.values_list("status", "uploaded_by", "nomination")) == {
        (EvidenceStatus.PROCESSING, member.pk, draft.pk)
    }
    # The list on the page already shows them, and what they use.
    assert html.count("Being checked") == 2
    assert "Used: 2 of 20 files" in html


def test_mixed_batch_as_json_names_each_refusal(member_client, draft):
    """A JSON client sending several files gets each refusal named, and the rest stored."""
    response = member_client.post(
        _url("evidence", draft), {"kind": DOCUMENT, "file": _mixed_batch()}, headers=JSON
    )

    assert response.status_code == 400
    assert response.json() == {
        "status": "invalid",
        "errors": [f"File: report.pdf: {NOT_A_PDF}", "File: blank.pdf: This file is empty."],
    }
    assert _names() == ["policy.pdf", "training.pdf"]


def test_good_images_in_one_post_share_the_alt_text_and_redirect(member_client, draft):
    """All good: back to the page (PRG) with one message; each image carries the text."""
    response = member_client.post(
        _url("evidence", draft),
        {
            "kind": EvidenceKind.IMAGE,
            "alt_text": ALT,
            "file": [png_upload("team.png"), png_upload("van.png")],
        },
    )

    assert response.status_code == 302
    assert response.url == _url("evidence", draft)
    assert _messages(response) == [
        (
            "2 files are uploaded: team.png, van.png. Each is being checked and will be ready "
            "in a moment."
        )
    ]
    assert sorted(Evidence.objects.values_list("original_name", "kind", "alt_text")) == [
        ("team.png", EvidenceKind.IMAGE, ALT),
        ("van.png", EvidenceKind.IMAGE, ALT),
    ]


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "EVIDENCE_MAX_FILES",
            2,
            "This nomination already has 2 files, the most allowed. Delete one to add another.",
        ),
        (
            "EVIDENCE_QUOTA_BYTES",
            3 * len(MINIMAL_PDF) - 1,
            (
                f"This file is {len(MINIMAL_PDF)}\xa0bytes but only {len(MINIMAL_PDF) - 1}\xa0"
                f"bytes of this nomination's {3 * len(MINIMAL_PDF) - 1}\xa0bytes remain. Delete a "
                "file or upload a smaller one."
            ),
        ),
    ],
    ids=["count", "quota"],
)
def test_batch_past_a_limit_keeps_what_fits_and_refuses_the_rest(
    setting, value, message, *, member_client, draft, member, settings
):
    """With one file already there, three more: the first fits, the next two do not."""
    setattr(settings, setting, value)
    add_pdf(member, draft, "existing.pdf")
    files = [pdf_upload(f"part-{n}.pdf") for n in (1, 2, 3)]

    response = member_client.post(_url("evidence", draft), {"kind": DOCUMENT, "file": files})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": [f"part-2.pdf: {message}", f"part-3.pdf: {message}"]
    }
    assert _names() == ["existing.pdf", "part-1.pdf"]


def test_batch_on_a_submitted_nomination_is_refused_once(member_client, draft):
    """A nomination that can no longer change refuses the request once, not per file."""
    Nomination.objects.filter(pk=draft.pk).update(state=NominationState.SUBMITTED)

    response = member_client.post(
        _url("evidence", draft),
        {"kind": DOCUMENT, "file": [pdf_upload("a.pdf"), pdf_upload("b.pdf")]},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "__all__": ["This nomination is submitted and can no longer be changed here."]
    }
    assert not Evidence.objects.exists()


def test_post_without_files_asks_for_one(member_client, draft):
    response = member_client.post(_url("evidence", draft), {"kind": DOCUMENT}, headers=JSON)

    assert response.json() == {"status": "invalid", "errors": ["File: Choose a file to upload."]}


def test_page_states_the_files_and_space_left_for_the_script(
    member_client, draft, member, settings
):
    """The limits the script checks come from the page, from the same settings."""
    settings.EVIDENCE_MAX_FILES = 5
    settings.EVIDENCE_QUOTA_BYTES = 10_000
    settings.EVIDENCE_MAX_IMAGE_BYTES = 4_000
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = 6_000
    add_pdf(member, draft)

    html = member_client.get(_url("evidence", draft)).content.decode()

    assert (
        'data-image-bytes="4000" data-document-bytes="6000"\n'
        f'        data-files-left="4" data-bytes-left="{10_000 - len(MINIMAL_PDF)}"'
    ) in html
    assert 'type="file" name="file"' in html
    assert " multiple " in html


def test_rate_limit_counts_requests_not_files(member_client, draft, settings):
    """Two requests of two files each pass a limit of two; the third request is refused
    whole, none of its files stored."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": "2/h"}
    url = reverse("nominations:evidence", kwargs={"pk": draft.pk})
    for batch in ("a", "b"):
        files = [pdf_upload(f"{batch}-1.pdf"), pdf_upload(f"{batch}-2.pdf")]
        assert member_client.post(url, {"kind": DOCUMENT, "file": files}).status_code == 302

    response = member_client.post(
        url, {"kind": DOCUMENT, "file": [pdf_upload("c-1.pdf"), pdf_upload("c-2.pdf")]}
    )

    assert response.status_code == 429
    assert _names() == ["a-1.pdf", "a-2.pdf", "b-1.pdf", "b-2.pdf"]
