"""Background work of recognition: drawing a certificate's PDF and badge, and storing them.

`dz_awards.recognition.tasks` holds the thin task wrapper; the services queue
it after commit. No lock is held while drawing: the version is read first, and
the files are stored only if the certificate still has that version (a newer
render does the work for the newer one). The files go through Django's storage
API under names the server chooses; the old files are deleted once the row
names the new ones. A failure is logged and raised, so the task fails and the
certificate stays "being prepared" until staff regenerate it.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dz_awards.profiles.processing import delete_files, delete_files_after_commit
from dz_awards.recognition import badges
from dz_awards.recognition.models import Certificate

if TYPE_CHECKING:
    from uuid import UUID

logger = logging.getLogger(__name__)


def certificate_render(certificate_pk: UUID | str) -> Certificate | None:
    """Draw and store the certificate's PDF and badge for its current version.

    Returns the certificate as stored, or None when there is no certificate or
    its version changed while drawing (nothing is stored then).
    """
    # WeasyPrint is heavy to import: only the worker that renders loads it.
    from dz_awards.recognition import pdf  # noqa: PLC0415

    certificate = Certificate.objects.filter(pk=certificate_pk).first()
    if certificate is None:
        return None
    version = certificate.version
    try:
        # The badge first: it is quick, and a machine without its font fails before the PDF.
        badge = badges.badge_png(certificate)
        document, _pages = pdf.render(certificate)
    except Exception as error:
        logger.warning(
            "The certificate %s version %s was not drawn: %s", certificate_pk, version, error
        )
        raise
    stem = uuid.uuid4().hex
    storage = certificate.pdf.storage
    saved: list[str | None] = []
    try:
        with transaction.atomic():
            current = (
                Certificate.objects.select_for_update()
                .filter(pk=certificate_pk, version=version)
                .first()
            )
            if current is None:
                return None
            old = [current.pdf.name, current.badge.name]
            current.pdf.save(f"{stem}.pdf", ContentFile(document), save=False)
            saved.append(current.pdf.name)
            current.badge.save(f"{stem}.png", ContentFile(badge), save=False)
            saved.append(current.badge.name)
            current.rendered_at = timezone.now()
            current.save(update_fields=["pdf", "badge", "rendered_at"])
            delete_files_after_commit(storage, old)
    except BaseException:
        delete_files(storage, saved)
        raise
    return current
