"""Program staff profile pages through the test client: who may see them, the list, and
creating profiles for a cycle. The editor and previews are in `test_staff_views_editor`,
the media page in `test_staff_views_media`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations.enums import NominationState
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile
from tests import factories
from tests.profiles.factories import ProfileFactory, ProfilePdfFactory
from tests.profiles.helpers import message_texts as _messages
from tests.profiles.helpers import profile_state as _state
from tests.profiles.helpers import staff_url as _url
from tests.profiles.helpers import visible_text as _text

P = ProfileState
S = NominationState


# Who may see the pages -------------------------------------------------------------------


def _every_route(profile, cycle):
    pk = {"pk": profile.pk}
    return [
        ("get", reverse("staff:profiles")),
        ("post", reverse("staff:profiles-create", kwargs={"cycle": cycle.pk})),
        ("get", reverse("staff:profile", kwargs=pk)),
        ("post", reverse("staff:profile", kwargs=pk)),
        ("get", reverse("staff:profile-media", kwargs=pk)),
        ("post", reverse("staff:profile-media", kwargs=pk)),
        ("get", reverse("staff:profile-preview", kwargs=pk)),
        ("get", reverse("staff:profile-preview-pdf", kwargs=pk)),
        ("post", reverse("staff:profile-send-proof", kwargs=pk)),
        ("post", reverse("staff:profile-publish", kwargs=pk)),
        ("get", reverse("staff:profile-retract", kwargs=pk)),
        ("post", reverse("staff:profile-retract", kwargs=pk)),
        ("post", reverse("staff:profile-reopen", kwargs=pk)),
    ]


@pytest.mark.parametrize("who", ["agency member", "reviewer-like user"])
def test_every_page_is_404_for_signed_in_people_who_are_not_staff(client, agency, owner, who):
    profile = ProfileFactory(state=P.AGENCY_APPROVED, agency=agency)
    person = owner if who == "agency member" else factories.UserFactory()
    client.force_login(person)
    for method, url in _every_route(profile, factories.CycleFactory()):
        response = getattr(client, method)(url, {"reason": "x", "part": "images"})
        assert response.status_code == 404, url
    assert _state(profile) == P.AGENCY_APPROVED


def test_every_page_sends_a_signed_out_visitor_to_sign_in(client, profile):
    for method, url in _every_route(profile, factories.CycleFactory()):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_missing_profile_is_404(staff_client):
    missing = Profile(pk="00000000-0000-0000-0000-000000000000")
    assert staff_client.get(_url("profile", missing)).status_code == 404


def test_lifecycle_urls_refuse_get(staff_client, profile):
    for name in ["profile-send-proof", "profile-publish", "profile-reopen"]:
        assert staff_client.get(_url(name, profile)).status_code == 405
    assert _state(profile) == P.DRAFT


def test_staff_home_links_to_the_profiles(staff_client):
    response = staff_client.get(reverse("staff:home"))
    assert reverse("staff:profiles") in response.content.decode()


# The list --------------------------------------------------------------------------------


def test_list_shows_state_award_agency_year_and_pdf_status(staff_client):
    current = ProfileFactory(title="Current PDF", year=2026)
    ProfilePdfFactory(profile=current)
    rendering = ProfileFactory(title="Being rendered", year=2025)
    draft = ProfileFactory(title="Still a draft", state=P.DRAFT, year=2025)
    response = staff_client.get(reverse("staff:profiles"))
    rows = {
        profile.title: (profile.get_state_display(), profile.pdf_label)
        for profile in response.context["page"]
    }
    assert rows == {
        "Current PDF": ("Published", "Current"),
        "Being rendered": ("Published", "Rendering"),
        "Still a draft": ("Draft", "None"),
    }
    text = _text(response)
    assert "Status: Draft" in text
    assert f"{draft.agency_name} {draft.city}, {draft.state_code}" in text
    assert _url("profile", rendering) in response.content.decode()


def test_list_filters_by_state_and_year(staff_client):
    ProfileFactory(title="Published 2026", year=2026)
    ProfileFactory(title="Draft 2026", year=2026, state=P.DRAFT)
    ProfileFactory(title="Draft 2025", year=2025, state=P.DRAFT)
    response = staff_client.get(reverse("staff:profiles"), {"state": P.DRAFT, "year": 2026})
    assert [p.title for p in response.context["page"]] == ["Draft 2026"]
    response = staff_client.get(reverse("staff:profiles"), {"year": 2025})
    assert [p.title for p in response.context["page"]] == ["Draft 2025"]
    response = staff_client.get(reverse("staff:profiles"), {"state": "nonsense"})
    assert list(response.context["page"]) == []


def test_list_queries_do_not_grow_with_profiles(staff_client):
    ProfilePdfFactory(profile=ProfileFactory())
    url = reverse("staff:profiles")
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for _ in range(5):
        ProfilePdfFactory(profile=ProfileFactory())
        ProfileFactory(state=P.DRAFT)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert len(response.context["page"]) == 11
    assert len(many) == len(one)


def _decided(state, cycle, **kwargs):
    return factories.NominationFactory(
        complete=True, state=state, cycle=cycle, submitted_at=timezone.now(), **kwargs
    )


def test_create_profiles_for_a_cycle_makes_drafts_for_finalists_and_winners(
    staff_client, publisher
):
    cycle = factories.CycleFactory()
    finalist, winner = _decided(S.FINALIST, cycle), _decided(S.WINNER, cycle)
    _decided(S.NOT_SELECTED, cycle)
    listing = staff_client.get(reverse("staff:profiles"))
    assert f"{cycle.name}: 2 without a profile." in _text(listing)

    response = staff_client.post(
        reverse("staff:profiles-create", kwargs={"cycle": cycle.pk}), follow=True
    )
    assert set(Profile.objects.values_list("nomination", flat=True)) == {finalist.pk, winner.pk}
    assert _messages(response) == [
        (
            f"2 draft profiles created for {cycle.name}, started from what each agency "
            "wrote. Edit each one before sending its proof."
        )
    ]
    assert response.redirect_chain[-1][0] == f"{reverse('staff:profiles')}?year={cycle.year}"
    assert "without a profile" not in _text(response)

    again = staff_client.post(
        reverse("staff:profiles-create", kwargs={"cycle": cycle.pk}), follow=True
    )
    assert _messages(again) == [f"Every finalist and winner of {cycle.name} already has a profile."]
    assert Profile.objects.count() == 2


def test_create_profiles_for_a_missing_cycle_is_404(staff_client):
    url = reverse("staff:profiles-create", kwargs={"cycle": 999999})
    assert staff_client.post(url).status_code == 404
