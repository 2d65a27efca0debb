"""The demo's public library: past programs imported, last year's finalists and winners prepared.

- History: `dz_awards/profiles/data/history_sample.csv` (thirteen fictional
  programs, 2019 to 2025, every category, agencies of every size band and
  several types) goes through the history import, as an operator's
  `manage.py import_history` would, and each imported profile gets a picture.
- Last year's cycle: releasing the decisions gave each released finalist and
  winner a draft profile. Staff (staff@example.org) write its public copy
  (results, key figures, topics, the winner's video link) and add a picture,
  then the profiles are taken through the lifecycle by the services, one at
  each step: a draft, a proof waiting for the demo agency (agency@example.org),
  one the agency approved and a second staff member (staff2@example.org) may
  publish, published ones, and a retracted one. Publishing is done by that
  second staff member, as the two-person rule requires.

Pictures: a nomination image the agency shared is used when there is one
(through `profile_set_images`); the demo's past nominations have none, so a
poster is drawn (`dz_awards.demo.images`) and stored as a ProfileImage
directly: the media service only takes the nomination's own files. It is
re-encoded by the same code as uploads, and its sizes are made at once, so
the library is complete when the demo returns.

PDF summaries are queued by the services after commit: the background worker
of `make run` renders them (the test backend renders them at commit). Nothing
here waits for them. Idempotent: the import skips programs it already has,
and a nomination's profile is prepared only while it is an untouched draft.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dz_awards.core.services import audit_record
from dz_awards.demo import images
from dz_awards.demo.content.past_nominations import PAST_NOMINATIONS
from dz_awards.demo.content.profiles import DEFAULT_LOOK, DEMO_PROFILES, LOOKS, public_copy
from dz_awards.demo.content.reviews import OWNERS
from dz_awards.demo.content.world import STAFF, STAFF_2
from dz_awards.demo.loaders.outbox import emails_already_sent
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.profiles import history, services
from dz_awards.profiles import images as profile_images
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.library import library_changed
from dz_awards.profiles.models import Profile, ProfileImage
from dz_awards.profiles.tasks import render_profile_pdf

P = ProfileState


def load_demo_profiles(*, past, users):
    """Add the demo library. Must run in a transaction (the demo's own)."""
    staff, publisher = users[STAFF], users[STAFF_2]
    # The proofs were sent in the demo's past: the worker is not to send them now.
    with emails_already_sent():
        _load_history(staff)
        _prepare_last_year(past, staff, publisher)


# History ----------------------------------------------------------------------------


def _load_history(staff):
    """Import the sample history as an operator would; give each program a picture."""
    report = history.import_history(history.SAMPLE_CSV.read_bytes(), actor=staff)
    for _row, profile in report.created:
        _add_picture(profile, staff, just_created=True)
    for _row, profile in report.existing:
        if profile.imported and not profile.images.exists():
            _add_picture(profile, staff, just_created=False)


# Last year's finalists and winners ---------------------------------------------------


def _prepare_last_year(past, staff, publisher):
    """Prepare the released finalists' and winners' draft profiles, one per lifecycle step."""
    services.profiles_create_for_cycle(actor=staff, cycle=past)
    specs = {spec.title: spec for spec in PAST_NOMINATIONS}
    profiles = Profile.objects.filter(nomination__cycle=past).select_related("nomination", "agency")
    by_title = {profile.nomination.title: profile for profile in profiles}
    for demo in DEMO_PROFILES:
        profile = by_title.get(demo.title)
        if profile is None or profile.state != P.DRAFT or profile.version != 1:
            continue  # not released (an older demo database), or prepared already
        owner = get_user_model().objects.get(email=OWNERS[specs[demo.title].agency])
        _prepare(profile, demo, specs[demo.title], staff=staff, owner=owner, publisher=publisher)


def _prepare(profile, demo, spec, *, staff, owner, publisher):
    """Staff write the copy and add a picture; then proof, approval, publication, retraction."""
    topics = [services.topic_for_name(actor=staff, name=name) for name in demo.topics]
    profile = services.profile_save(
        actor=staff,
        profile=profile,
        data=public_copy(demo, spec, award=profile.award, slug=profile.slug),
        topics=topics,
    )
    _picture(profile, staff)
    if demo.ends_at == P.DRAFT:
        return
    profile = services.profile_send_proof(actor=staff, profile=profile)
    if demo.ends_at == P.PROOF_SENT:
        return
    profile = services.profile_approve(user=owner, profile=profile)
    if demo.ends_at == P.AGENCY_APPROVED:
        return
    profile = services.profile_publish(actor=publisher, profile=profile)
    if demo.ends_at == P.RETRACTED:
        services.profile_retract(actor=staff, profile=profile, reason=demo.retract_reason)


def _picture(profile, staff):
    """The nomination's first shared image when it has one, else a drawn poster."""
    evidence = services.media_evidence(profile, EvidenceKind.IMAGE).first()
    if evidence is None:
        _add_picture(profile, staff, just_created=False)
        return
    alt_text = evidence.description or f"A picture from {profile.agency_name}'s nomination."
    services.profile_set_images(
        actor=staff,
        profile=profile,
        choices=[{"evidence": evidence, "alt_text": alt_text[:300], "position": 0}],
    )
    for image in profile.images.all():
        services.profile_image_make_renditions(image.pk)


def _add_picture(profile, actor, *, just_created):
    """Store a drawn poster as the profile's first image and make its sizes.

    A profile made in this same transaction is left at its version (its PDF,
    queued after commit, shows the picture); any other is edited as the media
    service would: version bumped, audited, PDF queued again when published.
    """
    # No profiles service adds a picture that is not one of the nomination's files,
    # so the row is written here and the edit recorded as that service records one.
    look = LOOKS.get(profile.category_code, DEFAULT_LOOK)
    data, width, height = profile_images.public_jpeg(
        images.library_poster_png(profile.title, profile.agency_name, look),
        max_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS,
    )
    row = ProfileImage(
        profile=profile,
        extension=".jpg",
        width=width,
        height=height,
        alt_text=images.library_poster_alt_text(profile.title, profile.agency_name, look),
        position=0,
    )
    row.file.save("public.jpg", ContentFile(data), save=False)
    row.save()
    services.profile_image_make_renditions(row.pk)
    if just_created:
        return
    profile = Profile.objects.select_for_update(of=("self",)).get(pk=profile.pk)
    profile.version += 1
    profile.updated_at = timezone.now()
    profile.updated_by = actor
    profile.save(update_fields=["version", "updated_at", "updated_by"])
    if profile.state == P.PUBLISHED:
        library_changed()
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_images_changed",
        to_state=profile.state,
        message=f"added {row.alt_text[:60]}",
    )
    if profile.state == P.PUBLISHED:
        pk = str(profile.pk)
        transaction.on_commit(lambda: render_profile_pdf.enqueue(pk))
