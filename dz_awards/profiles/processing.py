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


def missing_rendition_keys(image: ProfileImage) -> tuple[set[int], set[int]]:
    """The (JPEG, modern format) widths the image should have and has not yet.

    Computed from the stored width; an image whose width is unknown is treated
    as needing every size (the task reads the file and makes what fits).
    """
    if not image.width:
        wanted = set(images.RENDITION_WIDTHS)
    else:
        wanted = {key for key, _width in images.rendition_widths(image.width)}
    have_jpeg = {int(key) for key, name in (image.renditions or {}).items() if name}
    have_modern = {int(key) for key, name in (image.modern_renditions or {}).items() if name}
    return wanted - have_jpeg, wanted - have_modern


def profile_image_make_renditions(
    image_pk: UUID | str, *, only_missing: bool = False
) -> ProfileImage | None:
    """Write the image's sizes as JPEG and in the modern format; background task.

    Widths: `images.RENDITION_WIDTHS`, never upscaled. With `only_missing` the
    sizes already recorded are kept (their URLs stay the same) and only the
    others are made: that is how images stored before a size or format existed
    catch up. The files are written first, then recorded if the image still
    exists and still has the same file; otherwise they are deleted. Returns the
    image or None.
    """
    image = ProfileImage.objects.filter(pk=image_pk).first()
    if image is None or not image.file.name:
        return None
    jpeg_keys: set[int] | None = None
    modern_keys: set[int] | None = None
    if only_missing:
        jpeg_keys, modern_keys = missing_rendition_keys(image)
        if not (jpeg_keys or modern_keys):
            return image
    storage = image.file.storage
    source_name = image.file.name
    with storage.open(source_name, "rb") as handle:
        jpegs, moderns = images.make_renditions(
            handle.read(),
            max_pixels=settings.EVIDENCE_MAX_IMAGE_PIXELS,
            jpeg_keys=jpeg_keys,
            modern_keys=modern_keys,
        )
    if only_missing and not (jpegs or moderns):
        # Nothing fits (an image of unknown width narrower than a missing size).
        return image
    stem = source_name.rsplit(".", 1)[0]
    jpeg_names: dict[str, str] = {}
    modern_names: dict[str, str] = {}
    written: list[str] = []
    try:
        for made, names, extension in (
            (jpegs, jpeg_names, ".jpg"),
            (moderns, modern_names, images.MODERN_EXTENSION),
        ):
            for item in made:
                names[str(item.key)] = storage.save(
                    f"{stem}-{item.key}{extension}", ContentFile(item.data)
                )
                written.append(names[str(item.key)])
        with transaction.atomic():
            current = (
                ProfileImage.objects.select_for_update()
                .filter(pk=image_pk, file=source_name)
                .first()
            )
            if current is None:
                delete_files(storage, written)
                return None
            before = [*current.renditions.values(), *current.modern_renditions.values()]
            if only_missing:
                # Another run may have made some meanwhile: theirs are kept.
                jpeg_names = {**jpeg_names, **current.renditions}
                modern_names = {**modern_names, **current.modern_renditions}
            current.renditions = jpeg_names
            current.modern_renditions = modern_names
            current.save(update_fields=["renditions", "modern_renditions"])
            if current.profile.state == ProfileState.PUBLISHED:
                # The directory's card and the profile page show the new sizes.
                library_changed()
            kept = {*jpeg_names.values(), *modern_names.values()}
            delete_files_after_commit(
                storage, [name for name in [*before, *written] if name not in kept]
            )
    except BaseException:
        delete_files(storage, written)
        raise
    return current
