"""This year's demo nominations, each taken to its final state through the nomination services.

Nothing here sets a state or writes a revision directly: each nomination is
started, typed, given files, submitted, returned, resubmitted, withdrawn or
screened out by the same service calls the pages make, so its audit trail,
revisions, message thread and outbox emails are the real thing. The texts are
in `dz_awards.demo.content.nominations`; the files are drawn and written by
`dz_awards.demo.images` and `dz_awards.demo.documents`.
"""

import re
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from dz_awards.demo import documents, images
from dz_awards.demo.content.nominations import (
    AGENCY_CONTACTS,
    NOMINATIONS,
    PARTIAL_DRAFT,
    RESUBMITTED,
)
from dz_awards.demo.content.world import AGENCY_OWNERS
from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind, NominationState
from dz_awards.nominations.models import Nomination

S = NominationState


def _saved(user, nomination, content):
    result = services.nomination_save_draft(
        user=user, nomination=nomination, content=content, version=nomination.version
    )
    if not result.saved:  # pragma: no cover - nobody else edits while the demo loads
        msg = f"Demo nomination {nomination} changed while loading."
        raise RuntimeError(msg)
    return result.nomination


def _slug(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _add_files(user, nomination, spec, *, chart, papers, poster):
    """Upload the spec's files through `evidence_add`; returns the ids of the images."""
    agency_name = nomination.agency.name
    image_ids = []
    if poster and spec.poster:
        evidence = services.evidence_add(
            user=user,
            nomination=nomination,
            upload=SimpleUploadedFile(
                f"{_slug(spec.title)}-poster.jpg",
                images.campaign_poster_jpeg(spec.poster, agency_name),
                "image/jpeg",
            ),
            kind=EvidenceKind.IMAGE,
            alt_text=images.campaign_poster_alt_text(spec.poster, agency_name),
            description="The poster used to promote the program.",
        )
        # Checked at once, as the worker would before the agency could submit.
        services.evidence_process_image(evidence.pk)
        image_ids.append(evidence.pk)
    if chart:
        outcomes = nomination.outcomes
        evidence = services.evidence_add(
            user=user,
            nomination=nomination,
            upload=SimpleUploadedFile(
                f"{_slug(spec.title)}-outcomes.png",
                images.chart_png(spec.title, outcomes),
                "image/png",
            ),
            kind=EvidenceKind.IMAGE,
            alt_text=images.chart_alt_text(outcomes),
            description="The measured outcomes as a chart.",
        )
        services.evidence_process_image(evidence.pk)
        image_ids.append(evidence.pk)
    for document in papers:
        paper = services.evidence_add(
            user=user,
            nomination=nomination,
            upload=SimpleUploadedFile(
                document.file_name,
                documents.pdf_document(
                    document.title, document.paragraphs, agency_name=agency_name
                ),
                "application/pdf",
            ),
            kind=document.kind,
            description=document.description,
        )
        # Its clean copy made at once, as the worker would before the agency could submit.
        services.evidence_process(paper.pk)
    return image_ids


def _load_one(spec, *, agency, cycle, users):
    """Take one demo nomination through the services to its final state; returns image ids."""
    author = users[AGENCY_OWNERS[spec.agency]]
    staff = users[spec.staff]
    year_back, month = spec.started
    content = {
        **spec.content,
        "category": cycle.categories.get(code=spec.category),
        "start_date": date(cycle.year - year_back, month, 1),
    }
    nomination = services.nomination_create(
        user=author, agency=agency, cycle=cycle, category=content["category"], title=spec.title
    )
    if spec.ends_as == PARTIAL_DRAFT:
        _saved(author, nomination, content)
        return []
    content.update(AGENCY_CONTACTS[spec.agency], head_attestation=True)
    nomination = _saved(author, nomination, content)
    image_ids = _add_files(
        author, nomination, spec, chart=spec.chart, papers=spec.documents, poster=True
    )
    if spec.ends_as == S.DRAFT:
        return image_ids
    services.nomination_submit(user=author, nomination=nomination)
    if spec.ends_as == S.WITHDRAWN:
        services.nomination_withdraw(
            user=author, nomination=nomination, reason=spec.withdraw_reason
        )
    elif spec.ends_as == S.INELIGIBLE:
        services.nomination_screen_out(
            actor=staff, nomination=nomination, reason=spec.screen_reason
        )
    elif spec.ends_as in (S.RETURNED, RESUBMITTED):
        services.nomination_return_for_changes(
            actor=staff, nomination=nomination, message=spec.return_message
        )
        for email, body in spec.thread:
            services.message_post(user=users[email], nomination=nomination, body=body)
    if spec.ends_as == RESUBMITTED:
        nomination = _saved(author, Nomination.objects.get(pk=nomination.pk), spec.changes)
        image_ids += _add_files(
            author,
            nomination,
            spec,
            chart=spec.chart_after_return,
            papers=spec.documents_after_return,
            poster=False,
        )
        services.nomination_resubmit(user=author, nomination=nomination)
    return image_ids


def load_demo_nominations(*, cycle, agencies, users):
    """Add the demo nominations missing from `cycle` (found by agency and title).

    Must run in a transaction. Returns the ids of the images added; each was
    checked as soon as it was uploaded, as the worker would before the agency
    could submit.
    """
    image_ids = []
    for spec in NOMINATIONS:
        agency = agencies[spec.agency]
        if Nomination.objects.filter(agency=agency, cycle=cycle, title=spec.title).exists():
            continue
        image_ids += _load_one(spec, agency=agency, cycle=cycle, users=users)
    return image_ids
