"""The PDF summary, finished: clickable addresses that copy whole, imported programs
printed in full, key results printed once.

Real WeasyPrint PDFs, rendered once for the module (`pdf_summary_world`), read
back with pikepdf (link annotations, tags), pypdf and poppler's pdftotext (text).
"""

import io
import re
import subprocess
from dataclasses import dataclass

import pikepdf
import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from dz_awards.profiles import history, pdf
from dz_awards.profiles.enums import Award
from dz_awards.profiles.models import Profile, ProfileResource
from tests.worlds import module_world_fixture

# Long addresses full of hyphens: each must wrap, and must never wrap at a hyphen.
LONG_LINK = (
    "https://www.riverton-police-department.example.gov/programs/peer-support-and-"
    "wellness/resources/annual-peer-support-evaluation-report-final-version.html"
)
LONG_EMAIL = (
    "dana.ortiz-hernandez.peer-support-coordinator.wellness-unit@"
    "riverton-police-department-wellness-unit.example.gov"
)
EVALUATION = "https://research.example.edu/peer-support-after-critical-incidents/evaluation"
VIDEO = "https://video.example.org/destination-zero/peer-support-that-stays"
HOSTILE = ["javascript:alert(document.cookie)", "file:///etc/passwd"]
# A resource's title is user text: printed as text, never markup that could fetch.
TITLE_PAYLOAD = 'General order <img src="http://169.254.169.254/x.png">'
RESULTS = (
    "Sick days after critical incidents fell **37%** in two years. "
    "Injuries fell from 58 to 23 a year.\n\n"
    "- Sick days: 37% fewer\n"
    "- Injuries: 58 before, 23 after\n"
    "- Peers trained: 14 volunteers, on call every night\n\n"
    f"The method is in the [evaluation]({EVALUATION}); see also <{LONG_LINK}>. "
    "[Not a link](javascript:alert(1))."
)
FIGURES = [
    {"figure": "37%", "label": "fewer sick days"},
    {"figure": "23", "label": "injuries a year (was 58)"},
]
IMPORT_CSV = (
    "Year,Category,Award,Agency,City,State,Sworn officers,Agency type,Title,Summary,"
    "Resource links,Topics\n"
    '2018,Officer Wellness,Winner,Red Mesa Police Department,Red Mesa,NM,18,Tribal,"Walking '
    'in Balance: Peer Support","Peers check in after every hard call.\n\nFamilies are part '
    'of it.","Program overview <https://redmesa.example.org/walking-in-balance/overview> | '
    'https://www.example.org/red-mesa-peer-support-guide.pdf","Peer support; Families"\n'
)
IMPORTED_LINKS = [
    "https://redmesa.example.org/walking-in-balance/overview",
    "https://www.example.org/red-mesa-peer-support-guide.pdf",
]


@dataclass(frozen=True)
class Rendered:
    """One PDF and what the tests read of it (read once: reading takes a tenth of a second)."""

    data: bytes
    pages: int
    slug: str
    resource_urls: tuple[str, ...]
    uris: tuple[str, ...]
    texts: dict[str, str]  # by extractor: "pdftotext", "pypdf"

    @property
    def profile_url(self):
        return settings.SITE_URL + reverse("profiles:detail", kwargs={"slug": self.slug})


@dataclass(frozen=True)
class World:
    full: Rendered
    imported: Rendered


def _full_profile():
    profile = Profile.objects.create(
        slug="peer-support-that-stays",
        award=Award.WINNER,
        year=2026,
        category_code="officer-wellness",
        category_label="Comprehensive Officer Wellness",
        agency_name="Riverton Police Department",
        city="Riverton",
        state_code="WY",
        title="Peer Support That Stays",
        summary="Trained peers check in with every officer after a critical incident.",
        results=RESULTS,
        key_figures=FIGURES,
        replicability="One coordinator and a group of volunteer peers.",
        contact_name="Sgt. Dana Ortiz-Hernandez",
        contact_email=LONG_EMAIL,
        video_url=VIDEO,
    )
    download = ProfileResource.objects.create(
        profile=profile, title=TITLE_PAYLOAD, file="profiles/public/order.pdf", position=0
    )
    ProfileResource.objects.create(
        profile=profile, title="Evaluation report", url=LONG_LINK, position=1
    )
    for position, url in enumerate(HOSTILE, start=2):
        ProfileResource.objects.create(
            profile=profile, title=f"Hostile {position}", url=url, position=position
        )
    download_url = settings.SITE_URL + reverse(
        "profiles:resource", kwargs={"slug": profile.slug, "resource": download.pk}
    )
    return profile, (download_url, LONG_LINK)


def build_world():
    full, resource_urls = _full_profile()
    report = history.import_history(IMPORT_CSV.encode())
    (_row, imported), *_others = report.created
    return World(
        full=_rendered(full, resource_urls=resource_urls),
        imported=_rendered(imported, resource_urls=()),
    )


def _rendered(profile, *, resource_urls):
    data, pages = pdf.render(profile)
    return Rendered(
        data=data,
        pages=pages,
        slug=profile.slug,
        resource_urls=resource_urls,
        uris=tuple(_uris(data)),
        texts={"pdftotext": _pdftotext(data), "pypdf": _pypdf_text(data)},
    )


pdf_summary_world = module_world_fixture("pdf_summary_world", build_world)


@pytest.fixture
def world(pdf_summary_world, db):
    return pdf_summary_world


def _uris(data):
    """Every /URI of every link annotation, page by page."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as document:
        for page in document.pages:
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link" and "/A" in annotation:
                    found.append(str(annotation.A.get("/URI", "")))
    return found


def _pdftotext(data):
    """The text as poppler extracts it (it takes a line ending in "-" for a word break)."""
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def _pypdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _words(text):
    return " ".join(text.split())


# Clickable links -----------------------------------------------------------------------


def test_every_address_in_the_summary_is_a_link(world):
    full = world.full
    uris = set(full.uris)
    assert {
        *full.resource_urls,
        VIDEO,
        EVALUATION,
        f"mailto:{LONG_EMAIL}",
        full.profile_url,
    } <= uris


@pytest.mark.parametrize("which", ["full", "imported"])
def test_only_http_and_mailto_addresses_become_links(world, which):
    uris = getattr(world, which).uris
    assert uris
    assert all(re.match(r"(https?|mailto):", uri) for uri in uris), uris
    assert not any(bad in uri for uri in uris for bad in ("javascript", "file:"))


def test_a_resource_that_is_not_a_web_address_is_left_out(world):
    text = _words(world.full.texts["pypdf"])
    assert TITLE_PAYLOAD in text
    assert "Hostile" not in text
    assert "alert(document.cookie)" not in text
    assert "/etc/passwd" not in text


def _in_link(element):
    """Whether a structure element is a /Link or inside one."""
    while element is not None and "/S" in element:
        if element.S == "/Link":
            return True
        element = element.get("/P")
    return False


def test_the_links_are_tagged(world):
    """PDF/UA: the document stays tagged, and each link annotation belongs to a /Link
    element of its structure tree."""
    with pikepdf.open(io.BytesIO(world.full.data)) as document:
        root = document.Root
        assert bool(root.MarkInfo.Marked)
        assert root.Lang == "en"
        numbers = root.StructTreeRoot.ParentTree.Nums
        parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        annotations = [a for page in document.pages for a in page.get("/Annots", [])]
        assert len(annotations) >= 6
        assert all(_in_link(parents[int(a.StructParent)]) for a in annotations)


# Long addresses ------------------------------------------------------------------------


@pytest.mark.parametrize("extract", ["pdftotext", "pypdf"])
@pytest.mark.parametrize(
    ("which", "address"),
    [("full", LONG_LINK), ("full", LONG_EMAIL), ("imported", "profile_url")],
    ids=["link", "email", "profile-url"],
)
def test_a_long_address_wraps_but_comes_back_whole(world, extract, which, address):
    rendered = getattr(world, which)
    address = getattr(rendered, address) if address == "profile_url" else address
    text = rendered.texts[extract]
    assert address not in text  # it does wrap,
    assert address in re.sub(r"\s*\n\s*", "", text)  # at a place that loses and adds nothing
    assert not re.search(r"-\n", text)  # and no line of the PDF ends at a hyphen
    assert "\u200b" not in text  # the break opportunities are not text


# Imported past programs ----------------------------------------------------------------


def test_an_imported_program_prints_what_it_has(world):
    imported = world.imported
    text = _words(imported.texts["pypdf"])
    for expected in [
        "Walking in Balance: Peer Support",
        "Red Mesa Police Department",
        "Red Mesa, New Mexico",
        "Tribal",
        "18 sworn officers",
        "WINNER, 2018 DESTINATION ZERO AWARDS · OFFICER WELLNESS",
        "Peers check in after every hard call.",
        "Families are part of it.",
        "Topics: Families, Peer support",
        "Resources",
        "Program overview",
        "redmesa.example.org/walking-in-balance/overview",
    ]:
        assert expected in text, expected
    assert imported.pages == 1


def test_an_imported_program_lists_its_resources_as_links(world):
    imported = world.imported
    text = re.sub(r"\s*\n\s*", "", imported.texts["pdftotext"])
    assert set(IMPORTED_LINKS) <= set(imported.uris)
    for link in IMPORTED_LINKS:
        assert link in text


@pytest.mark.parametrize("heading", ["Key results", "What it takes", "Cost and funding", "Contact"])
def test_an_imported_program_has_no_empty_headings(world, heading):
    assert heading not in world.imported.texts["pypdf"]


# Key results, once ---------------------------------------------------------------------


@pytest.mark.parametrize("number", ["37%", "58", "23"])
def test_each_key_figure_is_printed_once(world, number):
    text = _words(world.full.texts["pypdf"])
    assert len(re.findall(rf"(?<![\w.]){re.escape(number)}(?![\w])", text)) == 1, text


def test_results_that_say_more_than_the_figures_are_kept(world):
    text = _words(world.full.texts["pypdf"])
    assert "fewer sick days" in text
    assert "Peers trained: 14 volunteers, on call every night" in text
    assert "The method is in the evaluation" in text
    assert "Not a link" in text


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        # A sentence whose numbers are all in the figures goes; one that adds a number stays.
        (
            "Sick days fell 41% in two years. Since 2019, 12 peers were trained.",
            "Since 2019, 12 peers were trained.",
        ),
        # List items likewise; a list left empty goes with them.
        ("- Injuries: 47 → 26\n- Sick days: 1,200 → 700\n\nMeasured.", "Measured."),
        ("- Injuries: 47 → 26\n- Peers: 12", "- Peers: 12"),
        # "1,200" and "1200" are the same number; a sentence with no number stays.
        ("It worked. Sick days went from 1200 to 700.", "It worked."),
        # Headings, quotes and fenced code are left as they are.
        ("### 41%\n\n> 41% fewer", "### 41%\n\n> 41% fewer"),
        ("```\n41%\n```", "```\n41%\n```"),
    ],
)
def test_results_beyond_figures(results, expected):
    figures = [
        {"figure": "41%", "label": "fewer sick days (1,200 to 700)"},
        {"figure": "26", "label": "injuries (was 47)"},
    ]
    assert pdf.results_beyond_figures(results, figures) == expected


def test_results_without_figures_are_printed_as_written():
    assert pdf.results_beyond_figures("Fell 41%.", []) == "Fell 41%."


# Addresses, piece by piece -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", ""),
        ("file:///etc/passwd", ""),
        ("ftp://example.org/x", ""),
        ("https:///no-host", ""),
        ("https://example.org/a b", ""),
        ("", ""),
    ],
)
def test_link_href_keeps_only_web_addresses(url, expected):
    assert pdf.link_href(url) == expected


def test_breakable_keeps_hyphenated_pieces_whole_and_escapes_them():
    html = str(pdf.breakable("https://a-b.example.org/x-y?q=<b>"))
    pieces = re.findall(r'<span class="piece">(.*?)</span>', html)
    assert pieces == ["https://a-b.", "example.org/", "x-y?q=&lt;b&gt;"]
    assert html.count("\u200b") == len(pieces) - 1


def test_breakable_cuts_a_long_piece_but_never_after_a_hyphen():
    name = "a" * 29 + "-" + "b" * 40
    pieces = re.findall(r'<span class="piece">(.*?)</span>', str(pdf.breakable(name)))
    assert "".join(pieces) == name
    assert all(len(piece) <= pdf.PIECE_LIMIT + 1 for piece in pieces)
    assert not any(piece.endswith("-") for piece in pieces)
