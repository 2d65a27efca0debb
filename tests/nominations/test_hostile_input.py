"""Hostile or careless input costs little and reaches no one it should not: the kept
draft of an ended session, the agency-wide quota, the agency's timeline."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.nominations.views.agency import KEPT_DRAFT, KEPT_DRAFT_MAX_CHARS
from tests import factories
from tests.files import MINIMAL_PDF, pdf_upload
from tests.nominations.view_helpers import form_data, submitted


def _edit_url(nomination):
    return reverse("nominations:edit", kwargs={"pk": nomination.pk})


def test_ended_session_keeps_only_the_latest_form(client, member, agency, cycle, category):
    """Two anonymous saves to two drafts keep one entry: the session does not grow per URL."""
    first = factories.NominationFactory(agency=agency, cycle=cycle, category=category)
    second = factories.NominationFactory(agency=agency, cycle=cycle, category=category)
    client.post(_edit_url(first), form_data(first, summary="First text."))
    client.post(_edit_url(second), form_data(second, summary="Second text."))
    kept = client.session[KEPT_DRAFT]
    assert kept["pk"] == str(second.pk)
    assert kept["data"]["summary"] == "Second text."

    client.force_login(member)
    assert client.get(_edit_url(first)).context["form"]["summary"].value() == first.summary
    assert client.get(_edit_url(second)).context["form"]["summary"].value() == "Second text."


def test_ended_session_kept_text_expires_after_an_hour(client, member, draft):
    """Text kept longer than an hour is not put back (and is dropped from the session)."""
    client.post(_edit_url(draft), form_data(draft, summary="Typed long ago."))
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=5)):
        client.force_login(member)
        response = client.get(_edit_url(draft))
    assert response.context["form"]["summary"].value() == draft.summary
    assert KEPT_DRAFT not in client.session


def test_ended_session_too_long_text_is_not_kept_and_says_so(client, draft):
    """A post larger than the cap is not stored; the person is told to copy their text."""
    response = client.post(
        _edit_url(draft), form_data(draft, summary="x" * (KEPT_DRAFT_MAX_CHARS + 1)), follow=True
    )
    assert KEPT_DRAFT not in client.session
    assert "your text is too long to keep here" in response.content.decode()


def test_agency_quota_counts_every_nomination_of_the_agency(settings, member, agency, cycle):
    """Files of all the agency's nominations share one quota; the next upload is refused."""
    settings.EVIDENCE_AGENCY_QUOTA_BYTES = len(MINIMAL_PDF) * 2
    first = factories.NominationFactory(agency=agency, cycle=cycle)
    second = factories.NominationFactory(agency=agency, cycle=cycle)
    for nomination in (first, second):
        services.evidence_add(
            user=member, nomination=nomination, upload=pdf_upload(), kind=EvidenceKind.DOCUMENT
        )
    third = factories.NominationFactory(agency=agency, cycle=cycle)
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            user=member, nomination=third, upload=pdf_upload(), kind=EvidenceKind.DOCUMENT
        )
    assert error.value.code == "over_agency_quota"
    assert "Your agency's nominations together hold" in error.value.messages[0]
    assert third.evidence.count() == 0


def test_agency_quota_is_not_shared_with_other_agencies(settings, member, agency, cycle):
    """Another agency's files do not count against this agency's quota."""
    settings.EVIDENCE_AGENCY_QUOTA_BYTES = len(MINIMAL_PDF)
    other = factories.OwnerFactory()
    other_nomination = factories.NominationFactory(agency=other.agency, cycle=cycle)
    services.evidence_add(
        user=other.user,
        nomination=other_nomination,
        upload=pdf_upload(),
        kind=EvidenceKind.DOCUMENT,
    )
    mine = factories.NominationFactory(agency=agency, cycle=cycle)
    evidence = services.evidence_add(
        user=member, nomination=mine, upload=pdf_upload(), kind=EvidenceKind.DOCUMENT
    )
    assert evidence.nomination == mine


def test_agency_timeline_names_staff_only_as_program_staff(client, member, agency):
    """On the agency's pages a return is 'by program staff', never the staff member's name."""
    staff = factories.StaffFactory(full_name="Dana Whitfield")
    nomination = submitted(member, agency=agency)
    services.nomination_return_for_changes(actor=staff, nomination=nomination, message="Fix.")
    client.force_login(member)
    detail = client.get(nomination.get_absolute_url()).content.decode()
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    for page in (detail, dashboard):
        assert "Nomination returned by program staff" in page
        assert "Dana Whitfield" not in page
    client.force_login(staff)
    staff_page = client.get(
        reverse("staff:nomination-detail", kwargs={"pk": nomination.pk})
    ).content.decode()
    assert "Nomination returned by Dana Whitfield" in staff_page


def test_agency_timeline_leaves_out_actions_not_chosen_for_it(client, member, agency):
    """An audit action outside the agency's allowlist is on the staff trail only."""
    from django.db import transaction

    from dz_awards.core.services import audit_record

    staff = factories.StaffFactory()
    nomination = submitted(member, agency=agency)
    with transaction.atomic():
        audit_record(actor=staff, obj=nomination, action="reviewer_assigned")
    client.force_login(member)
    assert "Reviewer assigned" not in client.get(nomination.get_absolute_url()).content.decode()
    client.force_login(staff)
    staff_page = client.get(
        reverse("staff:nomination-detail", kwargs={"pk": nomination.pk})
    ).content.decode()
    assert "Reviewer assigned" in staff_page
