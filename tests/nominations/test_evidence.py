"""Adding and deleting a nomination's files through the services: who may, when, and what
each file needs; a deleted file leaves nothing on disk once the deletion commits.

What a file may be (its content, size, name) is in `test_uploads`.
"""

import pytest
from django.core.exceptions import PermissionDenied

from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from tests import factories
from tests.files import gps_exif as _gps_exif
from tests.files import jpeg_upload, pdf_upload, png_upload
from tests.nominations.view_helpers import add_file as _add
from tests.nominations.view_helpers import media_root as _media
from tests.nominations.view_helpers import refused_file as _refused
from tests.nominations.view_helpers import stored_files as _stored_files

DOCUMENT = EvidenceKind.DOCUMENT


# Other checks ----------------------------------------------------------------------------


@pytest.mark.parametrize("alt_text", ["", "   \n"])
def test_evidence_add_image_without_alt_text_is_refused(alt_text, nomination, member):
    """Every image needs a sentence for people who cannot see it."""
    error = _refused(member, nomination, png_upload(), alt_text=alt_text)
    assert error.messages == ["Describe the image in a sentence for people who cannot see it."]


def test_evidence_add_pdf_needs_no_alt_text(nomination, member):
    """Documents carry no alternative text; any given is not kept."""
    evidence = _add(member, nomination, pdf_upload(), kind=DOCUMENT, alt_text="ignored")
    assert (evidence.alt_text, evidence.kind, evidence.content_type) == (
        "",
        DOCUMENT,
        "application/pdf",
    )


def test_evidence_add_unknown_kind_is_refused(nomination, member):
    """Only the listed kinds of file can be added."""
    error = _refused(member, nomination, pdf_upload(), kind="script")
    assert error.messages == ["Choose what kind of file this is."]


def test_evidence_add_by_non_member_is_denied(nomination, user):
    """Someone outside the agency cannot attach files to its nomination."""
    with pytest.raises(PermissionDenied):
        _add(user, nomination, pdf_upload(), kind=DOCUMENT)
    assert _stored_files() == []


def test_evidence_add_to_submitted_nomination_is_refused(nomination, member):
    """Files cannot be added once the nomination is submitted."""
    services.nomination_submit(user=member, nomination=nomination)
    with pytest.raises(services.NominationError) as error:
        _add(member, nomination, pdf_upload(), kind=DOCUMENT)
    assert str(error.value) == "This nomination is submitted and can no longer be changed here."
    assert _stored_files() == []


# Deleting --------------------------------------------------------------------------------


def test_evidence_delete_removes_file_after_commit(
    nomination, member, django_capture_on_commit_callbacks
):
    """Deleting a file removes its row at once and its stored file once the deletion commits."""
    evidence = _add(member, nomination, pdf_upload(), kind=DOCUMENT)
    path = _media() / evidence.file.name
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(user=member, evidence=evidence)
        assert path.is_file()  # a rolled-back delete would still need it
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not path.exists()
    assert _stored_files() == []


def test_evidence_delete_by_non_member_is_denied_and_keeps_file(
    nomination, member, user, django_capture_on_commit_callbacks
):
    """Someone outside the agency cannot delete its files."""
    evidence = _add(member, nomination, pdf_upload(), kind=DOCUMENT)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.evidence_delete(user=user, evidence=evidence)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert _stored_files() == [evidence.file.name]


def test_nomination_delete_removes_every_file_after_commit(
    nomination, member, django_capture_on_commit_callbacks
):
    """Deleting a draft deletes its files too: nothing is left under its folder."""
    with django_capture_on_commit_callbacks(execute=True):
        _add(member, nomination, pdf_upload(), kind=DOCUMENT)
        _add(member, nomination, jpeg_upload(exif=_gps_exif()))
    folder = _media() / "private" / "nominations" / str(nomination.pk)
    assert len([p for p in folder.iterdir() if p.is_file()]) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_delete(user=member, nomination=nomination)

    assert not Nomination.objects.filter(pk=nomination.pk).exists()
    assert Evidence.objects.count() == 0
    assert _stored_files() == []


def test_nomination_delete_of_submitted_nomination_keeps_files(
    agency, member, django_capture_on_commit_callbacks
):
    """A nomination that was submitted cannot be deleted; its files stay."""
    returned = factories.submitted_nomination(agency=agency)
    Nomination.objects.filter(pk=returned.pk).update(state=NominationState.RETURNED)
    evidence = _add(member, returned, pdf_upload(), kind=DOCUMENT)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.NominationError) as error,
    ):
        services.nomination_delete(user=member, nomination=returned)
    assert str(error.value) == "Only a draft that was never submitted can be deleted."
    assert _stored_files() == [evidence.file.name]
