"""The agency's and staff's pages, driven through the test client from draft to revision 2."""

import pytest
from django.core import mail
from django.urls import reverse

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from tests import factories
from tests.nominations.view_helpers import form_data


def test_start_creates_a_draft_for_the_members_agency(member_client, agency, category):
    response = member_client.post(
        reverse("nominations:start"),
        {"start": "new", "agency": str(agency.pk), "category": str(category.pk), "title": "Peers"},
    )
    nomination = Nomination.objects.get()
    assert response.url == reverse("nominations:edit", kwargs={"pk": nomination.pk})
    assert (nomination.agency, nomination.category, nomination.title) == (agency, category, "Peers")
    assert nomination.state == NominationState.DRAFT


def test_edit_page_shows_sections_progress_and_counters(member_client, draft):
    response = member_client.get(reverse("nominations:edit", kwargs={"pk": draft.pk}))
    html = response.content.decode()
    assert "Program overview" in html
    assert "Replicability" in html
    assert f'data-autosave-url="/nominations/{draft.pk}/autosave/"' in html
    assert 'id="id_summary_count"' in html
    assert "Complete" in html


@pytest.mark.django_db(transaction=True)
def test_draft_to_revision_two_through_the_pages(client, django_capture_on_commit_callbacks):
    owner = factories.OwnerFactory()
    staff = factories.StaffFactory()
    category = factories.CategoryFactory()
    draft = factories.NominationFactory(
        agency=owner.agency, cycle=category.cycle, category=category, complete=True
    )
    client.force_login(owner.user)
    edit_url = reverse("nominations:edit", kwargs={"pk": draft.pk})

    response = client.post(edit_url, form_data(draft, summary="First summary.", next="stay"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "First summary."
    assert draft.version == 2

    response = client.get(reverse("nominations:submit", kwargs={"pk": draft.pk}))
    assert "Every required answer is in" in response.content.decode()
    client.post(reverse("nominations:submit", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.state == NominationState.SUBMITTED
    assert [r.number for r in draft.revisions.all()] == [1]
    assert any("Received:" in m.subject for m in mail.outbox)

    client.force_login(staff)
    detail = client.get(reverse("staff:nomination-detail", kwargs={"pk": draft.pk}))
    assert "Return for changes" in detail.content.decode()
    client.post(
        reverse("staff:nomination-return", kwargs={"pk": draft.pk}),
        {"message": "Please add the 2024 figures."},
    )
    draft.refresh_from_db()
    assert draft.state == NominationState.RETURNED

    client.force_login(owner.user)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Please add the 2024 figures." in page
    client.post(edit_url, form_data(draft, summary="Second summary with 2024.", next="stay"))
    changes = client.get(
        reverse("nominations:changes", kwargs={"pk": draft.pk}), {"from": "1", "to": "current"}
    ).content.decode()
    assert "<ins>Second</ins>" in changes or "<ins>Second summary with 2024.</ins>" in changes
    client.post(reverse("nominations:submit", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.state == NominationState.SUBMITTED
    assert [r.number for r in draft.revisions.all()] == [1, 2]

    client.force_login(staff)
    detail = client.get(
        reverse("staff:nomination-detail", kwargs={"pk": draft.pk})
    ).content.decode()
    assert "Revision 2" in detail
    assert "Second summary with 2024." in detail
