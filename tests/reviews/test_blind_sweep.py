"""Blind review, swept: a reviewer's whole journey and every email, searched for the agency.

The agency behind the nominations has a distinctive name, city and ORI; the
PDF staff chose for reviewers was uploaded as "policy.pdf" and renamed after
the identity check to carry all three, so that only the neutral file name
stands between the reviewer and them (the check would otherwise keep review
from opening). A reviewer then goes through every reviewer URL in every state
of their assignment, with form errors, a stale version and a read-only review,
and is refused other people's assignments, files, staff pages and the
agency's own pages; staff assign, open review, reopen the review, remind and
close review, and a decline brings in a replacement.

Everything the reviewers receive is kept: every response (status, headers,
cookies, body, and so every page <title>), every queued email (subject and
body) and every email actually sent (its headers too). In a blind phase none
of it holds the agency's name, city or ORI, in any case. The same journey in
an open phase shows the agency on the assignment page and the original file
name in the download (so the search does find what is there), while the
emails stay blind, as the services promise whatever the phase.

The files are hostile: every PDF staff chose hides the agency's name in one
of the places a reader does not see (`tests.hostile_pdfs`: an earlier
revision's document information, XMP, form fields, attachments, annotations,
scripts and actions, …). The reviewer gets clean copies, so the text of every
file downloaded (pypdf's page text, every string and stream in the file, and
OCR of every page) is searched too, and holds none of it. The agency also
uploaded a picture of its letterhead: OCR reads the name in it, the check
holds it back, and staff leave it out with the PDF whose form field the
cleaning drew onto its page; the reviewer's attempt to fetch it is refused.

The views tests (`views/reviewer/`) check the pages' behaviour; this adds
the emails, the replacements' emails, the reopened and read-only states,
drafts, every form error, the out-of-scope and staff URLs, and every header.
"""

import io
import re
import uuid
from dataclasses import dataclass, field
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dz_awards.core.models import OutboxEmail
from dz_awards.core.ocr import ocr_pdf
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus
from dz_awards.nominations.models import Evidence
from reviews import selectors, services
from reviews.enums import AssignmentState, Confidence, DeclineReason
from reviews.models import Assignment, ReviewPhase
from tests import factories, hostile_pdfs
from tests.files import upload
from tests.reviews import helpers

A = AssignmentState

NAME = "Halvorsen Creek Police Department"
CITY = "Pellmarsh"
ORI = "OH0457781"
TERMS = (NAME, CITY, ORI)
FILE_NAME = f"{NAME} {CITY} {ORI} peer support policy.pdf"
PDF_TEXT = hostile_pdfs.INNOCENT_TEXT
# Every place text can hide in a PDF but pictures (a letterhead in pixels is found by OCR
# and holds the file back; tests/reviews/test_clean_copies.py covers that).
HIDDEN_PLACES = sorted(set(hostile_pdfs.HOSTILE_PDFS) - hostile_pdfs.PICTURE_PLACES)
# The letterhead as an evidence image: the one file OCR reads while the world is built.
LETTERHEAD = "letterhead.png"

pytestmark = pytest.mark.django_db


def _found(text):
    folded = text.casefold()
    return [term for term in TERMS if term.casefold() in folded]


# The world ----------------------------------------------------------------------------


@dataclass
class World:
    staff: object
    cycle: object
    phase: object
    nomination: object  # reviewed by `me` and `other`
    second: object  # the same agency's second nomination: reminded, then declined
    evidence: object  # the PDF chosen for reviewers, renamed FILE_NAME
    hidden: object  # a file of the nomination that staff did not choose
    letterhead: object  # the agency's letterhead as a picture: held back, left out
    me: object
    other: object
    spare: object  # on the panel: with `other`, replaces `me` on the second nomination
    rows: list  # the assignments of `nomination`: me, other


def _world(capture, *, blind):
    staff = factories.StaffFactory()
    cycle = helpers.review_cycle(staff, reviewers_per_nomination=2)
    category = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    phase = helpers.review_phase(cycle, blind=blind, show_others=True)
    agency = helpers.identified_agency(name=NAME, city=CITY, ori=ORI, state="OH")
    me, other, spare = helpers.panel(category, 3)
    uploads = [
        (helpers.pdf_file(f"policy-{number}.pdf", hostile_pdfs.HOSTILE_PDFS[place](NAME)), place)
        for number, place in enumerate(HIDDEN_PLACES, 1)
    ]
    picture = upload(LETTERHEAD, hostile_pdfs.letterhead_png(NAME.upper()), "image/png")
    uploads.append((picture, "Our letterhead", EvidenceKind.IMAGE))
    nomination = helpers.ready_nomination(
        staff, category=category, agency=agency, uploads=uploads, ocr_images=True
    )
    second = helpers.ready_nomination(staff, category=category, agency=agency)
    copy = helpers.copy_of(nomination)
    letterhead = copy.files.get(original_name=LETTERHEAD)
    assert letterhead.ocr["pages_read"] == 1
    # Only OCR finds the name in the picture (its name and description do not carry it).
    label = f"file {len(uploads)} ({LETTERHEAD})"
    assert [
        (leak["where"], leak["what"]) for leak in copy.leaks if leak["file"] == str(letterhead.pk)
    ] == [(f"{label}: image (OCR)", "agency name")]
    # A form field's value is drawn onto the page by the cleaning, where the check finds
    # it; the letterhead is a picture of the name. Staff leave both out, as the check asks
    # (an override would send the reviewer the name in pixels).
    held = {leak["file"] for leak in copy.leaks}
    assert {e.description for e in copy.files.all() if str(e.pk) in held} == {
        "form field value",
        "Our letterhead",
    }
    with helpers.on_commit():
        services.review_copy_save(
            actor=staff,
            nomination=nomination,
            executive_summary=copy.executive_summary,
            redacted_title=copy.redacted_title,
            redacted_text=copy.redacted_text,
            files=[e for e in copy.files.all() if str(e.pk) not in held],
        )
    copy = helpers.copy_of(nomination)
    assert copy.is_checked
    assert copy.leaks == []
    chosen = list(copy.files.order_by("created_at"))
    assert len(chosen) == len(HIDDEN_PLACES) - 1
    assert all(f.status == EvidenceStatus.READY for f in chosen)
    evidence = chosen[0]
    Evidence.objects.filter(pk=evidence.pk).update(original_name=FILE_NAME)
    evidence.refresh_from_db()
    hidden = Evidence.objects.create(
        nomination=nomination,
        kind=evidence.kind,
        status=EvidenceStatus.READY,
        file=evidence.file.name,
        original_name=f"{CITY} budget.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=evidence.size,
    )
    with capture(execute=True):
        rows = helpers.assign(staff, nomination, [me, other], accept=False)
    return World(
        staff,
        cycle,
        phase,
        nomination,
        second,
        evidence,
        hidden,
        letterhead,
        me,
        other,
        spare,
        rows,
    )


# What the reviewer receives ---------------------------------------------------------


@dataclass
class Seen:
    """Every response of the journey, as text, with what was asked."""

    client: Client
    responses: list = field(default_factory=list)  # (label, text)
    titles: list = field(default_factory=list)  # (label, <title>)
    files: list = field(default_factory=list)  # (label, bytes) of each PDF downloaded

    def _keep(self, label, response):
        if response.streaming:
            body = b"".join(response.streaming_content)
            # The file only: response.close() would also end the test's database connection.
            if getattr(response, "file_to_stream", None) is not None:
                response.file_to_stream.close()
        else:
            body = response.content
        if body.startswith(b"%PDF"):
            self.files.append((label, body))
        text = body.decode("utf-8", errors="replace")
        headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
        cookies = response.cookies.output()
        self.responses.append((label, f"{response.status_code}\n{headers}\n{cookies}\n{text}"))
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        if title:
            self.titles.append((label, title.group(1).strip()))
        return text

    def _check(self, label, response, status, follow):
        assert response.status_code == status, f"{label}: {response.status_code}"
        text = self._keep(label, response)
        if follow and response.status_code == 302:
            return self.get(response["Location"], label=f"{label} → {response['Location']}")
        return response, text

    def get(self, url, status=200, *, follow=False, label=None):
        return self._check(label or f"GET {url}", self.client.get(url), status, follow)

    def post(self, url, data=None, status=302, *, follow=True, label=None):
        response = self.client.post(url, data or {})
        return self._check(label or f"POST {url}", response, status, follow)


def _emails(world):
    """(label, text) of every email to a reviewer: queued rows and the messages sent."""
    people = {world.me.email, world.other.email, world.spare.email}
    texts = [
        (f"outbox {row.key}", f"{row.subject}\n{row.body}")
        for row in OutboxEmail.objects.filter(to__in=people).order_by("pk")
    ]
    for message in mail.outbox:
        if not set(message.to) & people:
            continue
        parsed = message.message()
        headers = "\n".join(
            f"{key}: {make_header(decode_header(value))}" for key, value in parsed.items()
        )
        texts.append((f"sent {message.subject}", f"{headers}\n{message.subject}\n{message.body}"))
    return texts


# The journey ------------------------------------------------------------------------


def _review_data(nomination, version, *, score=4, complete=True, **changes):
    _rubric, criteria = selectors.criteria_for(nomination)
    data = {
        "version": str(version),
        "overall_comment": "Strong measured results.",
        "confidence": Confidence.HIGH,
        "action": "submit",
    }
    for index, criterion in enumerate(criteria):
        if complete or index == 0:
            data[f"score_{criterion.pk}"] = str(score)
            data[f"justification_{criterion.pk}"] = "Figures from before and after."
    data.update(changes)
    return data


@dataclass
class Journey:
    world: World
    capture: object  # django_capture_on_commit_callbacks
    seen: Seen

    def url(self, name, row=None, **kwargs):
        row = row or self.world.rows[0]
        return reverse(f"reviews:{name}", kwargs={"pk": row.pk, **kwargs})

    @property
    def file_url(self):
        return self.url("file", evidence=self.world.evidence.pk)

    def version(self):
        return helpers.current_version(self.world.rows[0])

    def review(self, **kwargs):
        return _review_data(self.world.nomination, self.version(), **kwargs)

    def staff_acts(self):
        """Staff (or a service) act: emails queued meanwhile are sent at the end."""
        return self.capture(execute=True)


QUEUE = "reviews:queue"
EXPORT = "reviews:export"


def _invited_then_accepted(j):
    """Invited, then accepted, while review of the nomination is not open yet."""
    seen, url = j.seen, j.url
    seen.get(reverse("portal:after-login"), 302, follow=True)
    seen.get(reverse(QUEUE))
    seen.get(url("assignment"))
    seen.get(url("review"))
    seen.get(url("decline"), 302, follow=True)
    seen.get(url("accept"), 405)
    seen.post(url("decline"), {}, 200, label="decline without a reason")
    seen.post(url("decline"), {"decline-reason": DeclineReason.CONFLICT}, 200)
    seen.post(url("conflict"), {"conflict-reason": "   "}, 200, label="conflict without a reason")
    seen.get(j.file_url)
    seen.get(reverse(EXPORT))
    seen.post(url("accept"))
    seen.post(url("accept"), label="accept again")  # refused: "already accepted"
    seen.get(url("review"))
    seen.post(url("decline"), {"decline-reason": "nonsense"}, 200, label="decline, bad reason")
    seen.get(reverse(QUEUE))


def _in_review(j):
    """Review opens: not started, a draft, an incomplete submit, a stale tab, submitted,
    the other reviewer's review shown, revised; reopened by staff and submitted again."""
    seen, url, world = j.seen, j.url, j.world
    mine, theirs = world.rows
    with j.staff_acts():
        services.assignment_accept(user=world.other, assignment=theirs)
        services.nomination_open_review(actor=world.staff, nomination=world.nomination)
    seen.get(url("assignment"))
    seen.get(url("review"))
    seen.post(url("review"), j.review(complete=False, action="draft"))
    seen.get(reverse(QUEUE))
    seen.get(url("assignment"))
    incomplete = j.review(overall_comment="", confidence="")
    seen.post(url("review"), incomplete, 200, label="incomplete submit")
    stale = _review_data(world.nomination, 1)
    seen.post(url("review"), stale, 200, label="stale version")
    seen.post(url("review"), j.review())
    assert Assignment.objects.get(pk=mine.pk).state == A.SUBMITTED
    with j.staff_acts():
        helpers.submit_review(theirs, 3.0)
    seen.get(url("assignment"))
    seen.get(url("review"))
    seen.post(url("review"), j.review(score=5))
    for number, item in enumerate(selectors.reviewer_files(mine), 1):
        seen.get(url("file", evidence=item.pk), label=f"GET file {number} /files/")
    draft = j.review(action="draft")
    seen.post(url("review"), draft, 200, label="draft of a submitted review")
    seen.get(reverse(EXPORT))
    seen.get(j.file_url)
    with j.staff_acts():
        services.assignment_reopen(actor=world.staff, assignment=mine)
    seen.get(reverse(QUEUE))
    seen.get(url("assignment"))
    seen.get(url("review"))
    seen.post(url("review"), j.review(score=3))


def _second_nomination(j):
    """The agency's second nomination: assigned, reminded, declined; replacements come."""
    seen, url, world = j.seen, j.url, j.world
    with j.staff_acts():
        (second,) = helpers.assign(world.staff, world.second, [world.me], accept=False)
        assert services.reviewers_remind(actor=world.staff, cycle=world.cycle) == [world.me]
    seen.get(reverse(QUEUE))
    seen.get(url("assignment", second))
    too_long = {"decline-reason": DeclineReason.OTHER, "decline-note": "x" * 2001}
    seen.post(url("decline", second), too_long, 200, label="decline, note too long")
    with j.staff_acts():
        seen.post(url("decline", second), {"decline-reason": DeclineReason.AVAILABILITY})
    assert world.second.assignments.filter(reviewer=world.spare, state=A.INVITED).exists()
    seen.get(url("assignment", second), 404)
    seen.get(url("review", second), 404)


def _read_only(j):
    """The phase stops writing; then review of the nomination closes."""
    seen, url, world = j.seen, j.url, j.world
    phases = ReviewPhase.objects.filter(pk=world.phase.pk)
    phases.update(reviews_open=False)
    seen.get(reverse(QUEUE))
    seen.get(url("assignment"))
    seen.get(url("review"))
    late = j.review(score=1, overall_comment="Too late.")
    seen.post(url("review"), late, 200, label="review while the phase is closed")
    phases.update(reviews_open=True)
    with j.staff_acts():
        services.nomination_close_review(actor=world.staff, nomination=world.nomination)
    seen.get(reverse(QUEUE))
    seen.get(url("assignment"))
    seen.get(url("review"))
    seen.post(url("review"), j.review(), 200, label="review closed")
    seen.get(reverse(EXPORT))


def _out_of_scope(j):
    """Someone else's assignment, unknown ids, a file not shared, staff and agency pages."""
    seen, url, world = j.seen, j.url, j.world
    theirs = world.rows[1]
    for name in ("assignment", "review", "decline", "conflict"):
        seen.get(url(name, theirs), 404)
    seen.get(url("file", theirs, evidence=world.evidence.pk), 404)
    for name in ("accept", "decline", "conflict", "review"):
        seen.post(url(name, theirs), {"conflict-reason": "x"}, 404, follow=False)
    seen.get(reverse("reviews:assignment", kwargs={"pk": 10**8}), 404)
    seen.get(url("file", evidence=world.hidden.pk), 404)
    seen.get(url("file", evidence=world.letterhead.pk), 404)
    seen.get(url("file", evidence=uuid.uuid4()), 404)
    for name in (
        "staff:nomination-detail",
        "staff:nomination-review-copy",
        "staff:nomination-assignments",
        "nominations:detail",
        "nominations:changes",
    ):
        seen.get(reverse(name, kwargs={"pk": world.nomination.pk}), 404)
    download = {"pk": world.nomination.pk, "evidence": world.evidence.pk}
    seen.get(reverse("nominations:evidence-download", kwargs=download), 404)
    for name in ("staff:review", "staff:review-scoreboard", "staff:review-export-nominations"):
        seen.get(reverse(name, kwargs={"cycle": world.cycle.pk}), 404)


def _conflict_at_the_end(j):
    """A conflict declared after everything: the nomination leaves every page."""
    seen, url = j.seen, j.url
    seen.post(url("conflict"), {"conflict-reason": "I once worked with its chief."})
    for name in ("assignment", "review"):
        seen.get(url(name), 404)
    seen.get(j.file_url, 404)
    seen.get(reverse(QUEUE))
    seen.get(reverse(EXPORT))


def _journey(world, capture):
    """Drive `me` through every reviewer URL while staff act in between; what was seen."""
    client = Client()
    client.force_login(world.me)
    journey = Journey(world, capture, Seen(client))
    for stage in (
        _invited_then_accepted,
        _in_review,
        _second_nomination,
        _read_only,
        _out_of_scope,
        _conflict_at_the_end,
    ):
        stage(journey)
    return journey.seen


def _file_texts(files):
    """(label, text) of every downloaded file as a reader with tools reads it: its page
    text (pypdf), every string, name and decoded stream in it, and OCR of its pages."""
    texts = []
    read = {}  # the same bytes downloaded again read the same: OCR them once
    for label, data in files:
        reader = PdfReader(io.BytesIO(data))
        page_text = " ".join(page.extract_text() or "" for page in reader.pages)
        texts.append((f"{label}: page text", page_text))
        texts.extend((f"{label}: inside", text) for text in hostile_pdfs.every_text(data))
        if data not in read:
            # 100 dpi reads a letterhead as well as the upload check's 150 (core/ocr tests).
            read[data] = ocr_pdf(data, max_pages=5, max_seconds=60, dpi=100)
        ocr = read[data]
        assert ocr.stopped == ""
        assert ocr.pages_read == len(reader.pages)
        texts.extend((f"{label}: {where}", text) for where, text in ocr.texts)
    return texts


def _email_kinds(world, person):
    keys = OutboxEmail.objects.filter(to=person.email).values_list("key", flat=True)
    return sorted(key.split(":", 1)[0] for key in keys)


# Tests --------------------------------------------------------------------------------


def test_blind_reviewer_receives_no_agency_identity_anywhere(
    django_capture_on_commit_callbacks, settings
):
    settings.EVIDENCE_MAX_FILES = len(HIDDEN_PLACES) + 1
    world = _world(django_capture_on_commit_callbacks, blind=True)
    seen = _journey(world, django_capture_on_commit_callbacks)

    # The journey went everywhere it meant to (a short cut would prove nothing).
    assert len(seen.responses) > 80
    statuses = [int(text.split("\n", 1)[0]) for _label, text in seen.responses]
    assert {200, 302, 404, 405} <= set(statuses)
    downloads = [t for label, t in seen.responses if "/files/" in label and t.startswith("200")]
    assert len(downloads) == 2 + len(HIDDEN_PLACES) - 1
    assert sum('filename="file-1.pdf"' in text for text in downloads) == 3
    # Every file the reviewer got is a PDF, read below (the letterhead picture was refused).
    assert len(seen.files) == len(downloads)
    file_texts = _file_texts(seen.files)
    assert all(PDF_TEXT in text for label, text in file_texts if label.endswith("page text"))
    assert all(title for _label, title in seen.titles)
    assert len(seen.titles) > 50
    emails = _emails(world)
    assert _email_kinds(world, world.me) == [
        "review-assigned",
        "review-assigned",
        "review-open",
        "review-reminder",
        "review-reopened",
    ]
    # The decline brought in both reviewers left on the panel.
    assert _email_kinds(world, world.other) == ["review-assigned", "review-assigned", "review-open"]
    assert _email_kinds(world, world.spare) == ["review-assigned"]
    assert sum(1 for label, _text in emails if label.startswith("sent")) == 9

    everything = seen.responses + emails + file_texts
    leaks = [(label, _found(text)) for label, text in everything if _found(text)]
    assert leaks == []
    assert [(label, title) for label, title in seen.titles if _found(title)] == []


def test_open_review_shows_the_agency_and_the_search_finds_it(
    django_capture_on_commit_callbacks, settings
):
    """The control: with review not blind the same search finds the agency on the pages."""
    settings.EVIDENCE_MAX_FILES = len(HIDDEN_PLACES) + 1
    world = _world(django_capture_on_commit_callbacks, blind=False)
    seen = _journey(world, django_capture_on_commit_callbacks)

    page = reverse("reviews:assignment", kwargs={"pk": world.rows[0].pk})
    first = next(text for label, text in seen.responses if label == f"GET {page}")
    assert NAME in first
    assert f">{FILE_NAME}</a>" in first
    renamed = f"/files/{world.evidence.pk}/"
    downloads = [t for label, t in seen.responses if renamed in label and t.startswith("200")]
    assert len(downloads) == 2
    assert all(f'filename="{FILE_NAME}"' in text for text in downloads)
    assert {term for _label, text in seen.responses for term in _found(text)} == set(TERMS)
    # Emails to reviewers are blind whatever the phase.
    emails = _emails(world)
    assert len(emails) == 18
    assert [(label, _found(text)) for label, text in emails if _found(text)] == []
