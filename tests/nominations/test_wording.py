"""Words on the nomination pages (issue 12, faults 7 and 10): staff read the agency's
contacts as the submitter's, a released decision says what happened, dates read as
dates, and a page's ids are its own."""

import re
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.services import audit_record
from tests import factories
from tests.nominations.view_helpers import submitted


@pytest.fixture
def sent(member, agency):
    return submitted(member, agency=agency, start_date=date(2021, 3, 15))


def _html(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", ["nomination-detail", "nomination-revision"])
def test_staff_read_the_contacts_as_the_submitters(client, staff, sent, page):
    """Staff pages label the contact fields "Submitter's …", never the form's "Your …"."""
    kwargs = {"pk": sent.pk, **({"number": 1} if page == "nomination-revision" else {})}
    html = _html(client, staff, reverse(f"staff:{page}", kwargs=kwargs))
    assert "<dt>Submitter&#x27;s name</dt>" in html
    assert "<dt>Submitter&#x27;s email address</dt>" in html
    assert "Your name" not in html
    assert "Your email address" not in html


def test_the_agency_still_reads_its_own_contacts_as_yours(client, member, sent):
    html = _html(
        client, member, reverse("nominations:revision", kwargs={"pk": sent.pk, "number": 1})
    )
    assert "<dt>Your name</dt>" in html
    assert "Submitter&#x27;s" not in html


def test_program_start_date_reads_as_a_date_not_iso(client, staff, sent):
    """The start date reads like every other date on the site ("Mar 15, 2021")."""
    html = _html(client, staff, reverse("staff:nomination-detail", kwargs={"pk": sent.pk}))
    assert "<dt>Program start date</dt>\n    <dd>Mar 15, 2021</dd>" in html
    assert "2021-03-15" not in html


def test_a_released_not_selected_decision_says_what_happened(client, staff, member, sent):
    """The agency's timeline says the committee did not select it, not that "program
    staff" declined it; staff see who released the decision."""
    staff.full_name = "Morgan Ellis"
    staff.save(update_fields=["full_name"])
    with transaction.atomic():
        audit_record(actor=staff, obj=sent, action="nomination_declined")
    agency_html = _html(client, member, reverse("nominations:detail", kwargs={"pk": sent.pk}))
    assert "Decision released: not selected by the Selection Committee</li>" in agency_html
    assert "declined" not in agency_html.lower()
    staff_html = _html(client, staff, reverse("staff:nomination-detail", kwargs={"pk": sent.pk}))
    assert (
        "Decision released: not selected by the Selection Committee, released by Morgan Ellis</li>"
        in staff_html
    )


def test_start_page_with_two_forms_has_unique_ids(client, member, agency, cycle):
    """A new nomination and a renewal on one page: each button has an id of its own."""
    past = factories.CycleFactory(
        year=cycle.year - 1,
        opens_at=timezone.now() - timedelta(days=400),
        closes_at=timezone.now() - timedelta(days=330),
    )
    factories.NominationFactory(agency=agency, cycle=past, complete=True)
    html = _html(client, member, reverse("nominations:start"))
    assert "Start from a previous nomination" in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'id="submit-start-the-nomination"' in html
    assert 'id="submit-start-from-this-nomination"' in html
