"""Builders for review tests: a world made through the review services.

A cycle with the default rubric, a category's panel of reviewers, a review
phase running now, nominations whose review copy is written and checked,
accepted assignments, and reviews submitted with chosen totals. Nothing here
writes review rows directly; tests that need an impossible-through-services
state (for example an assignment in a given state) build it themselves.
"""

import io
import itertools
from datetime import timedelta
from fractions import Fraction

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings
from django.utils import timezone
from pypdf import PdfWriter

from dz_awards.accounts.enums import REVIEWERS_GROUP
from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.nominations.models import Evidence, Nomination
from reviews import selectors, services
from reviews.models import Assignment, Panel, Review, ReviewCopy, ReviewerProfile, ReviewPhase
from tests import factories
from tests.files import pdf_upload

# What staff write for reviewers: no agency name, city or ORI in any of it.
REDACTED_TITLE = "Peer support within a day of every critical incident"
EXECUTIVE_SUMMARY = (
    "A mid-sized municipal department trained fourteen peers who contact every officer "
    "within 24 hours of a critical incident. Stress-related resignations fell from 11 to 2."
)
REDACTED_TEXT = (
    "The department selected peers by a vote of their colleagues and trained them over "
    "40 hours. A general order makes the peer contact automatic after an incident."
)
COMMENT = "Strong measured results; the peer selection by vote is easy to copy."
JUSTIFICATION = "Figures from before and after, from personnel records."

_ori_numbers = itertools.count(1000)


def on_commit():
    """Run the on-commit callbacks registered inside the block (outbox, identity check).

    In a test wrapped in a transaction nothing commits, so callbacks would never
    run; with `transaction=True` they run at commit and this adds nothing.
    """
    return TestCase.captureOnCommitCallbacks(execute=True)


# The world ------------------------------------------------------------------------


def review_cycle(staff, **fields):
    """A cycle open now, with the default rubric (1 to 5, six criteria of weight 1)."""
    cycle = factories.CycleFactory(**fields)
    services.rubric_create_default(actor=staff, cycle=cycle)
    return cycle


def review_phase(
    cycle,
    *,
    starts=timedelta(days=-1),
    ends=timedelta(days=7),
    reviews_open=True,
    blind=True,
    show_others=False,
    name="Scoring",
):
    """A phase relative to now (by default running now, reviews open, blind)."""
    now = timezone.now()
    return ReviewPhase.objects.create(
        cycle=cycle,
        name=name,
        starts_at=now + starts,
        ends_at=now + ends,
        reviews_open=reviews_open,
        blind=blind,
        show_others=show_others,
    )


def identified_agency(**fields):
    """An agency with a name, a city and an ORI, all of which a blind reviewer must not see."""
    number = next(_ori_numbers)
    defaults = {
        "name": f"Harborview {number} Police Department",
        "city": f"Harborview {number}",
        "state": "OH",
        "ori": f"OH{number:07d}",
    }
    return factories.AgencyFactory(**{**defaults, **fields})


def identity_terms(agency):
    """The strings that must never reach a blind reviewer, as typed."""
    return [value for value in (agency.name, agency.city, agency.ori) if value]


def reviewer(category=None, *, home_agency=None, state="", profile=True, **user_fields):
    """A user in the Reviewers group with a reviewer profile; on `category`'s panel if given."""
    person = factories.UserFactory(**user_fields)
    person.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    if profile:
        ReviewerProfile.objects.create(user=person, home_agency=home_agency, state=state)
    if category is not None:
        Panel.objects.get_or_create(category=category)[0].members.add(person)
    return person


def panel(category, size, **fields):
    """`size` reviewers on `category`'s panel, in creation (pk) order."""
    return [reviewer(category, **fields) for _ in range(size)]


def ready_nomination(
    staff,
    *,
    category,
    agency=None,
    redacted_title=REDACTED_TITLE,
    executive_summary=EXECUTIVE_SUMMARY,
    redacted_text=REDACTED_TEXT,
    uploads=(),
    ocr_images=False,
):
    """A submitted nomination with its review copy saved and the identity check run.

    `uploads` are (file, description) pairs, or (file, description, kind) for an
    image: the agency adds them to its draft and submits through the nomination
    services, and staff show them all to reviewers. Without uploads the
    nomination comes from the factory. With `ocr_images`, OCR reads the images
    (one page each) though the test settings give it no pages: PDFs stay unread.
    """
    agency = agency or identified_agency()
    files = []
    if uploads:
        member = factories.MembershipFactory(agency=agency).user
        nomination = factories.NominationFactory(
            agency=agency, cycle=category.cycle, category=category, complete=True
        )
        for upload, description, *kind in uploads:
            pages = 1 if ocr_images and kind == [EvidenceKind.IMAGE] else settings.OCR_MAX_PAGES
            # Processed on commit: the clean copy and OCR text made, the file ready.
            with override_settings(OCR_MAX_PAGES=pages), on_commit():
                added = nomination_services.evidence_add(
                    user=member,
                    nomination=nomination,
                    upload=upload,
                    kind=kind[0] if kind else EvidenceKind.DOCUMENT,
                    description=description,
                    alt_text=description if kind else "",
                )
            files.append(Evidence.objects.get(pk=added.pk))
        nomination_services.nomination_submit(user=member, nomination=nomination)
    else:
        nomination = factories.submitted_nomination(
            agency=agency, cycle=category.cycle, category=category
        )
    with on_commit():
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary=executive_summary,
            redacted_title=redacted_title,
            redacted_text=redacted_text,
            files=files,
        )
    return Nomination.objects.get(pk=nomination.pk)


def assign(staff, nomination, reviewers, *, accept=True):
    """Assign `reviewers` by hand (and let each accept); the assignments, in order."""
    rows = []
    for person in reviewers:
        row = services.assignment_add(actor=staff, nomination=nomination, reviewer=person)
        if accept:
            row = services.assignment_accept(user=person, assignment=row)
        rows.append(row)
    return rows


def open_review(staff, nomination, reviewers):
    """Assign and accept `reviewers`, then open review; the assignments."""
    rows = assign(staff, nomination, reviewers)
    services.nomination_open_review(actor=staff, nomination=nomination)
    return rows


def in_review(staff, category, reviewers, **fields):
    """A nomination in review with `reviewers` accepted: (nomination, assignments)."""
    nomination = ready_nomination(staff, category=category, **fields)
    rows = open_review(staff, nomination, reviewers)
    return Nomination.objects.get(pk=nomination.pk), rows


# Reviews --------------------------------------------------------------------------


def scores_for_total(criteria, total):
    """Whole scores, one per criterion of equal weight, whose mean is exactly `total`.

    6 criteria reach any sixth: 4.5 is three 4s and three 5s.
    """
    weights = {criterion.weight for criterion in criteria}
    assert len(weights) == 1, "scores_for_total needs criteria of equal weight"
    points = Fraction(str(total)) * len(criteria)
    assert points.denominator == 1, f"{total} is not a mean of {len(criteria)} whole scores"
    base, extra = divmod(int(points), len(criteria))
    return {
        criterion.pk: base + (1 if index < extra else 0) for index, criterion in enumerate(criteria)
    }


def review_input(
    nomination,
    *,
    total=None,
    scores=None,
    overall_comment=COMMENT,
    confidence="high",
    justification=JUSTIFICATION,
    version=1,
):
    """What the review form posts: scores from `scores` ({criterion pk: score}) or a total."""
    _rubric, criteria = selectors.criteria_for(nomination)
    if scores is None:
        scores = scores_for_total(criteria, total) if total is not None else {}
    return services.ReviewInput(
        scores={c.pk: (scores.get(c.pk), justification) for c in criteria},
        overall_comment=overall_comment,
        confidence=confidence,
        version=version,
    )


def assignment_state(assignment):
    """The assignment's state as stored now."""
    return Assignment.objects.values_list("state", flat=True).get(pk=assignment.pk)


def current_version(assignment):
    return (
        Review.objects.filter(assignment_id=assignment.pk).values_list("version", flat=True).first()
        or 1
    )


def submit_review(assignment, total, **fields):
    """Submit the assignment's review with a total of `total` (equal weights)."""
    data = review_input(
        assignment.nomination, total=total, version=current_version(assignment), **fields
    )
    return services.review_save(
        user=assignment.reviewer, assignment=assignment, data=data, submit=True
    )


# Audit and emails -----------------------------------------------------------------


def events(obj, *actions):
    """(action, from_state, to_state, message) of `obj`'s audit events, oldest first."""
    rows = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("id")
    if actions:
        rows = rows.filter(action__in=actions)
    return list(rows.values_list("action", "from_state", "to_state", "message"))


def outbox_rows(prefix):
    """Queued emails whose idempotency key starts with `prefix`, by key."""
    return list(OutboxEmail.objects.filter(key__startswith=prefix).order_by("key"))


def identity_in(text, agency):
    """The agency's identity strings found in `text`, case-insensitively."""
    folded = text.casefold()
    return [term for term in identity_terms(agency) if term.casefold() in folded]


# PDFs -----------------------------------------------------------------------------


def pdf_with_text(text):
    """A one-page PDF, written by hand, whose page shows `text` in Helvetica."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 14 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        (
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
            b"/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>"
        ),
        b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n" % (len(objects) + 1, xref)
    out += b"%%EOF\n"
    return bytes(out)


def pdf_with_properties(**properties):
    """A blank one-page PDF made with pypdf, with document properties such as Author."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata({f"/{name}": value for name, value in properties.items()})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_file(name, content):
    return pdf_upload(name, content)


def copy_of(nomination):
    return ReviewCopy.objects.get(nomination=nomination)
