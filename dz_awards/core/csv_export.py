"""CSV downloads that a spreadsheet opens as data, never as formulas."""

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse

# What a cell may hold: numbers stay numbers, everything else becomes text.
Cell = object

# A cell that starts with one of these is read as a formula by spreadsheets
# (CSV injection); tab and carriage return start one after trimming.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Cell) -> str | int | float:
    """The cell as text, with a leading apostrophe when it would start a formula.

    Numbers stay numbers: a negative number is data, not a formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(
    filename: str, header: Sequence[Cell], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    """A CSV attachment (UTF-8 with BOM, for spreadsheets) with every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response


# Rows sent together in one piece of a streamed download.
STREAM_CHUNK_ROWS = 200


class _Echo:
    """A file-like object whose write() hands the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_stream_response(
    filename: str, header: Sequence[Cell], rows: Iterable[Sequence[Cell]]
) -> StreamingHttpResponse:
    """`csv_response` for large downloads: rows are written as they are read.

    `rows` is an iterable (a generator over `queryset.iterator()`), so memory
    stays flat whatever the number of rows. Same cells, same neutralising.
    """
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        chunk = ["\ufeff", writer.writerow([neutralise(cell) for cell in header])]
        for row in rows:
            chunk.append(writer.writerow([neutralise(cell) for cell in row]))
            if len(chunk) >= STREAM_CHUNK_ROWS:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
