"""The staff list of nominations: filters, flags, sort, pages and CSV, at a fixed query cost."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.agencies.models import Agency
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from reviews.enums import AssignmentState
from reviews.models import Conflict
from reviews.selectors import STAFF_TABLE_SORTS
from tests import factories
from tests.reviews import bulk_worlds, helpers

pytestmark = pytest.mark.django_db

S = NominationState
LIST = reverse("staff:nominations")

FILTERS = {
    "none": {},
    "title or agency": {"q": "program"},
    "cycle": {"cycle": "<cycle>"},
    "category": {"category": "<category>"},
    "workflow status": {"state": S.SUBMITTED},
    "agency's state": {"agency_state": "VA"},
    "agency not verified": {"verified": "no"},
    "identity finding": {"flag": "identity"},
    "disagreement": {"flag": "disagreement"},
    "overdue": {"flag": "overdue"},
    "every flag": {"flag": ["identity", "disagreement", "overdue"]},
}
SORTS = [key for name in STAFF_TABLE_SORTS for key in (name, f"-{name}")]


@pytest.fixture
def world(staff):
    cycle = helpers.review_cycle(staff)
    category = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    return {
        "cycle": cycle,
        "category": category,
        "reviewers": helpers.panel(category, 3),
        "agencies": [factories.OwnerFactory().agency for _ in range(2)],
    }


def _add_flagged(world, count, start=0):
    rows = bulk_worlds.nominations(
        count,
        cycle=world["cycle"],
        category=world["category"],
        agencies=world["agencies"],
        title=f"Program {start}",
    )
    bulk_worlds.flagged(rows, world["reviewers"])
    return rows


def _params(world, query):
    return {
        key: str(world[value[1:-1]].pk) if value in ("<cycle>", "<category>") else value
        for key, value in query.items()
    }


def _queries(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


CASES = {
    **{f"filter {name}": (query, "") for name, query in FILTERS.items()},
    **{f"sort {sort}": ({}, sort) for sort in SORTS},
}


def test_list_query_count_same_for_1_and_50_rows(client, staff, world):
    """Every filter and every sort costs the same number of queries for 1 row as for 50.

    One world for all of them: each is measured with 1 row, then 49 more are
    added and each is measured again (building 50 flagged rows per case was most
    of this file's time)."""
    client.force_login(staff)
    _add_flagged(world, 1)
    params = {
        case: {**_params(world, query), "per_page": "50", **({"sort": sort} if sort else {})}
        for case, (query, sort) in CASES.items()
    }
    client.get(LIST, params["filter none"])  # warms the session and any caches
    one = {}
    for case, each in params.items():
        response, one[case] = _queries(client, each)
        assert len(response.context["page"]) == 1, case
    _add_flagged(world, 49, start=1)
    for case, each in params.items():
        response, fifty = _queries(client, each)
        assert len(response.context["page"]) == 50, case
        extra = "\n".join(sql for sql in fifty if sql not in one[case])
        assert len(fifty) == len(one[case]), (
            f"{case}: {len(one[case])} queries for 1, {len(fifty)} for 50:\n{extra}"
        )


def _titles(response):
    return [n.title for n in response.context["page"]]


@pytest.fixture
def flag_world(world):
    """Nominations each with one flag or a near miss, named after what they have."""
    cycle, category, reviewers = world["cycle"], world["category"], world["reviewers"]

    def one(title, state=S.IN_REVIEW):
        (row,) = bulk_worlds.nominations(
            1, cycle=cycle, category=category, state=state, title=title
        )
        return row

    identity = one("Identity")
    bulk_worlds.review_copies([identity], leaks=[{"where": "Title", "what": "Riverton"}])
    bulk_worlds.review_copies([one("Cleared copy")])
    # Spreads: above the threshold of 1 is a disagreement; exactly 1 is not.
    bulk_worlds.reviewed_by([one("Disagree")], reviewers[:2], [2, 3.25])
    bulk_worlds.reviewed_by([one("Agree at threshold")], reviewers[:2], [2, 3])
    # A conflicted reviewer's total does not count towards the spread.
    conflicted = one("Disagree only with a conflicted reviewer")
    bulk_worlds.reviewed_by([conflicted], reviewers[:2], [2, 4.5])
    Conflict.objects.create(reviewer=reviewers[1], nomination=conflicted, reason="Former colleague")
    past = timezone.now() - timedelta(hours=1)
    bulk_worlds.reviewed_by([one("Overdue")], reviewers[:1], [], due_at=past, state="accepted")
    not_yet = timezone.now() + timedelta(days=1)
    bulk_worlds.reviewed_by([one("Due later")], reviewers[:1], [], due_at=not_yet, state="invited")
    bulk_worlds.reviewed_by(
        [one("Declined past due")], reviewers[:1], [], due_at=past, state=AssignmentState.DECLINED
    )
    return world


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["identity"], ["Identity"]),
        (["disagreement"], ["Disagree"]),
        (["overdue"], ["Overdue"]),
        (["identity", "overdue"], []),
    ],
)
def test_flag_filters_list_exactly_the_flagged(client, staff, flag_world, flags, expected):
    """Each flag lists exactly its nominations; several flags list those with them all."""
    client.force_login(staff)
    response = client.get(LIST, {"flag": flags, "sort": "program"})
    assert _titles(response) == expected


def test_flags_shown_in_their_column(client, staff, flag_world):
    client.force_login(staff)
    html = client.get(LIST, {"sort": "program"}).content.decode()
    for title, badge in [
        ("Identity", "Identity found"),
        ("Disagree", "Reviewers disagree"),
        ("Overdue", "Review overdue"),
    ]:
        row = re.search(
            rf"<tr>\s*<td><input[^>]*>\s*</td>\s*<td><a [^>]*>{title}</a>.*?</tr>", html, re.S
        )
        assert badge in row.group(0)
    flags = re.findall(r">(Identity found|Reviewers disagree|Review overdue)</span>", html)
    assert sorted(flags) == ["Identity found", "Review overdue", "Reviewers disagree"]


@pytest.fixture
def sort_world(staff):
    """Three nominations that each sort differently by every column."""
    verified = factories.AgencyFactory(name="Alpha PD", state="WY")
    Agency.objects.filter(pk=verified.pk).update(verified_at=timezone.now(), verified_by=staff)
    early, late = factories.CycleFactory(year=2031), factories.CycleFactory(year=2032)
    rows = {}
    for title, agency, cycle, state, days in [
        ("Bravo", factories.AgencyFactory(name="Charlie PD", state="AK"), late, S.RETURNED, 1),
        ("Alpha", factories.AgencyFactory(name="Bravo PD", state="MT"), early, S.SUBMITTED, 3),
        ("Charlie", verified, late, S.INELIGIBLE, 2),
    ]:
        category = factories.CategoryFactory(cycle=cycle, label=f"{title} category")
        (rows[title],) = bulk_worlds.nominations(
            1, cycle=cycle, category=category, state=state, agencies=[agency], title=title
        )
        Nomination.objects.filter(pk=rows[title].pk).update(
            title=title, submitted_at=timezone.now() - timedelta(days=days)
        )
    factories.NominationRevisionFactory(nomination=rows["Charlie"], number=1)
    return rows


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("program", ["Alpha", "Bravo", "Charlie"]),
        ("-program", ["Charlie", "Bravo", "Alpha"]),
        ("agency", ["Charlie", "Alpha", "Bravo"]),
        ("agency_state", ["Bravo", "Alpha", "Charlie"]),
        ("category", ["Alpha", "Bravo", "Charlie"]),
        ("-category", ["Charlie", "Bravo", "Alpha"]),
        ("status", ["Charlie", "Bravo", "Alpha"]),
        ("-revisions", ["Charlie"]),
        ("submitted", ["Alpha", "Charlie", "Bravo"]),
        ("-submitted", ["Bravo", "Charlie", "Alpha"]),
    ],
)
def test_sort_orders_by_the_column(client, staff, sort_world, sort, expected):
    """Each column sorts server-side, either way, and the page marks the sorted column."""
    client.force_login(staff)
    response = client.get(LIST, {"sort": sort})
    assert _titles(response)[: len(expected)] == expected
    direction = "descending" if sort.startswith("-") else "ascending"
    assert response.content.decode().count(f'aria-sort="{direction}"') == 1


def test_unknown_sort_falls_back_to_the_default_order(client, staff, sort_world):
    """A sort outside the list never reaches the database: newest cycle, then agency."""
    client.force_login(staff)
    response = client.get(LIST, {"sort": "agency__contact_email"})
    assert _titles(response) == ["Charlie", "Bravo", "Alpha"]
    assert response.context["sort"] == ""
    assert "aria-sort" not in response.content.decode()


def test_filters_by_agency_state_and_verification(client, staff, sort_world):
    client.force_login(staff)
    assert _titles(client.get(LIST, {"agency_state": "MT"})) == ["Alpha"]
    assert _titles(client.get(LIST, {"verified": "yes"})) == ["Charlie"]
    assert sorted(_titles(client.get(LIST, {"verified": "no"}))) == ["Alpha", "Bravo"]


def test_workflow_status_filter_is_labelled_as_such_and_table_scrolls(client, staff, sort_world):
    """The filter of the nomination's workflow state no longer reads "State"; the table sits
    in its own scrolling box, so a phone scrolls the table, not the page."""
    client.force_login(staff)
    html = client.get(LIST).content.decode()
    assert re.search(r'for="id_state"[^>]*>\s*Workflow status', html)
    assert re.search(r'for="id_agency_state"[^>]*>\s*Agency&#x27;s state', html)
    assert '<div class="table-responsive" tabindex="0" role="region"' in html


def test_pages_keep_filters_and_sort(client, staff, world):
    rows = _add_flagged(world, 30)
    client.force_login(staff)
    response = client.get(LIST, {"flag": "overdue", "sort": "-program", "per_page": "25"})
    assert len(response.context["page"]) == 25
    assert "flag=overdue&amp;sort=-program&amp;per_page=25&amp;page=2" in response.content.decode()
    second = client.get(LIST, {"flag": "overdue", "sort": "-program", "page": "2"})
    assert _titles(second) == [n.title for n in rows[:5]][::-1]


def test_csv_holds_every_matching_row_of_the_view(client, staff, world):
    """The CSV is the current view (filters and sort), every page of it, through the one writer."""
    rows = _add_flagged(world, 30)
    Nomination.objects.filter(pk=rows[0].pk).update(title="=HYPERLINK(1)")
    other = bulk_worlds.nominations(
        2, cycle=world["cycle"], category=world["category"], state=S.RETURNED, title="Returned"
    )
    client.force_login(staff)
    response = client.get(
        reverse("staff:nominations-csv"), {"state": S.SUBMITTED, "sort": "program"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="nominations.csv"'
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0][:3] == ["Program", "Agency", "City"]
    assert len(table) == 31
    assert table[1][0] == "'=HYPERLINK(1)"
    assert table[2][7:8] == ["Submitted"]
    assert table[2][-3:] == ["yes", "yes", "yes"]
    assert not {n.title for n in other} & {line[0] for line in table}


def test_list_csv_and_bulk_pages_are_404_for_non_staff(client, user, world):
    client.force_login(user)
    assert client.get(LIST).status_code == 404
    assert client.get(reverse("staff:nominations-csv")).status_code == 404
    assert client.post(reverse("staff:nominations-bulk"), {"action": "return"}).status_code == 404
