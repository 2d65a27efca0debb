"""Demo public library: past programs imported, last year's finalists and winners prepared.

- History: `dz_awards/profiles/data/history_sample.csv` (thirteen fictional
  programs, 2019 to 2025, every category, agencies of every size band and
  several types) goes through the history import, as an operator's
  `manage.py import_history` would, and each imported profile gets a picture.
- Last year's cycle: decisions_release gave each released finalist and winner a
  draft profile. Staff (staff@example.org) write its public copy (results,
  key figures, topics, the winner's video link) and add a picture, then the
  profiles are taken through the lifecycle by the services, one at each step:
  a draft, a proof waiting for the demo agency (agency@example.org), one the
  agency approved and a second staff member (staff2@example.org) may publish,
  published ones, and a retracted one. Publishing is done by that second staff
  member, as the two-person rule requires.

Pictures: a nomination image the agency shared is used when there is one
(through `profile_set_images`); the demo's past nominations have none, so a
simple poster is drawn with Pillow and stored as a ProfileImage directly (the
media service only takes the nomination's own files), re-encoded by the same
code as uploads. Its sizes are made at once, so the library is complete when
the demo returns.

PDF summaries are queued by the services after commit: the background worker
of `make run` renders them (the test backend renders them at commit). Nothing
here waits for them. Idempotent: the import skips programs it already has,
and a nomination's profile is prepared only while it is an untouched draft.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from PIL import Image, ImageDraw

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from dz_awards.core.services import audit_record
from dz_awards.demo.nominations import EMBLEMS, _draw_emblem, _font, _gradient, _wrap
from dz_awards.demo.reviews import OWNERS, PAST_NOMINATIONS
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.profiles import history, images, services
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, ProfileImage
from dz_awards.profiles.tasks import render_profile_pdf

P = ProfileState


@dataclass(frozen=True)
class Look:
    top: tuple
    bottom: tuple
    colour: str
    emblem: str


# One look per category, dark enough for white words (contrast above 4.5:1).
LOOKS = {
    "general-officer-safety": Look((22, 64, 122), (10, 32, 66), "dark blue", "shield"),
    "officer-traffic-safety": Look((150, 70, 10), (92, 36, 6), "dark orange", "road"),
    "officer-wellness": Look((10, 105, 100), (4, 58, 56), "dark teal", "heart"),
    "comprehensive-safety": Look((128, 24, 40), (70, 12, 22), "dark red", "check"),
    "comprehensive-wellness": Look((84, 40, 124), (44, 18, 70), "dark purple", "cross"),
}
DEFAULT_LOOK = Look((52, 58, 64), (22, 26, 30), "dark grey", "shield")


@dataclass(frozen=True)
class DemoProfile:
    """How far one of last year's profiles goes, and the copy staff write for it."""

    title: str  # the past nomination's title
    ends_at: str
    topics: tuple
    results: str
    retract_reason: str = ""


DEMO_PROFILES = (
    DemoProfile(
        "Every Call a Briefing: Pre-Shift Threat Reviews",
        P.PUBLISHED,
        ("Threat information", "Roll call"),
        "Officers now arrive at a dangerous address knowing what happened there before, "
        "and they wait for a cover unit. Assaults at flagged addresses fell by two thirds.",
    ),
    DemoProfile(
        "Bayview Body Armor Compliance Audits",
        P.PUBLISHED,
        ("Body armor",),
        "Within a year every vest in service was within its warranty, and random checks "
        "found nearly every officer wearing one, in summer too.",
    ),
    DemoProfile(
        "Marlow County Rural Roads Safety Plan",
        P.PUBLISHED,
        ("Driving safety", "Rural policing"),
        "Patrol crashes on the county's rural roads fell from about ten a year to three, "
        "and one deputy was hurt in two years instead of nine in three.",
    ),
    DemoProfile(
        "Whole-Officer Wellness Plan",
        P.PUBLISHED,
        ("Fitness", "Mental health", "Family support"),
        "Most officers now use at least one wellness service, and sick hours fell by a "
        "third in two years.",
    ),
    DemoProfile(
        "Family Resilience Academy",
        P.AGENCY_APPROVED,
        ("Family support", "Mental health"),
        "Four times as many family members now use the assistance program, and families "
        "say they know where to get help.",
    ),
    DemoProfile(
        "Riverton Safety Officer Program",
        P.PROOF_SENT,
        ("Safety officer", "Injury review"),
        "Officer injuries fell from 47 to 26 a year, and work days lost to injury by more "
        "than half.",
    ),
    DemoProfile(
        "Peer Support and Chaplaincy Network",
        P.RETRACTED,
        ("Peer support", "Mental health"),
        "Almost every deputy involved in a critical incident is now contacted within a day, "
        "and stress-related resignations fell from five to one.",
        retract_reason=(
            "The sheriff's office asked us to take it down while the network is reorganised "
            "under a new chaplain; it will be prepared again."
        ),
    ),
    DemoProfile(
        "Sleep and Shift-Length Reform",
        P.DRAFT,
        ("Fatigue and sleep",),
        "The longest shift of a deputy's week is now under twelve hours on average, and "
        "half as many deputies sleep under six hours before a shift.",
    ),
)
SECOND_STAFF = "staff2@example.org"


def load_demo_profiles(*, past, users):
    """Add the demo library. Must run in a transaction (the demo's own)."""
    staff, publisher = users["staff@example.org"], users[SECOND_STAFF]
    emails_before = OutboxEmail.objects.aggregate(last=Max("id"))["last"] or 0
    _load_history(staff)
    _prepare_last_year(past, staff, publisher)
    # The proofs were sent in the demo's past: the worker is not to send them now.
    OutboxEmail.objects.filter(id__gt=emails_before, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENT, sent_at=timezone.now()
    )


# History ----------------------------------------------------------------------------


def _load_history(staff):
    report = history.import_history(history.SAMPLE_CSV.read_bytes(), actor=staff)
    for _row, profile in report.created:
        _add_picture(profile, staff, just_created=True)
    for _row, profile in report.existing:
        if profile.imported and not profile.images.exists():
            _add_picture(profile, staff, just_created=False)


# Last year's finalists and winners ---------------------------------------------------


def _prepare_last_year(past, staff, publisher):
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


def _copy(profile, demo, spec):
    figures = [
        {"figure": after, "label": f"{metric} (was {before})"}
        for metric, before, after in spec.outcomes
    ]
    lines = "\n".join(
        f"- **{metric}**: {before} before, {after} after."
        for metric, before, after in spec.outcomes
    )
    data = {
        "results": f"{demo.results}\n\n{lines}\n\nMeasured from the agency's own records, "
        "the year before launch against the last twelve months.",
        "key_figures": figures,
    }
    if profile.award == "winner":
        data["video_url"] = f"https://video.example.org/destination-zero/{profile.slug}"
    return data


def _prepare(profile, demo, spec, *, staff, owner, publisher):
    topics = [services.topic_for_name(actor=staff, name=name) for name in demo.topics]
    profile = services.profile_save(
        actor=staff, profile=profile, data=_copy(profile, demo, spec), topics=topics
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


# Pictures ---------------------------------------------------------------------------


def poster(title, agency_name, look):
    """A 960 by 540 PNG: a gradient, faint stripes, an emblem and the program's title."""
    image = _gradient((960, 540), look.top, look.bottom).convert("RGBA")
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for x in range(-540, 960, 72):
        shapes.line([(x, 0), (x + 540, 540)], fill=(255, 255, 255, 18), width=14)
    shapes.ellipse([640, -160, 1120, 320], fill=(255, 255, 255, 20))
    image = Image.alpha_composite(image, overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    cx, cy, r = 170, 270, 120
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=8)
    _draw_emblem(draw, look.emblem, cx, cy, r)
    big, small = _font(44), _font(24)
    lines = _wrap(draw, title, big, 560)[:4]
    y = 270 - len(lines) * 28
    for line in lines:
        draw.text((340, y), line, font=big, fill=(255, 255, 255))
        y += 56
    draw.text((340, y + 16), agency_name, font=small, fill=(235, 235, 235))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def poster_alt_text(title, agency_name, look):
    return (
        f"Poster: {EMBLEMS[look.emblem]} in a circle beside the words “{title}” and "
        f"“{agency_name}”, on a {look.colour} background."
    )[:300]


def _add_picture(profile, actor, *, just_created):
    """Store a drawn poster as the profile's first image and make its sizes.

    A profile made in this same transaction is left at its version (its PDF,
    queued after commit, shows the picture); any other is edited as the media
    service would: version bumped, audited, PDF queued again when published.
    """
    look = LOOKS.get(profile.category_code, DEFAULT_LOOK)
    data, width, height = images.public_jpeg(
        poster(profile.title, profile.agency_name, look),
        max_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS,
    )
    row = ProfileImage(
        profile=profile,
        extension=".jpg",
        width=width,
        height=height,
        alt_text=poster_alt_text(profile.title, profile.agency_name, look),
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
