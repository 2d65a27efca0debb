"""A profile's public images and resources (`services.media`): public copies of the
submission's files, a clean JPEG in several sizes or a PDF without metadata, made only
from files that may go public, with storage failures told as such.

Real Pillow images (with GPS EXIF) and pypdf PDFs, read back from storage.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from dz_awards.core.models import AuditEvent
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence
from dz_awards.profiles import services
from dz_awards.profiles.enums import EDITABLE_STATES, ProfileState
from dz_awards.profiles.models import Profile, ProfileImage, ProfilePdf, ProfileResource
from tests import factories
from tests.files import GPS_IFD, MINIMAL_PDF, gps_exif, image_bytes
from tests.profiles.factories import ProfileFactory
from tests.profiles.helpers import audit_actions as _actions
from tests.profiles.helpers import decided_nomination as _decided
from tests.profiles.helpers import profile_state as _state
from tests.profiles.helpers import profile_version as _version
from tests.profiles.helpers import read_stored as _read_stored

P = ProfileState
S = NominationState
ALL_STATES = list(ProfileState)


def _gps_jpeg(size=(2000, 1000)):
    return image_bytes("JPEG", size=size, exif=gps_exif())


def _pdf_with_metadata_and_attachment():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(MINIMAL_PDF)))
    writer.add_metadata({"/Author": "Sgt. Hidden Author"})
    writer.add_attachment("roster.csv", b"name,badge\nJane Doe,4411\n")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _evidence(nomination, kind, data, *, name, status=EvidenceStatus.READY, size=None):
    is_image = kind == EvidenceKind.IMAGE
    item = Evidence(
        nomination=nomination,
        kind=kind,
        status=status,
        original_name=name,
        content_type="image/jpeg" if is_image else "application/pdf",
        extension=".jpg" if is_image else ".pdf",
        size=len(data),
        width=size[0] if size else None,
        height=size[1] if size else None,
        alt_text="Officers at a briefing" if is_image else "",
    )
    item.file.save("upload", ContentFile(data), save=False)
    item.save()
    return item


@pytest.fixture
def world(agency, preparer):
    """A finalist's draft profile; its submission has an image (with GPS EXIF) and a PDF."""
    nomination = _decided(S.FINALIST, agency=agency)
    photo = _evidence(
        nomination, EvidenceKind.IMAGE, _gps_jpeg(), name="IMG_0001.jpg", size=(2000, 1000)
    )
    document = _evidence(
        nomination, EvidenceKind.DOCUMENT, _pdf_with_metadata_and_attachment(), name="order.pdf"
    )
    factories.NominationRevisionFactory(
        nomination=nomination,
        number=1,
        content={
            "title": nomination.title,
            "evidence": [{"id": str(photo.pk)}, {"id": str(document.pk)}],
        },
    )
    profile = services.profile_create_for(actor=preparer, nomination=nomination)
    return {"nomination": nomination, "photo": photo, "document": document, "profile": profile}


def _media_files():
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "profiles" in p.parts
    )


def test_set_images_copies_the_evidence_as_a_clean_jpeg_and_makes_its_sizes(
    world, preparer, django_capture_on_commit_callbacks
):
    profile, photo = world["profile"], world["photo"]
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_images(
            actor=preparer,
            profile=profile,
            choices=[{"evidence": photo, "alt_text": " Two officers  talking ", "position": 2}],
        )
    image = ProfileImage.objects.get(profile=profile)
    assert (image.source, image.alt_text, image.caption, image.position) == (
        photo,
        "Two officers talking",
        "",
        2,
    )
    assert image.file.name != photo.file.name
    assert image.file.name.startswith(f"profiles/{profile.pk}/")
    data = _read_stored(image.file.name)
    with Image.open(io.BytesIO(data)) as public:
        assert public.format == "JPEG"
        assert (public.width, public.height) == (image.width, image.height) == (2000, 1000)
        assert dict(public.getexif()) == {}
        assert public.getexif().get_ifd(GPS_IFD) == {}
    assert b"SpyCam" not in data
    assert sorted(image.renditions, key=int) == ["160", "320", "480", "640", "960", "1600"]
    for key, name in image.renditions.items():
        with Image.open(io.BytesIO(_read_stored(name))) as sized:
            assert (sized.format, sized.width, sized.height) == ("JPEG", int(key), int(key) // 2)
            assert dict(sized.getexif()) == {}
    assert _version(profile) == 2
    assert _actions(profile)[-1] == "profile_images_changed"


def test_a_small_image_is_never_upscaled(agency, preparer, django_capture_on_commit_callbacks):
    nomination = _decided(S.WINNER, agency=agency)
    photo = _evidence(
        nomination, EvidenceKind.IMAGE, _gps_jpeg((800, 600)), name="a.jpg", size=(800, 600)
    )
    factories.NominationRevisionFactory(
        nomination=nomination, number=1, content={"evidence": [{"id": str(photo.pk)}]}
    )
    profile = services.profile_create_for(actor=preparer, nomination=nomination)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_images(
            actor=preparer, profile=profile, choices=[{"evidence": photo, "alt_text": "A car"}]
        )
    image = ProfileImage.objects.get(profile=profile)
    widths = {}
    for key, name in image.renditions.items():
        with Image.open(io.BytesIO(_read_stored(name))) as sized:
            widths[key] = sized.width
    assert widths == {"160": 160, "320": 320, "480": 480, "640": 640, "960": 800}


def test_removing_an_image_deletes_its_files(world, preparer, django_capture_on_commit_callbacks):
    profile, photo = world["profile"], world["photo"]
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_images(
            actor=preparer, profile=profile, choices=[{"evidence": photo, "alt_text": "Officers"}]
        )
    assert len(_media_files()) == 13  # the image and its six sizes in two formats
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_images(actor=preparer, profile=profile, choices=[])
    assert not ProfileImage.objects.exists()
    assert _media_files() == []
    assert _version(profile) == 3


def test_editing_an_image_keeps_its_file_and_changing_nothing_keeps_the_version(
    world, preparer, django_capture_on_commit_callbacks
):
    profile, photo = world["profile"], world["photo"]
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_images(
            actor=preparer, profile=profile, choices=[{"evidence": photo, "alt_text": "Officers"}]
        )
    image = ProfileImage.objects.get()
    services.profile_set_images(
        actor=preparer, profile=profile, choices=[{"image": image, "alt_text": "Officers"}]
    )
    assert _version(profile) == 2
    services.profile_set_images(
        actor=preparer,
        profile=profile,
        choices=[{"evidence": photo, "alt_text": "Officers", "caption": "At roll call"}],
    )
    again = ProfileImage.objects.get()
    assert (again.pk, again.file.name, again.caption) == (image.pk, image.file.name, "At roll call")
    assert _version(profile) == 3


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ({"alt_text": "  "}, "Each chosen image needs its alternative text: say what it shows."),
        ({"alt_text": "x" * 301}, "Keep alternative text and captions under 300 characters."),
        ({"alt_text": "Officers", "position": "first"}, "The order must be a whole number."),
    ],
)
def test_set_images_refuses_bad_details_and_leaves_nothing_behind(world, preparer, choice, message):
    with pytest.raises(ValidationError) as error:
        services.profile_set_images(
            actor=preparer,
            profile=world["profile"],
            choices=[{"evidence": world["photo"], **choice}],
        )
    assert error.value.messages == [message]
    assert not ProfileImage.objects.exists()
    assert _media_files() == []
    assert _version(world["profile"]) == 1


def test_set_images_refuses_files_that_may_not_go_public(world, preparer, agency):
    nomination, profile = world["nomination"], world["profile"]
    other = _evidence(_decided(S.FINALIST), EvidenceKind.IMAGE, _gps_jpeg((40, 30)), name="b.jpg")
    unsubmitted = _evidence(nomination, EvidenceKind.IMAGE, _gps_jpeg((40, 30)), name="c.jpg")
    rejected = _evidence(
        nomination, EvidenceKind.IMAGE, b"junk", name="d.jpg", status=EvidenceStatus.REJECTED
    )
    for evidence in (other, unsubmitted, rejected, world["document"]):
        with pytest.raises(ValidationError, match="cannot become a public image"):
            services.profile_set_images(
                actor=preparer, profile=profile, choices=[{"evidence": evidence, "alt_text": "x"}]
            )
    assert not ProfileImage.objects.exists()
    assert _media_files() == []


def test_set_images_by_non_staff_is_denied(world, owner):
    with pytest.raises(PermissionDenied):
        services.profile_set_images(
            actor=owner,
            profile=world["profile"],
            choices=[{"evidence": world["photo"], "alt_text": "Officers"}],
        )
    assert not ProfileImage.objects.exists()


STORAGE_FAILURE = (
    "the stored file could not be opened just now, so nothing was saved. Try again in a few "
    "minutes; if it keeps failing, tell the site's administrators."
)


# (service, evidence of the world, the rest of the choice)
STORAGE_CASES = {
    "image": (services.profile_set_images, "photo", {"alt_text": "Officers"}),
    "resource": (services.profile_set_resources, "document", {"title": "General order"}),
}


@pytest.mark.parametrize("case", STORAGE_CASES)
def test_a_file_storage_cannot_give_back_is_logged_and_refused_as_such(
    world, preparer, caplog, case
):
    """A storage failure is not "the image could not be read": staff are told the truth,
    the error is logged with its traceback, and nothing changes."""
    service, file, choice = STORAGE_CASES[case]
    evidence = world[file]
    (Path(django_settings.MEDIA_ROOT) / evidence.file.name).unlink()
    with pytest.raises(services.ProfileError) as refused:
        service(
            actor=preparer, profile=world["profile"], choices=[{"evidence": evidence, **choice}]
        )
    assert str(refused.value) == f"{evidence.original_name}: {STORAGE_FAILURE}"
    [record] = [r for r in caplog.records if r.name == "dz_awards.profiles.services.media"]
    assert record.levelname == "ERROR"
    assert record.getMessage().startswith(f"Evidence {evidence.pk} could not be read from storage")
    assert isinstance(record.exc_info[1], FileNotFoundError)
    assert _version(world["profile"]) == 1
    assert _media_files() == []


def test_an_image_that_cannot_be_decoded_is_refused_with_its_name(world, preparer, caplog):
    """What is wrong with the file itself is said as such (and is not an error to log)."""
    photo = world["photo"]
    (Path(django_settings.MEDIA_ROOT) / photo.file.name).write_bytes(b"not an image at all")
    with pytest.raises(services.ProfileError, match=r"^IMG_0001\.jpg: The image could not be read"):
        services.profile_set_images(
            actor=preparer,
            profile=world["profile"],
            choices=[{"evidence": photo, "alt_text": "Officers"}],
        )
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert not ProfileImage.objects.exists()


@pytest.mark.parametrize("state", ALL_STATES)
def test_media_changes_follow_the_editing_rules_in_every_state(state, world, publisher):
    profile = world["profile"]
    Profile.objects.filter(pk=profile.pk).update(state=state, prepared_by=publisher)
    choices = [{"evidence": world["document"], "title": "General order"}]
    if state not in EDITABLE_STATES:
        with pytest.raises(services.ProfileError, match="reopen it to edit"):
            services.profile_set_resources(actor=publisher, profile=profile, choices=choices)
        assert not ProfileResource.objects.exists()
        return
    services.profile_set_resources(actor=publisher, profile=profile, choices=choices)
    expected = P.DRAFT if state in (P.PROOF_SENT, P.AGENCY_APPROVED) else state
    assert (_state(profile), _version(profile)) == (expected, 2)


def test_set_resources_rewrites_the_pdf_without_metadata_or_attachments(world, preparer):
    profile, document = world["profile"], world["document"]
    source = PdfReader(io.BytesIO(_read_stored(document.file.name)))
    assert source.metadata.author == "Sgt. Hidden Author"
    assert list(source.attachments) == ["roster.csv"]

    services.profile_set_resources(
        actor=preparer,
        profile=profile,
        choices=[{"evidence": document, "title": " General  order 3-14 ", "position": 1}],
    )
    resource = ProfileResource.objects.get(profile=profile)
    data = _read_stored(resource.file.name)
    assert (resource.title, resource.position, resource.extension, resource.size) == (
        "General order 3-14",
        1,
        ".pdf",
        len(data),
    )
    assert resource.file.name != document.file.name
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert reader.attachments == {}
    assert "/Names" not in reader.trailer["/Root"]
    assert b"Hidden Author" not in data
    assert b"Jane Doe" not in data
    assert len(reader.pages) == 1
    assert _version(profile) == 2
    assert _actions(profile)[-1] == "profile_resources_changed"


def test_set_resources_keeps_an_imported_link_and_removes_what_is_left_out(
    world, preparer, django_capture_on_commit_callbacks
):
    profile = world["profile"]
    link = ProfileResource.objects.create(
        profile=profile, title="Toolkit", url="https://example.org/toolkit"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_resources(
            actor=preparer,
            profile=profile,
            choices=[
                {"resource": link, "title": "Toolkit", "position": 0},
                {"evidence": world["document"], "title": "Order", "position": 1},
            ],
        )
    assert ProfileResource.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_resources(
            actor=preparer, profile=profile, choices=[{"resource": link, "title": "Toolkit"}]
        )
    assert list(ProfileResource.objects.values_list("title", flat=True)) == ["Toolkit"]
    assert _media_files() == []


def test_set_resources_refuses_a_resource_of_another_profile(world, preparer):
    stranger = ProfileResource.objects.create(
        profile=ProfileFactory(), title="Elsewhere", url="https://example.org/"
    )
    with pytest.raises(ValidationError, match="not part of this profile"):
        services.profile_set_resources(
            actor=preparer, profile=world["profile"], choices=[{"resource": stranger, "title": "x"}]
        )
    assert ProfileResource.objects.filter(profile=world["profile"]).count() == 0


def test_media_change_on_a_published_profile_renders_its_pdf_again(
    world, preparer, publisher, owner, django_capture_on_commit_callbacks
):
    profile = world["profile"]
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_send_proof(actor=preparer, profile=profile)
        services.profile_approve(user=owner, profile=profile)
        services.profile_publish(actor=publisher, profile=profile)
    assert ProfilePdf.objects.get(profile=profile).version == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_images(
            actor=publisher,
            profile=profile,
            choices=[{"evidence": world["photo"], "alt_text": "Officers at roll call"}],
        )
    assert _state(profile) == P.PUBLISHED
    stored = ProfilePdf.objects.select_related("profile").get(profile=profile)
    assert stored.version == stored.profile.version == 2
    assert AuditEvent.objects.filter(action="profile_images_changed").count() == 1
