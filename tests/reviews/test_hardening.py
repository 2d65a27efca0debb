"""Second lines of defence: the services refuse a conflicted reviewer on their own,
the identity check reads XMP metadata and spaced ORIs, and reviewer progress
keeps conflicted assignments apart."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfWriter

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.reviews import leaks, selectors, services
from dz_awards.reviews.enums import AssignmentState
from dz_awards.reviews.models import Assignment, Review
from tests import factories
from tests.reviews import helpers


def _join(user, agency):
    factories.MembershipFactory(user=user, agency=agency, status=MembershipStatus.APPROVED)


def test_a_reviewer_who_joined_the_agency_cannot_accept(staff, nomination, reviewers):
    (row, *_rest) = helpers.assign(staff, nomination, reviewers, accept=False)
    _join(row.reviewer, nomination.agency)
    with pytest.raises(PermissionDenied):
        services.assignment_accept(user=row.reviewer, assignment=row)
    assert Assignment.objects.get(pk=row.pk).state == AssignmentState.INVITED


def test_a_reviewer_who_joined_the_agency_cannot_save_a_review(staff, reviewing):
    row = reviewing[0]
    _join(row.reviewer, row.nomination.agency)
    with pytest.raises(PermissionDenied):
        helpers.submit_review(row, 4)
    assert not Review.objects.filter(assignment=row).exists()


def test_progress_counts_a_conflicted_assignment_apart(staff, reviewing):
    row = reviewing[0]
    _join(row.reviewer, row.nomination.agency)
    progress = {r["reviewer"].pk: r for r in selectors.reviewer_progress(row.nomination.cycle)}
    assert progress[row.reviewer.pk]["conflicted"] == 1
    assert progress[row.reviewer.pk]["assigned"] == 0
    assert progress[reviewing[1].reviewer.pk]["assigned"] == 1


@pytest.mark.parametrize(
    "text", ["ORI: MO 092 0400", "ori mo-0920400", "(MO.0920400)"], ids=["spaces", "hyphen", "dots"]
)
def test_an_ori_written_with_separators_is_found(text):
    terms = [("ORI", "mo0920400")]
    assert leaks.find_terms(text, terms) == ["ORI"]


def test_an_ori_inside_a_longer_code_is_not_found():
    assert leaks.find_terms("MO09204001 and XMO0920400", [("ORI", "mo0920400")]) == []


def _pdf_with_xmp(author):
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description>'
        f"<dc:creator>{author}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    writer.xmp_metadata = xmp
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_xmp_metadata_is_read():
    texts = dict(leaks.pdf_texts(io.BytesIO(_pdf_with_xmp("Marlow Springs PD"))))
    assert "Marlow Springs PD" in texts["XMP metadata"]
    assert leaks.find_terms(texts["XMP metadata"], [("city", "marlow springs")]) == ["city"]


def test_a_pdf_without_xmp_has_no_xmp_entry():
    texts = dict(leaks.pdf_texts(io.BytesIO(helpers.pdf_with_properties(Author="Sgt. Kim"))))
    assert "XMP metadata" not in texts
    assert "Sgt. Kim" in texts["document properties"]
