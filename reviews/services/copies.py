"""The review copy: what staff prepare for blind reviewers, and its identity check."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from dz_awards.core.services import audit_record
from dz_awards.nominations import selectors as nominations_selectors
from dz_awards.nominations import services as nominations_services
from dz_awards.nominations.enums import REVIEWABLE_STATES, EvidenceStatus
from dz_awards.nominations.models import Evidence, Nomination
from reviews.models import FindingOverride, ReviewCopy
from reviews.services.common import ReviewError, lock_nomination, require_staff
from reviews.tasks import check_review_copy, prepare_review_file

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


@transaction.atomic
def review_copy_save(
    *,
    actor: Any,
    nomination: Nomination,
    executive_summary: str,
    redacted_title: str,
    redacted_text: str,
    files: Iterable[Evidence],
) -> ReviewCopy:
    """Save the executive summary and the redacted copy; the identity check reruns after.

    Steps: staff only; lock the nomination, which must still be under review;
    `files` must be files of its latest submission that are ready; store the
    copy as unchecked; record it; after commit, queue the identity check
    (`reviews.processing.review_copy_check`).
    """
    require_staff(actor)
    nomination = lock_nomination(nomination)
    if nomination.state not in REVIEWABLE_STATES:
        raise ReviewError(
            f"This nomination is {nomination.get_state_display().lower()}: its review copy "
            "can no longer change."
        )
    latest = nomination.revisions.order_by("-number").first()
    allowed = (
        set(
            nominations_selectors.evidence_of_revision(latest)
            .filter(status=EvidenceStatus.READY)
            .values_list("pk", flat=True)
        )
        if latest
        else set()
    )
    files = list(files)
    if any(f.pk not in allowed for f in files):
        raise ReviewError("Only ready files of the latest submission can be shown to reviewers.")
    copy, _ = ReviewCopy.objects.select_for_update().get_or_create(nomination=nomination)
    copy.executive_summary = executive_summary
    copy.redacted_title = " ".join(redacted_title.split())
    copy.redacted_text = redacted_text
    copy.updated_at = timezone.now()
    copy.updated_by = actor
    copy.leaks = []
    copy.overridden = []
    copy.save()
    copy.files.set(files)
    audit_record(actor=actor, obj=nomination, action="review_copy_saved")
    copy_pk = copy.pk
    transaction.on_commit(lambda: check_review_copy.enqueue(copy_pk))
    return copy


def _editable_copy(nomination: Nomination) -> tuple[Nomination, ReviewCopy]:
    """The nomination locked, still under review, and its saved review copy, locked."""
    nomination = lock_nomination(nomination)
    if nomination.state not in REVIEWABLE_STATES:
        raise ReviewError(
            f"This nomination is {nomination.get_state_display().lower()}: its review copy "
            "can no longer change."
        )
    copy = ReviewCopy.objects.select_for_update().filter(nomination=nomination).first()
    if copy is None:
        raise ReviewError("Save the review copy first.")
    return nomination, copy


def _shown_file(copy: ReviewCopy, evidence: Evidence) -> Evidence:
    shown = copy.files.filter(pk=evidence.pk).first()
    if shown is None:
        raise ReviewError("This file is not among the files chosen for reviewers.")
    return shown


def findings_seen(findings: Iterable[dict[str, str]]) -> str:
    """A short digest of a file's findings as a page shows them (which clean copy,
    where, what), so that an override answers exactly what staff read: if the check
    found something else meanwhile, the digests differ and the override is refused."""
    shown = sorted((f.get("copy", ""), f["where"], f["what"]) for f in findings)
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:32]


@transaction.atomic
def review_copy_override(
    *, actor: Any, nomination: Nomination, evidence: Evidence, reason: str, seen: str
) -> FindingOverride:
    """Set aside what the identity check found in one file as a false positive.

    Steps: staff only; a reason in words; lock the nomination (under review) and
    its copy, whose check must have finished and found in the file exactly what
    staff were shown (`seen`, from `findings_seen`); store the override with who,
    when, why, the findings and the file's current clean copy (a new clean copy is
    checked afresh); move those findings out of
    what holds review back; record it, naming the file and the reason.
    """
    require_staff(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError("Say why what the check found is not the agency's identity.")
    nomination, copy = _editable_copy(nomination)
    evidence = _shown_file(copy, evidence)
    if not copy.is_checked:
        raise ReviewError("The identity check is running. Wait for its result, then try again.")
    found = [f for f in copy.leaks if f.get("file") == str(evidence.pk)]
    if not found:
        raise ReviewError("The identity check found nothing in this file to set aside.")
    if findings_seen(found) != seen:
        raise ReviewError(
            "What the identity check found in this file changed after you opened the page. "
            "Read the findings below again; nothing was set aside."
        )
    override = FindingOverride.objects.create(
        copy=copy,
        evidence=evidence,
        clean_copy_name=found[0]["copy"],
        findings=[{"where": f["where"], "what": f["what"]} for f in found],
        reason=reason,
        created_by=actor,
    )
    copy.leaks = [f for f in copy.leaks if f not in found]
    copy.overridden = [*copy.overridden, *found]
    copy.save(update_fields=["leaks", "overridden"])
    audit_record(
        actor=actor,
        obj=nomination,
        action="identity_finding_overridden",
        message=f"{evidence.original_name}: {reason}",
    )
    return override


@transaction.atomic
def review_copy_file_replace(
    *, actor: Any, nomination: Nomination, evidence: Evidence, upload: UploadedFile
) -> Evidence:
    """Replace the clean copy of a chosen PDF with staff's corrected PDF; check again.

    Steps: staff only; lock the nomination (under review) and its copy, which
    must show the file; the nominations service checks, rewrites and stores the
    upload (ValidationError if it cannot); the copy becomes unchecked, so
    reviewers see nothing until the check reruns; after commit, OCR reads the
    new copy and the check runs (`reviews.tasks.prepare_review_file`).
    """
    require_staff(actor)
    nomination, copy = _editable_copy(nomination)
    evidence = _shown_file(copy, evidence)
    evidence = nominations_services.evidence_clean_copy_replace(
        actor=actor, evidence=evidence, upload=upload
    )
    copy.updated_at = timezone.now()
    copy.updated_by = actor
    copy.leaks = []
    copy.save(update_fields=["updated_at", "updated_by", "leaks"])
    evidence_pk = str(evidence.pk)
    transaction.on_commit(lambda: prepare_review_file.enqueue(evidence_pk))
    return evidence
