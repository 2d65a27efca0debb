"""Clean copies: real hostile PDFs rewritten, then read back with pikepdf, pypdf and poppler.

Each hostile PDF (tests/hostile_pdfs.py) hides the agency's name in one place a
reader does not see; the clean copy must not carry it anywhere, not even in a
compressed stream, and must still show its page.
"""

import io
import subprocess

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from pypdf import PdfReader

from dz_awards.core.pdfclean import (
    CATALOG_KEYS,
    DAMAGED,
    LINK_KEYS,
    LOCKED,
    PdfCleanError,
    clean_pdf,
    pdf_page_count,
    pdf_visible_texts,
)
from tests.hostile_pdfs import (
    AGENCY_WORDS,
    HOSTILE_PDFS,
    INNOCENT_TEXT,
    PICTURE_PLACES,
    carries_words,
    contains_words,
    every_text,
    scanned_pdf,
    visible_text_pdf,
)

WORDS = "Riverton Police Department"
TEXT_PLACES = sorted(set(HOSTILE_PDFS) - PICTURE_PLACES)
# The value typed into a field is drawn on the page when the form is flattened:
# it becomes page text, which the identity check reads (see the test below).
HIDDEN_PLACES = [place for place in TEXT_PLACES if place != "form field value"]

# Keys that start something (scripts, actions) or carry what a reader does not see.
ACTIVE_OR_HIDDEN_KEYS = {
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/AA",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/AF",
    "/Metadata",
    "/AcroForm",
    "/URI",
    "/Launch",
    "/PieceInfo",
    "/Alt",
    "/Popup",
}


def pdftotext(data):
    return subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def all_keys(data):
    """Every dictionary key and name in the file (trailer included)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        keys = set(pdf.trailer.keys())
        for obj in pdf.objects:
            if isinstance(obj, Dictionary | pikepdf.Stream):
                keys.update(obj.keys())
                keys.update(str(value) for value in obj.values() if isinstance(value, Name))
        return keys


@pytest.mark.parametrize("place", TEXT_PLACES)
def test_each_hostile_pdf_carries_the_words(place):
    assert carries_words(HOSTILE_PDFS[place](WORDS), WORDS)


@pytest.mark.parametrize("place", HIDDEN_PLACES)
def test_each_hostile_pdf_hides_the_words_from_page_text(place):
    """The builders are honest: a text extractor does not see the words on the page.

    (A form field's value is shown by readers such as poppler, which draw the field.)
    """
    data = HOSTILE_PDFS[place](WORDS)

    assert not contains_words(pdftotext(data), WORDS)
    page_texts = [text for where, text in pdf_visible_texts(data, max_pages=5) if where == "page 1"]
    assert page_texts == [page_texts[0]]
    assert not contains_words(page_texts[0], WORDS)


def test_earlier_revision_is_hidden_from_the_newest_document_information():
    data = HOSTILE_PDFS["document information of an earlier revision"](WORDS)
    assert data.count(b"%%EOF") == 2
    assert WORDS.encode() in data
    assert dict(PdfReader(io.BytesIO(data)).metadata) == {"/Producer": "Office suite"}


@pytest.mark.parametrize("place", HIDDEN_PLACES)
def test_clean_copy_carries_none_of_the_hidden_words(place):
    clean = clean_pdf(HOSTILE_PDFS[place](WORDS))

    assert not carries_words(clean, WORDS)
    assert not any(
        contains_words(text, WORDS) for _where, text in pdf_visible_texts(clean, max_pages=5)
    )


@pytest.mark.parametrize("place", sorted(HOSTILE_PDFS))
def test_clean_copy_has_no_active_content_or_hidden_text_holders(place):
    clean = clean_pdf(HOSTILE_PDFS[place](AGENCY_WORDS))

    assert all_keys(clean) & ACTIVE_OR_HIDDEN_KEYS == set()
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert set(pdf.Root.keys()) <= CATALOG_KEYS
        assert "/Info" not in pdf.trailer
        assert not pdf.is_encrypted
        assert len(pdf.attachments) == 0
        for page in pdf.pages:
            assert "/Annots" not in page.obj


@pytest.mark.parametrize("place", sorted(HOSTILE_PDFS))
def test_clean_copy_keeps_its_pages_for_every_reader(place):
    original = HOSTILE_PDFS[place](WORDS)
    clean = clean_pdf(original)

    assert pdf_page_count(clean) == pdf_page_count(original) == 1
    assert len(PdfReader(io.BytesIO(clean)).pages) == 1
    if place in PICTURE_PLACES:
        with pikepdf.open(io.BytesIO(clean)) as pdf:
            assert len(pdf.pages[0].get_images()) == 1
    else:
        assert INNOCENT_TEXT in pdftotext(clean)
        assert pdf_visible_texts(clean, max_pages=5)[0][0] == "page 1"
        assert INNOCENT_TEXT in pdf_visible_texts(clean, max_pages=5)[0][1]


def test_clean_copy_is_one_revision_without_the_earlier_author():
    original = HOSTILE_PDFS["document information of an earlier revision"](WORDS)
    clean = clean_pdf(original)

    assert clean.count(b"%%EOF") == 1
    assert WORDS.encode() not in clean
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert "/Prev" not in pdf.trailer
        assert len(pdf.docinfo.keys()) == 0


def test_form_field_value_is_flattened_into_page_text_the_check_reads():
    """The typed value is drawn on the page (the field is gone): page text, found by the check."""
    clean = clean_pdf(HOSTILE_PDFS["form field value"](WORDS))

    texts = dict(pdf_visible_texts(clean, max_pages=5))
    assert contains_words(texts["page 1"], WORDS)
    assert "form fields" not in texts
    assert contains_words(pdftotext(clean), WORDS)
    assert "/AcroForm" not in all_keys(clean)


def test_control_keeps_visible_words_as_page_text():
    clean = clean_pdf(visible_text_pdf(WORDS))

    assert pdf_visible_texts(clean, max_pages=5) == [("page 1", f"{WORDS}\n{INNOCENT_TEXT}")]
    assert contains_words(pdftotext(clean), WORDS)


def _two_pages_with_links():
    """Page 1 links to page 2 in every plain way, and to the outside in others."""
    pdf = pikepdf.new()
    first = pdf.add_blank_page(page_size=(300, 300))
    second = pdf.add_blank_page(page_size=(300, 300))
    pdf.Root.Dests = Dictionary(Old=Array([second.obj, Name.Fit]))
    pdf.Root.Names = Dictionary(
        Dests=Dictionary(Names=Array([String("new"), Dictionary(D=Array([second.obj, Name.Fit]))]))
    )

    def link(**target):
        return pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([0, 0, 50, 50]),
                Contents=String("Jump"),
                NM=String("link-name"),
                **target,
            )
        )

    first.obj.Annots = Array(
        [
            link(A=Dictionary(S=Name.GoTo, D=Array([second.obj, Name.XYZ, 0, 300, None]))),
            link(Dest=Name("/Old")),
            link(Dest=String("new")),
            link(Dest=Array([second.obj, Name.FitH, String("odd")])),
            link(A=Dictionary(S=Name.GoToR, F=String("other.pdf"), D=Array([0, Name.Fit]))),
            link(Dest=String("missing")),
            link(Dest=Array([second.obj])),
        ]
    )
    with pdf.open_outline() as outline:
        outline.root.extend([pikepdf.OutlineItem("Second page"), pikepdf.OutlineItem("Away")])
    chapter = pdf.Root.Outlines.First
    chapter.A = Dictionary(S=Name.GoTo, D=String("new"))
    chapter.Next.A = Dictionary(S=Name.URI, URI=String("https://example.org/"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_links_within_the_file_stay_as_plain_destinations():
    """A link or bookmark that only goes to a page of the file keeps that page; no action stays."""
    clean = clean_pdf(_two_pages_with_links())

    with pikepdf.open(io.BytesIO(clean)) as pdf:
        second = pdf.pages[1].obj.objgen
        links = list(pdf.pages[0].obj.Annots)
        assert [
            (link.Dest[0].objgen, str(link.Dest[1]), list(link.Dest)[2:]) for link in links
        ] == [
            (second, "/XYZ", [0, 300, None]),
            (second, "/Fit", []),
            (second, "/Fit", []),
            (second, "/Fit", []),
        ]
        assert all(set(link.keys()) <= LINK_KEYS for link in links)
        chapter = pdf.Root.Outlines.First
        assert str(chapter.Title) == "Second page"
        assert chapter.Dest[0].objgen == second
        assert "/A" not in chapter
        assert "/Dest" not in chapter.Next
        assert "/A" not in chapter.Next
    assert "Jump" not in " ".join(every_text(clean))


def test_tagged_pdf_keeps_its_tags_and_language_without_alternative_text():
    clean = clean_pdf(HOSTILE_PDFS["structure alternative text"](WORDS))

    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert str(pdf.Root.Lang) == "en-US"
        document = pdf.Root.StructTreeRoot.K
        assert str(document.S) == "/Document"
        paragraph = document.K[0]
        assert str(paragraph.S) == "/P"
        assert "/Alt" not in paragraph
        assert bool(pdf.Root.MarkInfo.Marked)


def test_pdf_visible_texts_reads_notes_fields_and_bookmarks_of_any_pdf():
    """On an uncleaned file it reports what is still there, by place."""
    notes = dict(pdf_visible_texts(HOSTILE_PDFS["annotation text"](WORDS), max_pages=5))
    fields = dict(pdf_visible_texts(HOSTILE_PDFS["form field name"](WORDS), max_pages=5))
    bookmarks = dict(pdf_visible_texts(_two_pages_with_links(), max_pages=5))

    assert notes["page 1 notes"] == WORDS
    assert fields["form fields"] == f"{WORDS} Yes"
    assert bookmarks["bookmarks"] == "Second page Away"
    assert bookmarks["page 1 notes"] == " ".join(["Jump"] * 7)


def _odd_but_readable_pdf():
    """Structures a careless or hostile producer writes: nulls, loops, loose destinations."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(300, 300))
    page.obj.Annots = Array(
        [
            None,
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([0, 0, 9, 9]),
                Dest=Array([0, Name.Fit]),
            ),
        ]
    )
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Lost"))
    pdf.Root.Outlines.First.Dest = String("missing")
    paragraph = pdf.make_indirect(Dictionary(S=Name.P, Alt=String(WORDS)))
    loose = Dictionary(S=Name.Span, ActualText=String(WORDS))
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        Dictionary(
            Type=Name.StructTreeRoot,
            K=Dictionary(S=Name.Document, K=Array([paragraph, paragraph, loose, 0])),
            IDTree=Dictionary(Names=Array([String(WORDS), paragraph])),
        )
    )
    pdf.Root.PageMode = Name.UseOutlines
    pdf.Root.PageLayout = Name.OneColumn
    pdf.Root.Unknown = pdf.make_indirect(Array([String(WORDS)]))
    kid = pdf.make_indirect(
        Dictionary(
            T=String("kid"), V=String("value"), A=Dictionary(S=Name.JavaScript, JS=String("1"))
        )
    )
    parent = pdf.make_indirect(Dictionary(T=String("parent"), Kids=Array([kid, kid])))
    pdf.Root.AcroForm = Dictionary(Fields=Array([parent, 7]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_odd_structures_are_cleaned_without_losing_the_page():
    original = _odd_but_readable_pdf()
    clean = clean_pdf(original)

    assert not carries_words(clean, WORDS)
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert len(pdf.pages) == 1
        assert "/Annots" not in pdf.pages[0].obj
        assert set(pdf.Root.Outlines.First.keys()) == {"/Title", "/Parent", "/Count"}
        assert (str(pdf.Root.PageMode), str(pdf.Root.PageLayout)) == ("/UseOutlines", "/OneColumn")
        assert set(pdf.Root.StructTreeRoot.keys()) == {"/K", "/Type"}
    texts = dict(pdf_visible_texts(original, max_pages=1))
    assert texts["form fields"] == "parent kid value"
    assert texts["bookmarks"] == "Lost"


def test_pdf_visible_texts_reports_pages_beyond_the_limit_as_not_checked():
    texts = pdf_visible_texts(scanned_pdf(WORDS, pages=3), max_pages=2)

    assert texts == [("page 1", ""), ("page 2", ""), ("pages after 2 (not checked)", "")]


def test_owner_password_is_removed_from_the_copy():
    """A file anyone can open (only its permissions are locked) is copied unlocked."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(visible_text_pdf(WORDS))) as pdf:
        pdf.save(
            out,
            encryption=pikepdf.Encryption(
                owner="secret", user="", allow=pikepdf.Permissions(extract=False)
            ),
        )
    clean = clean_pdf(out.getvalue())

    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert not pdf.is_encrypted
    assert contains_words(pdftotext(clean), WORDS)


def _user_password_pdf():
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(visible_text_pdf(WORDS))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="secret", user="open-me"))
    return out.getvalue()


@pytest.mark.parametrize(
    "function", [clean_pdf, pdf_page_count, lambda data: pdf_visible_texts(data, max_pages=1)]
)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\nnothing else", DAMAGED),
        (b"GIF89a not a pdf at all", DAMAGED),
        (_user_password_pdf(), LOCKED),
    ],
)
def test_unreadable_or_locked_pdf_is_refused_in_plain_words(function, data, message):
    with pytest.raises(PdfCleanError) as refused:
        function(data)

    assert str(refused.value) == message


def test_page_count_counts_pages():
    assert pdf_page_count(scanned_pdf(WORDS, pages=3)) == 3
