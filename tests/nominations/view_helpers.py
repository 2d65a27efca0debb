"""Helpers for the nomination view tests: posted form data and worlds built through services."""

from django.contrib.auth.models import Group

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.agencies.models import Agency
from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations import services
from dz_awards.nominations.content import TEXT_FIELDS
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.nominations.models import (
    DraftConflict,
    Evidence,
    Nomination,
    NominationMessage,
    NominationRevision,
)
from tests import factories
from tests.files import pdf_upload


def form_data(nomination, **changes):
    """The edit form as a browser posts it, from the nomination's current values."""
    data = {
        "version": str(nomination.version),
        "category": str(nomination.category_id or ""),
        "start_date": nomination.start_date.isoformat() if nomination.start_date else "",
        "participation": nomination.participation,
        "outcomes-TOTAL_FORMS": "1",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-MIN_NUM_FORMS": "0",
        "outcomes-MAX_NUM_FORMS": "10",
        "head_attestation_shown": "1",
    }
    for name in TEXT_FIELDS:
        data[name] = getattr(nomination, name)
    for key, value in (nomination.outcomes[0] if nomination.outcomes else {}).items():
        data[f"outcomes-0-{key}"] = value
    if nomination.head_attestation:
        data["head_attestation"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def make_reviewer():
    """A signed-up user in the Reviewers group (and in no agency)."""
    reviewer = factories.UserFactory()
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return reviewer


def add_pdf(user, nomination, name="policy.pdf"):
    """A ready PDF on the nomination, added as the agency adds one."""
    return services.evidence_add(
        user=user, nomination=nomination, upload=pdf_upload(name), kind=EvidenceKind.DOCUMENT
    )


def submitted(member, *, evidence_name="policy.pdf", **kwargs):
    """A complete draft of the member's agency, with one PDF, submitted through the service."""
    nomination = factories.NominationFactory(complete=True, **kwargs)
    add_pdf(member, nomination, evidence_name)
    services.nomination_submit(user=member, nomination=nomination)
    nomination.refresh_from_db()
    return nomination


def database_state():
    """Everything a request about nominations could change, for before/after comparisons."""
    return {
        "nominations": list(Nomination.objects.order_by("pk").values()),
        "revisions": list(
            NominationRevision.objects.order_by("pk").values_list("nomination", "number")
        ),
        "evidence": list(Evidence.objects.order_by("pk").values_list("pk", "status", "file")),
        "messages": list(NominationMessage.objects.order_by("pk").values_list("pk", "body")),
        "conflicts": list(
            DraftConflict.objects.order_by("pk").values_list("pk", "resolved_at", "content")
        ),
        "agencies": list(
            Agency.objects.order_by("pk").values_list("pk", "verified_at", "verified_by")
        ),
        "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", "action")),
        "outbox": list(OutboxEmail.objects.order_by("pk").values_list("pk", "key")),
    }
