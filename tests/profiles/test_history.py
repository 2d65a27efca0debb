"""Importing past recognised programs from CSV: checks by line, all or nothing, idempotent."""

import io
from dataclasses import replace
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from dz_awards.core.models import AuditEvent
from dz_awards.core.selectors import audit_events_for
from dz_awards.profiles import history, library, services
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, ProfilePdf, ProfileResource, Topic
from tests.factories import UserFactory

EASTERN = ZoneInfo("America/New_York")
HEADER = "Year,Category,Award,Agency,City,State,Sworn officers,Title,Summary,Resource links\n"
GOOD = (
    HEADER + '2019,Officer Wellness,Winner,Red Mesa Police Department,Red Mesa,NM,18,"Walking in '
    'Balance: Peer Support","Peers check in after every hard call.","Program overview '
    '<https://redmesa.example.org/overview> | https://www.example.org/red-mesa"\n'
    "2021,General Officer Safety,finalist,Harbor City Police Department,Harbor City,fl,"
    '"1,150",Scenario Training for Every Officer,Six live scenarios a year.,\n'
)


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_history", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text, *, encoding="utf-8", newline=None, name="history.csv"):
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline=newline) as handle:
        handle.write(text)
    return path


def import_text(text, **kwargs):
    return history.import_history(text.encode(), **kwargs)


# Creating ------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_published_profiles_with_their_fields(tmp_path, staff):
    out, _err = run(write(tmp_path, GOOD), "--actor", staff.email)
    assert "Imported 2 program(s); 0 were already there" in out

    wellness = Profile.objects.get(year=2019)
    assert wellness.state == ProfileState.PUBLISHED
    assert wellness.imported
    assert wellness.nomination is None
    assert wellness.agency is None
    assert wellness.award == "winner"
    assert wellness.category_label == "Officer Wellness"
    assert wellness.category_code == "officer-wellness"  # made from the label
    assert (wellness.agency_name, wellness.city, wellness.state_code) == (
        "Red Mesa Police Department",
        "Red Mesa",
        "NM",
    )
    assert wellness.sworn_officers == 18
    assert wellness.title == "Walking in Balance: Peer Support"
    assert wellness.summary == "Peers check in after every hard call."
    assert wellness.slug == "2019-red-mesa-police-department-walking-in-balance-peer-support"
    assert wellness.published_by == staff
    # Dated January 1 after its award year, so the feed places it in its own time.
    assert wellness.published_at == datetime(2020, 1, 1, tzinfo=EASTERN)
    assert wellness.first_published_at == wellness.published_at
    assert f"/programs/{wellness.slug}/" in out

    links = list(wellness.resources.values_list("title", "url", "position", "file"))
    assert links == [
        ("Program overview", "https://redmesa.example.org/overview", 0, ""),
        ("www.example.org/red-mesa", "https://www.example.org/red-mesa", 1, ""),
    ]

    safety = Profile.objects.get(year=2021)
    assert safety.award == "finalist"
    assert safety.state_code == "FL"
    assert safety.sworn_officers == 1150
    assert not safety.resources.exists()

    event = AuditEvent.objects.get(action="profile_imported", object_repr=wellness.title)
    assert event.actor == staff
    assert event.to_state == ProfileState.PUBLISHED
    assert "line 2" in event.message
    if connection.vendor == "postgresql":
        assert Profile.objects.filter(search_vector__isnull=True).count() == 0


@pytest.mark.django_db
def test_import_renders_each_pdf_after_commit(django_capture_on_commit_callbacks):
    """The PDF summaries are queued after commit, never rendered during the import."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = import_text(GOOD)
    assert len(report.created) == 2
    assert not ProfilePdf.objects.exists()
    # One PDF each, and the work after a library change once for the whole import.
    choices = [callback for callback in callbacks if callback is library._after_change]
    assert len(choices) == 1
    assert len(callbacks) == 3
    for callback in callbacks:
        callback()
    for profile in Profile.objects.all():
        assert profile.pdf.is_current
        with profile.pdf.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert profile.agency_name in text
        assert 1 <= len(reader.pages) <= 2


@pytest.mark.django_db
def test_import_optional_columns_code_type_and_topics():
    text = (
        "year,category label,category code,award,agency,city,state,agency type,title,"
        "summary,topics\n"
        "2020,Traffic Safety,officer-traffic-safety,Winner,Pinecrest PD,Pinecrest,WA,"
        'Municipal police,Buckle Up,Belts on every shift.,"Seat belts | Driving safety"\n'
        "2022,Comprehensive Wellness,,Finalist,Portside Transit PD,Portside,OR,transit,"
        "Whole Officer,Fitness and finances.,seat belts; Fitness\n"
    )
    import_text(text)
    buckle = Profile.objects.get(title="Buckle Up")
    assert buckle.category_code == "officer-traffic-safety"
    assert buckle.category_label == "Traffic Safety"
    assert buckle.agency_type == "municipal"
    assert buckle.sworn_officers is None
    assert sorted(buckle.topics.values_list("name", flat=True)) == ["Driving safety", "Seat belts"]
    whole = Profile.objects.get(title="Whole Officer")
    assert whole.category_code == "comprehensive-wellness"
    assert whole.agency_type == "transit"
    # Topics are matched by name in any case: "seat belts" is the same topic.
    assert sorted(whole.topics.values_list("name", flat=True)) == ["Fitness", "Seat belts"]
    assert Topic.objects.count() == 3


@pytest.mark.django_db
def test_import_makes_slugs_unique():
    text = (
        HEADER
        + "2020,Wellness,Winner,Pinecrest PD,Pinecrest,WA,,Peer Support,One.,\n"
        + "2020,Wellness,Winner,Pinecrest P.D.,Pinecrest,WA,,Peer Support,Two.,\n"
    )
    import_text(text)
    assert sorted(Profile.objects.values_list("slug", flat=True)) == [
        "2020-pinecrest-pd-peer-support",
        "2020-pinecrest-pd-peer-support-2",
    ]


@pytest.mark.django_db
def test_import_of_this_years_program_is_dated_now():
    year = timezone.localdate().year
    before = timezone.now()
    import_text(HEADER + f"{year},Wellness,Winner,Pinecrest PD,Pinecrest,WA,,Peer Support,One.,\n")
    profile = Profile.objects.get()
    assert before <= profile.published_at <= timezone.now()


# Reading the file -----------------------------------------------------------------


@pytest.mark.django_db
def test_import_handles_bom_windows_line_endings_and_spaces(tmp_path):
    text = (
        "\ufeff Year , CATEGORY ,award,Agency,city,State,sworn_officers,Title,Summary,"
        "Resource-Links\r\n"
        "  2022 ,  Officer   Wellness , WINNER ,  Granite   Valley PD ,Granite Valley, pa , 12 ,"
        '"  Shared   Clinician  ","First line.\r\n\r\n\r\n  Second   paragraph.  ",'
        '"Agreement <https://granite.example.org/a.pdf>\r\nhttps://granite.example.org/b"\r\n'
    )
    run(write(tmp_path, text, newline=""))
    profile = Profile.objects.get()
    assert profile.category_label == "Officer Wellness"
    assert profile.award == "winner"
    assert profile.agency_name == "Granite Valley PD"
    assert profile.state_code == "PA"
    assert profile.title == "Shared Clinician"
    assert profile.summary == "First line.\n\nSecond paragraph."
    assert list(profile.resources.values_list("url", flat=True)) == [
        "https://granite.example.org/a.pdf",
        "https://granite.example.org/b",
    ]


@pytest.mark.django_db
def test_import_stores_formula_cells_as_text():
    """A cell that looks like a formula is kept as text; an export's apostrophe is dropped."""
    text = (
        HEADER + '2020,Wellness,Winner,Pinecrest PD,Pinecrest,WA,,"=HYPERLINK(""http://x"")",'
        "'+1 sentence,\n"
    )
    import_text(text)
    profile = Profile.objects.get()
    assert profile.title == '=HYPERLINK("http://x")'
    assert profile.summary == "+1 sentence"


@pytest.mark.django_db
def test_import_drops_the_apostrophe_an_export_puts_before_a_spaced_formula():
    """The export guards " =x" too (a spreadsheet trims the space); the guard is dropped."""
    text = HEADER + "2020,Wellness,Winner,Pinecrest PD,Pinecrest,WA,,' =SUM(A1),'\u00a0@x,\n"
    import_text(text)
    profile = Profile.objects.get()
    assert profile.title == "=SUM(A1)"
    assert profile.summary == "@x"


@pytest.mark.django_db
def test_import_reads_the_open_data_csv():
    """A file in the shape of /api/programs.csv imports: its extra columns are ignored."""
    text = (
        "\ufeffslug,url,title,summary,year,award,category_code,category_label,agency_name,"
        "agency_city,agency_state,agency_type,sworn_officers,size_band,topics,key_figures,"
        "resources,pdf_url,published_at\r\n"
        "2021-red-mesa,https://awards.example.org/programs/2021-red-mesa/,Walking in Balance,"
        "Peers check in.,2021,winner,officer-wellness,Officer Wellness,Red Mesa PD,Red Mesa,NM,"
        "tribal,18,1-24,Peer support; Mental health,41% fewer sick days,"
        '"Overview <https://redmesa.example.org/a?x=1;y=2>; Policy <https://redmesa.example.org/p>",'
        "https://awards.example.org/programs/2021-red-mesa/summary.pdf,2022-01-01T05:00:00Z\r\n"
    )
    import_text(text)
    profile = Profile.objects.get()
    assert (profile.city, profile.state_code, profile.agency_type) == ("Red Mesa", "NM", "tribal")
    assert profile.slug == "2021-red-mesa-pd-walking-in-balance"
    assert sorted(profile.topics.values_list("name", flat=True)) == [
        "Mental health",
        "Peer support",
    ]
    assert list(profile.resources.values_list("title", "url")) == [
        ("Overview", "https://redmesa.example.org/a?x=1;y=2"),
        ("Policy", "https://redmesa.example.org/p"),
    ]


@pytest.mark.django_db
def test_import_of_the_shipped_sample_is_valid():
    rows, problems = history.read_history(history_sample())
    assert problems == []
    assert len(rows) == 13
    assert len({row.year for row in rows}) >= 5
    assert len({row.state_code for row in rows}) == 13
    assert all(row.resources for row in rows)
    assert all(url.startswith("https://") for row in rows for _title, url in row.resources)


def history_sample():
    return history.SAMPLE_CSV.read_bytes()


# Problems: reported by line, nothing written ----------------------------------------

BAD = (
    HEADER
    + "2020,Wellness,Winner,Good PD,Goodtown,WA,10,A Good Program,Fine.,\n"  # line 2
    + "2020,Wellness,Winner,Bad State PD,Nowhere,XX,10,Bad State,Fine.,\n"  # line 3
    + "2020,Wellness,Champion,Bad Award PD,Nowhere,WA,10,Bad Award,Fine.,\n"  # line 4
    + "2020,Wellness,Winner,Bad Officers PD,Nowhere,WA,about ten,Bad Officers,Fine.,\n"  # 5
    + '2020,Wellness,Winner,Bad Link PD,Nowhere,WA,10,Bad Link,"Fine.\nTwo lines.",'  # 6-7
    + '"Click <javascript:alert(1)>"\n'
    + "2020,Wellness,Winner,No Title PD,Nowhere,WA,10,,Fine.,\n"  # line 8
)


def test_read_history_reports_each_problem_with_its_line():
    rows, problems = history.read_history(BAD.encode())
    by_line = {problem.line: problem.message for problem in problems}
    assert sorted(by_line) == [3, 4, 5, 6, 8]
    assert "state “XX”" in by_line[3]
    assert "award “Champion”" in by_line[4]
    assert "sworn officers “about ten” is not a whole number" in by_line[5]
    assert "javascript:alert(1)" in by_line[6]
    assert "http or https" in by_line[6]
    assert "title is missing" in by_line[8]
    assert [row.title for row in rows] == ["A Good Program"]


@pytest.mark.django_db
def test_command_with_problems_lists_them_and_writes_nothing(tmp_path):
    path = write(tmp_path, BAD)
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 5 line"):
        call_command("import_history", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 8",
    ]
    assert not Profile.objects.exists()  # not even the good row on line 2
    assert not ProfileResource.objects.exists()
    assert not AuditEvent.objects.filter(action="profile_imported").exists()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("1999,W,Winner,A,B,WA,,T,S,", "year must be between 2000"),
        ("20x1,W,Winner,A,B,WA,,T,S,", "not a year"),
        ("2020,W,Winner,A,B,Washington,,T,S,", "two-letter postal code"),
        ("2020,W,Winner,A,B,WA,0,T,S,", "between 1 and 100,000"),
        ("2020,W,Winner,A,B,WA,-5,T,S,", "not a whole number"),
        ("2020,W,Winner,,B,WA,,T,S,", "agency is missing"),
        ("2020,W,Winner,A,B,WA,,T,,", "summary is missing"),
        ("2020,,Winner,A,B,WA,,T,S,", "category label is missing"),
        ("2020,W,Winner,A,B,WA,,T,S,ftp://example.org/x", "http or https"),
        ("2020,W,Winner,A,B,WA,,T,S,file:///etc/passwd", "http or https"),
        ("2020,W,Winner,A,B,WA,,T,S,https://user:pw@example.org/", "user name or password"),
        ("2020,W,Winner,A,B,WA,,T,S,https://exa mple.org", "should be “Title"),
        ("2020,W,Winner,A,B,WA,,T,S,Policy <https://>", "not a valid web address"),
        ("2020,W,Winner,A,B,WA,,T,S,x,y", "11 cells where the header names 10"),
        ("2020,W,Winner,A,B,WA,,T,S,=1+1", "http or https"),
    ],
)
def test_read_history_refuses(cells, expected):
    _rows, problems = history.read_history((HEADER + cells + "\n").encode())
    assert len(problems) == 1
    assert problems[0].line == 2
    assert expected in problems[0].message


def test_read_history_refuses_a_bad_header():
    _rows, problems = history.read_history(b"Year,Agency,Colour\n2020,A,red\n")
    assert all(problem.line == 1 for problem in problems)
    messages = " ".join(problem.message for problem in problems)
    assert "unknown column “Colour”" in messages
    assert "missing column(s): category label, award, city, state, title, summary" in messages


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (HEADER.encode(), "no programs"),
        ((HEADER + "2020,W,Winner,Caf\xe9 PD,B,WA,,T,S,\n").encode("latin-1"), "not UTF-8"),
    ],
)
def test_read_history_refuses_empty_or_unreadable_files(data, expected):
    _rows, problems = history.read_history(data)
    assert len(problems) == 1
    assert expected in problems[0].message
    assert problems[0].line == (2 if b"Caf" in data else 1)


def test_read_history_refuses_the_same_program_twice_in_a_file():
    text = (
        HEADER
        + "2020,W,Winner,Pinecrest PD,B,WA,,Peer Support,S,\n"
        + "2020,W,Finalist,PINECREST PD,B,WA,,peer support,S,\n"
    )
    _rows, problems = history.read_history(text.encode())
    assert [(p.line, p.message) for p in problems] == [
        (3, "the same program (year, agency, title) as line 2.")
    ]


@pytest.mark.django_db
def test_import_refuses_an_actor_who_is_not_staff(tmp_path):
    with pytest.raises(PermissionDenied):
        import_text(GOOD, actor=UserFactory())
    with pytest.raises(CommandError, match="not an active program staff account"):
        run(write(tmp_path, GOOD), "--actor", "nobody@example.org")
    assert not Profile.objects.exists()


# Again, and dry runs -----------------------------------------------------------------


@pytest.mark.django_db
def test_reimport_does_not_duplicate(tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    first = dict(Profile.objects.values_list("slug", "version"))
    out, _err = run(path)
    assert "Imported 0 program(s); 2 were already there" in out
    assert dict(Profile.objects.values_list("slug", "version")) == first
    assert ProfileResource.objects.count() == 2
    # A file with one more row adds only that row, matching the others in any case.
    more = GOOD.replace("Red Mesa Police Department", "RED MESA police department") + (
        "2022,Wellness,Winner,Pinecrest PD,Pinecrest,WA,,Peer Support,One.,\n"
    )
    out, _err = run(write(tmp_path, more, name="more.csv"))
    assert "Imported 1 program(s); 2 were already there" in out
    assert Profile.objects.count() == 3


def _import_audit():
    """(action, object, actor, to_state, message) of every audit event, oldest first."""
    return list(
        AuditEvent.objects.order_by("created_at", "pk").values_list(
            "action", "object_repr", "actor", "to_state", "message"
        )
    )


@pytest.mark.django_db
def test_import_goes_through_the_services_and_audits_each_profile_and_topic(staff):
    """Every imported profile and every new topic has its audit record, naming the actor;
    importing the same file again records nothing."""
    text = GOOD.replace("Resource links\n", "Resource links,Topics\n", 1).replace(
        'red-mesa"\n', 'red-mesa","Peer support | Mental health"\n', 1
    )
    report = import_text(text, actor=staff)
    assert len(report.created) == 2
    assert _import_audit() == [
        ("topic_created", "Peer support", staff.pk, "", "Peer support"),
        ("topic_created", "Mental health", staff.pk, "", "Mental health"),
        (
            "profile_imported",
            "Walking in Balance: Peer Support",
            staff.pk,
            "published",
            "Imported from past awards (line 2)",
        ),
        (
            "profile_imported",
            "Scenario Training for Every Officer",
            staff.pk,
            "published",
            "Imported from past awards (line 3)",
        ),
    ]
    for profile in Profile.objects.all():
        assert audit_events_for(profile).filter(action="profile_imported").count() == 1

    again = import_text(text, actor=staff)
    assert (len(again.created), len(again.existing)) == (0, 2)
    assert AuditEvent.objects.count() == 4


@pytest.mark.django_db
def test_an_operators_import_is_audited_with_no_actor(tmp_path):
    run(write(tmp_path, GOOD))
    events = AuditEvent.objects.filter(action="profile_imported")
    assert events.count() == Profile.objects.count() == 2
    assert set(events.values_list("actor", flat=True)) == {None}


@pytest.mark.django_db
def test_profile_import_refuses_a_program_the_library_has(staff):
    """The service itself never makes a second profile of one program, whatever calls it."""
    rows, _problems = history.read_history(GOOD.encode())
    services.profile_import(actor=staff, data=rows[0])
    again = replace(rows[0], title=rows[0].title.upper(), agency_name=rows[0].agency_name.lower())
    with pytest.raises(services.ProfileError, match="in the library already"):
        services.profile_import(actor=staff, data=again)
    assert Profile.objects.count() == 1
    assert AuditEvent.objects.filter(action="profile_imported").count() == 1


@pytest.mark.django_db
def test_reimport_leaves_a_retracted_profile_retracted(tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    Profile.objects.filter(year=2019).update(state=ProfileState.RETRACTED)
    run(path)
    assert Profile.objects.get(year=2019).state == ProfileState.RETRACTED
    assert Profile.objects.count() == 2


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    out, _err = run(path, "--dry-run")
    assert "line 2: would import “Walking in Balance: Peer Support” (2019)" in out
    assert "Dry run: 2 program(s) would be imported, 0 already there" in out
    assert not Profile.objects.exists()
    assert not Topic.objects.exists()
    assert not AuditEvent.objects.exists()
    run(path)
    out, _err = run(path, "--dry-run")
    assert "Dry run: 0 program(s) would be imported, 2 already there" in out


@pytest.mark.django_db
def test_dry_run_with_problems_reports_them_and_fails(tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_history",
            str(write(tmp_path, BAD)),
            "--dry-run",
            stdout=StringIO(),
            stderr=err,
        )
    assert "line 3: the state “XX”" in err.getvalue()
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv")
