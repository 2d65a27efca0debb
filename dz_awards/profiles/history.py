"""Past recognised programs, imported from a CSV file as published profiles.

`read_history(data)` parses and checks a whole file (bytes or text) and returns
the rows and the problems found, each with its line number. This module
writes nothing itself: `history_import(actor=..., rows=...)` hands the rows
to the service `profiles_import`, which creates them in one transaction (all
or nothing), each through `profile_import`.

The file: UTF-8 (a byte-order mark is fine), commas, a header row naming the
columns (any order, any case; spaces, hyphens and underscores alike):

- year (required): the award year, 2000 to this year;
- category label, or category (required): the category as it was called that year;
- category code: the directory's filter code; made from the label when blank;
- award (required): winner or finalist;
- agency, or agency name (required); city (required);
- state (required): the two-letter postal code (states, DC and the territories);
- sworn officers: a whole number, 1 to 100,000 ("1,250" is fine);
- agency type: municipal, sheriff, state, tribal, campus, transit, … (or its label);
- title (required); summary (required): two or three sentences, plain text;
- resource links, or resources: links separated by " | " or new lines (or "; "
  after a "<…>"), each "Title <https://…>" or a bare address; http and https only;
- topics: topic names separated by " | ", ";" or new lines (made when new).

Cells are trimmed and runs of spaces collapsed (the summary keeps its line
breaks); Windows line endings are read as plain ones. A cell that looks like a
spreadsheet formula is stored as the text it is (every export escapes it
again); the apostrophe a spreadsheet or our own CSV export puts before such a
cell ("'=…") is dropped. The open-data CSV (/api/programs.csv) imports as it
is: its agency_city and agency_state name the city and state, its links are
joined with "; ", and the columns the import does not need (slug, url, size
band, key figures, PDF address, publication date) are ignored.

Each row becomes a published, imported profile without a nomination or an
agency account. Its publication date is January 1 (US Eastern) of the year
after its award year, or the time of the import when that is still in the
future, so the feed and sitemap date history in its own time rather than on
the day of the import. A row whose year, agency and title (any case) match an
existing profile is left as it is, so importing the same file again creates
nothing; correct an imported profile on the staff pages. PDF summaries are
rendered by the background worker after the import commits.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.text import slugify

from dz_awards.agencies.enums import AgencyType, USState
from dz_awards.core import csv_export
from dz_awards.core.errors import ServiceError
from dz_awards.profiles import selectors, services
from dz_awards.profiles.enums import Award
from dz_awards.profiles.models import TOPIC_NAME_LENGTH, Profile

# A small sample of fictional past programs (the demo imports it).
SAMPLE_CSV = Path(__file__).resolve().parent / "data" / "history_sample.csv"
FIRST_YEAR = 2000
MAX_ROWS = 5000
MAX_LINKS = 12
MAX_TOPICS = 8
MAX_OFFICERS = 100_000
SUMMARY_LIMIT = 3000
LINK_TITLE_LIMIT = 200
URL_LIMIT = 500

# Canonical column → the header spellings accepted for it (after _header_key).
COLUMNS = {
    "year": ("year", "award_year"),
    "category_label": ("category_label", "category"),
    "category_code": ("category_code",),
    "award": ("award",),
    "agency_name": ("agency", "agency_name"),
    "city": ("city", "agency_city"),
    "state_code": ("state", "state_code", "agency_state"),
    "sworn_officers": ("sworn_officers", "sworn", "officers"),
    "agency_type": ("agency_type", "type"),
    "title": ("title", "program_title", "program"),
    "summary": ("summary",),
    "resources": ("resource_links", "resources", "links"),
    "topics": ("topics", "topic"),
}
REQUIRED = (
    "year",
    "category_label",
    "award",
    "agency_name",
    "city",
    "state_code",
    "title",
    "summary",
)
# Columns of the open-data CSV (/api/programs.csv) that an import does not read.
IGNORED = frozenset({"slug", "url", "size_band", "key_figures", "pdf_url", "published_at"})
LIMITS = {
    "category_label": Profile._meta.get_field("category_label").max_length,
    "agency_name": Profile._meta.get_field("agency_name").max_length,
    "city": Profile._meta.get_field("city").max_length,
    "title": Profile._meta.get_field("title").max_length,
}
LABELS = {
    "year": "year",
    "category_label": "category label",
    "award": "award",
    "agency_name": "agency",
    "city": "city",
    "state_code": "state",
    "title": "title",
    "summary": "summary",
}

_url_validator = URLValidator(schemes=["http", "https"])
_LINK = re.compile(r"^(?P<title>.*?)\s*<(?P<url>[^<>\s]+)>$")
# New lines, " | ", or "; " right after a "<…>" link (as the open-data CSV joins them).
_LINK_SEPARATOR = re.compile(r"\s*\n\s*|\s+\|\s+|(?<=>)\s*;\s*")
_TOPIC_SEPARATOR = re.compile(r"\s*[\n;|]\s*")


@dataclass(frozen=True)
class HistoryRow(services.ImportedProgram):
    """One checked row of the file, as the import service takes it; `line` is where
    it starts (the header is line 1)."""

    # Always given; the default is there because the fields inherited have defaults.
    line: int = 0

    @property
    def key(self):
        return (self.year, self.agency_name.casefold(), self.title.casefold())


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ImportReport:
    created: list = field(default_factory=list)  # [(row, profile)]
    existing: list = field(default_factory=list)  # [(row, profile)]


class HistoryError(ServiceError):
    """The file cannot be imported; `problems` lists every problem found, by line."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


# Reading --------------------------------------------------------------------------


def read_history(data):
    """(rows, problems) of a whole CSV file given as bytes or text. Writes nothing."""
    text, problem = _decode(data)
    if problem is not None:
        return [], [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    header, columns, problems = _header(reader)
    if problems:
        return [], problems
    rows, seen = [], {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(RowProblem(line, f"this line cannot be read as CSV ({error})."))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(RowProblem(start, f"a file holds at most {MAX_ROWS} programs."))
            break
        if len(cells) > len(header):
            problems.append(
                RowProblem(
                    start,
                    f"{len(cells)} cells where the header names {len(header)} columns "
                    "(a comma inside a cell needs the cell in double quotes).",
                )
            )
            continue
        values = {name: cells[index] if index < len(cells) else "" for name, index in columns}
        row, row_problems = _row(start, values)
        if row is not None and row.key in seen:
            row_problems.append(f"the same program (year, agency, title) as line {seen[row.key]}.")
        if row_problems:
            problems.extend(RowProblem(start, message) for message in row_problems)
            continue
        seen[row.key] = start
        rows.append(row)
    if not rows and not problems:
        problems.append(RowProblem(1, "the file has a header but no programs."))
    return rows, problems


def _header(reader):
    """(header cells, [(column, index)], problems) of the first line."""
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [], [], [RowProblem(1, f"the header cannot be read as CSV ({error}).")]
    if not header or not any(cell.strip() for cell in header):
        return [], [], [RowProblem(1, "the file is empty: the first line must name the columns.")]
    columns, problems = _columns(header)
    return header, columns, problems


def _decode(data):
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return "", RowProblem(
            line, "the file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8."
        )


def _header_key(cell):
    return re.sub(r"[\s_-]+", "_", cell.strip().lower()).strip("_")


def _columns(header):
    """([(canonical name, index)], problems) for the header row."""
    spellings = {spelling: name for name, options in COLUMNS.items() for spelling in options}
    found, problems = {}, []
    for index, cell in enumerate(header):
        key = _header_key(cell)
        if not key or key in IGNORED:
            continue
        name = spellings.get(key)
        if name is None:
            problems.append(
                RowProblem(
                    1,
                    f"unknown column “{cell.strip()[:60]}”. The columns are: "
                    + ", ".join(options[0].replace("_", " ") for options in COLUMNS.values())
                    + ".",
                )
            )
        elif name in found:
            problems.append(RowProblem(1, f"the column “{cell.strip()[:60]}” appears twice."))
        else:
            found[name] = index
    missing = [LABELS[name] for name in REQUIRED if name not in found]
    if missing:
        problems.append(RowProblem(1, "missing column(s): " + ", ".join(missing) + "."))
    return list(found.items()), problems


def _cell(value):
    """The cell as stored text: line endings made plain, trimmed, the text marker dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return csv_export.restore(value).strip()


def _one_line(value):
    return " ".join(_cell(value).split())


def _paragraphs(value):
    lines = [" ".join(line.split()) for line in _cell(value).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _row(line, values):
    """(HistoryRow or None, [problem messages]) of one data row."""
    problems = []
    text = {name: _one_line(values.get(name, "")) for name in COLUMNS}
    text["summary"] = _paragraphs(values.get("summary", ""))
    for name in REQUIRED:
        if not text[name]:
            problems.append(f"the {LABELS[name]} is missing.")
    for name, limit in LIMITS.items():
        if len(text[name]) > limit:
            problems.append(f"the {LABELS[name]} is longer than {limit} characters.")
    if len(text["summary"]) > SUMMARY_LIMIT:
        problems.append(f"the summary is longer than {SUMMARY_LIMIT} characters.")

    year = _year(text["year"], problems)
    award, state_code = _award_and_state(text["award"], text["state_code"], problems)
    category_code = slugify(text["category_code"] or text["category_label"])[:60].strip("-")
    if text["category_label"] and not category_code:
        problems.append("the category code cannot be made from the category: give one.")

    agency_type = _agency_type(text["agency_type"])
    if agency_type is None:
        choices = ", ".join(AgencyType.values)
        problems.append(f"the agency type “{text['agency_type'][:30]}” is not one of: {choices}.")

    sworn = _officers(text["sworn_officers"], problems)
    resources = _links(values.get("resources", ""), problems)
    topics = _topics(values.get("topics", ""), problems)
    if problems:
        return None, problems
    return (
        HistoryRow(
            line=line,
            source=f"line {line}",
            year=year,
            category_code=category_code,
            category_label=text["category_label"],
            award=award,
            agency_name=text["agency_name"],
            city=text["city"],
            state_code=state_code,
            agency_type=agency_type,
            sworn_officers=sworn,
            title=text["title"],
            summary=text["summary"],
            resources=tuple(resources),
            topics=tuple(topics),
        ),
        [],
    )


def _year(value, problems):
    if not value:
        return None
    this_year = timezone.localdate().year
    if not re.fullmatch(r"\d{4}", value):
        problems.append(f"the year “{value[:20]}” is not a year such as 2021.")
        return None
    if not FIRST_YEAR <= int(value) <= this_year:
        problems.append(f"the year must be between {FIRST_YEAR} and {this_year}.")
        return None
    return int(value)


def _award_and_state(award_text, state_text, problems):
    award = award_text.lower()
    if award_text and award not in Award.values:
        problems.append(f"the award “{award_text[:30]}” is neither winner nor finalist.")
    state_code = state_text.upper()
    if state_text and state_code not in USState.values:
        problems.append(
            f"the state “{state_text[:30]}” is not a two-letter postal code of a "
            "US state or territory."
        )
    return award, state_code


def _agency_type(value):
    """The AgencyType value named by `value` (its value or label), "" for blank, else None."""
    if not value:
        return ""
    wanted = value.casefold()
    for code, label in AgencyType.choices:
        if wanted in (code.casefold(), label.casefold()):
            return code
    return None


def _officers(value, problems):
    if not value:
        return None
    digits = value.replace(",", "")
    if not digits.isdigit():
        problems.append(f"the sworn officers “{value[:20]}” is not a whole number.")
        return None
    number = int(digits)
    if not 1 <= number <= MAX_OFFICERS:
        problems.append(f"the sworn officers must be between 1 and {MAX_OFFICERS:,}.")
        return None
    return number


def _links(value, problems):
    """[(title, url)] of the resource links cell; problems appended for bad ones."""
    items = [item.strip() for item in _LINK_SEPARATOR.split(_cell(value))]
    items = [item for item in items if item and item != "|"]
    links, seen = [], set()
    for item in items:
        match = _LINK.match(item)
        if match:
            title, url = " ".join(match["title"].split()), match["url"]
        elif not any(ch.isspace() for ch in item):
            title, url = "", item
        else:
            problems.append(
                f"the resource link “{item[:60]}” should be “Title <https://…>” or an address."
            )
            continue
        problem = _url_problem(url)
        if problem:
            problems.append(f"the resource link “{url[:60]}” {problem}")
            continue
        if url in seen:
            continue
        seen.add(url)
        title = title or _link_title(url)
        if len(title) > LINK_TITLE_LIMIT:
            problems.append(
                f"the title of the link “{url[:60]}” is longer than {LINK_TITLE_LIMIT} characters."
            )
            continue
        links.append((title, url))
    if len(links) > MAX_LINKS:
        problems.append(f"at most {MAX_LINKS} resource links per program.")
    return links


def _topics(value, problems):
    names, seen = [], set()
    for item in _TOPIC_SEPARATOR.split(_cell(value)):
        name = " ".join(item.split())
        if not name or name.casefold() in seen:
            continue
        if len(name) > TOPIC_NAME_LENGTH:
            problems.append(
                f"the topic “{name[:40]}…” is longer than {TOPIC_NAME_LENGTH} characters."
            )
            continue
        seen.add(name.casefold())
        names.append(name)
    if len(names) > MAX_TOPICS:
        problems.append(f"at most {MAX_TOPICS} topics per program.")
    return names


def _url_problem(url):
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "is not an http or https address."
    if len(url) > URL_LIMIT:
        return f"is longer than {URL_LIMIT} characters."
    if parts.username or parts.password:
        return "must not carry a user name or password."
    try:
        _url_validator(url)
    except ValidationError:
        return "is not a valid web address."
    return None


def _link_title(url):
    """A title for a bare address: the address without its scheme."""
    parts = urlsplit(url)
    rest = parts.path.rstrip("/")
    return f"{parts.netloc}{rest}"[:LINK_TITLE_LIMIT]


# Importing -------------------------------------------------------------------------


def history_import(*, actor, rows):
    """Import every row in one transaction (all or nothing); returns an ImportReport."""
    report = ImportReport()
    results = services.profiles_import(actor=actor, programs=rows)
    for row, (profile, created) in zip(rows, results, strict=True):
        (report.created if created else report.existing).append((row, profile))
    return report


def history_plan(rows):
    """What importing `rows` would do, without writing: an ImportReport (profiles None)."""
    report = ImportReport()
    for row in rows:
        found = selectors.profile_matching(
            year=row.year, agency_name=row.agency_name, title=row.title
        )
        if found is None:
            report.created.append((row, None))
        else:
            report.existing.append((row, found))
    return report


def import_history(data, *, actor=None, dry_run=False):
    """Read `data` (a whole CSV file) and import it, or only plan it with `dry_run`.

    Raises HistoryError, with every problem by line, when any row is invalid:
    then nothing is written.
    """
    rows, problems = read_history(data)
    if problems:
        raise HistoryError(problems)
    if dry_run:
        return history_plan(rows)
    return history_import(actor=actor, rows=rows)
