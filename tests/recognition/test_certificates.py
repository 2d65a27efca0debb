"""Certificates issued on release, drawn in the background, moved up to winner, regenerated."""

import io
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django.test import TestCase
from PIL import Image, ImageDraw
from pypdf import PdfReader

from dz_awards.agencies import services as agency_services
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.recognition import badges, services
from dz_awards.recognition.models import Certificate
from dz_awards.recognition.tasks import render_certificate
from reviews import services as review_services
from reviews.enums import Outcome
from tests import factories
from tests.recognition import helpers
from tests.reviews.helpers import events

AWARD_NAME = "Destination Zero National Officer Safety and Wellness Awards"
S = NominationState


@pytest.fixture
def place(db):
    return helpers.world()


# Issued on release --------------------------------------------------------------------------


def test_release_issues_a_certificate_to_each_finalist_and_winner_only(place):
    """Staged decisions give nothing; the release gives the winner and the finalist a
    certificate with the names of that moment (being prepared until drawn), and the
    nomination not selected none."""
    winner = helpers.reviewed(place, "Peer Support After Every Incident")
    finalist = helpers.reviewed(place, "Fitness Coaching for Every Shift")
    declined = helpers.reviewed(place, "A Program Not Selected")
    outcomes = {winner: Outcome.WINNER, finalist: Outcome.FINALIST, declined: Outcome.NOT_SELECTED}
    helpers.stage(place, outcomes)
    assert not Certificate.objects.exists()

    with TestCase.captureOnCommitCallbacks(execute=False):
        review_services.decisions_release(actor=place.staff, cycle=place.cycle)

    issued = {
        c.nomination_id: (c.award, c.program, c.agency, c.category, c.year, c.version)
        for c in Certificate.objects.all()
    }
    assert issued == {
        winner.pk: ("winner", winner.title, helpers.AGENCY, helpers.CATEGORY, 2026, 1),
        finalist.pk: ("finalist", finalist.title, helpers.AGENCY, helpers.CATEGORY, 2026, 1),
    }
    certificate = helpers.certificate_of(winner)
    assert not certificate.is_ready
    assert (certificate.pdf.name, certificate.badge.name, certificate.rendered_at) == ("", "", None)
    assert events(certificate) == [("certificate_issued", "", "", "Winner")]


def test_the_render_task_draws_a_tagged_one_page_certificate_and_a_badge(place, tmp_path):
    """Run at commit as the worker runs it: a landscape Letter PDF/UA page with the program,
    agency, award, category, year and issue date, no script and no attachment; a 300 by 300
    PNG whose text stands out 4.5:1 from its background."""
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.WINNER}, draw=True)

    certificate = helpers.certificate_of(nomination)
    assert certificate.is_ready
    assert certificate.pdf.name.startswith("certificates/")
    assert certificate.badge.name.startswith("badges/")
    data = helpers.stored(certificate.pdf.name).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert [float(v) for v in reader.pages[0].mediabox] == [0, 0, 792, 612]
    text = helpers.pdf_text(data)
    issued_on = certificate.issued_at.astimezone(helpers.EASTERN).strftime("%B %-d, %Y")
    for expected in [
        helpers.PROGRAM,
        helpers.AGENCY,
        "Winner",
        f"{helpers.CATEGORY} · 2026",
        AWARD_NAME,
        f"Issued {issued_on}",
    ]:
        assert expected in text
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    # The frame and rules are drawn as artifacts, outside the text a reader reads.
    assert b"/Artifact" in reader.pages[0].get_contents().get_data()
    info = helpers.pdfinfo(data, tmp_path)
    assert (info["Tagged"], info["JavaScript"], info["Pages"]) == ("yes", "no", "1")
    assert info["Title"] == (
        f"Winner, 2026 Destination Zero Awards: {helpers.PROGRAM}, {helpers.AGENCY}"
    )

    with Image.open(helpers.stored(certificate.badge.name)) as badge:
        assert (badge.format, badge.size, badge.mode) == ("PNG", (300, 300), "RGBA")
        colours = Counter(badge.get_flattened_data())
    background = colours.most_common(1)[0][0]
    assert background[:3] == badges.BACKGROUND
    for colour in badges.TEXT_COLOURS:
        assert colours[(*colour, 255)] > 50, colour  # drawn, not only antialiasing
        assert helpers.contrast_ratio(colour, background) >= 4.5


def test_a_finalist_who_becomes_the_winner_gets_a_winners_certificate(place):
    """A second release awards the finalist: the same certificate now says Winner, with a
    new version and issue date, drawn again."""
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.FINALIST}, draw=False)
    finalist = helpers.certificate_of(nomination)
    assert (finalist.award, finalist.version) == ("finalist", 1)

    helpers.release(place, {Nomination.objects.get(pk=nomination.pk): Outcome.WINNER}, draw=True)

    winner = helpers.certificate_of(nomination)
    assert (winner.pk, winner.award, winner.version) == (finalist.pk, "winner", 2)
    assert winner.issued_at > finalist.issued_at
    assert winner.is_ready
    text = helpers.pdf_text(helpers.stored(winner.pdf.name).read_bytes())
    assert "Winner" in text
    assert "Finalist" not in text
    assert events(winner, "certificate_updated") == [
        ("certificate_updated", "", "", "Finalist → Winner, version 2")
    ]


@pytest.mark.parametrize("state", sorted(set(S) - {S.FINALIST, S.WINNER}))
def test_only_finalists_and_winners_are_issued_a_certificate(place, state):
    nomination = factories.NominationFactory(
        agency=place.agency, cycle=place.cycle, category=place.category, state=state
    )
    with pytest.raises(services.RecognitionError, match="Only finalists and winners"):
        services.certificate_issue(actor=place.staff, nomination=nomination)
    assert not Certificate.objects.exists()


def test_issuing_again_for_the_same_award_changes_nothing(place):
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.FINALIST}, draw=False)
    first = helpers.certificate_of(nomination)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        again = services.certificate_issue(
            actor=place.staff, nomination=Nomination.objects.get(pk=nomination.pk)
        )
    assert (again.pk, again.version, again.issued_at) == (first.pk, 1, first.issued_at)
    assert not queued
    assert len(events(first, "certificate_issued")) == 1


def test_issuing_is_for_staff_or_an_operator(place):
    nomination = factories.NominationFactory(
        agency=place.agency, cycle=place.cycle, category=place.category, state=S.WINNER
    )
    with pytest.raises(PermissionDenied):
        services.certificate_issue(actor=place.member, nomination=nomination)
    assert not Certificate.objects.exists()


# Decisions released before certificates existed ----------------------------------------------


def _decided(place, state, title):
    return factories.NominationFactory(
        agency=place.agency, cycle=place.cycle, category=place.category, state=state, title=title
    )


def test_issue_missing_catches_up_once(place):
    """Finalists and winners decided earlier get their certificate, a finalist's certificate
    follows its nomination to winner; a second run finds nothing to do."""
    winner = _decided(place, S.WINNER, "Winner Decided Earlier")
    finalist = _decided(place, S.FINALIST, "Finalist Decided Earlier")
    _decided(place, S.NOT_SELECTED, "Not Selected Earlier")
    promoted = _decided(place, S.FINALIST, "Finalist Then Winner")
    with TestCase.captureOnCommitCallbacks(execute=False):
        services.certificate_issue(actor=None, nomination=promoted)
    Nomination.objects.filter(pk=promoted.pk).update(state=S.WINNER)
    other_year = factories.NominationFactory(state=S.WINNER, title="Another Year's Winner")

    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        done = services.certificates_issue_missing(actor=place.staff, cycle=place.cycle)

    assert sorted((c.program, c.award, c.version) for c in done) == [
        ("Finalist Decided Earlier", "finalist", 1),
        ("Finalist Then Winner", "winner", 2),
        ("Winner Decided Earlier", "winner", 1),
    ]
    assert len(queued) == 3  # one render each
    assert not Certificate.objects.filter(nomination=other_year).exists()
    assert {winner.pk, finalist.pk} <= set(Certificate.objects.values_list("nomination", flat=True))
    with TestCase.captureOnCommitCallbacks(execute=False) as queued_again:
        assert services.certificates_issue_missing(actor=place.staff, cycle=place.cycle) == []
    assert not queued_again


def test_the_command_issues_missing_certificates_for_a_year(place):
    _decided(place, S.WINNER, "Winner Decided Earlier")
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=False):
        call_command(
            "issue_certificates", "--year", "2026", "--actor", place.staff.email, stdout=out
        )
    assert out.getvalue().splitlines() == [
        f"2026 Winner: Winner Decided Earlier ({helpers.AGENCY})",
        "Issued or updated 1 certificate(s).",
    ]
    other = factories.NominationFactory(state=S.FINALIST, title="Another Year's Finalist")
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=False):
        call_command("issue_certificates", stdout=out)  # every cycle, no one named
    assert out.getvalue().splitlines()[-1] == "Issued or updated 1 certificate(s)."
    assert events(Certificate.objects.get(nomination=other))[0][0] == "certificate_issued"
    with pytest.raises(CommandError, match="There is no cycle of 1999"):
        call_command("issue_certificates", "--year", "1999")
    with pytest.raises(CommandError, match="is not a program staff member"):
        call_command("issue_certificates", "--actor", place.member.email)


# Regenerating -------------------------------------------------------------------------------


LONG_TITLE = ("Peer support within a day of every critical incident, by colleagues " * 5)[:300]


def test_regenerate_prints_corrected_names_and_removes_the_old_files(place):
    """Staff correct the agency's name and the title, then regenerate: the names are read
    again, the version rises, who and why are recorded, the new files replace the old ones
    (deleted from storage), and a 300-character title still fits the one page."""
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.WINNER}, draw=True)
    first = helpers.certificate_of(nomination)
    old_files = [helpers.stored(first.pdf.name), helpers.stored(first.badge.name)]
    assert all(path.exists() for path in old_files)
    agency_services.agency_update(
        user=place.staff, agency=place.agency, name="Riverton Police Department (Ohio)"
    )
    # Staff correct the title in the admin: no service edits a decided nomination.
    Nomination.objects.filter(pk=nomination.pk).update(title=LONG_TITLE)

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.certificate_regenerate(
            actor=place.staff, certificate=first, reason="  The agency's name   was wrong. "
        )

    second = helpers.certificate_of(nomination)
    assert (second.version, second.agency, second.program) == (
        2,
        "Riverton Police Department (Ohio)",
        LONG_TITLE.strip(),
    )
    assert (second.award, second.issued_at, second.regenerated_by) == (
        "winner",
        first.issued_at,
        place.staff,
    )
    assert second.is_ready
    assert not any(path.exists() for path in old_files)
    data = helpers.stored(second.pdf.name).read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = helpers.pdf_text(data)
    assert "Riverton Police Department (Ohio)" in text
    assert " ".join(LONG_TITLE.split()) in text
    assert events(second, "certificate_regenerated") == [
        (
            "certificate_regenerated",
            "",
            "",
            "Version 2. Changed: program, agency. Why: The agency's name was wrong.",
        )
    ]
    assert second.pdf.name != first.pdf.name


@pytest.mark.parametrize(
    ("who", "reason", "error"),
    [
        ("member", "The name was wrong.", PermissionDenied),
        ("staff", "   ", ValidationError),
        ("staff", "x" * 501, ValidationError),
    ],
)
def test_regenerate_is_refused_without_staff_or_a_reason(place, who, reason, error):
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.FINALIST}, draw=False)
    certificate = helpers.certificate_of(nomination)
    actor = place.staff if who == "staff" else place.member
    with pytest.raises(error):
        services.certificate_regenerate(actor=actor, certificate=certificate, reason=reason)
    assert helpers.certificate_of(nomination).version == 1
    assert events(certificate, "certificate_regenerated") == []


def test_regenerate_with_no_name_changed_says_so(place):
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.FINALIST}, draw=False)
    with TestCase.captureOnCommitCallbacks(execute=False):
        certificate = services.certificate_regenerate(
            actor=place.staff, certificate=helpers.certificate_of(nomination), reason="Smudged."
        )
    assert events(certificate, "certificate_regenerated")[0][3] == (
        "Version 2. No name changed. Why: Smudged."
    )


# The render, when it cannot or need not store -----------------------------------------------


def test_a_render_overtaken_by_a_regeneration_stores_nothing(place, monkeypatch):
    """Staff regenerate while version 1 is drawn: version 1's files are not stored, and the
    certificate waits for version 2's render."""
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.WINNER}, draw=False)
    certificate = helpers.certificate_of(nomination)
    draw = badges.badge_png

    def regenerated_meanwhile(issued, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=False):
            services.certificate_regenerate(
                actor=place.staff, certificate=certificate, reason="Wrong name."
            )
        return draw(issued, **kwargs)

    monkeypatch.setattr(badges, "badge_png", regenerated_meanwhile)
    result = render_certificate.enqueue(str(certificate.pk))

    assert result.return_value is None
    current = helpers.certificate_of(nomination)
    assert (current.version, current.pdf.name, current.badge.name) == (2, "", "")
    assert not current.is_ready
    media = Path(helpers.stored(""))
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_render_of_a_certificate_that_is_gone_stores_nothing(db):
    result = render_certificate.enqueue("6f1d3c8e-0000-4000-8000-000000000000")
    assert result.return_value is None


def test_a_machine_without_the_badge_font_fails_loudly(place, monkeypatch, tmp_path, caplog):
    """No font, no badge: the task fails with what to install, the certificate stays being
    prepared, and the failure is logged."""
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.WINNER}, draw=False)
    certificate = helpers.certificate_of(nomination)
    monkeypatch.setattr(badges, "FONT_DIRS", (tmp_path / "no-fonts",))

    result = render_certificate.enqueue(str(certificate.pk))

    assert result.status == TaskResultStatus.FAILED
    (error,) = result.errors
    assert error.exception_class_path == "dz_awards.recognition.badges.BadgeFontMissingError"
    assert "Install the DejaVu fonts (Debian: fonts-dejavu-core)" in error.traceback
    assert not helpers.certificate_of(nomination).is_ready
    assert f"The certificate {certificate.pk} version 1 was not drawn" in caplog.text


def test_a_render_that_cannot_store_its_files_leaves_none_behind(place, settings):
    """The PDF is saved, the badge cannot be (its folder is a file): the PDF saved is
    deleted again, the task fails and the certificate stays being prepared."""
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.WINNER}, draw=False)
    certificate = helpers.certificate_of(nomination)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "badges").write_text("not a folder")

    result = render_certificate.enqueue(str(certificate.pk))

    assert result.status == TaskResultStatus.FAILED
    assert not helpers.certificate_of(nomination).is_ready
    assert list((media / "certificates").iterdir()) == []


def test_a_category_too_long_for_the_badge_is_cut_short_on_its_lines():
    draw = ImageDraw.Draw(Image.new("RGBA", (300, 300)))
    label = "Comprehensive Officer Safety, Wellness and Traffic Safety Programs " * 2
    font, lines = badges.fit_text(
        draw, label, name=badges.REGULAR, size=20, smallest=13, width=244, max_lines=2
    )
    assert font.size == 13
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(draw.textlength(line, font=font) <= 244 for line in lines)
    with Image.open(io.BytesIO(badges.badge_png(_Issued(label)))) as badge:
        assert badge.size == (300, 300)


class _Issued:
    """The names a badge is drawn from, without a certificate row."""

    def __init__(self, category):
        self.award, self.category, self.year, self.agency = "finalist", category, 2026, "X"
