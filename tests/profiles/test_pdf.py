"""The PDF summary: real WeasyPrint PDFs read back with pypdf."""

import io
import time

import pytest
from pypdf import PdfReader

from dz_awards.profiles import pdf
from dz_awards.profiles.enums import Award
from dz_awards.profiles.models import Profile

PAYLOADS = [
    '<img src="file:///etc/passwd">',
    "url(http://169.254.169.254/latest/meta-data/)",
    '<link rel="attachment" href="file:///etc/passwd">',
    '@import "http://169.254.169.254/x.css";',
    "![x](http://169.254.169.254/img.png)",
    '<style>@import url("file:///etc/hostname");</style>',
    "<object data='file:///etc/passwd'></object>",
]
# Every text field the PDF shows (the need, approach and durability are on the page only).
TEXT_FIELDS = [
    "title",
    "summary",
    "results",
    "replicability",
    "cost_funding",
    "contact_name",
    "contact_title",
    "contact_phone",
]


def _payload_for(field):
    """As many payloads as the field holds (PostgreSQL refuses longer text), those
    naming 169.254.169.254 first."""
    limit = Profile._meta.get_field(field).max_length
    chosen = []
    for payload in sorted(PAYLOADS, key=lambda p: "169.254.169.254" not in p):
        if limit is None or len(" ".join([*chosen, payload])) <= limit:
            chosen.append(payload)
    return " ".join(chosen)


def _profile(**fields):
    values = {
        "slug": "peer-support",
        "award": Award.WINNER,
        "year": 2026,
        "category_code": "officer-wellness",
        "category_label": "Comprehensive Officer Wellness",
        "agency_name": "Riverton Police Department",
        "city": "Riverton",
        "state_code": "WY",
        "sworn_officers": 48,
        "title": "Peer Support That Stays",
        "summary": "Trained peers check in with every officer after a critical incident.",
        "results": "Sick days after critical incidents fell **41%** in two years.",
        "key_figures": [{"figure": "41%", "label": "fewer sick days"}],
        "replicability": "One coordinator and 12 volunteer peers.",
        "contact_name": "Sgt. Dana Ortiz",
        "contact_email": "dortiz@riverton.example",
        **fields,
    }
    return Profile.objects.create(**values)


def _read(data):
    return PdfReader(io.BytesIO(data))


@pytest.mark.django_db
def test_the_pdf_has_the_title_agency_and_results_on_one_or_two_pages():
    data, pages = pdf.render(_profile())
    reader = _read(data)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert 1 <= pages == len(reader.pages) <= 2
    for expected in [
        "Peer Support That Stays",
        "Riverton Police Department",
        "41%",
        "fewer sick days",
    ]:
        assert expected in text
    assert reader.metadata.title == "Peer Support That Stays: Riverton Police Department"


@pytest.mark.django_db
def test_the_pdf_is_tagged_with_its_language():
    data, _pages = pdf.render(_profile())
    root = _read(data).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root


@pytest.mark.django_db
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_payloads_in_any_text_field_fetch_nothing_and_embed_nothing(field, monkeypatch):
    fetchers = []
    original = pdf.OwnFilesFetcher.__init__

    def recording_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        fetchers.append(self)

    monkeypatch.setattr(pdf.OwnFilesFetcher, "__init__", recording_init)
    # Render in this process so the fetchers' records can be read.
    monkeypatch.setattr(
        pdf,
        "render_with_time_limit",
        lambda html, css, files, seconds: pdf.html_to_pdf(html, css, files),
    )
    data, _pages = pdf.render(_profile(**{field: _payload_for(field)}))
    reader = _read(data)
    assert all(fetcher.refused == [] for fetcher in fetchers)
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "169.254.169.254" in " ".join(text.split())  # shown as text, never fetched


def test_the_fetcher_refuses_everything_but_its_own_files():
    fetcher = pdf.OwnFilesFetcher({"dz:image": (b"x", "image/png")})
    for url in ["file:///etc/passwd", "http://169.254.169.254/", "data:text/plain,hi", "dz:other"]:
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)
    assert fetcher.fetch("dz:image").read() == b"x"
    assert len(fetcher.refused) == 4


def test_a_render_over_the_time_limit_is_stopped(monkeypatch):
    def slow(html, css, files):
        time.sleep(10)

    monkeypatch.setattr(pdf, "html_to_pdf", slow)
    with pytest.raises(pdf.PdfRenderError, match="longer than 1 seconds"):
        pdf.render_with_time_limit("<p>x</p>", "", {}, seconds=1)
