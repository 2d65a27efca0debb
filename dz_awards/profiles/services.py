"""Every change to a profile. Views, tasks and commands call these; nothing else writes.

Each lifecycle service locks the profile's row, checks permission and state
(`dz_awards.core.fsm.make_transition`), saves with `update_fields`, records an
audit event and queues email and PDF work after commit. Every edit of what the
public sees bumps `version`; a PDF is served only for the version it shows, so
a stale PDF is never served after an edit.
"""

import hashlib
from functools import partial

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.services import agency_email_members
from dz_awards.core.fsm import make_transition
from dz_awards.core.services import audit_record, site_url
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from dz_awards.nominations.selectors import evidence_of_revision
from dz_awards.profiles import images
from dz_awards.profiles.enums import EDITABLE_STATES, Award, ProfileState
from dz_awards.profiles.models import (
    Profile,
    ProfileImage,
    ProfilePdf,
    ProfileResource,
    Topic,
)

P = ProfileState

# The fields staff edit on the public copy (the form's fields, in order).
COPY_FIELDS = [
    "title",
    "summary",
    "need",
    "approach",
    "results",
    "key_figures",
    "durability",
    "replicability",
    "cost_funding",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
    "video_url",
]
BODY_FIELDS = ["need", "approach", "results", "durability", "replicability", "cost_funding"]


class ProfileError(Exception):
    """A profile change that cannot be made now; the message says why, in plain words."""


def _locked(profile):
    return Profile.objects.select_for_update(of=("self",)).get(pk=profile.pk)


def _transition(profile, method_name, user, *, busy):
    return make_transition(profile, method_name, user, busy_message=busy, error=ProfileError)


def _require_staff(user):
    if not is_program_staff(user):
        raise PermissionDenied


def _require_editable(profile, version=None):
    """The locked `profile` may be edited now, from `version` if one is named."""
    if profile.state not in EDITABLE_STATES:
        raise ProfileError(
            f"This profile is {profile.get_state_display().lower()}: reopen it to edit."
        )
    if version is not None and int(version) != profile.version:
        raise ProfileError(
            "Someone else changed this profile since you opened it. Your changes are not "
            "saved: copy what you need, reload the page, and make them again."
        )


def unique_slug(*parts, exclude_pk=None):
    """A slug from `parts`, made unique with -2, -3… (at most 120 characters)."""
    base = slugify(" ".join(str(p) for p in parts if p))[:110].strip("-") or "program"
    slug, number = base, 1
    others = Profile.objects.exclude(pk=exclude_pk) if exclude_pk else Profile.objects.all()
    while others.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def refresh_search(profile_pk):
    """Rebuild the full-text vector (PostgreSQL): title A, summary B, body C."""
    if connection.vendor != "postgresql":
        return
    Profile.objects.filter(pk=profile_pk).update(
        search_vector=SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector(*BODY_FIELDS, weight="C", config="english")
    )


def _queue_pdf(profile):
    # The task module imports this one; importing it at call time avoids the cycle.
    from dz_awards.profiles.tasks import render_profile_pdf  # noqa: PLC0415

    profile_pk = str(profile.pk)
    transaction.on_commit(lambda: render_profile_pdf.enqueue(profile_pk))


def _join(*texts):
    return "\n\n".join(t.strip() for t in texts if t and t.strip())


def _outcome_line(row):
    """One outcome row as "Measure: before → after (period)"."""
    metric, before, after, period = (
        " ".join(str(row.get(key) or "").split()) for key in ("metric", "before", "after", "period")
    )
    change = " → ".join(value for value in (before, after) if value)
    line = ": ".join(value for value in (metric, change) if value)
    return f"{line} ({period})" if line and period else line


def _results_text(nomination):
    lines = [_outcome_line(row) for row in nomination.outcomes or [] if isinstance(row, dict)]
    bullet_list = "\n".join(f"- {line}" for line in lines if line)
    return _join(nomination.goals, bullet_list, nomination.participation_rates)


@transaction.atomic
def profile_create_for(*, actor, nomination):
    """A draft profile for a finalist or winner, started from what the agency wrote.

    Idempotent: a nomination that has a profile keeps it (its award follows the
    nomination). Returns the profile.
    """
    _require_staff(actor)
    if nomination.state not in (NominationState.FINALIST, NominationState.WINNER):
        raise ProfileError("Only finalists and winners get a public profile.")
    award = Award.WINNER if nomination.state == NominationState.WINNER else Award.FINALIST
    existing = Profile.objects.select_for_update().filter(nomination=nomination).first()
    if existing is not None:
        if existing.award != award:
            existing.award = award
            existing.save(update_fields=["award"])
        return existing
    agency, cycle, category = nomination.agency, nomination.cycle, nomination.category
    profile = Profile(
        nomination=nomination,
        slug=unique_slug(cycle.year, agency.name, nomination.title),
        award=award,
        year=cycle.year,
        category_code=category.code if category else "",
        category_label=category.label if category else "",
        agency=agency,
        agency_name=agency.name,
        city=agency.city,
        state_code=agency.state,
        agency_type=agency.agency_type,
        sworn_officers=agency.sworn_officers,
        title=nomination.title.strip()[:300] or "Untitled program",
        summary=nomination.summary,
        need=_join(nomination.problem, nomination.data_before),
        approach=_join(
            nomination.description, nomination.implementation, nomination.policy_training
        ),
        results=_results_text(nomination),
        durability=_join(nomination.sustainability, nomination.integration),
        replicability=_join(nomination.advice, nomination.resources_needed),
        cost_funding=nomination.cost_funding,
        contact_name=agency.contact_name,
        contact_title=agency.contact_title,
        contact_email=agency.contact_email,
        contact_phone=agency.contact_phone,
        updated_by=actor,
    )
    profile.save()
    refresh_search(profile.pk)
    audit_record(actor=actor, obj=profile, action="profile_created", to_state=profile.state)
    return profile


@transaction.atomic
def profile_save(*, actor, profile, data, topics=None, version=None):
    """Save staff edits of the public copy.

    Steps: lock; staff only; in an editable state; the version the editor
    started from (`version`, when given) is still the current one, else a
    conflict; clean the key figures; an edit after the proof was sent takes
    the profile back to draft (the agency approves what is published); bump
    the version; refresh search; audit; a published profile's PDF is rendered
    again after commit (until then the old one is not served).
    """
    _require_staff(actor)
    profile = _locked(profile)
    _require_editable(profile, version)
    changed = [
        name for name in COPY_FIELDS if name in data and data[name] != getattr(profile, name)
    ]
    topics_changed = topics is not None and {t.pk for t in topics} != set(
        profile.topics.values_list("pk", flat=True)
    )
    if not changed and not topics_changed:
        return profile
    for name in changed:
        setattr(profile, name, data[name])
    profile.key_figures = clean_key_figures(profile.key_figures)
    from_state = profile.state
    if profile.state in (P.PROOF_SENT, P.AGENCY_APPROVED):
        profile.reopen()
    profile.version += 1
    profile.updated_at = timezone.now()
    profile.updated_by = actor
    profile.save(
        update_fields=[*changed, "key_figures", "state", "version", "updated_at", "updated_by"]
    )
    if topics_changed:
        profile.topics.set(topics)
    refresh_search(profile.pk)
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_edited",
        from_state=from_state,
        to_state=profile.state,
        message=", ".join(changed + (["topics"] if topics_changed else [])),
    )
    if profile.state == P.PUBLISHED:
        _queue_pdf(profile)
    return profile


def clean_key_figures(rows):
    """Key figures as [{"figure", "label"}], blanks dropped; anything else is refused."""
    if not isinstance(rows, list):
        raise ValidationError("Key figures must be a list.")
    cleaned = []
    for row in rows:
        if not isinstance(row, dict):
            raise ValidationError("Each key figure needs a figure and a label.")
        figure = " ".join(str(row.get("figure", "")).split())[:40]
        label = " ".join(str(row.get("label", "")).split())[:200]
        if figure or label:
            cleaned.append({"figure": figure, "label": label})
    return cleaned[:8]


@transaction.atomic
def profile_send_proof(*, actor, profile):
    """Draft → proof sent: the agency is emailed a link to the proof (page and PDF).

    The sender becomes the preparer, who may not publish it (two-person rule).
    """
    profile = _locked(profile)
    from_state = _transition(
        profile, "send_proof", actor, busy="This profile is {state}: no proof can be sent now."
    )
    if profile.agency_id is None:
        raise ProfileError("This profile has no agency account to approve a proof.")
    profile.prepared_by = actor
    profile.proof_sent_at = timezone.now()
    profile.agency_comment = ""
    profile.save(update_fields=["state", "prepared_by", "proof_sent_at", "agency_comment"])
    audit_record(
        actor=actor, obj=profile, action="proof_sent", from_state=from_state, to_state=profile.state
    )
    agency_email_members(
        profile.agency,
        key=f"profile-proof:{profile.pk}:{profile.version}",
        subject=f"Please approve your public profile: {profile.title}",
        template="profiles/email/proof.txt",
        context={"profile": profile, "url": site_url(profile_proof_path(profile))},
    )
    return profile


def profile_proof_path(profile):
    return reverse("profiles:proof", kwargs={"pk": profile.pk})


@transaction.atomic
def profile_approve(*, user, profile):
    """Proof sent → agency approved, by a member of the profile's agency."""
    profile = _locked(profile)
    from_state = _transition(
        profile, "approve", user, busy="This profile is {state}: there is no proof to approve."
    )
    profile.approved_by = user
    profile.approved_at = timezone.now()
    profile.save(update_fields=["state", "approved_by", "approved_at"])
    audit_record(
        actor=user,
        obj=profile,
        action="proof_approved",
        from_state=from_state,
        to_state=profile.state,
    )
    return profile


@transaction.atomic
def profile_request_changes(*, user, profile, comment):
    """Proof sent → draft, with the agency's comment for staff."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Say what should change.")
    if len(comment) > 5000:
        raise ValidationError("Keep the comment under 5,000 characters.")
    profile = _locked(profile)
    from_state = _transition(
        profile,
        "request_changes",
        user,
        busy="This profile is {state}: there is no proof to comment on.",
    )
    profile.agency_comment = comment
    profile.save(update_fields=["state", "agency_comment"])
    audit_record(
        actor=user,
        obj=profile,
        action="proof_changes_requested",
        from_state=from_state,
        to_state=profile.state,
        message=comment,
    )
    return profile


@transaction.atomic
def profile_publish(*, actor, profile):
    """Agency approved → published, by staff other than the preparer.

    After commit: the PDF summary is rendered; until it is, the PDF URL says so.
    """
    profile = _locked(profile)
    if is_program_staff(actor) and profile.prepared_by_id == actor.pk:
        raise ProfileError(
            "You prepared this proof, so another staff member must publish it (two-person rule)."
        )
    from_state = _transition(
        profile, "publish", actor, busy="This profile is {state}: it cannot be published now."
    )
    now = timezone.now()
    profile.published_by = actor
    profile.published_at = now
    profile.first_published_at = profile.first_published_at or now
    profile.retracted_at = None
    profile.save(
        update_fields=[
            "state",
            "published_by",
            "published_at",
            "first_published_at",
            "retracted_at",
        ]
    )
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_published",
        from_state=from_state,
        to_state=profile.state,
    )
    _queue_pdf(profile)
    return profile


@transaction.atomic
def profile_retract(*, actor, profile, reason):
    """Published → retracted: gone from every public channel at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for retracting (staff only see it).")
    profile = _locked(profile)
    from_state = _transition(
        profile,
        "retract",
        actor,
        busy="This profile is {state}: only a published one is retracted.",
    )
    profile.retracted_at = timezone.now()
    profile.retract_reason = reason
    profile.save(update_fields=["state", "retracted_at", "retract_reason"])
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_retracted",
        from_state=from_state,
        to_state=profile.state,
        message=reason,
    )
    return profile


@transaction.atomic
def profile_reopen(*, actor, profile):
    """Back to draft (from a proof, an approval or a retraction) to prepare it again."""
    profile = _locked(profile)
    from_state = _transition(
        profile, "reopen", actor, busy="This profile is {state}: it cannot go back to draft."
    )
    profile.save(update_fields=["state"])
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_reopened",
        from_state=from_state,
        to_state=profile.state,
    )
    return profile


@transaction.atomic
def profile_rerender_pdf(*, actor, profile):
    """Staff ask for a published profile's PDF to be made again (after a failure)."""
    _require_staff(actor)
    profile = _locked(profile)
    if profile.state != P.PUBLISHED:
        raise ProfileError("Only a published profile has a PDF summary to make.")
    audit_record(actor=actor, obj=profile, action="pdf_render_requested")
    _queue_pdf(profile)
    return profile


def profile_render_pdf(profile_pk):
    """Render and store the PDF of the profile's current version (background task).

    The version is read before rendering and the result is stored only if the
    profile has not been edited meanwhile (a newer task renders that version).
    Returns the stored ProfilePdf, or None when nothing was stored.
    """
    from dz_awards.profiles import pdf  # noqa: PLC0415 - WeasyPrint loads only for this task

    profile = Profile.objects.filter(pk=profile_pk, state=P.PUBLISHED).first()
    if profile is None:
        return None
    version = profile.version
    try:
        data, pages = pdf.render(profile)
    except pdf.PdfRenderError as error:
        # Staff see why on the profile and can render it again; the task fails too.
        Profile.objects.filter(pk=profile_pk, version=version).update(
            pdf_error=str(error)[:500], pdf_error_version=version
        )
        raise
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        current = (
            Profile.objects.select_for_update(of=("self",))
            .filter(pk=profile_pk, version=version)
            .first()
        )
        if current is None:
            return None
        stored = ProfilePdf.objects.filter(profile=current).first()
        old_name = stored.file.name if stored else None
        stored = stored or ProfilePdf(profile=current)
        stored.file.save(f"{current.slug}-{digest[:12]}.pdf", ContentFile(data), save=False)
        stored.sha256 = digest
        stored.version = version
        stored.pages = pages
        stored.save()
        Profile.objects.filter(pk=profile_pk).update(pdf_error="", pdf_error_version=None)
    if old_name and old_name != stored.file.name:
        stored.file.storage.delete(old_name)
    return stored


# ======================================================================================
# Media: the public images and resources of a profile, and its topics.
#
# A public image or resource is always a new file made from the chosen evidence
# (`dz_awards.profiles.images`), never the private file itself. Choosing media
# is an edit of what the public sees: it follows the rules of `profile_save`
# (editable states, back to draft after the proof, version bumped, PDF
# re-rendered when published). Files no longer used are deleted after commit.
# ======================================================================================

MAX_IMAGES = 12
MAX_RESOURCES = 12
ALT_TEXT_LIMIT = 300
CAPTION_LIMIT = 300
RESOURCE_TITLE_LIMIT = 200


def media_evidence(profile, kind):
    """The nomination's ready files of `kind` in its latest submission: what may go public."""
    if profile.nomination_id is None:
        return Evidence.objects.none()
    latest = profile.nomination.revisions.order_by("-number").first()
    if latest is None:
        return Evidence.objects.none()
    return evidence_of_revision(latest).filter(kind=kind, status=EvidenceStatus.READY)


def _media_edited(profile, actor, *, action, message):
    """What every media change does to its (locked) profile once something changed."""
    from_state = profile.state
    if profile.state in (P.PROOF_SENT, P.AGENCY_APPROVED):
        profile.reopen()
    profile.version += 1
    profile.updated_at = timezone.now()
    profile.updated_by = actor
    profile.save(update_fields=["state", "version", "updated_at", "updated_by"])
    audit_record(
        actor=actor,
        obj=profile,
        action=action,
        from_state=from_state,
        to_state=profile.state,
        message=message,
    )
    if profile.state == P.PUBLISHED:
        _queue_pdf(profile)


def _delete_after_commit(storage, names):
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _position(value):
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError("The order must be a whole number.") from None
    if not 0 <= number <= 999:
        raise ValidationError("The order must be between 0 and 999.")
    return number


def _target(choice, existing, by_source, allowed, *, key, what):
    """(existing row or None, evidence or None) for one choice; refuses strangers."""
    if choice.get(key) is not None:
        row = existing.get(choice[key].pk)
        if row is None:
            raise ValidationError(f"That {what} is not part of this profile.")
        return row, None
    evidence = choice.get("evidence")
    if evidence is not None and evidence.pk in by_source:
        return by_source[evidence.pk], None
    if evidence is None or evidence.pk not in allowed:
        raise ValidationError(
            f"That file cannot become a public {what}: only ready files of the latest "
            "submission can."
        )
    return by_source.get(evidence.pk), allowed[evidence.pk]


def _public_file_saved(row, data, written):
    row.file.save(f"public{row.extension}", ContentFile(data), save=False)
    written.append(row.file.name)


def _undo_files(storage, written):
    for name in written:
        storage.delete(name)


def _image_fields(choice):
    """(alt text, caption, position) of one image choice, checked."""
    alt_text = " ".join(str(choice.get("alt_text") or "").split())
    caption = " ".join(str(choice.get("caption") or "").split())
    if not alt_text:
        raise ValidationError("Each chosen image needs its alternative text: say what it shows.")
    if len(alt_text) > ALT_TEXT_LIMIT or len(caption) > CAPTION_LIMIT:
        raise ValidationError(
            f"Keep alternative text and captions under {ALT_TEXT_LIMIT} characters."
        )
    return alt_text, caption, _position(choice.get("position"))


def _new_public_image(profile, evidence, written):
    """An unsaved ProfileImage holding a clean JPEG copy of `evidence` (file stored)."""
    with evidence.file.open("rb") as handle:
        try:
            data, width, height = images.public_jpeg(
                handle.read(), max_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS
            )
        except images.MediaError as error:
            raise ProfileError(f"{evidence.original_name}: {error}") from error
    row = ProfileImage(
        profile=profile, source=evidence, extension=".jpg", width=width, height=height
    )
    _public_file_saved(row, data, written)
    return row


def profile_set_images(*, actor, profile, choices, version=None):
    """Set the profile's public images to `choices`, in order.

    Each choice is a dict: `evidence` (a ready image of the nomination's latest
    submission) or `image` (one of the profile's images, kept as it is), with
    `alt_text` (required), `caption` and `position`. An image chosen for the
    first time is re-encoded as a clean JPEG now, and its sizes are made in the
    background; images left out are deleted with their files. Returns the profile.
    """
    _require_staff(actor)
    storage = ProfileImage._meta.get_field("file").storage
    written, queued = [], []
    try:
        with transaction.atomic():
            profile = _locked(profile)
            _require_editable(profile, version)
            if len(choices) > MAX_IMAGES:
                raise ValidationError(f"Choose at most {MAX_IMAGES} images.")
            existing = {row.pk: row for row in profile.images.all()}
            by_source = {row.source_id: row for row in existing.values() if row.source_id}
            allowed = {e.pk: e for e in media_evidence(profile, EvidenceKind.IMAGE)}
            kept, changed, seen = set(), [], set()
            for choice in choices:
                alt_text, caption, position = _image_fields(choice)
                row, evidence = _target(
                    choice, existing, by_source, allowed, key="image", what="image"
                )
                marker = row.pk if row else evidence.pk
                if marker in seen:
                    raise ValidationError("Each image can be chosen once.")
                seen.add(marker)
                if row is None:
                    row = _new_public_image(profile, evidence, written)
                    row.alt_text, row.caption, row.position = alt_text, caption, position
                    row.save()
                    queued.append(str(row.pk))
                    changed.append(f"added {alt_text[:60]}")
                else:
                    kept.add(row.pk)
                    new = (alt_text, caption, position)
                    if (row.alt_text, row.caption, row.position) != new:
                        row.alt_text, row.caption, row.position = new
                        row.save(update_fields=["alt_text", "caption", "position"])
                        changed.append(f"edited {alt_text[:60]}")
            removed = [row for pk, row in existing.items() if pk not in kept]
            for row in removed:
                _delete_after_commit(storage, [row.file.name, *row.renditions.values()])
                row.delete()
                changed.append(f"removed {row.alt_text[:60]}")
            if not changed:
                return profile
            _media_edited(
                profile, actor, action="profile_images_changed", message="; ".join(changed)
            )
            for pk in queued:
                transaction.on_commit(partial(_queue_renditions, pk))
    except BaseException:
        _undo_files(storage, written)
        raise
    return profile


def _queue_renditions(image_pk):
    from dz_awards.profiles.tasks import make_profile_image_renditions  # noqa: PLC0415

    make_profile_image_renditions.enqueue(image_pk)


def profile_image_make_renditions(image_pk):
    """Write the image's sizes (480, 960, 1600 wide, never upscaled); background task.

    The files are written first, then recorded if the image still exists and
    still has the same file; otherwise they are deleted. Returns the image or None.
    """
    image = ProfileImage.objects.filter(pk=image_pk).first()
    if image is None:
        return None
    storage = image.file.storage
    source_name = image.file.name
    with storage.open(source_name, "rb") as handle:
        made = images.renditions(handle.read(), max_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS)
    stem = source_name.rsplit(".", 1)[0]
    names = {}
    try:
        for key, (data, _width, _height) in made.items():
            names[str(key)] = storage.save(f"{stem}-{key}.jpg", ContentFile(data))
        with transaction.atomic():
            current = (
                ProfileImage.objects.select_for_update()
                .filter(pk=image_pk, file=source_name)
                .first()
            )
            if current is None:
                _undo_files(storage, names.values())
                return None
            old = [name for name in current.renditions.values() if name not in names.values()]
            current.renditions = names
            current.save(update_fields=["renditions"])
            _delete_after_commit(storage, old)
    except BaseException:
        _undo_files(storage, names.values())
        raise
    return current


def profile_set_resources(*, actor, profile, choices, version=None):
    """Set the profile's public resources to `choices`, in order.

    Each choice is a dict: `evidence` (a ready PDF document of the nomination's
    latest submission) or `resource` (one of the profile's resources, such as an
    imported link, kept as it is), with `title` (required) and `position`. A
    document chosen for the first time is rewritten now without metadata,
    attachments or scripts; resources left out are deleted with their files.
    Returns the profile.
    """
    _require_staff(actor)
    storage = ProfileResource._meta.get_field("file").storage
    written = []
    try:
        with transaction.atomic():
            profile = _locked(profile)
            _require_editable(profile, version)
            if len(choices) > MAX_RESOURCES:
                raise ValidationError(f"Choose at most {MAX_RESOURCES} resources.")
            existing = {row.pk: row for row in profile.resources.all()}
            by_source = {row.source_id: row for row in existing.values() if row.source_id}
            allowed = {e.pk: e for e in media_evidence(profile, EvidenceKind.DOCUMENT)}
            kept, changed, seen = set(), [], set()
            for choice in choices:
                title = " ".join(str(choice.get("title") or "").split())
                if not title:
                    raise ValidationError("Each chosen resource needs a title.")
                if len(title) > RESOURCE_TITLE_LIMIT:
                    raise ValidationError(
                        f"Keep resource titles under {RESOURCE_TITLE_LIMIT} characters."
                    )
                position = _position(choice.get("position"))
                row, evidence = _target(
                    choice, existing, by_source, allowed, key="resource", what="resource"
                )
                marker = row.pk if row else evidence.pk
                if marker in seen:
                    raise ValidationError("Each resource can be chosen once.")
                seen.add(marker)
                if row is None:
                    with evidence.file.open("rb") as handle:
                        try:
                            data = images.public_pdf(handle.read())
                        except images.MediaError as error:
                            raise ProfileError(f"{evidence.original_name}: {error}") from error
                    row = ProfileResource(
                        profile=profile,
                        source=evidence,
                        title=title,
                        extension=".pdf",
                        size=len(data),
                        position=position,
                    )
                    _public_file_saved(row, data, written)
                    row.save()
                    changed.append(f"added {title[:60]}")
                else:
                    kept.add(row.pk)
                    if (row.title, row.position) != (title, position):
                        row.title, row.position = title, position
                        row.save(update_fields=["title", "position"])
                        changed.append(f"edited {title[:60]}")
            removed = [row for pk, row in existing.items() if pk not in kept]
            for row in removed:
                _delete_after_commit(storage, [row.file.name])
                row.delete()
                changed.append(f"removed {row.title[:60]}")
            if not changed:
                return profile
            _media_edited(
                profile, actor, action="profile_resources_changed", message="; ".join(changed)
            )
    except BaseException:
        _undo_files(storage, written)
        raise
    return profile


@transaction.atomic
def topic_for_name(*, actor, name):
    """The topic called `name` (any case), created if there is none. Staff only."""
    _require_staff(actor)
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError("A topic needs a name.")
    if len(name) > 80:
        raise ValidationError("Keep a topic's name under 80 characters.")
    topic = Topic.objects.filter(name__iexact=name).first()
    if topic is not None:
        return topic
    base = slugify(name)[:55].strip("-") or "topic"
    slug, number = base, 1
    while Topic.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    topic = Topic.objects.create(name=name, slug=slug)
    audit_record(actor=actor, obj=topic, action="topic_created", message=name)
    return topic


def profiles_create_for_cycle(*, actor, cycle):
    """A draft profile for each finalist and winner of `cycle` that has none; returns them."""
    _require_staff(actor)
    waiting = Nomination.objects.filter(
        cycle=cycle,
        state__in=[NominationState.FINALIST, NominationState.WINNER],
        profile__isnull=True,
    ).select_related("agency", "cycle", "category")
    created = []
    with transaction.atomic():
        for nomination in waiting:
            created.append(profile_create_for(actor=actor, nomination=nomination))
    return created
