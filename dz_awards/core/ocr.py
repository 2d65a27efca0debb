"""Text found in pictures: scanned PDF pages and evidence images, read by Tesseract.

The identity check reads what a reviewer can see, and a scanned letterhead is
seen but carries no text a PDF reader can extract. Pages are drawn as grey
images by poppler's `pdftoppm` and read by Tesseract (the system package,
through pytesseract); an image is read as it is.

Reading is slow (a page takes about a third of a second to a second here), so
each call has a budget: at most `max_pages` pages and `max_seconds` seconds.
When a budget stops the reading early, `OcrResult.stopped` says which, in
words staff can read; the caller decides what an incomplete reading means.
Every page up to the budget is read, whether or not it also has text: a page
can carry both a text layer and a picture of a letterhead.

Without Tesseract or pdftoppm, `OcrUnavailable` is raised: finding nothing
because nothing could look must never pass for a clean result.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytesseract
from PIL import Image

from dz_awards.core.pdfclean import pdf_page_count

__all__ = ["OcrResult", "OcrUnavailable", "ocr_image", "ocr_pdf"]

# Sparse text: find as much text as possible wherever it is on the page, as on a
# letterhead (name, crest, address in a corner) or a photographed sign. It reads
# ordinary paragraphs too, line by line.
TESSERACT_CONFIG = "--psm 11"
IMAGE_FORMATS = ["JPEG", "PNG", "WEBP"]

# Tesseract spreads one page over every core through OpenMP; with two cores
# shared by the web and worker processes, one thread a page reads about twice
# as fast. Tesseract is a child process and inherits this; a value set for the
# worker's environment wins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class OcrUnavailable(RuntimeError):  # noqa: N818 (the name callers already use)
    """Tesseract or pdftoppm is not installed, so nothing could be read."""


@dataclass(frozen=True)
class OcrResult:
    """What OCR read, and how far it got within its budget."""

    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    pages_read: int = 0
    pages_total: int = 0
    seconds: float = 0.0  # time spent, for the budget shown to staff
    stopped: str = ""  # "" when everything was read, else why not, in words

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy, to store on a model."""
        return {
            "texts": [[where, text] for where, text in self.texts],
            "pages_read": self.pages_read,
            "pages_total": self.pages_total,
            "seconds": round(self.seconds, 2),
            "stopped": self.stopped,
        }


def ocr_pdf(data: bytes, *, max_pages: int, max_seconds: float, dpi: int = 150) -> OcrResult:
    """Read the text in the pictures of each page of the PDF `data`, within the budget.

    Pages are drawn at `dpi` (150 reads body text; 100 still reads a
    letterhead) and read in order: ("page N (OCR)", text) for each. Reading
    stops before a page when `max_pages` are read or `max_seconds` are spent,
    and a page whose drawing or reading runs past the time left is abandoned.
    Raises PdfCleanError if the PDF cannot be read, OcrUnavailable without the
    tools.
    """
    _require_tesseract()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise OcrUnavailable(
            "OCR needs poppler's pdftoppm to draw PDF pages, and it is not installed."
        )
    started = time.monotonic()
    total = pdf_page_count(data)
    texts: list[tuple[str, str]] = []
    stopped = ""
    with tempfile.TemporaryDirectory(prefix="dz-ocr-") as directory:
        source = Path(directory) / "source.pdf"
        source.write_bytes(data)
        for number in range(1, total + 1):
            left = max_seconds - (time.monotonic() - started)
            if number > max_pages:
                stopped = f"page budget ({max_pages} of {total} pages read)"
                break
            if left <= 0:
                stopped = _time_budget(max_seconds)
                break
            image = Path(directory) / f"page-{number}"
            try:
                # -gray writes a PGM that Tesseract reads as it is; -singlefile names it exactly.
                subprocess.run(  # noqa: S603 (a fixed program and arguments, no shell)
                    [
                        *(pdftoppm, "-r", str(dpi), "-gray", "-singlefile"),
                        *("-f", str(number), "-l", str(number), str(source), str(image)),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=left,
                )
            except subprocess.TimeoutExpired:
                stopped = _time_budget(max_seconds)
                break
            except subprocess.CalledProcessError:
                stopped = f"page {number} could not be drawn"
                break
            text = _read(f"{image}.pgm", left=max_seconds - (time.monotonic() - started))
            if text is None:
                stopped = _time_budget(max_seconds)
                break
            texts.append((f"page {number} (OCR)", text))
    return OcrResult(
        texts=texts,
        pages_read=len(texts),
        pages_total=total,
        seconds=time.monotonic() - started,
        stopped=stopped,
    )


def ocr_image(data: bytes, *, max_seconds: float) -> OcrResult:
    """Read the text in one JPEG, PNG or WebP image: ("image (OCR)", text).

    Raises ValueError if `data` is not such an image, OcrUnavailable without
    Tesseract.
    """
    _require_tesseract()
    started = time.monotonic()
    try:
        with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as opened:
            picture = opened.convert("L")
    except (OSError, Image.DecompressionBombError) as error:
        raise ValueError("The image could not be read.") from error
    text = _read(picture, left=max_seconds - (time.monotonic() - started))
    return OcrResult(
        texts=[] if text is None else [("image (OCR)", text)],
        pages_read=0 if text is None else 1,
        pages_total=1,
        seconds=time.monotonic() - started,
        stopped=_time_budget(max_seconds) if text is None else "",
    )


def _require_tesseract() -> None:
    command = pytesseract.pytesseract.tesseract_cmd
    if shutil.which(command) is None:
        raise OcrUnavailable(
            f"OCR needs Tesseract, and it is not installed (looked for {command!r})."
        )


def _read(image: str | Image.Image, *, left: float) -> str | None:
    """The text Tesseract reads in `image`, or None if it needs more than `left` seconds."""
    if left <= 0:
        return None
    try:
        return pytesseract.image_to_string(image, config=TESSERACT_CONFIG, timeout=left)
    except RuntimeError as error:
        # pytesseract kills Tesseract at the timeout and says so with a bare RuntimeError;
        # any other failure (TesseractError is a RuntimeError too) is not a budget matter.
        if str(error) != "Tesseract process timeout":
            raise
        return None


def _time_budget(max_seconds: float) -> str:
    return f"time budget ({max_seconds:g} s)"
