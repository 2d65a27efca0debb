"""Helpers for the nomination tests: posted form data, worlds built through services,
files added as the agency adds them (and what is left on disk), and the pages' addresses.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

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

# What an agency is told when an upload is refused, and the alternative text it gives.
ALT = "Two officers talking after a shift."
NOT_AN_IMAGE = "This file is not a JPEG, PNG or WebP image. Save it as one of those and try again."
TOO_MANY_PIXELS = (
    "This image has too many pixels; the most we accept is 40 megapixels. Resize it and try again."
)
NOT_A_PDF = "This file is not a PDF. Save or print it as a PDF and try again."


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
    """A ready PDF on the nomination, added as the agency adds one and processed (its
    clean copy made) by the task queued on commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        evidence = services.evidence_add(
            user=user, nomination=nomination, upload=pdf_upload(name), kind=EvidenceKind.DOCUMENT
        )
    return Evidence.objects.get(pk=evidence.pk)


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


# Pages ------------------------------------------------------------------------------------


def nomination_url(name, nomination, **kwargs):
    """The address of the nomination's page `name` (`edit`, `evidence`, `withdraw`...)."""
    return reverse(f"nominations:{name}", kwargs={"pk": nomination.pk, **kwargs})


def page_html(client, url):
    """The page at `url`, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def audit_trail(nomination):
    """(action, message) of the nomination's audit events, oldest first."""
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination),
            object_id=str(nomination.pk),
        )
        .order_by("id")
        .values_list("action", "message")
    )


# Files ------------------------------------------------------------------------------------


def media_root():
    return Path(django_settings.MEDIA_ROOT)


def stored_files():
    """Every file under the media folder, relative to it, sorted."""
    root = media_root()
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def add_file(user, nomination, file, kind=EvidenceKind.IMAGE, alt_text=ALT, **kwargs):
    """Add `file` to the nomination through the service, as `user` (an image by default)."""
    return services.evidence_add(
        user=user, nomination=nomination, upload=file, kind=kind, alt_text=alt_text, **kwargs
    )


def refused_file(user, nomination, file, kind=EvidenceKind.IMAGE, **kwargs):
    """Add `file`, expect a ValidationError; check that nothing was stored. Returns it."""
    with pytest.raises(ValidationError) as error:
        add_file(user, nomination, file, kind, **kwargs)
    assert Evidence.objects.count() == 0
    assert stored_files() == []
    return error.value


def processed_file(capture, user, nomination, file, **kwargs):
    """Add `file` and run the processing queued on commit; the evidence as it is then."""
    with capture(execute=True):
        evidence = add_file(user, nomination, file, **kwargs)
    return Evidence.objects.get(pk=evidence.pk)


def server_name(nomination, extension):
    """The name the server stores a file of the nomination under, as a pattern."""
    return re.compile(rf"^private/nominations/{nomination.pk}/[0-9a-f]{{32}}\{extension}$")
