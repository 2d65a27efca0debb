"""Background work on profiles: the PDF summary and the sizes of public images.

`dz_awards.profiles.tasks` holds the thin task wrappers that call these; the
services queue those tasks after commit. Neither function takes a lock while
it renders or encodes: each reads what it needs, does the slow part, then
stores the result only if the row still says what it read (otherwise a newer
task does the work for the newer state). A failure is never swallowed: it is
recorded where staff see it (the PDF), logged, and raised, so the task fails.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from dz_awards.profiles import images
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.library import library_changed
from dz_awards.profiles.models import Profile, ProfileImage, ProfilePdf

if TYPE_CHECKING:
    from uuid import UUID

    from django.core.files.storage import Storage

logger = logging.getLogger(__name__)


def delete_files(storage: Storage, names: Iterable[str | None]) -> None:
    """Delete the stored files `names` (blank names are skipped)."""
    for name in names:
        if name:
            storage.delete(name)


def delete_files_after_commit(storage: Storage, names: Iterable[str | None]) -> None:
    """Delete the files once the transaction that stopped using them commits."""
    kept = [name for name in names if name]
    if kept:
        transaction.on_commit(lambda: delete_files(storage, kept))


def profile_render_pdf(profile_pk: UUID | str) -> ProfilePdf | None:
    """Render and store the PDF of the profile's current version (background task).

    The version is read before rendering and the result is stored only if the
    profile has not been edited meanwhile (a newer task renders that version).
    A render that fails is recorded on the profile for its version (staff see
    why and can ask for it again), logged, and raised. Returns the stored
    ProfilePdf, or None when nothing was stored.
    """
    # WeasyPrint is heavy to import: only the worker that renders loads it.
    from dz_awards.profiles import pdf  # noqa: PLC0415

    profile = Profile.objects.filter(pk=profile_pk, state=ProfileState.PUBLISHED).first()
    if profile is None:
        return None
    version = profile.version
    try:
        data, pages = pdf.render(profile)
    except pdf.PdfRenderError as error:
        logger.warning(
            "The PDF of profile %s version %s was not made: %s", profile_pk, version, error
        )
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
        # The profile page links the PDF once it is current.
        library_changed()
    if old_name and old_name != stored.file.name:
        stored.file.storage.delete(old_name)
    return stored


def profile_image_make_renditions(image_pk: UUID | str) -> ProfileImage | None:
    """Write the image's sizes (480, 960, 1600 wide, never upscaled); background task.

    The files are written first, then recorded if the image still exists and
    still has the same file; otherwise they are deleted. Returns the image or None.
    """
    image = ProfileImage.objects.filter(pk=image_pk).first()
    if image is None or not image.file.name:
        return None
    storage = image.file.storage
    source_name = image.file.name
    with storage.open(source_name, "rb") as handle:
        made = images.renditions(handle.read(), max_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS)
    stem = source_name.rsplit(".", 1)[0]
    names: dict[str, str] = {}
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
                delete_files(storage, names.values())
                return None
            old = [name for name in current.renditions.values() if name not in names.values()]
            current.renditions = names
            current.save(update_fields=["renditions"])
            if current.profile.state == ProfileState.PUBLISHED:
                # The directory's card and the profile page show the new sizes.
                library_changed()
            delete_files_after_commit(storage, old)
    except BaseException:
        delete_files(storage, names.values())
        raise
    return current
