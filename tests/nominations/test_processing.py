"""An uploaded image processed in the background: re-encoded with no metadata, or rejected.

The task runs on commit here, as it runs after the upload's transaction in the app;
nobody can download an image before it is done.
"""

import io

from PIL import Image

from dz_awards.nominations import services, uploads
from dz_awards.nominations.enums import EvidenceStatus
from dz_awards.nominations.models import Evidence
from tests.files import GPS_IFD, image_bytes, jpeg_upload, png_upload, upload
from tests.files import bilevel_png as _bilevel_png
from tests.files import gps_exif as _gps_exif
from tests.nominations.view_helpers import add_file as _add
from tests.nominations.view_helpers import media_root as _media
from tests.nominations.view_helpers import processed_file as _add_and_process
from tests.nominations.view_helpers import server_name as _server_name
from tests.nominations.view_helpers import stored_files as _stored_files


def test_evidence_process_image_strips_gps_exif_from_jpeg(
    nomination, member, django_capture_on_commit_callbacks
):
    """A JPEG with GPS coordinates is stored with no EXIF at all."""
    original = image_bytes("JPEG", exif=_gps_exif())
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(GPS_IFD)[1] == "N"
    evidence = _add_and_process(
        django_capture_on_commit_callbacks,
        member,
        nomination,
        upload("IMG_0001.jpg", original, "image/jpeg"),
    )
    assert evidence.status == EvidenceStatus.READY
    stored = (_media() / evidence.file.name).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert image.getexif().get_ifd(GPS_IFD) == {}
    assert b"SpyCam" not in stored
    assert _server_name(nomination, ".jpg").match(evidence.file.name)
    assert evidence.sha256 == uploads.sha256_of(io.BytesIO(stored))


def test_evidence_process_image_applies_orientation_before_dropping_exif(
    nomination, member, django_capture_on_commit_callbacks
):
    """A photo taken sideways looks the same without EXIF: the rotation is in the pixels."""
    original = image_bytes("JPEG", size=(64, 48), exif=_gps_exif(orientation=6))
    evidence = _add_and_process(
        django_capture_on_commit_callbacks,
        member,
        nomination,
        upload("sideways.jpg", original, "image/jpeg"),
    )
    with Image.open(_media() / evidence.file.name) as image:
        assert image.size == (48, 64)
        assert dict(image.getexif()) == {}
    assert (evidence.width, evidence.height) == (48, 64)


def test_evidence_process_image_keeps_only_the_clean_copy_on_disk(
    nomination, member, django_capture_on_commit_callbacks
):
    """After processing, the uploaded original is deleted and only the clean copy remains."""
    evidence = _add_and_process(
        django_capture_on_commit_callbacks, member, nomination, jpeg_upload(exif=_gps_exif())
    )
    assert _stored_files() == [evidence.file.name]


def test_evidence_process_image_undecodable_image_is_rejected_and_removed(
    nomination, member, django_capture_on_commit_callbacks
):
    """An image whose header passes but whose pixels cannot be decoded is rejected, file gone."""
    truncated = _bilevel_png(640, 480, idat=False)
    evidence = _add_and_process(
        django_capture_on_commit_callbacks,
        member,
        nomination,
        upload("broken.png", truncated, "image/png"),
    )
    assert evidence.status == EvidenceStatus.REJECTED
    assert evidence.rejection_reason == (
        "The image could not be read. Save it again as JPEG or PNG and upload it again."
    )
    assert evidence.size == 0
    assert _stored_files() == []


def test_evidence_process_image_lost_upload_is_logged_and_not_called_unreadable(
    nomination, member, django_capture_on_commit_callbacks, caplog
):
    """A stored upload that cannot be read back is a storage fault: logged as an error, and
    the agency is asked to upload again, not told that its picture is broken."""
    evidence = _add(member, nomination, png_upload())
    (_media() / evidence.file.name).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_process_image(str(evidence.pk))

    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.REJECTED
    assert evidence.rejection_reason == (
        "The file could not be stored. Upload it again; if this happens again, write to "
        "program staff."
    )
    [record] = [r for r in caplog.records if r.name == "dz_awards.nominations.processing"]
    assert record.levelname == "ERROR"
    assert record.getMessage() == f"Evidence {evidence.pk}: the stored upload could not be read"
    assert isinstance(record.exc_info[1], FileNotFoundError)


def test_evidence_process_image_twice_does_nothing_the_second_time(
    nomination, member, django_capture_on_commit_callbacks
):
    """Processing is done once: a repeated task finds nothing left to do."""
    evidence = _add_and_process(
        django_capture_on_commit_callbacks, member, nomination, png_upload()
    )
    assert services.evidence_process_image(str(evidence.pk)) is None
    assert Evidence.objects.get(pk=evidence.pk).file.name == evidence.file.name
    assert _stored_files() == [evidence.file.name]
