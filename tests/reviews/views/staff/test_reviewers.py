"""The staff reviewer pages (`views.staff.reviewers`): the list of reviewers, panels and
invitations, and inviting a reviewer."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.core.models import OutboxEmail
from reviews import services
from reviews.models import ReviewerInvitation, ReviewerProfile
from tests import factories
from tests.reviews.views.staff.helpers import make_reviewer
from tests.reviews.views.staff.helpers import message_texts as _messages
from tests.reviews.views.staff.helpers import page_text as _text


def test_reviewer_list_shows_reviewers_panels_and_invitations(staff_client, staff, panel):
    home = factories.AgencyFactory(name="Hillview Police Department")
    reviewer = make_reviewer(panel, full_name="Dana Scorer")
    ReviewerProfile.objects.create(user=reviewer, home_agency=home, state="OH")
    services.reviewer_invite(actor=staff, email="pending@example.org", full_name="Pat Pending")
    used, token = services.reviewer_invite(
        actor=staff, email="used@example.org", full_name="Uma Used"
    )
    services.invitation_accept(pk=used.pk, token=token, password="a-long-password-1")
    expired, _ = services.reviewer_invite(
        actor=staff, email="expired@example.org", full_name="Eli Expired"
    )
    ReviewerInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )

    response = staff_client.get(reverse("staff:reviewers"))

    html = _text(response)
    assert response.status_code == 200
    assert "Dana Scorer" in html
    assert "Hillview Police Department" in html
    assert "Ohio" in html
    assert f"{panel.category.label} ({panel.category.cycle.year})" in html
    assert [i.email for i in response.context["pending"]] == ["pending@example.org"]
    assert [i.email for i in response.context["used"]] == ["used@example.org"]
    assert [i.email for i in response.context["expired"]] == ["expired@example.org"]
    assert "Waiting to be used (1)" in html
    assert "Used (1)" in html
    assert "Expired (1)" in html


def test_reviewer_invite_emails_a_link_and_never_shows_the_token(staff_client, panel):
    agency = factories.AgencyFactory(name="Hillview Police Department")
    response = staff_client.post(
        reverse("staff:reviewer-invite"),
        {
            "email": "New.Reviewer@Example.org",
            "full_name": "  Nora   Reviewer ",
            "home_agency": str(agency.pk),
            "state": "OH",
            "panel": str(panel.pk),
        },
        follow=True,
    )

    invitation = ReviewerInvitation.objects.get()
    assert invitation.email == "new.reviewer@example.org"
    assert invitation.full_name == "Nora Reviewer"
    assert invitation.home_agency == agency
    assert invitation.state == "OH"
    assert invitation.panel == panel
    assert _messages(response) == [
        "An invitation link was emailed to new.reviewer@example.org. It works once, for 14 days."
    ]
    email = OutboxEmail.objects.get(to="new.reviewer@example.org")
    token = re.search(r"/review/invitations/[0-9a-f-]{36}/([^/\s]+)/", email.body).group(1)
    assert token not in _text(response)
    assert response.redirect_chain[-1][0] == reverse("staff:reviewers")


def test_reviewer_invite_refused_keeps_what_was_typed(staff_client):
    response = staff_client.post(
        reverse("staff:reviewer-invite"),
        {"email": "not an address", "full_name": "Nora Reviewer", "state": "OH"},
    )

    html = _text(response)
    assert response.status_code == 200
    assert ReviewerInvitation.objects.count() == 0
    assert "Please correct this problem" in html
    assert "Enter a valid email address." in html
    assert 'value="Nora Reviewer"' in html
    assert 'value="not an address"' in html
    assert '<option value="OH" selected>' in html


def test_reviewer_list_uses_the_same_queries_for_one_and_four_reviewers(staff_client, staff, panel):
    url = reverse("staff:reviewers")
    make_reviewer(panel)
    services.reviewer_invite(actor=staff, email="a@example.org", full_name="A", panel=panel)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for number in range(3):
        ReviewerProfile.objects.create(
            user=make_reviewer(panel), home_agency=factories.AgencyFactory(), state="OH"
        )
        services.reviewer_invite(
            actor=staff, email=f"b{number}@example.org", full_name="B", panel=panel
        )
    with CaptureQueriesContext(connection) as four:
        staff_client.get(url)
    assert len(four) == len(one)
