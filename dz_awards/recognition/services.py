"""Every write of recognition: certificates issued on release, brought up to date, regenerated.

- `certificate_issue` answers the release of a finalist or winner (the
  `decision_released` receiver) and catches up with decisions released before
  certificates existed (`certificates_issue_missing`): it snapshots the names
  the certificate prints, creates the row (or moves a finalist's certificate
  up to winner: a new award, a new issue date, version + 1) and queues the
  render after commit.
- `certificate_regenerate` is staff's correction: it reads the names again
  (so a corrected agency name or title is printed), raises the version and
  queues a new render; who and why are in the audit trail.

The render (`processing.certificate_render`, run by `tasks.render_certificate`)
replaces both files and deletes the old ones once the new ones are saved.
Until it has run, the certificate is "being prepared" (`is_ready` is false).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dz_awards.core.errors import ServiceError
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.profiles.services.common import require_staff, require_staff_or_system
from dz_awards.recognition.badges import award_label
from dz_awards.recognition.models import Certificate
from dz_awards.recognition.tasks import render_certificate
from reviews.enums import Outcome

if TYPE_CHECKING:
    from dz_awards.accounts.models import User
    from dz_awards.cycles.models import Cycle

# The award a nomination's state earns; every other state earns no certificate.
AWARD_OF_STATE: dict[str, Outcome] = {
    NominationState.FINALIST: Outcome.FINALIST,
    NominationState.WINNER: Outcome.WINNER,
}
REASON_MAX_LENGTH = 500
NAME_FIELDS = ("program", "agency", "category", "year")


class RecognitionError(ServiceError):
    """A certificate that cannot be issued or regenerated now; the message says why."""


def issued_names(nomination: Nomination) -> dict[str, Any]:
    """The names a certificate prints, read now from the nomination, its agency, category
    and cycle: the program's title, the agency's name, the category as it was called that
    year, and the year."""
    nomination = Nomination.objects.select_related("agency", "cycle", "category").get(
        pk=nomination.pk
    )
    category = nomination.category
    return {
        "program": nomination.title.strip()[:300] or "Untitled program",
        "agency": nomination.agency.name.strip()[:300],
        "category": category.label if category else "",
        "year": nomination.cycle.year,
    }


def queue_render(certificate: Certificate) -> None:
    """Render the certificate's current version in the background once the transaction commits."""
    certificate_pk = str(certificate.pk)
    transaction.on_commit(lambda: render_certificate.enqueue(certificate_pk))


@transaction.atomic
def certificate_issue(*, actor: User | None, nomination: Nomination) -> Certificate:
    """The certificate of a released finalist or winner: created, or moved up to winner.

    Steps: check the actor (staff, or None for an operator's command); read the
    award from the nomination's state; lock the existing certificate if any. A
    new one snapshots the names (`issued_names`); a finalist's certificate whose
    nomination became the winner takes the new award, the names as they are now,
    a new issue date and version + 1. Audit, then queue the render after commit.
    Idempotent: a certificate that already names the award is returned as it is.
    Runs inside the release's transaction when called by the receiver.
    """
    require_staff_or_system(actor)
    award = AWARD_OF_STATE.get(nomination.state)
    if award is None:
        raise RecognitionError("Only finalists and winners get a certificate.")
    certificate = Certificate.objects.select_for_update().filter(nomination=nomination).first()
    if certificate is not None and certificate.award == award:
        return certificate
    names = issued_names(nomination)
    if certificate is None:
        certificate = Certificate.objects.create(nomination=nomination, award=award, **names)
        audit_record(actor=actor, obj=certificate, action="certificate_issued", message=award.label)
    else:
        previous = award_label(certificate.award)
        for field, value in names.items():
            setattr(certificate, field, value)
        certificate.award = award
        certificate.version += 1
        certificate.issued_at = timezone.now()
        certificate.rendered_at = None
        certificate.save(
            update_fields=[*NAME_FIELDS, "award", "version", "issued_at", "rendered_at"]
        )
        audit_record(
            actor=actor,
            obj=certificate,
            action="certificate_updated",
            message=f"{previous} → {award.label}, version {certificate.version}",
        )
    queue_render(certificate)
    return certificate


@transaction.atomic
def certificates_issue_missing(
    *, actor: User | None, cycle: Cycle | None = None
) -> list[Certificate]:
    """Issue what earlier releases left out: a certificate for each finalist and winner (of
    `cycle`, or of every cycle) that has none or names a lesser award; returns those issued
    or updated. Idempotent: a second run finds nothing to do."""
    require_staff_or_system(actor)
    waiting = Nomination.objects.filter(state__in=list(AWARD_OF_STATE)).exclude(
        certificate__award=F("state")
    )
    if cycle is not None:
        waiting = waiting.filter(cycle=cycle)
    return [
        certificate_issue(actor=actor, nomination=nomination)
        for nomination in waiting.order_by("cycle__year", "pk")
    ]


@transaction.atomic
def certificate_regenerate(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Staff correct a certificate: the names read again, version + 1, a new render.

    Steps: check staff; require a reason; lock the row; read the names as they
    are now (`issued_names`: a corrected agency name or title is picked up);
    raise the version, record who regenerated it and mark it being prepared;
    audit who, why and what changed; queue the render after commit. The award
    and the issue date stay. The old files stay until the new ones are saved
    (`processing.certificate_render` then deletes them).
    """
    require_staff(actor)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("Say why the certificate is regenerated.")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(f"Keep the reason to {REASON_MAX_LENGTH} characters.")
    certificate = row_or_gone(Certificate.objects.select_for_update(), pk=certificate.pk)
    names = issued_names(certificate.nomination)
    changed = [field for field, value in names.items() if getattr(certificate, field) != value]
    for field, value in names.items():
        setattr(certificate, field, value)
    certificate.version += 1
    certificate.regenerated_by = actor
    certificate.rendered_at = None
    certificate.save(update_fields=[*NAME_FIELDS, "version", "regenerated_by", "rendered_at"])
    what = f"Changed: {', '.join(changed)}." if changed else "No name changed."
    audit_record(
        actor=actor,
        obj=certificate,
        action="certificate_regenerated",
        message=f"Version {certificate.version}. {what} Why: {reason}",
    )
    queue_render(certificate)
    return certificate
