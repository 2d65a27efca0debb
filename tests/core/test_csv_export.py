"""The one CSV writer: every export's cells are neutralised, including a formula that
follows leading whitespace, and the file reads back as the data it was given."""

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dz_awards.core.csv_export import (
    STREAM_CHUNK_ROWS,
    csv_lines,
    csv_response,
    csv_stream_response,
    neutralise,
    restore,
)

FORMULA_CHARACTERS = "=+-@"
# Characters a spreadsheet may skip before reading a formula.
LEADING = [
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\u00a0",
    "\u2007",
    "\u202f",
    "\u3000",
    "\u200b",
    "\ufeff",
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tTab first", "'\tTab first"),
        ("\rCarriage return", "'\rCarriage return"),
        (" =1+1", "' =1+1"),
        ('\u00a0=HYPERLINK("http://x")', '\'\u00a0=HYPERLINK("http://x")'),
        ("  \u3000@cmd", "'  \u3000@cmd"),
        ("\n-2", "'\n-2"),
        ("\u200b=1", "'\u200b=1"),
        ("Riverton = Ohio", "Riverton = Ohio"),
        ("   plain", "   plain"),
        ("", ""),
        ("   ", "   "),
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (-3, -3),
        (2.5, 2.5),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@given(
    lead=st.lists(st.sampled_from(LEADING), max_size=4).map("".join),
    start=st.sampled_from(FORMULA_CHARACTERS),
    rest=st.text(max_size=20),
)
def test_neutralise_any_formula_after_any_leading_whitespace_gets_an_apostrophe(lead, start, rest):
    text = lead + start + rest
    assert neutralise(text) == "'" + text


@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from([*"".join(LEADING), *FORMULA_CHARACTERS, "a"]), st.characters()
        ),
        max_size=30,
    )
)
def test_neutralise_text_is_kept_and_never_starts_a_formula_once_trimmed(text):
    """Whatever the text, the cell keeps it whole, and once a spreadsheet trims it, it
    starts with the apostrophe or a character that is not a formula's."""
    cell = neutralise(text)
    assert cell in (text, "'" + text)
    trimmed = re.sub(r"^[\s\u200b\u200c\u200d\u2060\ufeff]+", "", cell)
    assert not trimmed.startswith(tuple(FORMULA_CHARACTERS))
    if cell == text:
        assert not text.startswith(("\t", "\r"))


@given(st.text(max_size=30))
def test_restore_gives_back_what_neutralise_was_given(text):
    """What comes back in (the history import) is the text that went out, whatever it was."""
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["'quoted'", "'", "' plain", "it's"])
def test_restore_keeps_an_apostrophe_that_guards_no_formula(text):
    assert restore(text) == text


def read_back(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_response_writes_header_and_rows_neutralised_as_a_private_attachment():
    response = csv_response("export.csv", ["Name", "=Score"], [[" =cmd()", 7], ["Ana", None]])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert read_back(response.content.decode()) == [
        ["Name", "'=Score"],
        ["' =cmd()", "7"],
        ["Ana", ""],
    ]


def test_csv_stream_response_same_cells_in_chunks():
    rows = [[f"row {number}", f"\u00a0+{number}"] for number in range(STREAM_CHUNK_ROWS * 2)]

    response = csv_stream_response("big.csv", ["Name", "Value"], iter(rows))

    chunks = [chunk.decode() for chunk in response.streaming_content]
    assert len(chunks) == 3
    assert response["Content-Disposition"] == 'attachment; filename="big.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert read_back("".join(chunks)) == [
        ["Name", "Value"],
        *([name, "'" + value] for name, value in rows),
    ]


def test_csv_lines_is_the_one_writer_for_both_responses():
    """Both responses carry exactly the lines of `csv_lines`."""
    header, rows = ["A", "B"], [["-x", 1], ["y", "@z"]]
    expected = "".join(csv_lines(header, rows))
    assert csv_response("a.csv", header, rows).content.decode() == expected
    streamed = b"".join(csv_stream_response("a.csv", header, rows).streaming_content)
    assert streamed.decode() == expected
