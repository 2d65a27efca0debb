"""Files through the storage API, on the filesystem and on an S3-compatible server.

Each end-to-end test runs twice: with files under MEDIA_ROOT, and with files in a
bucket of moto's standalone S3 server (tests/storage/conftest.py). A file is
stored by the services and tasks as in production, served by the views after the
permission check (streamed, with its length, type, name and nosniff), refused
to others, and deleted through the storage; in the S3 run the objects are in the
bucket and nothing lands under MEDIA_ROOT.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from django.utils.module_loading import import_string
from PIL import Image
from pypdf import PdfReader
from storages.backends.s3 import S3Storage

from dz_awards.core.storage import (
    FILESYSTEM_BACKEND,
    S3_BACKEND,
    SIGNED_URL_SECONDS,
    StoredFileResponse,
    default_storage_config,
)
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.nominations.models import Evidence, NominationPacket
from dz_awards.profiles import processing
from dz_awards.profiles.views import public
from dz_awards.recognition.models import Certificate
from reviews.enums import Outcome
from tests import factories
from tests.files import MINIMAL_PDF
from tests.files import pdf_upload as _pdf_upload
from tests.profiles.factories import ProfileFactory, ProfileImageFactory
from tests.recognition import helpers as recognition
from tests.reviews.helpers import reviewer as make_reviewer
from tests.services import BUCKET
from tests.storage.conftest import BACKENDS


def on_each_backend(test):
    """The test, with the database, once on each backend."""
    return pytest.mark.django_db(pytest.mark.parametrize("backend", BACKENDS, indirect=True)(test))


def on_commit():
    return TestCase.captureOnCommitCallbacks(execute=True)


def read(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def body(response):
    """The bytes of a streamed response (only the file is closed: closing the response
    would close the test's database connection too)."""
    assert response.streaming
    assert isinstance(response, StoredFileResponse)
    # Never django-storages' S3File, which downloads the whole object before the first read.
    assert getattr(response.file_to_stream, "obj", None) is None
    data = b"".join(response.streaming_content)
    if response.file_to_stream is not None:
        response.file_to_stream.close()
    return data


def assert_stored_only_in(backend, names):
    """Each of `names` is stored where the backend keeps files; in the bucket, nothing
    at all is under MEDIA_ROOT."""
    stored = backend.stored_names()
    assert set(names) <= set(stored), (names, stored)
    if backend.name == "s3":
        assert backend.media_files() == []


def assert_attachment(response, *, content_type, filename, data):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Content-Length"] == str(len(data))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"


# Nominations: an upload, its clean copy, the packet --------------------------------------


@on_each_backend
def test_evidence_is_stored_cleaned_and_downloaded_by_who_may(backend, client, staff):
    """The agency's PDF and its clean copy are stored; the agency gets its upload back
    and staff the clean copy, both streamed as attachments; another agency's member
    gets a 404."""
    member = factories.MembershipFactory().user
    agency = member.memberships.get().agency
    nomination = factories.NominationFactory(agency=agency, complete=True)
    with on_commit():
        added = nomination_services.evidence_add(
            user=member,
            nomination=nomination,
            upload=_pdf_upload("Annual report.pdf"),
            kind=EvidenceKind.DOCUMENT,
        )
    evidence = Evidence.objects.get(pk=added.pk)
    assert evidence.clean_file.name
    assert_stored_only_in(backend, [evidence.file.name, evidence.clean_file.name])
    nomination_services.nomination_submit(user=member, nomination=nomination)

    agency_url = reverse(
        "nominations:evidence-download", kwargs={"pk": nomination.pk, "evidence": evidence.pk}
    )
    client.force_login(member)
    response = client.get(agency_url)
    data = body(response)
    assert data == MINIMAL_PDF
    assert_attachment(
        response, content_type="application/pdf", filename="Annual report.pdf", data=data
    )

    client.force_login(staff)
    response = client.get(
        reverse(
            "staff:nomination-evidence-download",
            kwargs={"pk": nomination.pk, "evidence": evidence.pk},
        )
    )
    data = body(response)
    assert data == read(evidence.clean_file.name)
    assert PdfReader(io.BytesIO(data)).pages
    assert_attachment(
        response, content_type="application/pdf", filename="Annual report.pdf", data=data
    )

    client.force_login(factories.MembershipFactory().user)
    assert client.get(agency_url).status_code == 404


@on_each_backend
def test_a_deleted_file_leaves_nothing_in_storage(backend):
    """The upload and its clean copy go through the storage's delete, after commit."""
    member = factories.MembershipFactory().user
    nomination = factories.NominationFactory(agency=member.memberships.get().agency)
    with on_commit():
        added = nomination_services.evidence_add(
            user=member, nomination=nomination, upload=_pdf_upload(), kind=EvidenceKind.DOCUMENT
        )
    evidence = Evidence.objects.get(pk=added.pk)
    assert len(backend.stored_names()) == 2
    with on_commit():
        nomination_services.evidence_delete(user=member, evidence=evidence)
    assert backend.stored_names() == []
    assert backend.media_files() == []


@on_each_backend
def test_the_staff_packet_is_stored_and_served_to_staff_only(backend, client, staff):
    """The packet rendered after the first request is stored, then downloaded by staff;
    the agency's member gets a 404."""
    member = factories.MembershipFactory().user
    nomination = factories.NominationFactory(agency=member.memberships.get().agency, complete=True)
    with on_commit():
        nomination_services.evidence_add(
            user=member, nomination=nomination, upload=_pdf_upload(), kind=EvidenceKind.DOCUMENT
        )
    nomination_services.nomination_submit(user=member, nomination=nomination)
    url = reverse("staff:nomination-packet", kwargs={"pk": nomination.pk})

    client.force_login(staff)
    with on_commit():
        assert client.get(url).status_code == 200  # "preparing", the render queued
    packet = NominationPacket.objects.get(nomination=nomination)
    assert packet.file.name
    assert_stored_only_in(backend, [packet.file.name])
    response = client.get(url)
    data = body(response)
    assert data == read(packet.file.name)
    assert data.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Disposition"].startswith('attachment; filename="packet-')

    client.force_login(member)
    assert client.get(url).status_code == 404


# Recognition: the certificate and badge -------------------------------------------------


@on_each_backend
def test_the_certificate_and_badge_are_stored_and_served_to_the_agency_only(backend, client):
    place = recognition.world()
    nomination = recognition.reviewed(place)
    recognition.release(place, {nomination: Outcome.WINNER}, draw=True)
    certificate = Certificate.objects.get(nomination=nomination)
    assert_stored_only_in(backend, [certificate.pdf.name, certificate.badge.name])
    urls = {
        name: reverse(f"recognition:{name}", kwargs={"pk": nomination.pk})
        for name in ("certificate", "badge")
    }

    client.force_login(place.member)
    response = client.get(urls["certificate"])
    data = body(response)
    assert data == read(certificate.pdf.name)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert_attachment(
        response,
        content_type="application/pdf",
        filename="destination-zero-2026-winner-certificate.pdf",
        data=data,
    )
    response = client.get(urls["badge"])
    data = body(response)
    with Image.open(io.BytesIO(data)) as badge:
        assert (badge.format, badge.size) == ("PNG", (300, 300))
    assert_attachment(
        response,
        content_type="image/png",
        filename="destination-zero-2026-winner-badge.png",
        data=data,
    )

    client.force_login(make_reviewer(place.category))
    for url in urls.values():
        assert client.get(url).status_code == 404


# The public library: image sizes and the PDF summary -------------------------------------


@on_each_backend
def test_a_profile_image_gets_its_sizes_stored_and_served(backend, client):
    """The renditions task reads the stored original and writes each size; each is
    served from storage with its type, length and nosniff."""
    image = ProfileImageFactory(renditions={}, modern_renditions={}, width=0, height=0)
    processing.profile_image_make_renditions(image.pk)
    image.refresh_from_db()
    names = [*image.renditions.values(), *(image.modern_renditions or {}).values()]
    assert image.renditions
    assert_stored_only_in(backend, [image.file.name, *names])
    for width, name in image.renditions.items():
        url = reverse(
            "profiles:image",
            kwargs={"slug": image.profile.slug, "image": image.pk, "width": int(width)},
        )
        response = client.get(url)
        assert response.status_code == 200
        data = body(response)
        assert data == read(name)
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Length"] == str(len(data))
        assert response["X-Content-Type-Options"] == "nosniff"
        with Image.open(io.BytesIO(data)) as served:
            assert served.format == "JPEG"


@on_each_backend
def test_the_pdf_summary_is_rendered_into_storage_and_served(backend, client):
    profile = ProfileFactory()
    stored = processing.profile_render_pdf(profile.pk)
    assert stored is not None
    assert_stored_only_in(backend, [stored.file.name])
    response = client.get(reverse("profiles:pdf", kwargs={"slug": profile.slug}))
    # Read whole (a summary is small) and kept by the process for the library's version.
    data = response.content
    assert data == read(stored.file.name)
    assert profile.title in " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Disposition"] == f'inline; filename="{profile.slug}.pdf"'
    assert response["ETag"] == f'"{stored.sha256}"'

    # A file gone from storage is "being prepared" (503), never an error page, in a
    # process that has not kept it.
    default_storage.delete(stored.file.name)
    public._recent_pdfs.clear()
    assert client.get(reverse("profiles:pdf", kwargs={"slug": profile.slug})).status_code == 503


# The storage itself --------------------------------------------------------------------


@on_each_backend
def test_a_name_already_taken_is_never_overwritten(backend):
    first = default_storage.save("profiles/pdf/same.pdf", ContentFile(b"first"))
    second = default_storage.save("profiles/pdf/same.pdf", ContentFile(b"second"))
    assert first != second
    assert (read(first), read(second)) == (b"first", b"second")


@on_each_backend
def test_a_save_racing_another_for_the_same_name_takes_another(backend):
    """A save that found the name free, but lost the race to a concurrent save (here
    the other file is stored after the check, before the write), takes another name
    and leaves the other file as it was."""
    name = default_storage.get_available_name("profiles/pdf/raced.pdf")
    other = default_storage.save(name, ContentFile(b"the other server's file"))
    assert other == name
    # The write after the check, as the losing save makes it.
    mine = default_storage._save(name, ContentFile(b"mine"))
    assert mine != name
    assert (read(name), read(mine)) == (b"the other server's file", b"mine")


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_objects_are_private_and_signed_urls_are_short_lived(backend):
    """No ACL is sent, so an object grants nothing to anyone but the bucket's owner; a
    URL to one is signed and expires within minutes."""
    name = default_storage.save("private/probe.pdf", ContentFile(MINIMAL_PDF))
    acl = backend.client.get_object_acl(Bucket=BUCKET, Key=f"{backend.prefix}/{name}")
    grantees = [grant["Grantee"] for grant in acl["Grants"]]
    assert all(grantee.get("Type") == "CanonicalUser" for grantee in grantees)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    url = default_storage.url(name)
    assert "X-Amz-Signature=" in url
    assert f"X-Amz-Expires={SIGNED_URL_SECONDS}" in url


def test_the_environment_chooses_the_storage():
    assert default_storage_config({}) == {"BACKEND": FILESYSTEM_BACKEND}
    assert default_storage_config({"AWS_STORAGE_BUCKET_NAME": " "})["BACKEND"] == (
        FILESYSTEM_BACKEND
    )
    config = default_storage_config(
        {"AWS_STORAGE_BUCKET_NAME": "awards-files", "AWS_S3_ENDPOINT_URL": "http://s3.local:9000"}
    )
    assert config["BACKEND"] == S3_BACKEND
    assert issubclass(import_string(S3_BACKEND), S3Storage)
    options = config["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "awards-files",
        "http://s3.local:9000",
        "us-east-1",
    )
    assert (options["default_acl"], options["file_overwrite"]) == (None, False)
    assert (options["access_key"], options["secret_key"]) == (None, None)
