"""The agency's proof: only its own members see it; they approve it or ask for changes."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.nominations.enums import NominationState
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile
from tests import factories
from tests.profiles.factories import (
    ProfileFactory,
    ProfileImageFactory,
    ProfilePdfFactory,
    ProfileResourceFactory,
    ReadingClient,
)

pytestmark = pytest.mark.django_db

P = ProfileState


@pytest.fixture
def agency():
    return factories.AgencyFactory()


@pytest.fixture
def member(agency):
    return factories.MembershipFactory(agency=agency).user


@pytest.fixture
def proof(agency):
    return ProfileFactory(
        state=P.PROOF_SENT,
        agency=agency,
        title="Peer Support That Stays",
        proof_sent_at=timezone.now(),
        prepared_by=factories.StaffFactory(),
    )


def _client(user=None):
    client = ReadingClient()
    if user is not None:
        client.force_login(user)
    return client


def _url(name, profile):
    return reverse(f"profiles:{name}", kwargs={"pk": profile.pk})


def _state(profile):
    return Profile.objects.values_list("state", flat=True).get(pk=profile.pk)


# (1) Who sees the proof ----------------------------------------------------------------------


def test_a_member_reads_the_proof_as_the_page_will_look(member, proof):
    ProfileImageFactory(profile=proof, alt_text="Peers at roll call")
    response = _client(member).get(_url("proof", proof))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proof: this page is not public yet" in html
    assert '<h1 id="profile-title">Peer Support That Stays</h1>' in html
    assert html.count("<h1") == 1
    assert "Trained peers check in with every officer" in html
    assert 'alt="Peers at roll call"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "application/ld+json" not in html
    assert 'rel="canonical"' not in html
    assert f'href="{_url("proof-pdf", proof)}"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"


def test_the_proofs_images_and_resources_are_served_to_the_member_privately(member, proof):
    image = ProfileImageFactory(profile=proof)
    resource = ProfileResourceFactory(profile=proof)
    image_url = reverse(
        "profiles:image", kwargs={"slug": proof.slug, "image": image.pk, "width": 480}
    )
    resource_url = reverse(
        "profiles:resource", kwargs={"slug": proof.slug, "resource": resource.pk}
    )
    for url in (image_url, resource_url):
        response = _client(member).get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert _client().get(url).status_code == 404


def _outsiders(agency):
    other = factories.AgencyFactory()
    return {
        "member of another agency": factories.OwnerFactory(agency=other).user,
        "pending member": factories.MembershipFactory(
            agency=agency, status=MembershipStatus.PENDING
        ).user,
        "staff": factories.StaffFactory(),
        "no agency": factories.UserFactory(),
    }


@pytest.mark.parametrize(
    "who", ["member of another agency", "pending member", "staff", "no agency"]
)
def test_anyone_else_gets_404_and_changes_nothing(agency, proof, who):
    client = _client(_outsiders(agency)[who])
    assert client.get(_url("proof", proof)).status_code == 404
    assert client.get(_url("proof-pdf", proof)).status_code == 404
    assert client.post(_url("proof-approve", proof)).status_code == 404
    assert client.post(_url("proof-changes", proof), {"comment": "Change it"}).status_code == 404
    assert _state(proof) == P.PROOF_SENT
    assert Profile.objects.get(pk=proof.pk).agency_comment == ""


def test_a_deactivated_member_gets_no_proof(member, proof):
    client = _client(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get(_url("proof", proof)).status_code in (302, 404)
    assert _state(proof) == P.PROOF_SENT


def test_signed_out_people_are_sent_to_sign_in(proof):
    for name in ("proof", "proof-pdf"):
        response = _client().get(_url(name, proof))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert _client().post(_url("proof-approve", proof)).status_code == 302
    assert _state(proof) == P.PROOF_SENT


# (2) Approve ---------------------------------------------------------------------------------


def test_a_member_approves_the_proof(member, proof):
    client = _client(member)
    response = client.post(_url("proof-approve", proof))
    assert response.status_code == 302
    assert response["Location"] == _url("proof", proof)
    stored = Profile.objects.get(pk=proof.pk)
    assert stored.state == P.AGENCY_APPROVED
    assert stored.approved_by == member
    html = client.get(_url("proof", proof)).content.decode()
    assert html.count("Approved — program staff will publish it") == 2  # message and banner
    assert _url("proof-approve", proof) not in html
    assert _url("proof-changes", proof) not in html


@pytest.mark.parametrize("state", [P.DRAFT, P.AGENCY_APPROVED, P.PUBLISHED, P.RETRACTED])
def test_approving_outside_a_proof_says_why_and_changes_nothing(agency, member, state):
    profile = ProfileFactory(state=state, agency=agency)
    response = _client(member).post(_url("proof-approve", profile), follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "there is no proof to approve" in messages[0]
    assert _state(profile) == state


def test_approve_needs_a_post(member, proof):
    assert _client(member).get(_url("proof-approve", proof)).status_code == 405
    assert _state(proof) == P.PROOF_SENT


# (3) Request changes -----------------------------------------------------------------------


def test_a_member_asks_for_changes_with_a_comment(member, proof):
    client = _client(member)
    response = client.post(
        _url("proof-changes", proof), {"comment": "  Our chief's name is Ortiz.  "}
    )
    assert response.status_code == 302
    stored = Profile.objects.get(pk=proof.pk)
    assert stored.state == P.DRAFT
    assert stored.agency_comment == "Our chief's name is Ortiz."
    html = client.get(_url("proof", proof)).content.decode()
    assert "your comments were sent to program staff" in html
    assert "Our chief&#x27;s name is Ortiz." in html
    # A draft is being rewritten: its text is not shown to the agency until the next proof.
    assert "Trained peers check in with every officer" not in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    ("comment", "error"),
    [("", "This field is required."), ("x" * 5001, "at most 5000 characters")],
)
def test_a_refused_comment_is_kept_with_the_reason(member, proof, comment, error):
    response = _client(member).post(_url("proof-changes", proof), {"comment": comment})
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "Your comments were not sent" in html
    assert f">\n{comment}</textarea>" in html
    assert _state(proof) == P.PROOF_SENT


def test_a_comment_sent_after_a_colleague_approved_is_kept_with_the_reason(agency, member, proof):
    colleague = factories.MembershipFactory(agency=agency).user
    _client(colleague).post(_url("proof-approve", proof))
    response = _client(member).post(
        _url("proof-changes", proof), {"comment": "Please fix the photo caption."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "there is no proof to comment on" in html
    assert ">\nPlease fix the photo caption.</textarea>" in html
    stored = Profile.objects.get(pk=proof.pk)
    assert stored.state == P.AGENCY_APPROVED
    assert stored.agency_comment == ""


# (4) The PDF proof -----------------------------------------------------------------------


def test_the_pdf_proof_is_rendered_for_the_member_and_never_cached(member, proof):
    response = _client(member).get(_url("proof-pdf", proof))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body)).pages)
    assert "Peer Support That Stays" in text


@pytest.mark.parametrize("state", [P.DRAFT, P.RETRACTED])
def test_there_is_no_pdf_proof_outside_a_proof(agency, member, state):
    profile = ProfileFactory(state=state, agency=agency)
    assert _client(member).get(_url("proof-pdf", profile)).status_code == 404


# (5) From the nomination -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "linked"),
    [(P.PROOF_SENT, True), (P.AGENCY_APPROVED, True), (P.DRAFT, False), (P.PUBLISHED, False)],
)
def test_the_nomination_page_links_the_proof_while_there_is_one(agency, member, state, linked):
    nomination = factories.NominationFactory(
        agency=agency, complete=True, state=NominationState.WINNER
    )
    profile = ProfileFactory(state=state, agency=agency, nomination=nomination)
    response = _client(member).get(reverse("nominations:detail", kwargs={"pk": nomination.pk}))
    assert response.status_code == 200
    assert (f'href="{_url("proof", profile)}"' in response.content.decode()) is linked


def test_the_proof_of_a_published_profile_points_to_the_public_page_and_pdf(agency, member):
    profile = ProfileFactory(agency=agency)
    pdf = ProfilePdfFactory(profile=profile)
    html = _client(member).get(_url("proof", profile)).content.decode()
    assert f'<a href="{profile.get_absolute_url()}">see it as everyone does</a>' in html
    assert f'href="/programs/{profile.slug}/summary.pdf?v={pdf.sha256[:12]}"' in html
    assert _url("proof-pdf", profile) not in html
