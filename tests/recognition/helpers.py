"""Builders for recognition tests: decisions released through the review services.

A cycle of 2026 with an "Officer Wellness" category, the Riverton Police
Department with an approved owner, nominations made reviewed, then staged and
released by staff as the decisions page does. `draw=True` runs what the release
queued after commit (the render task, the emails), as the worker would.
"""

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import TestCase
from pypdf import PdfReader

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.recognition.models import Certificate
from reviews import services as review_services
from tests import factories

EASTERN = ZoneInfo("America/New_York")
YEAR = 2026
AGENCY = "Riverton Police Department"
CATEGORY = "Officer Wellness"
PROGRAM = "Peer Support Within a Day of Every Critical Incident"


@dataclass
class World:
    staff: object
    cycle: object
    category: object
    agency: object
    member: object


def world() -> World:
    staff = factories.StaffFactory(full_name="Pat Rivera")
    cycle = factories.CycleFactory(year=YEAR)
    category = factories.CategoryFactory(cycle=cycle, label=CATEGORY)
    agency = factories.AgencyFactory(name=AGENCY)
    member = factories.OwnerFactory(agency=agency).user
    return World(staff=staff, cycle=cycle, category=category, agency=agency, member=member)


def reviewed(place: World, title: str = PROGRAM, *, agency=None) -> Nomination:
    """A submitted nomination whose review is closed: ready to be decided."""
    nomination = factories.submitted_nomination(
        agency=agency or place.agency, cycle=place.cycle, category=place.category, title=title
    )
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.REVIEWED)
    return Nomination.objects.get(pk=nomination.pk)


def stage(place: World, outcomes: dict) -> None:
    for nomination, outcome in outcomes.items():
        review_services.decision_stage(actor=place.staff, nomination=nomination, outcome=outcome)


def release(place: World, outcomes: dict, *, draw: bool) -> None:
    """Stage `outcomes` ({nomination: Outcome}) and release them; with `draw`, run what the
    release queued after commit (the certificates' render among it)."""
    stage(place, outcomes)
    with TestCase.captureOnCommitCallbacks(execute=draw):
        review_services.decisions_release(actor=place.staff, cycle=place.cycle)


def certificate_of(nomination: Nomination) -> Certificate:
    return Certificate.objects.get(nomination=nomination)


def stored(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def pdf_text(data: bytes) -> str:
    """The PDF's text, with its spaces and line breaks collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdfinfo(data: bytes, tmp_path: Path) -> dict[str, str]:
    """What poppler's `pdfinfo` says of the PDF, as {field: value}."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    output = subprocess.run(  # noqa: S603 - our own file, a fixed program
        ["/usr/bin/pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in output.splitlines() if ":" in line)
    }


def relative_luminance(colour: tuple[int, ...]) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0 to 255 per channel)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
