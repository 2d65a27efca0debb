"""Every change to a nomination. Views call these; nothing else writes.

Each service runs in one transaction and follows the same steps: lock the
nomination's row, check permission (django-fsm does not check `permission=`
when a transition is called), check the state, change, save with
`update_fields`, record an audit event, and queue email through the outbox,
delivered after commit. A second, concurrent attempt at the same change finds
the row already moved and fails with `NominationError`, whose message is meant
for the person who tried.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils import timezone

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.models import Agency
from dz_awards.agencies.services import agency_email_members
from dz_awards.core.errors import ServiceError
from dz_awards.core.fsm import make_transition
from dz_awards.core.services import audit_record, outbox_enqueue, outbox_enqueue_each, site_url
from dz_awards.cycles.models import Category
from dz_awards.nominations import rules, selectors, uploads
from dz_awards.nominations.content import TEXT_FIELDS, clean_outcomes
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import (
    DraftConflict,
    Evidence,
    Nomination,
    NominationMessage,
    NominationRevision,
    snapshot_fields,
)
from dz_awards.nominations.snapshots import readable_items, snapshot
from dz_awards.nominations.validation import submission_problems

S = NominationState


class NominationError(ServiceError):
    """A change to a nomination that cannot be made now; the message says why."""


class IncompleteNominationError(NominationError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("The nomination is not complete yet.")


@dataclass(frozen=True)
class DraftSaveResult:
    nomination: Nomination
    conflict: DraftConflict | None = None

    @property
    def saved(self):
        return self.conflict is None


def nomination_lock(nomination: Nomination) -> Nomination:
    """The nomination's row again, locked for the caller's transaction.

    Other apps (review, decisions) lock a nomination through this before they
    move it, so that every change to one nomination is serialised the same way.
    A row deleted since it was read raises `Nomination.DoesNotExist` (a 404).
    """
    # of=("self",): lock the nomination's row only. PostgreSQL refuses FOR UPDATE on the
    # outer join that the optional category needs, and agency and cycle need no lock.
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("agency", "cycle", "category")
        .get(pk=nomination.pk)
    )


def _require_member(user, nomination):
    if not rules.can_act_for(nomination, user):
        raise PermissionDenied


def _require_editable(nomination):
    if not nomination.is_editable:
        raise NominationError(
            f"This nomination is {nomination.get_state_display().lower()} and can no longer be "
            "changed here."
        )


def _staff_people():
    return list(get_user_model().objects.filter(is_staff=True, is_active=True))


def nomination_email_agency(nomination: Nomination, **email) -> None:
    """One outbox email about `nomination` to each active member of its agency.

    `email` takes `key`, `subject`, `template` and `context`; the link is the
    nomination's page. Call inside the transaction of the change it reports.
    """
    context = {"nomination": nomination, "url": site_url(nomination.get_absolute_url())}
    agency_email_members(
        nomination.agency, **{**email, "context": {**context, **email.get("context", {})}}
    )


def nomination_transition(
    nomination: Nomination, method_name: str, user, *, busy_message: str
) -> str:
    """Check permission and state for one transition, then make it (without saving).

    The caller holds the lock (`nomination_lock`), saves with `update_fields` and
    records the audit event. Refusals are `NominationError` (wrong state, with
    `{state}` filled into `busy_message`) or `PermissionDenied`. Returns the state
    it left.
    """
    return make_transition(
        nomination, method_name, user, busy_message=busy_message, error=NominationError
    )


def nomination_apply_content(nomination: Nomination, content: dict) -> list[str]:
    """Copy known fields from `content` onto `nomination` in memory; returns the names changed.

    Nothing is saved: services save; the draft-conflict page uses it to compare.
    """
    changed = []
    for name in [*TEXT_FIELDS, "participation", "head_attestation", "start_date"]:
        if name in content and getattr(nomination, name) != content[name]:
            setattr(nomination, name, content[name])
            changed.append(name)
    if "outcomes" in content:
        rows = clean_outcomes(content["outcomes"])
        if rows != nomination.outcomes:
            nomination.outcomes = rows
            changed.append("outcomes")
    if "category" in content:
        category = content["category"]
        category_id = category.pk if category else None
        if category_id != nomination.category_id:
            nomination.category = category
            changed.append("category")
    return changed


# Creating and editing -------------------------------------------------------------


@transaction.atomic
def nomination_create(*, user, agency, cycle, category=None, title=""):
    """Start a draft for `agency` in `cycle` (open or not yet open)."""
    if not rules.is_agency_member(user, agency.pk):
        raise PermissionDenied
    if timezone.now() >= cycle.closes_at:
        raise NominationError(f"The deadline for {cycle.name} has passed.")
    if category is not None and category.cycle_id != cycle.pk:
        raise NominationError("Choose a category of this cycle.")
    nomination = Nomination.objects.create(
        agency=agency,
        cycle=cycle,
        category=category,
        title=title,
        created_by=user,
        updated_by=user,
        submitter_name=user.full_name,
        submitter_title=user.job_title,
        submitter_email=user.email,
    )
    audit_record(actor=user, obj=nomination, action="nomination_created", to_state=S.DRAFT)
    return nomination


@transaction.atomic
def nomination_renew(*, user, previous, cycle):
    """A new draft in `cycle` with the text of an earlier nomination, linked to it.

    Copies the answers only: not the state, the files or anything staff wrote.
    The category is carried over when the new cycle has one with the same code.
    """
    if not rules.is_agency_member(user, previous.agency_id):
        raise PermissionDenied
    if previous.cycle_id == cycle.pk:
        raise NominationError("Start from a nomination of an earlier year.")
    category = None
    if previous.category_id:
        category = Category.objects.filter(cycle=cycle, code=previous.category.code).first()
    nomination = nomination_create(
        user=user, agency=previous.agency, cycle=cycle, category=category
    )
    for name in snapshot_fields():
        setattr(nomination, name, getattr(previous, name))
    # The attestation is for this year's text: the head of the agency confirms it again.
    nomination.head_attestation = False
    nomination.previous = previous
    nomination.save()
    audit_record(
        actor=user,
        obj=nomination,
        action="nomination_renewed",
        message=f"Started from {previous} ({previous.cycle.year}).",
    )
    return nomination


@transaction.atomic
def nomination_save_draft(*, user, nomination, content, version):
    """Save typed text without checking it, unless the editor's copy is stale.

    `version` is the version the editor loaded. If the nomination has been saved
    since (another tab, another person), nothing is overwritten: the editor's
    text is kept as a `DraftConflict` for them to resolve.
    """
    nomination = nomination_lock(nomination)
    _require_member(user, nomination)
    _require_editable(nomination)
    if version != nomination.version:
        return DraftSaveResult(nomination, _keep_conflict(nomination, user, version, content))
    changed = nomination_apply_content(nomination, content)
    if changed:
        nomination.version += 1
        nomination.updated_at = timezone.now()
        nomination.updated_by = user
        nomination.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    return DraftSaveResult(nomination)


# A stale tab autosaving every 30 seconds would otherwise add a copy each time: past
# this many open copies per person and nomination, the newest one is updated instead
# (each save carries the whole form, so the newest copy holds that tab's latest text).
MAX_OPEN_CONFLICTS = 5


def _keep_conflict(nomination, user, version, content):
    data = _serialisable(content)
    open_conflicts = DraftConflict.objects.filter(
        nomination=nomination, user=user, resolved_at__isnull=True
    ).order_by("-created_at", "-pk")
    newest = open_conflicts.first()
    if newest is not None and (
        newest.base_version == version or open_conflicts.count() >= MAX_OPEN_CONFLICTS
    ):
        # The same stale copy saving again (or too many copies): keep its latest text.
        newest.base_version, newest.content = version, data
        newest.save(update_fields=["base_version", "content"])
        return newest
    return DraftConflict.objects.create(
        nomination=nomination, user=user, base_version=version, content=data
    )


def _serialisable(content):
    data = dict(content)
    if data.get("category") is not None:
        data["category"] = data["category"].pk
    if data.get("start_date") is not None:
        data["start_date"] = data["start_date"].isoformat()
    return data


def conflict_content(conflict):
    """A conflict's kept text, with the category and date as model values again."""
    data = dict(conflict.content)
    if data.get("category"):
        data["category"] = Category.objects.filter(
            pk=data["category"], cycle_id=conflict.nomination.cycle_id
        ).first()
    if data.get("start_date"):
        data["start_date"] = date.fromisoformat(data["start_date"])
    return data


@transaction.atomic
def nomination_resolve_conflict(*, user, conflict, take_mine, version):
    """Keep the saved text, except the fields in `take_mine`, taken from the kept copy.

    `version` is the saved version shown on the conflict screen; if it moved
    again meanwhile, nothing changes and the screen is shown afresh.
    """
    nomination = nomination_lock(conflict.nomination)
    _require_member(user, nomination)
    _require_editable(nomination)
    conflict = DraftConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.resolved_at:
        raise NominationError("These edits have already been dealt with.")
    if version != nomination.version:
        raise NominationError(
            "The nomination was saved again while you were choosing. Compare once more."
        )
    mine = conflict_content(conflict)
    changed = nomination_apply_content(
        nomination, {k: v for k, v in mine.items() if k in take_mine}
    )
    if changed:
        nomination.version += 1
        nomination.updated_at = timezone.now()
        nomination.updated_by = user
        nomination.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["resolved_at"])
    audit_record(
        actor=user,
        obj=nomination,
        action="edit_conflict_resolved",
        message="Kept from the other copy: " + (", ".join(changed) or "nothing"),
    )
    return nomination


@transaction.atomic
def nomination_delete(*, user, nomination):
    """Delete a draft that was never submitted, with its files (removed after commit)."""
    nomination = nomination_lock(nomination)
    _require_member(user, nomination)
    if nomination.state != S.DRAFT or nomination.revisions.exists():
        raise NominationError("Only a draft that was never submitted can be deleted.")
    audit_record(
        actor=user, obj=nomination.agency, action="nomination_deleted", message=str(nomination)
    )
    nomination.delete()


@transaction.atomic
def nomination_move_to_cycle(*, user, nomination, cycle):
    """Move a draft whose deadline passed into a later cycle that still takes nominations."""
    nomination = nomination_lock(nomination)
    _require_member(user, nomination)
    if nomination.state != S.DRAFT:
        raise NominationError("Only a draft can move to another year.")
    now = timezone.now()
    if now < nomination.cycle.closes_at:
        raise NominationError(f"{nomination.cycle.name} is still open: submit it there.")
    if cycle.closes_at <= now or cycle.year <= nomination.cycle.year:
        raise NominationError(f"{cycle.name} does not take nominations.")
    old_cycle = nomination.cycle
    category = None
    if nomination.category_id:
        category = Category.objects.filter(cycle=cycle, code=nomination.category.code).first()
    nomination.cycle, nomination.category = cycle, category
    nomination.head_attestation = False
    nomination.version += 1
    nomination.save(update_fields=["cycle", "category", "head_attestation", "version"])
    audit_record(
        actor=user,
        obj=nomination,
        action="nomination_moved",
        message=f"Moved from {old_cycle.name} to {cycle.name}.",
    )
    return nomination


# Transitions ------------------------------------------------------------------------


def _store_revision(nomination, user):
    number = (nomination.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return NominationRevision.objects.create(
        nomination=nomination, number=number, content=snapshot(nomination), created_by=user
    )


def _send_receipt(nomination, revision, user):
    """The copy of a confidential submission goes to the verified account that submitted
    it, never to an address typed into the form (a typo there would leak it)."""
    outbox_enqueue(
        key=f"nomination-receipt:{nomination.pk}:{revision.number}",
        to=user.email,
        subject=f"Received: {nomination} (revision {revision.number})",
        template="nominations/email/receipt.txt",
        context={
            "name": user.full_name,
            "nomination": nomination,
            "revision": revision,
            "items": readable_items(revision.content),
            "url": site_url(nomination.get_absolute_url()),
        },
    )


def _check_complete(nomination):
    problems = submission_problems(nomination)
    if problems:
        raise IncompleteNominationError(problems)


@transaction.atomic
def nomination_submit(*, user, nomination):
    """Submit a draft: members only, while the cycle is open (server clock), when complete.

    Steps: lock; check permission and state; check the deadline and every
    required answer; transition draft → submitted; store revision 1 (or the next
    number); audit; email a receipt with a copy of what was submitted.
    """
    nomination = nomination_lock(nomination)
    from_state = nomination_transition(
        nomination,
        "submit",
        user,
        busy_message="This nomination is already {state}: nothing more to do.",
    )
    if not nomination.cycle.is_open():
        raise NominationError(
            f"The deadline for {nomination.cycle.name} has passed; this draft was not submitted."
        )
    _check_complete(nomination)
    return _submitted(nomination, user, from_state, action="nomination_submitted")


@transaction.atomic
def nomination_resubmit(*, user, nomination):
    """Send a returned nomination back to staff with the changes they asked for.

    Staff returned it for changes, so the cycle's deadline does not apply.
    """
    nomination = nomination_lock(nomination)
    from_state = nomination_transition(
        nomination,
        "resubmit",
        user,
        busy_message="This nomination is already {state}: nothing more to do.",
    )
    _check_complete(nomination)
    return _submitted(nomination, user, from_state, action="nomination_resubmitted")


def _submitted(nomination, user, from_state, *, action):
    nomination.submitted_at = timezone.now()
    nomination.save(update_fields=["state", "submitted_at"])
    revision = _store_revision(nomination, user)
    audit_record(
        actor=user,
        obj=nomination,
        action=action,
        from_state=from_state,
        to_state=nomination.state,
        message=f"Revision {revision.number}",
    )
    _send_receipt(nomination, revision, user)
    return revision


def _staff_sends_back(actor, nomination, method_name, text, *, missing, busy, notice):
    """A staff transition that carries a message for the agency (return, screen out).

    Steps: require the message; lock; check permission and state; transition;
    keep the message on the nomination for the agency; audit; email the agency.
    `notice` is (action, email key prefix, subject prefix, email template).
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(missing)
    nomination = nomination_lock(nomination)
    from_state = nomination_transition(nomination, method_name, actor, busy_message=busy)
    nomination.staff_message = text
    nomination.save(update_fields=["state", "staff_message"])
    action, key, subject, template = notice
    event = audit_record(
        actor=actor,
        obj=nomination,
        action=action,
        from_state=from_state,
        to_state=nomination.state,
        message=text,
    )
    nomination_email_agency(
        nomination,
        key=f"{key}:{nomination.pk}:{event.pk}",
        subject=f"{subject}: {nomination}",
        template=template,
        context={"message": text},
    )
    return nomination


@transaction.atomic
def nomination_return_for_changes(*, actor, nomination, message):
    """Staff send a submission back to the agency with a message saying what to change.

    The message also starts (or continues) the nomination's conversation.
    """
    nomination = _staff_sends_back(
        actor,
        nomination,
        "return_for_changes",
        message,
        missing="Say what the agency should change.",
        busy="This nomination is now {state}; it can no longer be returned.",
        notice=(
            "nomination_returned",
            "nomination-returned",
            "Changes requested",
            "nominations/email/returned.txt",
        ),
    )
    NominationMessage.objects.create(
        nomination=nomination, author=actor, from_staff=True, body=nomination.staff_message
    )
    return nomination


@transaction.atomic
def nomination_screen_out(*, actor, nomination, reason):
    """Staff find a submission ineligible, with the reason the agency will read."""
    return _staff_sends_back(
        actor,
        nomination,
        "screen_out",
        reason,
        missing="Give the reason the nomination is ineligible.",
        busy="This nomination is now {state}; it can no longer be screened out.",
        notice=(
            "nomination_screened_out",
            "nomination-ineligible",
            "Not eligible",
            "nominations/email/ineligible.txt",
        ),
    )


@transaction.atomic
def nomination_withdraw(*, user, nomination, reason=""):
    """The agency takes its nomination out of the awards (until a decision is made)."""
    nomination = nomination_lock(nomination)
    from_state = nomination_transition(
        nomination,
        "withdraw",
        user,
        busy_message="This nomination is {state} and can no longer be withdrawn.",
    )
    nomination.save(update_fields=["state"])
    event = audit_record(
        actor=user,
        obj=nomination,
        action="nomination_withdrawn",
        from_state=from_state,
        to_state=nomination.state,
        message=(reason or "").strip(),
    )
    nomination_email_agency(
        nomination,
        key=f"nomination-withdrawn:{nomination.pk}:{event.pk}",
        subject=f"Withdrawn: {nomination}",
        template="nominations/email/withdrawn.txt",
        context={"actor": user},
    )
    return nomination


# Conversation -----------------------------------------------------------------------


@transaction.atomic
def message_post(*, user, nomination, body):
    """A message from the agency to staff or back; the other side gets an email."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write a message first.")
    nomination = Nomination.objects.select_related("agency").get(pk=nomination.pk)
    from_staff = is_program_staff(user)
    if not from_staff:
        _require_member(user, nomination)
        if nomination.submitted_at is None:
            # Staff cannot open a nomination before its first submission.
            raise ValidationError(
                "You can write to program staff here once the nomination is submitted. "
                "Until then, write to the awards team by email."
            )
    message = NominationMessage.objects.create(
        nomination=nomination, author=user, from_staff=from_staff, body=body
    )
    audit_record(actor=user, obj=nomination, action="message_posted")
    if from_staff:
        nomination_email_agency(
            nomination,
            key=f"nomination-message:{message.pk}",
            subject=f"New message about {nomination}",
            template="nominations/email/message.txt",
            context={"message": message},
        )
    else:
        outbox_enqueue_each(
            _staff_people(),
            key=f"nomination-message:{message.pk}",
            subject=f"New message from {nomination.agency.name}",
            template="nominations/email/message.txt",
            context={
                "message": message,
                "nomination": nomination,
                "url": site_url(reverse("staff:nomination-detail", kwargs={"pk": nomination.pk})),
            },
        )
    return message


# Evidence ---------------------------------------------------------------------------


def evidence_usage(nomination):
    """(bytes, files) the nomination's current files use against its limits."""
    current = nomination.evidence.exclude(status=EvidenceStatus.REJECTED).filter(
        removed_at__isnull=True
    )
    totals = current.aggregate(bytes=Sum("size"), files=Count("pk"))
    return totals["bytes"] or 0, totals["files"]


def _agency_usage_locked(agency_id):
    """Bytes stored for all of an agency's nominations, with the agency row locked so
    that two uploads to two of its nominations cannot both pass the agency's quota."""
    Agency.objects.select_for_update().filter(pk=agency_id).first()
    total = (
        Evidence.objects.filter(nomination__agency_id=agency_id)
        .exclude(status=EvidenceStatus.REJECTED)
        .aggregate(bytes=Sum("size"))["bytes"]
    )
    return total or 0


@transaction.atomic
def evidence_add(*, user, nomination, upload, kind, alt_text="", description=""):
    """Check an upload by its content and limits, then store it under a server-chosen name.

    Raises ValidationError with a message for the form. Images are stored as
    "being checked" and re-encoded by a background task before anyone can
    download them; PDFs are ready at once.
    """
    nomination = nomination_lock(
        nomination
    )  # serialises uploads: the quota holds under concurrency
    _require_member(user, nomination)
    _require_editable(nomination)
    if kind not in EvidenceKind.values:
        raise ValidationError("Choose what kind of file this is.")
    alt_text = (alt_text or "").strip()
    if kind == EvidenceKind.IMAGE and not alt_text:
        raise ValidationError("Describe the image in a sentence for people who cannot see it.")
    used_bytes, used_files = evidence_usage(nomination)
    checked = uploads.check_upload(
        upload,
        kind,
        used_bytes=used_bytes,
        used_files=used_files,
        agency_used_bytes=_agency_usage_locked(nomination.agency_id),
    )
    evidence = Evidence(
        nomination=nomination,
        kind=kind,
        status=EvidenceStatus.PROCESSING if kind == EvidenceKind.IMAGE else EvidenceStatus.READY,
        original_name=uploads.display_name(upload.name),
        content_type=checked.content_type,
        extension=checked.extension,
        size=upload.size,
        sha256=uploads.sha256_of(upload),
        width=checked.width,
        height=checked.height,
        alt_text=alt_text[:300] if kind == EvidenceKind.IMAGE else "",
        description=(description or "").strip()[:300],
        uploaded_by=user,
    )
    evidence.file.save("upload", upload, save=False)
    try:
        evidence.save()
        audit_record(
            actor=user, obj=nomination, action="evidence_added", message=evidence.original_name
        )
    except BaseException:
        # The row is not written: neither may its file stay behind.
        evidence.file.storage.delete(evidence.file.name)
        raise
    if kind == EvidenceKind.IMAGE:
        # The task module imports this one; importing it at call time avoids the cycle.
        from dz_awards.nominations.tasks import process_evidence_image  # noqa: PLC0415

        transaction.on_commit(lambda: process_evidence_image.enqueue(str(evidence.pk)))
    return evidence


def evidence_process_image(evidence_id):
    """Re-encode an uploaded image from its pixels alone and make it downloadable.

    Runs in the background. Anything Pillow cannot decode within the pixel cap
    is rejected and its file deleted; the agency sees the reason on the page.
    """
    with transaction.atomic():
        evidence = (
            Evidence.objects.select_for_update()
            .filter(pk=evidence_id, status=EvidenceStatus.PROCESSING)
            .first()
        )
        if evidence is None:
            return None
        old_name, storage = evidence.file.name, evidence.file.storage
        try:
            with storage.open(old_name, "rb") as raw:
                data, width, height = uploads.reencode_image(
                    raw, max_pixels=uploads.limits().image_pixels
                )
        except Exception:
            evidence.status = EvidenceStatus.REJECTED
            evidence.rejection_reason = (
                "The image could not be read. Save it again as JPEG or PNG and upload it again."
            )
            evidence.size = 0
            evidence.save(update_fields=["status", "rejection_reason", "size"])
        else:
            clean = ContentFile(data)
            evidence.file.save("clean", clean, save=False)
            evidence.status = EvidenceStatus.READY
            evidence.size = len(data)
            evidence.sha256 = uploads.sha256_of(clean)
            evidence.width, evidence.height = width, height
            evidence.save(update_fields=["file", "status", "size", "sha256", "width", "height"])
        transaction.on_commit(lambda: storage.delete(old_name))
    return evidence


@transaction.atomic
def evidence_delete(*, user, evidence):
    """Remove a file from a nomination the agency can still edit (the file goes after commit)."""
    nomination = nomination_lock(evidence.nomination)
    _require_member(user, nomination)
    _require_editable(nomination)
    name = evidence.original_name
    if str(evidence.pk) in selectors.submitted_evidence_ids(nomination):
        # A submitted revision includes it: staff must still be able to open what was
        # submitted, so it leaves the current list but keeps its file.
        Evidence.objects.filter(pk=evidence.pk).update(removed_at=timezone.now())
    else:
        Evidence.objects.filter(pk=evidence.pk).delete()
    audit_record(actor=user, obj=nomination, action="evidence_deleted", message=name)
