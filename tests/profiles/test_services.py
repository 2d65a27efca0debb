"""Profile services: the lifecycle over every state, the two-person rule, edits after a
proof, the PDF task, and public copies of images and documents.

Real parts only: the services with their transactions, the background tasks run
on commit by the immediate backend, real WeasyPrint PDFs, real Pillow images.
"""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter

from dz_awards.core.models import AuditEvent
from dz_awards.core.selectors import audit_events_for
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from dz_awards.profiles import services
from dz_awards.profiles.enums import EDITABLE_STATES, Award, ProfileState
from dz_awards.profiles.models import Profile, ProfileImage, ProfilePdf, ProfileResource, Topic
from dz_awards.profiles.tasks import render_profile_pdf
from reviews import services as review_services
from reviews.enums import Outcome
from tests import factories
from tests.files import MINIMAL_PDF, image_bytes
from tests.profiles.factories import ProfileFactory

P = ProfileState
S = NominationState
ALL_STATES = list(ProfileState)
GPS_IFD = 0x8825


def _state(profile):
    return Profile.objects.values_list("state", flat=True).get(pk=profile.pk)


def _version(profile):
    return Profile.objects.values_list("version", flat=True).get(pk=profile.pk)


def _actions(profile):
    return [e.action for e in audit_events_for(profile).order_by("created_at", "pk")]


@pytest.fixture
def preparer(db):
    return factories.StaffFactory(full_name="Pat Preparer")


@pytest.fixture
def publisher(db):
    return factories.StaffFactory(full_name="Sam Second")


@pytest.fixture
def outsider(db):
    return factories.UserFactory()


def _profile(state, agency, preparer, **fields):
    return ProfileFactory(state=state, agency=agency, prepared_by=preparer, **fields)


# The lifecycle over every state --------------------------------------------------------


def _send_proof(user, profile):
    return services.profile_send_proof(actor=user, profile=profile)


def _approve(user, profile):
    return services.profile_approve(user=user, profile=profile)


def _request_changes(user, profile):
    return services.profile_request_changes(
        user=user, profile=profile, comment="Please spell our chief's name right."
    )


def _publish(user, profile):
    return services.profile_publish(actor=user, profile=profile)


def _retract(user, profile):
    return services.profile_retract(actor=user, profile=profile, reason="Asked by the agency.")


def _reopen(user, profile):
    return services.profile_reopen(actor=user, profile=profile)


# name: (call, states it leaves from, state it goes to, who may, who may not)
LIFECYCLE = {
    "send_proof": (_send_proof, {P.DRAFT}, P.PROOF_SENT, "publisher", "owner"),
    "approve": (_approve, {P.PROOF_SENT}, P.AGENCY_APPROVED, "owner", "publisher"),
    "request_changes": (_request_changes, {P.PROOF_SENT}, P.DRAFT, "owner", "publisher"),
    "publish": (_publish, {P.AGENCY_APPROVED}, P.PUBLISHED, "publisher", "owner"),
    "retract": (_retract, {P.PUBLISHED}, P.RETRACTED, "publisher", "owner"),
    "reopen": (
        _reopen,
        {P.PROOF_SENT, P.AGENCY_APPROVED, P.RETRACTED},
        P.DRAFT,
        "publisher",
        "owner",
    ),
}
CASES = [(name, state) for name in LIFECYCLE for state in ALL_STATES]


@pytest.mark.parametrize(("name", "state"), CASES)
@pytest.mark.usefixtures("owner")
def test_lifecycle_service_moves_only_from_its_states(name, state, request, agency, preparer):
    call, sources, target, role, _wrong = LIFECYCLE[name]
    profile = _profile(state, agency, preparer)
    user = request.getfixturevalue(role)
    if state in sources:
        result = call(user, profile)
        assert result.state == target
        assert _state(profile) == target
        assert _actions(profile)[-1:] != []
        last = audit_events_for(profile).first()
        assert (last.from_state, last.to_state, last.actor) == (state, target, user)
    else:
        with pytest.raises(services.ProfileError):
            call(user, profile)
        assert _state(profile) == state
        assert _actions(profile) == []


@pytest.mark.parametrize(("name", "state"), CASES)
@pytest.mark.usefixtures("owner", "publisher")
def test_lifecycle_service_by_the_wrong_role_is_denied_in_every_state(
    name, state, request, agency, preparer
):
    call, _sources, _target, _role, wrong = LIFECYCLE[name]
    profile = _profile(state, agency, preparer)
    with pytest.raises(PermissionDenied):
        call(request.getfixturevalue(wrong), profile)
    assert _state(profile) == state
    assert _actions(profile) == []


@pytest.mark.parametrize(("name", "state"), CASES)
def test_lifecycle_service_by_someone_without_a_role_is_denied(
    name, state, agency, preparer, outsider
):
    call = LIFECYCLE[name][0]
    profile = _profile(state, agency, preparer)
    with pytest.raises(PermissionDenied):
        call(outsider, profile)
    assert _state(profile) == state


@pytest.mark.parametrize("state", ALL_STATES)
def test_profile_save_edits_only_in_editable_states(state, agency, preparer, publisher):
    profile = _profile(state, agency, preparer)
    data = {"title": "A new title"}
    if state in EDITABLE_STATES:
        saved = services.profile_save(actor=publisher, profile=profile, data=data)
        assert saved.title == "A new title"
        assert _version(profile) == 2
    else:
        with pytest.raises(services.ProfileError, match="reopen it to edit"):
            services.profile_save(actor=publisher, profile=profile, data=data)
        assert Profile.objects.get(pk=profile.pk).title == profile.title
        assert _version(profile) == 1


@pytest.mark.parametrize("state", ALL_STATES)
def test_profile_save_by_non_staff_is_denied(state, agency, preparer, owner):
    profile = _profile(state, agency, preparer)
    with pytest.raises(PermissionDenied):
        services.profile_save(actor=owner, profile=profile, data={"title": "Mine now"})
    assert Profile.objects.get(pk=profile.pk).title == profile.title


def test_send_proof_without_an_agency_account_is_refused(preparer):
    profile = _profile(P.DRAFT, None, None)
    with pytest.raises(services.ProfileError, match="no agency account"):
        services.profile_send_proof(actor=preparer, profile=profile)
    assert _state(profile) == P.DRAFT


# The two-person rule -------------------------------------------------------------------


def test_the_preparer_cannot_publish_and_another_staff_member_can(
    agency, owner, preparer, publisher
):
    profile = _profile(P.DRAFT, agency, None)
    services.profile_send_proof(actor=preparer, profile=profile)
    services.profile_approve(user=owner, profile=profile)

    with pytest.raises(services.ProfileError) as error:
        services.profile_publish(actor=preparer, profile=profile)
    assert str(error.value) == (
        "You prepared this proof, so another staff member must publish it (two-person rule)."
    )
    assert _state(profile) == P.AGENCY_APPROVED

    published = services.profile_publish(actor=publisher, profile=profile)
    assert published.state == P.PUBLISHED
    stored = Profile.objects.get(pk=profile.pk)
    assert (stored.prepared_by, stored.approved_by, stored.published_by) == (
        preparer,
        owner,
        publisher,
    )
    assert _actions(profile) == ["proof_sent", "proof_approved", "profile_published"]


def test_a_superuser_who_prepared_the_proof_cannot_publish_either(agency, owner):
    boss = factories.StaffFactory(is_superuser=True)
    profile = _profile(P.DRAFT, agency, None)
    services.profile_send_proof(actor=boss, profile=profile)
    services.profile_approve(user=owner, profile=profile)
    with pytest.raises(services.ProfileError, match="two-person rule"):
        services.profile_publish(actor=boss, profile=profile)
    assert _state(profile) == P.AGENCY_APPROVED


# Edits after the proof -------------------------------------------------------------------


@pytest.mark.parametrize("state", [P.PROOF_SENT, P.AGENCY_APPROVED])
def test_an_edit_after_the_proof_goes_back_to_draft_with_a_new_version(
    state, agency, preparer, publisher
):
    profile = _profile(state, agency, preparer)
    saved = services.profile_save(
        actor=publisher, profile=profile, data={"summary": "A better summary."}
    )
    assert (saved.state, saved.version) == (P.DRAFT, 2)
    assert (_state(profile), _version(profile)) == (P.DRAFT, 2)
    event = audit_events_for(profile).first()
    assert (event.action, event.from_state, event.to_state, event.message) == (
        "profile_edited",
        state,
        P.DRAFT,
        "summary",
    )


def test_a_save_that_changes_nothing_keeps_the_version_and_the_proof(agency, preparer):
    profile = _profile(P.PROOF_SENT, agency, preparer)
    saved = services.profile_save(actor=preparer, profile=profile, data={"title": profile.title})
    assert (saved.state, saved.version) == (P.PROOF_SENT, 1)
    assert _actions(profile) == []


def test_a_save_from_an_older_version_is_a_conflict(agency, preparer, publisher):
    profile = _profile(P.DRAFT, agency, preparer)
    services.profile_save(actor=publisher, profile=profile, data={"title": "First"})
    with pytest.raises(services.ProfileError, match="Someone else changed this profile"):
        services.profile_save(actor=preparer, profile=profile, data={"title": "Second"}, version=1)
    assert Profile.objects.get(pk=profile.pk).title == "First"


def test_profile_save_cleans_key_figures_and_sets_topics(agency, preparer):
    profile = _profile(P.DRAFT, agency, preparer)
    topic = services.topic_for_name(actor=preparer, name="  Peer   support ")
    services.profile_save(
        actor=preparer,
        profile=profile,
        data={"key_figures": [{"figure": " 41% ", "label": "fewer  sick days"}, {}]},
        topics=[topic],
    )
    stored = Profile.objects.get(pk=profile.pk)
    assert stored.key_figures == [{"figure": "41%", "label": "fewer sick days"}]
    assert list(stored.topics.all()) == [topic]
    assert (topic.name, topic.slug) == ("Peer support", "peer-support")


def test_topic_for_name_finds_an_existing_topic_in_any_case(preparer):
    first = services.topic_for_name(actor=preparer, name="Traffic safety")
    assert services.topic_for_name(actor=preparer, name="TRAFFIC SAFETY") == first
    assert Topic.objects.count() == 1


def test_topic_for_name_by_non_staff_is_denied(owner):
    with pytest.raises(PermissionDenied):
        services.topic_for_name(actor=owner, name="Traffic safety")
    assert not Topic.objects.exists()


# The PDF task ------------------------------------------------------------------------------


def _read_stored(name):
    return (Path(django_settings.MEDIA_ROOT) / name).read_bytes()


def test_publishing_renders_and_stores_the_pdf_of_the_current_version(
    agency, preparer, publisher, django_capture_on_commit_callbacks
):
    profile = _profile(P.AGENCY_APPROVED, agency, preparer, title="Peer Support That Stays")
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_publish(actor=publisher, profile=profile)
    stored = ProfilePdf.objects.get(profile=profile)
    data = _read_stored(stored.file.name)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.version == _version(profile) == 1
    assert stored.is_current
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= stored.pages == len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Peer Support That Stays" in text
    assert profile.agency_name in text


def test_an_edit_makes_the_stored_pdf_stale_until_the_new_one_is_rendered(
    agency, preparer, publisher, django_capture_on_commit_callbacks
):
    profile = _profile(P.AGENCY_APPROVED, agency, preparer)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_publish(actor=publisher, profile=profile)
    old = ProfilePdf.objects.get(profile=profile)
    old_name, old_sha = old.file.name, old.sha256

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.profile_save(actor=publisher, profile=profile, data={"title": "Renamed program"})
    stale = ProfilePdf.objects.select_related("profile").get(profile=profile)
    assert (stale.version, stale.profile.version) == (1, 2)
    assert not stale.is_current

    for callback in callbacks:
        callback()
    fresh = ProfilePdf.objects.select_related("profile").get(profile=profile)
    assert fresh.version == 2
    assert fresh.is_current
    assert fresh.sha256 != old_sha
    assert fresh.sha256 == hashlib.sha256(_read_stored(fresh.file.name)).hexdigest()
    assert not (Path(django_settings.MEDIA_ROOT) / old_name).exists()


def test_the_pdf_task_stores_nothing_for_a_profile_that_is_not_published(agency, preparer):
    profile = _profile(P.DRAFT, agency, preparer)
    result = render_profile_pdf.enqueue(str(profile.pk))
    assert result.return_value is None
    assert not ProfilePdf.objects.exists()


# Creating profiles -------------------------------------------------------------------------


def _decided(state, **kwargs):
    return factories.NominationFactory(
        complete=True, state=state, submitted_at=timezone.now(), **kwargs
    )


def test_profiles_create_for_cycle_makes_a_draft_for_each_finalist_and_winner(preparer):
    cycle = factories.CycleFactory()
    finalist, winner = _decided(S.FINALIST, cycle=cycle), _decided(S.WINNER, cycle=cycle)
    _decided(S.NOT_SELECTED, cycle=cycle)
    _decided(S.FINALIST)  # another cycle
    created = services.profiles_create_for_cycle(actor=preparer, cycle=cycle)
    assert {(p.nomination, p.award, p.state) for p in created} == {
        (finalist, Award.FINALIST, P.DRAFT),
        (winner, Award.WINNER, P.DRAFT),
    }
    profile = Profile.objects.get(nomination=winner)
    assert (profile.title, profile.agency_name, profile.year) == (
        winner.title,
        winner.agency.name,
        cycle.year,
    )
    assert services.profiles_create_for_cycle(actor=preparer, cycle=cycle) == []
    assert Profile.objects.count() == 2


def test_profiles_create_for_cycle_by_non_staff_is_denied(owner):
    cycle = factories.CycleFactory()
    _decided(S.FINALIST, cycle=cycle)
    with pytest.raises(PermissionDenied):
        services.profiles_create_for_cycle(actor=owner, cycle=cycle)
    assert not Profile.objects.exists()


def test_releasing_decisions_creates_a_draft_profile_for_finalists_and_winners(preparer):
    category = factories.CategoryFactory()
    finalist, winner, declined = (
        _decided(S.REVIEWED, cycle=category.cycle, category=category) for _ in range(3)
    )
    for nomination, outcome in [
        (finalist, Outcome.FINALIST),
        (winner, Outcome.WINNER),
        (declined, Outcome.NOT_SELECTED),
    ]:
        review_services.decision_stage(actor=preparer, nomination=nomination, outcome=outcome)
    review_services.decisions_release(actor=preparer, cycle=category.cycle)
    assert sorted(Profile.objects.values_list("nomination", "award", "state")) == sorted(
        [(finalist.pk, Award.FINALIST, P.DRAFT), (winner.pk, Award.WINNER, P.DRAFT)]
    )


# Media ---------------------------------------------------------------------------------


def _gps_jpeg(size=(2000, 1000)):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (38.0, 53.0, 23.0), 3: "W", 4: (77.0, 2.0, 11.0)})
    return image_bytes("JPEG", size=size, exif=exif)


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
    assert sorted(image.renditions, key=int) == ["480", "960", "1600"]
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
    assert widths == {"480": 480, "960": 800}


def test_removing_an_image_deletes_its_files(world, preparer, django_capture_on_commit_callbacks):
    profile, photo = world["profile"], world["photo"]
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_images(
            actor=preparer, profile=profile, choices=[{"evidence": photo, "alt_text": "Officers"}]
        )
    assert len(_media_files()) == 4  # the image and its three sizes
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


def test_a_new_profile_lists_each_outcome_with_its_measure(staff):
    outcome = {
        "metric": "Sick days after incidents",
        "before": "12",
        "after": "7",
        "period": "2024",
    }
    nomination = factories.NominationFactory(complete=True, outcomes=[outcome])
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.WINNER)
    nomination.refresh_from_db()
    profile = services.profile_create_for(actor=staff, nomination=nomination)
    assert "- Sick days after incidents: 12 → 7 (2024)" in profile.results


def test_only_staff_create_a_profile(db):
    nomination = factories.NominationFactory(complete=True)
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.WINNER)
    nomination.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.profile_create_for(actor=factories.UserFactory(), nomination=nomination)
    assert not Profile.objects.filter(nomination=nomination).exists()
