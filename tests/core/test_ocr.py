"""OCR of pictures: real Pillow images and PDFs, drawn by poppler and read by the real Tesseract."""

import io
import json

import pytesseract
import pytest
from PIL import Image

from dz_awards.core.ocr import OcrResult, OcrUnavailable, ocr_image, ocr_pdf
from dz_awards.core.pdfclean import PdfCleanError, clean_pdf
from tests.hostile_pdfs import (
    AGENCY_WORDS,
    contains_words,
    letterhead_image,
    letterhead_png,
    scanned_page_png,
    scanned_pdf,
    visible_text_pdf,
)

# 100 dpi reads these pages and is quicker than the default 150.
DPI = 100
ENOUGH_TIME = 120.0


def test_letterhead_image_is_read():
    result = ocr_image(letterhead_png(AGENCY_WORDS), max_seconds=ENOUGH_TIME)

    assert [where for where, _text in result.texts] == ["image (OCR)"]
    assert contains_words(result.texts[0][1], AGENCY_WORDS)
    assert (result.pages_read, result.pages_total, result.stopped) == (1, 1, "")
    assert result.seconds > 0


@pytest.mark.parametrize("image_format", ["JPEG", "WEBP"])
def test_other_image_formats_are_read(image_format):
    out = io.BytesIO()
    Image.open(io.BytesIO(letterhead_png("HARBOR CITY SHERIFF"))).save(out, image_format)

    result = ocr_image(out.getvalue(), max_seconds=ENOUGH_TIME)

    assert contains_words(result.texts[0][1], "HARBOR CITY SHERIFF")


@pytest.mark.parametrize("builder", [letterhead_image, scanned_pdf])
def test_pictures_in_a_clean_copy_are_read(builder):
    """The letterhead and the scanned page survive cleaning, and OCR finds the name in them."""
    result = ocr_pdf(
        clean_pdf(builder(AGENCY_WORDS)), max_pages=5, max_seconds=ENOUGH_TIME, dpi=DPI
    )

    assert [where for where, _text in result.texts] == ["page 1 (OCR)"]
    assert contains_words(result.texts[0][1], AGENCY_WORDS)
    assert (result.pages_read, result.pages_total, result.stopped) == (1, 1, "")


def test_page_text_is_read_too():
    """Every page in the budget is read, not only pages without a text layer."""
    result = ocr_pdf(visible_text_pdf(AGENCY_WORDS), max_pages=1, max_seconds=ENOUGH_TIME, dpi=DPI)

    assert contains_words(result.texts[0][1], AGENCY_WORDS)


def test_page_budget_stops_early_and_says_so():
    result = ocr_pdf(
        scanned_pdf(AGENCY_WORDS, pages=3), max_pages=1, max_seconds=ENOUGH_TIME, dpi=DPI
    )

    assert [where for where, _text in result.texts] == ["page 1 (OCR)"]
    assert "page 1" in result.texts[0][1]
    assert (result.pages_read, result.pages_total) == (1, 3)
    assert result.stopped == "page budget (1 of 3 pages read)"


def test_no_time_reads_nothing_and_says_so():
    pdf = ocr_pdf(scanned_pdf(AGENCY_WORDS, pages=2), max_pages=5, max_seconds=0)
    image = ocr_image(letterhead_png(AGENCY_WORDS), max_seconds=0)

    assert (pdf.texts, pdf.pages_read, pdf.pages_total) == ([], 0, 2)
    assert pdf.stopped == "time budget (0 s)"
    assert (image.texts, image.pages_read, image.pages_total) == ([], 0, 1)
    assert image.stopped == "time budget (0 s)"


def test_drawing_a_page_past_the_time_left_is_abandoned():
    """A page drawn at 1200 dpi (134 million pixels) cannot be ready within half a second."""
    result = ocr_pdf(letterhead_image(AGENCY_WORDS), max_pages=5, max_seconds=0.5, dpi=1200)

    assert (result.texts, result.pages_read) == ([], 0)
    assert result.stopped == "time budget (0.5 s)"


def test_reading_past_the_time_left_is_abandoned():
    """Tesseract is stopped when a large scan needs more than the time left.

    The budget is far below what Tesseract needs only to load its language data
    (well over a tenth of a second here), so the outcome does not depend on how
    busy the machine is.
    """
    page = Image.open(io.BytesIO(scanned_page_png(AGENCY_WORDS)))
    out = io.BytesIO()
    page.resize((page.width * 3, page.height * 3)).save(out, "PNG")

    result = ocr_image(out.getvalue(), max_seconds=0.02)

    assert (result.texts, result.pages_read, result.pages_total) == ([], 0, 1)
    assert result.stopped == "time budget (0.02 s)"


def test_as_dict_is_ready_for_a_json_field():
    result = OcrResult(
        texts=[("page 1 (OCR)", "Riverton")],
        pages_read=1,
        pages_total=3,
        seconds=1.23456,
        stopped="page budget (1 of 3 pages read)",
    )

    assert json.loads(json.dumps(result.as_dict())) == {
        "texts": [["page 1 (OCR)", "Riverton"]],
        "pages_read": 1,
        "pages_total": 3,
        "seconds": 1.23,
        "stopped": "page budget (1 of 3 pages read)",
    }


def test_missing_tesseract_is_said_not_hidden(monkeypatch, tmp_path):
    missing = str(tmp_path / "tesseract")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", missing)

    with pytest.raises(OcrUnavailable, match="OCR needs Tesseract"):
        ocr_image(letterhead_png(AGENCY_WORDS), max_seconds=ENOUGH_TIME)
    with pytest.raises(OcrUnavailable, match="OCR needs Tesseract"):
        ocr_pdf(letterhead_image(AGENCY_WORDS), max_pages=1, max_seconds=ENOUGH_TIME)


def test_missing_pdftoppm_is_said_not_hidden(monkeypatch, tmp_path):
    """With Tesseract found by its full path and nothing on PATH, pdftoppm is missing."""
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/usr/bin/tesseract")
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(OcrUnavailable, match="pdftoppm"):
        ocr_pdf(letterhead_image(AGENCY_WORDS), max_pages=1, max_seconds=ENOUGH_TIME)


def test_bytes_that_are_not_a_picture_are_refused():
    with pytest.raises(ValueError, match=r"The image could not be read\."):
        ocr_image(letterhead_image(AGENCY_WORDS), max_seconds=ENOUGH_TIME)
    with pytest.raises(PdfCleanError):
        ocr_pdf(letterhead_png(AGENCY_WORDS), max_pages=1, max_seconds=ENOUGH_TIME)
