"""CSV downloads that a spreadsheet opens as data, never as formulas.

Every CSV the site sends is written here, by one writer (`csv_lines`), so
every cell goes through `neutralise`.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse

# What a cell may hold: numbers stay numbers, everything else becomes text.
Cell = object

# A cell that starts with one of these is read as a formula by spreadsheets
# (CSV injection); tab and carriage return start one after trimming (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The characters that start a formula once a spreadsheet has skipped what it
# trims in front of them.
FORMULA_CHARACTERS = frozenset("=+-@")
# Invisible characters that are not whitespace to Python but that a
# spreadsheet may skip too (zero-width spaces and joiners, word joiner, BOM).
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def _first_visible(text: str) -> str:
    """The first character that is neither whitespace (any Unicode kind) nor invisible."""
    for character in text:
        if not character.isspace() and character not in INVISIBLE:
            return character
    return ""


def neutralise(value: Cell) -> str | int | float:
    """The cell as text, with a leading apostrophe when it would start a formula.

    A formula may follow leading spaces, tabs, no-break or other Unicode
    spaces and line breaks: a spreadsheet trims them first. Numbers stay
    numbers: a negative number is data, not a formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) or _first_visible(text) in FORMULA_CHARACTERS:
        return "'" + text
    return text


def restore(text: str) -> str:
    """The text a cell stood for before `neutralise`: its guarding apostrophe dropped.

    For files that come back in (the history import): an apostrophe goes only
    where `neutralise` would have put one, so text that merely starts with an
    apostrophe keeps it.
    """
    rest = text[1:]
    if text.startswith("'") and (
        rest.startswith(FORMULA_STARTS) or _first_visible(rest) in FORMULA_CHARACTERS
    ):
        return rest
    return text


class _Echo:
    """A file-like object whose write() hands the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[Cell], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The one CSV writer: a BOM (for spreadsheets), then each row, every cell neutralised.

    Lines are produced as rows are read, so a generator of rows keeps memory flat.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def _private_attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"


def csv_response(
    filename: str, header: Sequence[Cell], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    """A CSV attachment (UTF-8 with BOM, for spreadsheets) with every cell neutralised."""
    response = HttpResponse(
        "".join(csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
    )
    _private_attachment(response, filename)
    return response


# Rows sent together in one piece of a streamed download.
STREAM_CHUNK_ROWS = 200


def csv_stream_response(
    filename: str, header: Sequence[Cell], rows: Iterable[Sequence[Cell]]
) -> StreamingHttpResponse:
    """`csv_response` for large downloads: rows are written as they are read.

    `rows` is an iterable (a generator over `queryset.iterator()`), so memory
    stays flat whatever the number of rows. Same writer, same neutralising.
    """

    def chunks() -> Iterator[str]:
        chunk: list[str] = []
        for line in csv_lines(header, rows):
            chunk.append(line)
            if len(chunk) >= STREAM_CHUNK_ROWS:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    _private_attachment(response, filename)
    return response
