"""CSV downloads that a spreadsheet opens as data, never as formulas."""

import csv

from django.http import HttpResponse

# A cell that starts with one of these is read as a formula by spreadsheets
# (CSV injection); tab and carriage return start one after trimming.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
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


def csv_response(filename, header, rows):
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
