"""The agency reaches its program's public profile at every state of the profile, with a
true next step (issue 12, fault 1); a reviewer-only account's dashboard does not offer
to start an agency as its main step (fault 7)."""

import pytest
from django.test import Client
from django.urls import reverse

from dz_awards.nominations.enums import NominationState
from dz_awards.profiles.enums import ProfileState
from tests import factories
from tests.profiles.factories import ProfileFactory
from tests.reviews import helpers as review_helpers

P = ProfileState
PROOF_STEP = "Read the proof of your program's public profile, then approve it"
# The link each state leads to, and its words: the public page once published, else the
# proof. A draft has none (staff's work in progress) but says the proof will come.
LINKS = {
    P.PROOF_SENT: ("proof", "Read the proof"),
    P.AGENCY_APPROVED: ("proof", "See the approved proof"),
    P.PUBLISHED: ("public", "See the public profile"),
    P.RETRACTED: ("proof", "See the withdrawn profile"),
}


@pytest.fixture
def finalist(agency, owner):
    nomination = factories.submitted_nomination(agency=agency)
    type(nomination).objects.filter(pk=nomination.pk).update(state=NominationState.FINALIST)
    return nomination


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("state", list(LINKS))
def test_nomination_page_and_dashboard_link_to_the_profile_in_every_state(state, finalist, owner):
    profile = ProfileFactory(agency=finalist.agency, nomination=finalist, state=state)
    where, words = LINKS[state]
    url = (
        profile.get_absolute_url()
        if where == "public"
        else reverse("profiles:proof", kwargs={"pk": profile.pk})
    )
    client = _signed_in(owner)
    page = client.get(finalist.get_absolute_url()).content.decode()
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{url}">{words}</a>' in page
    assert (
        f'href="{url}">{words}<span class="visually-hidden"> of {finalist}</span></a>'
    ) in dashboard


@pytest.mark.parametrize("state", list(P))
def test_next_step_is_the_proof_while_it_waits(state, finalist, owner):
    """While the proof waits, the next step on both pages is to read it, not the award."""
    ProfileFactory(agency=finalist.agency, nomination=finalist, state=state)
    client = _signed_in(owner)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    page = client.get(finalist.get_absolute_url()).content.decode()
    waiting = state == P.PROOF_SENT
    assert (f"Next: {PROOF_STEP}" in dashboard) is waiting
    assert ("Next: Your program is a finalist." in dashboard) is not waiting
    assert (f"<p>{PROOF_STEP}" in page) is waiting


@pytest.mark.django_db
def test_reviewer_only_dashboard_points_to_reviews_not_to_an_agency():
    reviewer = review_helpers.reviewer()
    html = _signed_in(reviewer).get(reverse("portal:dashboard")).content.decode()
    assert "Get started: your agency" not in html
    assert f'<a href="{reverse("reviews:queue")}">My reviews</a>: the nominations' in html


@pytest.mark.django_db
def test_dashboard_without_any_role_still_offers_to_start_an_agency(user):
    html = _signed_in(user).get(reverse("portal:dashboard")).content.decode()
    assert "Get started: your agency" in html


def test_a_draft_profile_says_the_proof_will_come(finalist, owner):
    """Staff's draft is not shown to the agency; both pages say what comes next."""
    ProfileFactory(agency=finalist.agency, nomination=finalist, state=P.DRAFT)
    client = _signed_in(owner)
    for url in (finalist.get_absolute_url(), reverse("portal:dashboard")):
        html = client.get(url).content.decode()
        assert "Program staff are preparing your program's public profile" in html
