"""The staff media page of a profile: the submission's ready images and documents,
chosen as public images (with alternative text) and resources, and its refusals."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence
from dz_awards.profiles import services
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, ProfileImage, ProfileResource
from tests import factories
from tests.files import MINIMAL_PDF, image_bytes
from tests.profiles.helpers import message_texts as _messages
from tests.profiles.helpers import staff_url as _url
from tests.profiles.helpers import visible_text as _text

P = ProfileState
S = NominationState


def _evidence(nomination, kind, data, name):
    is_image = kind == EvidenceKind.IMAGE
    item = Evidence(
        nomination=nomination,
        kind=kind,
        status=EvidenceStatus.READY,
        original_name=name,
        content_type="image/jpeg" if is_image else "application/pdf",
        extension=".jpg" if is_image else ".pdf",
        size=len(data),
        width=640 if is_image else None,
        height=480 if is_image else None,
        alt_text="Officers at a briefing" if is_image else "",
        description="" if is_image else "Peer support general order",
    )
    item.file.save("upload", ContentFile(data), save=False)
    item.save()
    return item


@pytest.fixture
def with_files(agency, preparer):
    nomination = factories.NominationFactory(
        complete=True, agency=agency, state=S.FINALIST, submitted_at=timezone.now()
    )
    photo = _evidence(
        nomination, EvidenceKind.IMAGE, image_bytes("JPEG", size=(640, 480)), "IMG_1.jpg"
    )
    document = _evidence(nomination, EvidenceKind.DOCUMENT, MINIMAL_PDF, "order.pdf")
    factories.NominationRevisionFactory(
        nomination=nomination,
        number=1,
        content={"evidence": [{"id": str(photo.pk)}, {"id": str(document.pk)}]},
    )
    profile = services.profile_create_for(actor=preparer, nomination=nomination)
    return profile, photo, document


def test_media_page_lists_the_submissions_ready_images_and_documents(staff_client, with_files):
    profile, photo, document = with_files
    response = staff_client.get(_url("profile-media", profile))
    images_form = response.context["images_form"]
    resources_form = response.context["resources_form"]
    assert [c.evidence for c in images_form.candidates] == [photo]
    assert [c.evidence for c in resources_form.candidates] == [document]
    # The agency's alternative text and description start the public ones.
    assert images_form[f"{photo.pk.hex}-alt_text"].value() == "Officers at a briefing"
    assert resources_form[f"{document.pk.hex}-title"].value() == "Peer support general order"
    html = response.content.decode()
    assert (
        reverse(
            "staff:nomination-evidence-download",
            kwargs={"pk": profile.nomination_id, "evidence": photo.pk},
        )
        in html
    )


def _choose_image(client, profile, photo, *, alt_text, caption="", position="0", **kwargs):
    """Post the media page's image form with `photo` chosen."""
    key = photo.pk.hex
    return client.post(
        _url("profile-media", profile),
        {
            "part": "images",
            "images-version": profile.version,
            f"images-{key}-use": "on",
            f"images-{key}-alt_text": alt_text,
            f"images-{key}-caption": caption,
            f"images-{key}-position": position,
        },
        **kwargs,
    )


def test_media_page_saves_images_with_alt_text(
    staff_client, with_files, django_capture_on_commit_callbacks
):
    profile, photo, _document = with_files
    with django_capture_on_commit_callbacks(execute=True):
        response = _choose_image(
            staff_client,
            profile,
            photo,
            alt_text="Two officers at roll call",
            caption="Roll call, May 2026",
            position="1",
            follow=True,
        )
    image = ProfileImage.objects.get(profile=profile)
    assert (image.alt_text, image.caption, image.position) == (
        "Two officers at roll call",
        "Roll call, May 2026",
        1,
    )
    assert sorted(image.renditions, key=int) == ["160", "320", "480", "640"]
    assert _messages(response) == [
        "The images are saved. Their sizes for the public page are being made."
    ]


def test_media_page_refuses_an_image_without_alt_text_and_keeps_the_caption(
    staff_client, with_files
):
    profile, photo, _document = with_files
    key = photo.pk.hex
    response = _choose_image(staff_client, profile, photo, alt_text="", caption="Typed caption")
    assert response.status_code == 200
    form = response.context["images_form"]
    assert form.errors == {f"{key}-alt_text": ["Write what this image shows to make it public."]}
    assert form[f"{key}-caption"].value() == "Typed caption"
    assert "Nothing was saved." in _text(response)
    assert not ProfileImage.objects.exists()


def test_media_page_says_when_storage_cannot_give_the_file_back(staff_client, with_files):
    """Staff learn that the stored file could not be opened (not that the image is bad)."""
    profile, photo, _document = with_files
    photo.file.storage.delete(photo.file.name)
    response = _choose_image(staff_client, profile, photo, alt_text="Two officers")
    assert response.status_code == 200
    told = (
        "IMG_1.jpg: the stored file could not be opened just now, so nothing was saved. Try "
        "again in a few minutes; if it keeps failing, tell the site's administrators."
    )
    assert response.context["images_form"].non_field_errors() == [told]
    assert not ProfileImage.objects.exists()


def test_media_page_saves_a_resource(staff_client, with_files):
    profile, _photo, document = with_files
    key = document.pk.hex
    response = staff_client.post(
        _url("profile-media", profile),
        {
            "part": "resources",
            "resources-version": profile.version,
            f"resources-{key}-use": "on",
            f"resources-{key}-title": "General order 3-14",
            f"resources-{key}-position": "0",
        },
        follow=True,
    )
    resource = ProfileResource.objects.get(profile=profile)
    assert resource.title == "General order 3-14"
    assert _messages(response) == ["The resources are saved."]


def test_media_page_of_a_retracted_profile_refuses_changes(staff_client, with_files):
    profile, _photo, document = with_files
    Profile.objects.filter(pk=profile.pk).update(state=P.RETRACTED)
    key = document.pk.hex
    response = staff_client.post(
        _url("profile-media", profile),
        {
            "part": "resources",
            "resources-version": profile.version,
            f"resources-{key}-use": "on",
            f"resources-{key}-title": "General order",
            f"resources-{key}-position": "0",
        },
    )
    assert not ProfileResource.objects.exists()
    assert "reopen it as a draft to change its images and resources" in _text(response)
