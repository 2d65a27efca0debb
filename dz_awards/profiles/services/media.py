"""The public images and resources of a profile, chosen by staff from the
nomination's files.

A public image or resource is always a new file made from the chosen evidence
(`dz_awards.profiles.images`), never the private file itself. Choosing media
is an edit of what the public sees: it follows the rules of `profile_save`
(editable states, back to draft after the proof, version bumped, PDF
made again when published). Files no longer used are deleted after commit;
files written for a change that is refused are deleted at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet

from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus
from dz_awards.nominations.models import Evidence
from dz_awards.nominations.selectors import evidence_of_revision
from dz_awards.profiles import images
from dz_awards.profiles.models import Profile, ProfileImage, ProfileResource
from dz_awards.profiles.processing import delete_files, delete_files_after_commit
from dz_awards.profiles.services.common import (
    ProfileError,
    mark_edited,
    profile_lock,
    require_editable,
    require_staff,
)
from dz_awards.profiles.tasks import make_profile_image_renditions

if TYPE_CHECKING:
    from uuid import UUID

    from dz_awards.accounts.models import User

logger = logging.getLogger(__name__)

# A choice as the media forms give it: the evidence or the existing row, and its texts.
Choice = Mapping[str, Any]

MAX_IMAGES = 12
MAX_RESOURCES = 12
ALT_TEXT_LIMIT = 300
CAPTION_LIMIT = 300
RESOURCE_TITLE_LIMIT = 200


def media_evidence(profile: Profile, kind: EvidenceKind) -> QuerySet[Evidence]:
    """The nomination's ready files of `kind` in its latest submission: what may go public."""
    nomination = profile.nomination
    if nomination is None:
        return Evidence.objects.none()
    latest = nomination.revisions.order_by("-number").first()
    if latest is None:
        return Evidence.objects.none()
    return evidence_of_revision(latest).filter(kind=kind, status=EvidenceStatus.READY)


def _position(value: Any) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError("The order must be a whole number.") from None
    if not 0 <= number <= 999:
        raise ValidationError("The order must be between 0 and 999.")
    return number


def _target[Row: (ProfileImage, ProfileResource)](
    choice: Choice,
    existing: Mapping[UUID, Row],
    by_source: Mapping[UUID, Row],
    allowed: Mapping[UUID, Evidence],
    *,
    key: str,
    what: str,
) -> Row | Evidence:
    """The profile's row one choice keeps, or the evidence to make a new one from;
    refuses anything that is neither."""
    if choice.get(key) is not None:
        row = existing.get(choice[key].pk)
        if row is None:
            raise ValidationError(f"That {what} is not part of this profile.")
        return row
    evidence = choice.get("evidence")
    if evidence is not None and evidence.pk in by_source:
        return by_source[evidence.pk]
    if evidence is None or evidence.pk not in allowed:
        raise ValidationError(
            f"That file cannot become a public {what}: only ready files of the latest "
            "submission can."
        )
    return allowed[evidence.pk]


def _public_file_saved(
    row: ProfileImage | ProfileResource, data: bytes, written: list[str]
) -> None:
    row.file.save(f"public{row.extension}", ContentFile(data), save=False)
    if row.file.name:
        written.append(row.file.name)


def _public_copy[T](evidence: Evidence, make: Callable[[bytes], T]) -> T:
    """`make` applied to the stored content of `evidence`; a refusal names the file.

    A file the storage cannot give back is not the file's fault: that failure
    is logged for the administrators and staff are told so, in plain words.
    """
    try:
        with evidence.file.open("rb") as handle:
            data = handle.read()
    except OSError as error:
        logger.exception(
            "Evidence %s could not be read from storage (%s)", evidence.pk, evidence.file.name
        )
        raise ProfileError(
            f"{evidence.original_name}: the stored file could not be opened just now, so "
            "nothing was saved. Try again in a few minutes; if it keeps failing, tell the "
            "site's administrators."
        ) from error
    try:
        return make(data)
    except images.MediaError as error:
        raise ProfileError(f"{evidence.original_name}: {error}") from error


def _image_fields(choice: Choice) -> tuple[str, str, int]:
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


def _new_public_image(profile: Profile, evidence: Evidence, written: list[str]) -> ProfileImage:
    """An unsaved ProfileImage holding a clean JPEG copy of `evidence` (file stored)."""
    data, width, height = _public_copy(
        evidence,
        partial(images.public_jpeg, max_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS),
    )
    row = ProfileImage(
        profile=profile, source=evidence, extension=".jpg", width=width, height=height
    )
    _public_file_saved(row, data, written)
    return row


def _new_public_resource(
    profile: Profile, evidence: Evidence, *, title: str, position: int, written: list[str]
) -> ProfileResource:
    """An unsaved ProfileResource holding a clean copy of the PDF `evidence` (file stored)."""
    data = _public_copy(evidence, images.public_pdf)
    row = ProfileResource(
        profile=profile,
        source=evidence,
        title=title,
        extension=".pdf",
        size=len(data),
        position=position,
    )
    _public_file_saved(row, data, written)
    return row


def profile_set_images(
    *,
    actor: User,
    profile: Profile,
    choices: Sequence[Choice],
    version: int | str | None = None,
) -> Profile:
    """Set the profile's public images to `choices`, in order.

    Each choice is a dict: `evidence` (a ready image of the nomination's latest
    submission) or `image` (one of the profile's images, kept as it is), with
    `alt_text` (required), `caption` and `position`. An image chosen for the
    first time is re-encoded as a clean JPEG now, and its sizes are made in the
    background; images left out are deleted with their files. Returns the profile.
    """
    require_staff(actor)
    storage = ProfileImage._meta.get_field("file").storage
    written: list[str] = []
    queued: list[str] = []
    try:
        with transaction.atomic():
            profile = profile_lock(profile)
            require_editable(profile, version)
            if len(choices) > MAX_IMAGES:
                raise ValidationError(f"Choose at most {MAX_IMAGES} images.")
            existing = {row.pk: row for row in profile.images.all()}
            by_source = {row.source_id: row for row in existing.values() if row.source_id}
            allowed = {e.pk: e for e in media_evidence(profile, EvidenceKind.IMAGE)}
            kept, changed, seen = set(), [], set()
            for choice in choices:
                alt_text, caption, position = _image_fields(choice)
                target = _target(choice, existing, by_source, allowed, key="image", what="image")
                if target.pk in seen:
                    raise ValidationError("Each image can be chosen once.")
                seen.add(target.pk)
                if isinstance(target, Evidence):
                    row = _new_public_image(profile, target, written)
                    row.alt_text, row.caption, row.position = alt_text, caption, position
                    row.save()
                    queued.append(str(row.pk))
                    changed.append(f"added {alt_text[:60]}")
                else:
                    row = target
                    kept.add(row.pk)
                    new = (alt_text, caption, position)
                    if (row.alt_text, row.caption, row.position) != new:
                        row.alt_text, row.caption, row.position = new
                        row.save(update_fields=["alt_text", "caption", "position"])
                        changed.append(f"edited {alt_text[:60]}")
            removed = [row for pk, row in existing.items() if pk not in kept]
            for row in removed:
                delete_files_after_commit(
                    storage,
                    [row.file.name, *row.renditions.values(), *row.modern_renditions.values()],
                )
                row.delete()
                changed.append(f"removed {row.alt_text[:60]}")
            if not changed:
                return profile
            mark_edited(profile, actor, action="profile_images_changed", message="; ".join(changed))
            for pk in queued:
                transaction.on_commit(partial(make_profile_image_renditions.enqueue, pk))
    except BaseException:
        delete_files(storage, written)
        raise
    return profile


def profile_set_resources(
    *,
    actor: User,
    profile: Profile,
    choices: Sequence[Choice],
    version: int | str | None = None,
) -> Profile:
    """Set the profile's public resources to `choices`, in order.

    Each choice is a dict: `evidence` (a ready PDF document of the nomination's
    latest submission) or `resource` (one of the profile's resources, such as an
    imported link, kept as it is), with `title` (required) and `position`. A
    document chosen for the first time is rewritten now without metadata,
    attachments or scripts; resources left out are deleted with their files.
    Returns the profile.
    """
    require_staff(actor)
    storage = ProfileResource._meta.get_field("file").storage
    written: list[str] = []
    try:
        with transaction.atomic():
            profile = profile_lock(profile)
            require_editable(profile, version)
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
                target = _target(
                    choice, existing, by_source, allowed, key="resource", what="resource"
                )
                if target.pk in seen:
                    raise ValidationError("Each resource can be chosen once.")
                seen.add(target.pk)
                if isinstance(target, Evidence):
                    row = _new_public_resource(
                        profile, target, title=title, position=position, written=written
                    )
                    row.save()
                    changed.append(f"added {title[:60]}")
                else:
                    row = target
                    kept.add(row.pk)
                    if (row.title, row.position) != (title, position):
                        row.title, row.position = title, position
                        row.save(update_fields=["title", "position"])
                        changed.append(f"edited {title[:60]}")
            removed = [row for pk, row in existing.items() if pk not in kept]
            for row in removed:
                delete_files_after_commit(storage, [row.file.name])
                row.delete()
                changed.append(f"removed {row.title[:60]}")
            if not changed:
                return profile
            mark_edited(
                profile, actor, action="profile_resources_changed", message="; ".join(changed)
            )
    except BaseException:
        delete_files(storage, written)
        raise
    return profile
