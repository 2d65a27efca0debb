"""The identity check: the agency's name, city and ORI in anything a blind reviewer reads.

Run through the service (`review_copy_save` queues it on commit; the tests run
it with the on-commit callbacks), on real PDFs: one written by hand whose page
shows text, and ones made with pypdf carrying document properties.
"""

import io

import pytest
from django.test import TestCase
from pypdf import PdfReader, PdfWriter

from dz_awards.nominations.models import Nomination
from reviews import leaks, services
from reviews.models import ReviewCopy
from tests.files import MINIMAL_PDF
from tests.reviews import helpers

NAME = "O'Fallon Police Department"
CITY = "Marlow Springs"
ORI = "MO0920400"


@pytest.fixture
def agency(db):
    return helpers.identified_agency(name=NAME, city=CITY, ori=ORI, state="MO")


def _save(staff, nomination, *, files=None, **fields):
    values = {
        "executive_summary": helpers.EXECUTIVE_SUMMARY,
        "redacted_title": helpers.REDACTED_TITLE,
        "redacted_text": helpers.REDACTED_TEXT,
        **fields,
    }
    files = list(nomination.evidence.all()) if files is None else files
    with helpers.on_commit():
        services.review_copy_save(actor=staff, nomination=nomination, files=files, **values)
    return ReviewCopy.objects.get(nomination=nomination)


def _found(copy):
    return sorted((f["where"], f["what"]) for f in copy.leaks)


@pytest.fixture
def clean(staff, category, agency):
    """A nomination of `agency` with a clean review copy and no files."""
    return helpers.ready_nomination(staff, category=category, agency=agency)


def test_a_clean_copy_has_no_findings(clean):
    copy = helpers.copy_of(clean)
    assert copy.is_checked
    assert copy.leaks == []


PLACES = {
    "title": ("redacted_title", "the title for reviewers"),
    "summary": ("executive_summary", "the executive summary"),
    "copy": ("redacted_text", "the redacted copy"),
}
MENTIONS = {
    "name": ("Run by the O'Fallon Police Department since 2019.", "agency name"),
    "name curly apostrophe": (
        "run by the o\u2019fallon police-department since 2019",
        "agency name",
    ),
    "name upper": ("RUN BY THE O FALLON POLICE  DEPARTMENT", "agency name"),
    "city": ("Officers of Marlow Springs took part.", "city"),
    "city hyphen": ("officers of marlow-springs, all of them", "city"),
    "ori": ("Reported under ORI MO0920400.", "ORI"),
    "ori lower": ("reported under ori mo0920400", "ORI"),
}


@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("mention", list(MENTIONS))
def test_identity_in_the_copy_is_flagged(place, mention, staff, clean):
    """Case, punctuation and spacing do not hide the agency's name, city or ORI."""
    field, where = PLACES[place]
    text, what = MENTIONS[mention]
    copy = _save(staff, clean, **{field: text})
    assert copy.is_checked
    assert _found(copy) == [(where, what)]


@pytest.mark.parametrize(
    "text",
    [
        "The Marlow Springsfield program.",
        "Outside Marlow, near the springs.",
        "An ORI like MO09204001 is another agency.",
        "The O'Fallon Police Departments of the region.",
    ],
    ids=["longer word", "words apart", "longer ORI", "plural"],
)
def test_only_whole_words_match(text, staff, clean):
    copy = _save(staff, clean, redacted_text=text)
    assert copy.leaks == []


def test_every_place_is_reported(staff, clean):
    copy = _save(
        staff,
        clean,
        redacted_title="Marlow Springs peer support",
        executive_summary="MO0920400 reports 92% participation.",
        redacted_text="The O'Fallon Police Department and Marlow Springs.",
    )
    assert _found(copy) == sorted(
        [
            ("the title for reviewers", "city"),
            ("the executive summary", "ORI"),
            ("the redacted copy", "agency name"),
            ("the redacted copy", "city"),
        ]
    )


def test_an_agency_without_ori_is_checked_for_name_and_city(staff, category):
    agency = helpers.identified_agency(ori="")
    nomination = helpers.ready_nomination(
        staff, category=category, agency=agency, redacted_text=f"In {agency.city}."
    )
    assert _found(helpers.copy_of(nomination)) == [("the redacted copy", "city")]


# Files --------------------------------------------------------------------------------


def _with_files(staff, category, agency, *uploads):
    return helpers.ready_nomination(staff, category=category, agency=agency, uploads=uploads)


def test_a_file_name_with_the_agency_is_flagged(staff, category, agency):
    nomination = _with_files(
        staff,
        category,
        agency,
        (helpers.pdf_file("O'Fallon PD annual report.pdf", MINIMAL_PDF), ""),
        (helpers.pdf_file("marlow_springs_budget.pdf", MINIMAL_PDF), ""),
    )
    assert _found(helpers.copy_of(nomination)) == [
        ("file 2 (marlow_springs_budget.pdf): its name", "city"),
    ]


def test_a_file_description_with_the_agency_is_flagged(staff, category, agency):
    nomination = _with_files(
        staff,
        category,
        agency,
        (helpers.pdf_file("policy.pdf", MINIMAL_PDF), "General order of the O'Fallon PD"),
        (helpers.pdf_file("letter.pdf", MINIMAL_PDF), "Letter from the mayor of Marlow Springs"),
    )
    assert _found(helpers.copy_of(nomination)) == [
        ("file 2 (letter.pdf): its description", "city"),
    ]


def test_pdf_page_text_with_the_agency_is_flagged(staff, category, agency):
    pdf = helpers.pdf_with_text("Signed: Chief, O'Fallon Police Department (MO0920400)")
    nomination = _with_files(staff, category, agency, (helpers.pdf_file("letter.pdf", pdf), ""))
    assert _found(helpers.copy_of(nomination)) == [
        ("file 1 (letter.pdf): page 1", "ORI"),
        ("file 1 (letter.pdf): page 1", "agency name"),
    ]


@pytest.mark.parametrize(
    ("properties", "what"),
    [
        ({"Author": NAME}, "agency name"),
        ({"Title": "Peer support in Marlow Springs"}, "city"),
        ({"Subject": "ORI MO0920400", "Author": "Sgt. Kim"}, "ORI"),
    ],
    ids=["author", "title", "subject"],
)
def test_pdf_document_properties_with_the_agency_are_gone_from_the_clean_copy(
    properties, what, staff, category, agency
):
    """Document properties never reach reviewers: the clean copy has none, so nothing
    is found (the agency's own upload still has them)."""
    pdf = helpers.pdf_with_properties(**properties)
    nomination = _with_files(staff, category, agency, (helpers.pdf_file("report.pdf", pdf), ""))
    copy = helpers.copy_of(nomination)
    assert copy.is_checked
    assert _found(copy) == []
    (evidence,) = copy.files.all()
    with evidence.clean_file.open("rb") as clean:
        assert not PdfReader(clean).metadata
    with evidence.file.open("rb") as original:
        assert leaks.find_terms(
            " ".join(str(v) for v in PdfReader(original).metadata.values()),
            leaks.identity_terms(agency),
        ) == [what]


def test_clean_pdfs_have_no_findings(staff, category, agency):
    nomination = _with_files(
        staff,
        category,
        agency,
        (helpers.pdf_file("report.pdf", helpers.pdf_with_text("Peer support works.")), "Data"),
        (helpers.pdf_file("notes.pdf", helpers.pdf_with_properties(Author="Sgt. Kim")), ""),
    )
    copy = helpers.copy_of(nomination)
    assert copy.is_checked
    assert copy.leaks == []
    assert copy.files.count() == 2


def test_a_file_left_out_of_the_copy_is_not_checked(staff, category, agency):
    """Only the files shown to reviewers are checked."""
    nomination = _with_files(
        staff,
        category,
        agency,
        (helpers.pdf_file("report.pdf", helpers.pdf_with_properties(Author=NAME)), ""),
    )
    copy = _save(staff, nomination, files=[])
    assert copy.leaks == []


def test_the_hand_written_pdf_really_shows_its_text():
    """The test PDF is a real one: pypdf reads the text back from its page."""
    texts = dict(leaks.pdf_texts(helpers.pdf_with_text("Hello (world)")))
    assert texts["page 1"].strip() == "Hello (world)"


def test_pages_past_the_limit_are_reported_as_not_checked(monkeypatch, staff, category, agency):
    monkeypatch.setattr(leaks, "MAX_PDF_PAGES", 1)
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    nomination = _with_files(
        staff, category, agency, (helpers.pdf_file("long.pdf", buffer.getvalue()), "")
    )
    assert _found(helpers.copy_of(nomination)) == [
        ("file 1 (long.pdf): pages after 1 (not checked)", "unknown")
    ]


def test_an_unreadable_pdf_says_so():
    ((where, text),) = leaks.pdf_texts(b"%PDF-1.4 not really")
    assert where.startswith("unreadable (")
    assert where.endswith("); check it by eye")
    assert text is None


# When the check runs -----------------------------------------------------------------------


def test_an_edit_after_the_check_is_unchecked_until_it_reruns(staff, clean):
    """The check runs after commit; until then the copy counts as unchecked."""
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        services.review_copy_save(
            actor=staff,
            nomination=clean,
            executive_summary=helpers.EXECUTIVE_SUMMARY,
            redacted_title=helpers.REDACTED_TITLE,
            redacted_text=f"Now naming {CITY}.",
            files=[],
        )
    copy = helpers.copy_of(clean)
    assert not copy.is_checked
    assert copy.leaks == []
    assert services.open_review_problems(Nomination.objects.get(pk=clean.pk))[0] == (
        "The identity check of the review copy has not finished yet."
    )

    for callback in callbacks:
        callback()

    copy.refresh_from_db()
    assert copy.is_checked
    assert _found(copy) == [("the redacted copy", "city")]


def test_a_check_overtaken_by_a_newer_save_stores_nothing(monkeypatch, staff, clean):
    """A save lands while the check reads the files: its findings are for an old copy."""
    copy = helpers.copy_of(clean)
    checked_at = copy.checked_at
    real = leaks.copy_findings

    def slow_findings(copy, files):
        found = real(copy, files)
        ReviewCopy.objects.filter(pk=copy.pk).update(redacted_text=f"In {CITY}.")
        ReviewCopy.objects.filter(pk=copy.pk).update(updated_at=copy.updated_at.replace(year=2099))
        return found

    monkeypatch.setattr(leaks, "copy_findings", slow_findings)

    assert services.review_copy_check(copy.pk) is None

    copy.refresh_from_db()
    assert copy.checked_at == checked_at
    assert not copy.is_checked


def test_the_check_of_a_deleted_copy_does_nothing(clean):
    pk = helpers.copy_of(clean).pk
    ReviewCopy.objects.filter(pk=pk).delete()
    assert services.review_copy_check(pk) is None
