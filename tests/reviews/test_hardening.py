"""Second lines of defence: the services refuse a conflicted reviewer on their own,
the identity check reads XMP metadata and spaced ORIs, and reviewer workload
keeps conflicted assignments apart."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.nominations.processing import pdf_clean_copy
from reviews import leaks, selectors, services
from reviews.enums import AssignmentState
from reviews.models import Assignment, Review
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


def test_workload_counts_a_conflicted_assignment_apart(staff, reviewing):
    row = reviewing[0]
    _join(row.reviewer, row.nomination.agency)
    workload = {r.reviewer.pk: r for r in selectors.reviewer_workload(row.nomination.cycle)}
    assert workload[row.reviewer.pk].conflicted == 1
    assert workload[row.reviewer.pk].assigned == 0
    assert workload[row.reviewer.pk].accepted == 0
    assert workload[reviewing[1].reviewer.pk].assigned == 1


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


def test_xmp_metadata_is_not_in_the_clean_copy():
    original = _pdf_with_xmp("Marlow Springs PD")
    assert PdfReader(io.BytesIO(original)).xmp_metadata is not None
    clean = pdf_clean_copy(original)
    assert PdfReader(io.BytesIO(clean)).xmp_metadata is None
    assert b"Marlow Springs" not in clean


def test_document_properties_are_not_in_the_clean_copy():
    clean = pdf_clean_copy(helpers.pdf_with_properties(Author="Sgt. Kim"))
    assert not PdfReader(io.BytesIO(clean)).metadata
    assert "Sgt. Kim" not in " ".join(text for _where, text in leaks.pdf_texts(clean))


# Reviewers read a review copy only once it is cleared ---------------------------------


def _unchecked_copy_with_the_city(staff, nomination):
    """Staff edit the copy to name the agency's city; the check has not run yet."""
    services.review_copy_save(
        actor=staff,
        nomination=nomination,
        executive_summary="Summary.",
        redacted_title=f"Peer support in {nomination.agency.city}",
        redacted_text="Text.",
        files=[],
    )


def test_no_assignment_while_the_check_has_not_run(staff, nomination, reviewers):
    _unchecked_copy_with_the_city(staff, nomination)
    # The refusal names the real reason: the copy is written, its check has not run.
    with pytest.raises(services.ReviewError, match=r"identity check .* has not finished"):
        services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewers[0])
    run = services.assignment_auto(actor=staff, cycle=nomination.cycle)
    assert run.created == []


def test_no_assignment_when_the_check_found_the_agency(staff, category, reviewers):
    agency = helpers.identified_agency()
    nomination = helpers.ready_nomination(
        staff, category=category, agency=agency, redacted_text=f"In {agency.city}."
    )
    assert helpers.copy_of(nomination).leaks
    with pytest.raises(services.ReviewError):
        services.assignment_add(actor=staff, nomination=nomination, reviewer=reviewers[0])


def test_an_edit_during_review_is_hidden_until_checked(staff, reviewing):
    row = reviewing[0]
    nomination = row.nomination
    _unchecked_copy_with_the_city(staff, nomination)
    row = selectors.assignment_get_for_reviewer(row.reviewer, row.pk)
    copy = selectors.reviewer_copy(row)
    shown = " ".join([copy.title, copy.executive_summary, *(t for _l, t in copy.sections)])
    assert nomination.agency.city not in shown
    assert copy.sections == []
    assert selectors.blind_title(row.nomination).startswith("Nomination ")


def test_a_cleared_copy_is_shown(staff, reviewing):
    row = selectors.assignment_get_for_reviewer(reviewing[0].reviewer, reviewing[0].pk)
    copy = selectors.reviewer_copy(row)
    assert copy.title == helpers.REDACTED_TITLE
    assert copy.sections[0][1] == helpers.REDACTED_TEXT


def test_an_open_phase_never_shows_contact_details(staff, reviewing, phase):
    phase.blind = False
    phase.save()
    row = selectors.assignment_get_for_reviewer(reviewing[0].reviewer, reviewing[0].pk)
    copy = selectors.reviewer_copy(row)
    labels = {label for label, _text in copy.sections}
    assert copy.agency == row.nomination.agency
    assert labels
    assert not labels & selectors.NOT_FOR_REVIEWERS


# Invitations, reopening -----------------------------------------------------------------


def test_a_second_invitation_keeps_the_home_agency(staff, nomination):
    person = helpers.reviewer(home_agency=nomination.agency, state="OH")
    invitation, token = services.reviewer_invite(
        actor=staff, email=person.email, full_name=person.full_name
    )
    services.invitation_accept(pk=invitation.pk, token=token, user=person)
    person.reviewer_profile.refresh_from_db()
    assert person.reviewer_profile.home_agency == nomination.agency
    assert person.reviewer_profile.state == "OH"


def test_accepting_expires_older_links_to_the_same_address(staff):
    first, first_token = services.reviewer_invite(
        actor=staff, email="new@example.org", full_name="New Reviewer"
    )
    second, second_token = services.reviewer_invite(
        actor=staff, email="new@example.org", full_name="New Reviewer"
    )
    services.invitation_accept(pk=second.pk, token=second_token, password="a long passphrase 1")
    first.refresh_from_db()
    assert services.invitation_problem(first) is not None
    with pytest.raises(services.ReviewError, match="expired"):
        services.invitation_accept(pk=first.pk, token=first_token, password="another one 22")


def test_no_reopen_after_review_closed(staff, reviewing):
    for row in reviewing:
        helpers.submit_review(row, 4)
    services.nomination_close_review(actor=staff, nomination=reviewing[0].nomination)
    row = Assignment.objects.get(pk=reviewing[0].pk)
    with pytest.raises(services.ReviewError, match="only while review is open"):
        services.assignment_reopen(actor=staff, assignment=row)
    assert Assignment.objects.get(pk=row.pk).state == AssignmentState.SUBMITTED


# The identity check reads more of a PDF --------------------------------------------------


def test_bookmarks_and_annotations_are_read():
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_outline_item(title="Harborview PD budget", page_number=0)
    writer.add_annotation(0, Text(text="Ask Harborview PD", rect=(50, 50, 100, 100)))
    buffer = io.BytesIO()
    writer.write(buffer)
    texts = dict(leaks.pdf_texts(buffer.getvalue()))
    terms = [("agency name", "harborview pd")]
    assert leaks.find_terms(texts["bookmarks"], terms) == ["agency name"]
    assert leaks.find_terms(texts["page 1 notes"], terms) == ["agency name"]


@pytest.mark.parametrize(
    "text",
    ["\uff28\uff21\uff32\uff22\uff2f\uff32\uff36\uff29\uff25\uff37 PD", "Harbor\u200bview PD"],
    ids=["full-width", "zero-width"],
)
def test_look_alike_forms_are_found(text):
    assert leaks.find_terms(text, [("agency name", "harborview pd")]) == ["agency name"]
