"""Program staff profile pages through the test client: what each shows, what each
changes, and its refusals (shown in plain words, with any typed text kept)."""

import html as html_lib
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dz_awards.core.selectors import audit_events_for
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence
from dz_awards.profiles import services
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, ProfileImage, ProfileResource, Topic
from tests import factories
from tests.files import MINIMAL_PDF, image_bytes
from tests.profiles.factories import (
    ProfileFactory,
    ProfileImageFactory,
    ProfilePdfFactory,
    TopicFactory,
)

P = ProfileState
S = NominationState
XSS = '<script>alert("x")</script> [click](javascript:alert(1)) <img src=x onerror=alert(2)>'


def _url(name, profile):
    return reverse(f"staff:{name}", kwargs={"pk": profile.pk})


def _state(profile):
    return Profile.objects.values_list("state", flat=True).get(pk=profile.pk)


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _text(response):
    """The page's visible text, tags removed and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def preparer(db):
    return factories.StaffFactory(full_name="Pat Preparer")


@pytest.fixture
def publisher(db):
    return factories.StaffFactory(full_name="Sam Second")


@pytest.fixture
def staff_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def profile(agency, preparer):
    return ProfileFactory(state=P.DRAFT, agency=agency)


def _copy_post(profile, **changes):
    """The editor's form as a browser posts it, from the profile as it is."""
    data = {
        "version": profile.version,
        "title": profile.title,
        "summary": profile.summary,
        "need": profile.need,
        "approach": profile.approach,
        "results": profile.results,
        "durability": profile.durability,
        "replicability": profile.replicability,
        "cost_funding": profile.cost_funding,
        "contact_name": profile.contact_name,
        "contact_title": profile.contact_title,
        "contact_email": profile.contact_email,
        "contact_phone": profile.contact_phone,
        "video_url": profile.video_url,
        "new_topics": "",
    }
    for number, row in enumerate(profile.key_figures, start=1):
        data[f"figure_{number}"] = row["figure"]
        data[f"label_{number}"] = row["label"]
    data.update(changes)
    return data


# Who may see the pages --------------------------------------------------------------------


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


# The list ---------------------------------------------------------------------------------


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


# The editor --------------------------------------------------------------------------------


def test_editor_shows_the_copy_state_actions_and_audit_trail(staff_client, profile, publisher):
    services.profile_save(actor=publisher, profile=profile, data={"title": "Peer Support"})
    response = staff_client.get(_url("profile", profile))
    form = response.context["form"]
    assert form["title"].value() == "Peer Support"
    assert form["figure_1"].value() == "41%"
    assert form["label_1"].value() == "fewer sick days"
    assert form["version"].value() == 2
    text = _text(response)
    assert "Status: Draft" in text
    assert "Send the proof to the agency" in text
    assert "Publish" not in re.findall(r"<button[^>]*>([^<]*)</button>", response.content.decode())
    assert "Profile edited (draft → draft) · title" in text
    assert "Markdown:" in text


def test_editor_saves_the_copy_key_figures_and_a_new_topic(staff_client, profile):
    existing = TopicFactory(name="Traffic safety")
    response = staff_client.post(
        _url("profile", profile),
        _copy_post(
            profile,
            title="Peer Support That Stays",
            results="Line one\r\n\r\nLine two",
            figure_1="41%",
            label_1="fewer sick days",
            figure_2="2",
            label_2="resignations a year",
            topics=[existing.pk],
            new_topics="Peer support, traffic SAFETY",
            video_url="https://video.example.org/watch?v=1",
        ),
        follow=True,
    )
    stored = Profile.objects.get(pk=profile.pk)
    assert stored.title == "Peer Support That Stays"
    assert stored.results == "Line one\n\nLine two"
    assert stored.key_figures == [
        {"figure": "41%", "label": "fewer sick days"},
        {"figure": "2", "label": "resignations a year"},
    ]
    assert stored.video_url == "https://video.example.org/watch?v=1"
    assert sorted(stored.topics.values_list("name", flat=True)) == [
        "Peer support",
        "Traffic safety",
    ]
    assert Topic.objects.count() == 2
    assert stored.version == 2
    assert _messages(response) == ["The profile is saved (version 2)."]


def test_editor_saving_nothing_new_keeps_the_version(staff_client, profile):
    response = staff_client.post(_url("profile", profile), _copy_post(profile), follow=True)
    assert _messages(response) == ["Nothing changed, so nothing was saved."]
    assert Profile.objects.get(pk=profile.pk).version == 1


def test_editor_tells_staff_when_an_edit_sent_the_proof_back_to_draft(
    staff_client, agency, preparer
):
    profile = ProfileFactory(state=P.PROOF_SENT, agency=agency, prepared_by=preparer)
    response = staff_client.post(
        _url("profile", profile), _copy_post(profile, summary="Shorter."), follow=True
    )
    assert _state(profile) == P.DRAFT
    assert _messages(response) == [
        (
            "The profile is saved (version 2). The proof the agency had is out of date, so "
            "the profile is back to draft: send a new proof when it is ready."
        )
    ]


@pytest.mark.parametrize(
    ("video_url", "error"),
    [
        ("javascript:alert(1)", "Enter a valid URL."),
        ("data:text/html,<script>alert(1)</script>", "Enter a valid URL."),
        ("http://video.example.org/1", "Give the video's https:// address"),
        ("ftp://video.example.org/1", "Give the video's https:// address"),
    ],
)
def test_editor_refuses_a_video_link_that_is_not_https_and_keeps_the_text(
    staff_client, profile, video_url, error
):
    response = staff_client.post(
        _url("profile", profile),
        _copy_post(profile, title="Typed title", need="Typed need", video_url=video_url),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert error in " ".join(form.errors["video_url"])
    assert form["title"].value() == "Typed title"
    assert form["need"].value() == "Typed need"
    assert Profile.objects.get(pk=profile.pk).title == profile.title


def test_editor_asks_for_both_halves_of_a_key_figure(staff_client, profile):
    response = staff_client.post(
        _url("profile", profile), _copy_post(profile, figure_2="75%", label_2="")
    )
    assert response.context["form"].errors == {"label_2": ["Say what this figure measures."]}
    assert Profile.objects.get(pk=profile.pk).key_figures == profile.key_figures


def test_editor_save_from_an_old_version_is_refused_and_keeps_the_text(
    staff_client, profile, preparer
):
    form_data = _copy_post(profile, title="My edit")
    services.profile_save(actor=preparer, profile=profile, data={"title": "Their edit"})
    response = staff_client.post(_url("profile", profile), form_data)
    assert response.status_code == 200
    assert (
        response.context["form"]
        .non_field_errors()[0]
        .startswith("Someone else changed this profile since you opened it.")
    )
    assert response.context["form"]["title"].value() == "My edit"
    assert Profile.objects.get(pk=profile.pk).title == "Their edit"


def test_editor_of_a_retracted_profile_shows_no_save_and_refuses_a_post(staff_client, agency):
    profile = ProfileFactory(state=P.RETRACTED, agency=agency)
    page = staff_client.get(_url("profile", profile))
    assert "Save the profile" not in page.content.decode()
    assert "reopen it as a draft to edit its copy" in _text(page)
    response = staff_client.post(_url("profile", profile), _copy_post(profile, title="Edited"))
    assert Profile.objects.get(pk=profile.pk).title == profile.title
    assert response.status_code == 200


def test_editor_shows_the_agencys_request_for_changes(staff_client, agency, owner, preparer):
    profile = ProfileFactory(state=P.DRAFT, agency=agency)
    services.profile_send_proof(actor=preparer, profile=profile)
    services.profile_request_changes(
        user=owner, profile=profile, comment="Our chief's name is Ortiz."
    )
    text = _text(staff_client.get(_url("profile", profile)))
    assert "The agency asked for changes Our chief's name is Ortiz." in text


# The lifecycle through the pages ------------------------------------------------------------


def test_send_proof_from_the_editor(staff_client, profile, publisher):
    response = staff_client.post(_url("profile-send-proof", profile), follow=True)
    assert _state(profile) == P.PROOF_SENT
    assert _messages(response)[0].startswith("The proof is sent")
    assert Profile.objects.get(pk=profile.pk).prepared_by == publisher


def test_send_proof_twice_says_why_the_second_is_refused(staff_client, profile):
    staff_client.post(_url("profile-send-proof", profile), follow=True)
    response = staff_client.post(_url("profile-send-proof", profile), follow=True)
    assert _messages(response) == [
        (
            "The proof was not sent. This profile is proof sent to the agency: no proof can "
            "be sent now."
        )
    ]


def test_publish_is_disabled_and_refused_for_the_preparer(client, agency, preparer):
    profile = ProfileFactory(state=P.AGENCY_APPROVED, agency=agency, prepared_by=preparer)
    client.force_login(preparer)
    page = client.get(_url("profile", profile)).content.decode()
    assert re.search(r'<button type="submit" class="btn btn-success" disabled[^>]*>Publish', page)
    assert (
        "You prepared this proof, so another staff member must publish it (two-person rule)."
        in page
    )
    response = client.post(_url("profile-publish", profile), follow=True)
    assert _messages(response) == [
        (
            "The profile was not published. You prepared this proof, so another staff "
            "member must publish it (two-person rule)."
        )
    ]
    assert _state(profile) == P.AGENCY_APPROVED


def test_another_staff_member_publishes(staff_client, agency, preparer, publisher):
    profile = ProfileFactory(state=P.AGENCY_APPROVED, agency=agency, prepared_by=preparer)
    page = staff_client.get(_url("profile", profile)).content.decode()
    assert re.search(r'<button type="submit" class="btn btn-success">Publish</button>', page)
    response = staff_client.post(_url("profile-publish", profile), follow=True)
    assert _state(profile) == P.PUBLISHED
    assert _messages(response)[0].startswith("The profile is published")
    assert Profile.objects.get(pk=profile.pk).published_by == publisher


def test_retract_needs_a_reason_then_retracts(staff_client, agency):
    profile = ProfileFactory(state=P.PUBLISHED, agency=agency)
    refused = staff_client.post(_url("profile-retract", profile), {"reason": "  "})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"reason": ["Give the reason for retracting."]}
    assert _state(profile) == P.PUBLISHED

    response = staff_client.post(
        _url("profile-retract", profile), {"reason": "The agency asked."}, follow=True
    )
    assert _state(profile) == P.RETRACTED
    assert _messages(response)[0].startswith("The profile is retracted")
    event = audit_events_for(profile).first()
    assert (event.action, event.message) == ("profile_retracted", "The agency asked.")


def test_retract_of_a_draft_is_refused_and_keeps_the_reason(staff_client, profile):
    response = staff_client.post(_url("profile-retract", profile), {"reason": "Typed reason"})
    assert response.context["form"].non_field_errors() == [
        "This profile is draft: only a published one is retracted."
    ]
    assert response.context["form"]["reason"].value() == "Typed reason"
    assert _state(profile) == P.DRAFT


def test_reopen_a_retracted_profile(staff_client, agency):
    profile = ProfileFactory(state=P.RETRACTED, agency=agency)
    response = staff_client.post(_url("profile-reopen", profile), follow=True)
    assert _state(profile) == P.DRAFT
    assert _messages(response) == [
        "The profile is back to draft: edit it, then send a new proof to the agency."
    ]


# Media ----------------------------------------------------------------------------------------


def _evidence(nomination, kind, data, name):
    is_image = kind == EvidenceKind.IMAGE
    item = Evidence(
        nomination=nomination,
        kind=kind,
        status=EvidenceStatus.READY,
        original_name=name,
        content_type="image/jpeg" if is_image else "application/pdf",
        extension=".jpg" if is_image else ".pdf",
        size=len(data),
        width=640 if is_image else None,
        height=480 if is_image else None,
        alt_text="Officers at a briefing" if is_image else "",
        description="" if is_image else "Peer support general order",
    )
    item.file.save("upload", ContentFile(data), save=False)
    item.save()
    return item


@pytest.fixture
def with_files(agency, preparer):
    nomination = factories.NominationFactory(
        complete=True, agency=agency, state=S.FINALIST, submitted_at=timezone.now()
    )
    photo = _evidence(
        nomination, EvidenceKind.IMAGE, image_bytes("JPEG", size=(640, 480)), "IMG_1.jpg"
    )
    document = _evidence(nomination, EvidenceKind.DOCUMENT, MINIMAL_PDF, "order.pdf")
    factories.NominationRevisionFactory(
        nomination=nomination,
        number=1,
        content={"evidence": [{"id": str(photo.pk)}, {"id": str(document.pk)}]},
    )
    profile = services.profile_create_for(actor=preparer, nomination=nomination)
    return profile, photo, document


def test_media_page_lists_the_submissions_ready_images_and_documents(staff_client, with_files):
    profile, photo, document = with_files
    response = staff_client.get(_url("profile-media", profile))
    images_form = response.context["images_form"]
    resources_form = response.context["resources_form"]
    assert [c.evidence for c in images_form.candidates] == [photo]
    assert [c.evidence for c in resources_form.candidates] == [document]
    # The agency's alternative text and description start the public ones.
    assert images_form[f"{photo.pk.hex}-alt_text"].value() == "Officers at a briefing"
    assert resources_form[f"{document.pk.hex}-title"].value() == "Peer support general order"
    html = response.content.decode()
    assert (
        reverse(
            "staff:nomination-evidence-download",
            kwargs={"pk": profile.nomination_id, "evidence": photo.pk},
        )
        in html
    )


def test_media_page_saves_images_with_alt_text(
    staff_client, with_files, django_capture_on_commit_callbacks
):
    profile, photo, _document = with_files
    key = photo.pk.hex
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            _url("profile-media", profile),
            {
                "part": "images",
                "images-version": profile.version,
                f"images-{key}-use": "on",
                f"images-{key}-alt_text": "Two officers at roll call",
                f"images-{key}-caption": "Roll call, May 2026",
                f"images-{key}-position": "1",
            },
            follow=True,
        )
    image = ProfileImage.objects.get(profile=profile)
    assert (image.alt_text, image.caption, image.position) == (
        "Two officers at roll call",
        "Roll call, May 2026",
        1,
    )
    assert sorted(image.renditions, key=int) == ["480", "960"]
    assert _messages(response) == [
        "The images are saved. Their sizes for the public page are being made."
    ]


def test_media_page_refuses_an_image_without_alt_text_and_keeps_the_caption(
    staff_client, with_files
):
    profile, photo, _document = with_files
    key = photo.pk.hex
    response = staff_client.post(
        _url("profile-media", profile),
        {
            "part": "images",
            "images-version": profile.version,
            f"images-{key}-use": "on",
            f"images-{key}-alt_text": "",
            f"images-{key}-caption": "Typed caption",
            f"images-{key}-position": "0",
        },
    )
    assert response.status_code == 200
    form = response.context["images_form"]
    assert form.errors == {f"{key}-alt_text": ["Write what this image shows to make it public."]}
    assert form[f"{key}-caption"].value() == "Typed caption"
    assert "Nothing was saved." in _text(response)
    assert not ProfileImage.objects.exists()


def test_media_page_saves_a_resource(staff_client, with_files):
    profile, _photo, document = with_files
    key = document.pk.hex
    response = staff_client.post(
        _url("profile-media", profile),
        {
            "part": "resources",
            "resources-version": profile.version,
            f"resources-{key}-use": "on",
            f"resources-{key}-title": "General order 3-14",
            f"resources-{key}-position": "0",
        },
        follow=True,
    )
    resource = ProfileResource.objects.get(profile=profile)
    assert resource.title == "General order 3-14"
    assert _messages(response) == ["The resources are saved."]


def test_media_page_of_a_retracted_profile_refuses_changes(staff_client, with_files):
    profile, _photo, document = with_files
    Profile.objects.filter(pk=profile.pk).update(state=P.RETRACTED)
    key = document.pk.hex
    response = staff_client.post(
        _url("profile-media", profile),
        {
            "part": "resources",
            "resources-version": profile.version,
            f"resources-{key}-use": "on",
            f"resources-{key}-title": "General order",
            f"resources-{key}-position": "0",
        },
    )
    assert not ProfileResource.objects.exists()
    assert "reopen it as a draft to change its images and resources" in _text(response)


# Previews --------------------------------------------------------------------------------------


def test_preview_is_the_public_page_with_markdown_sanitised_and_never_cached(staff_client, agency):
    profile = ProfileFactory(
        state=P.DRAFT, agency=agency, title="Peer Support", approach=f"We **trained** peers. {XSS}"
    )
    image = ProfileImageFactory(profile=profile, alt_text="Two officers in a patrol car")
    response = staff_client.get(_url("profile-preview", profile))
    assert response.status_code == 200
    assert [t.name for t in response.templates[:2]] == [
        "profiles/staff/preview.html",
        "profiles/public/detail.html",
    ]
    html = response.content.decode()
    assert "<strong>trained</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html  # shown as text
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["Cache-Control"] == "private, no-store"
    text = _text(response)
    assert "Preview for staff" in text
    assert "Peer Support" in text
    assert _url("profile-preview-pdf", profile) in html
    image_url = reverse(
        "profiles:image", kwargs={"slug": profile.slug, "image": image.pk, "width": 960}
    )
    assert image_url in html
    assert 'alt="Two officers in a patrol car"' in html
    # Staff may fetch the (not yet public) image the preview shows.
    fetched = staff_client.get(image_url)
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content).startswith(b"\xff\xd8")  # a JPEG
    fetched.close()


def test_preview_pdf_is_rendered_for_staff_inline_and_never_cached(staff_client, agency):
    profile = ProfileFactory(state=P.DRAFT, agency=agency, title="Peer Support That Stays")
    response = staff_client.get(_url("profile-preview-pdf", profile))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    assert 1 <= len(reader.pages) <= 2
    assert "Peer Support That Stays" in reader.pages[0].extract_text()


# The admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.StaffFactory(is_superuser=True))
    return client


def test_admin_lists_profiles_read_only(admin_client):
    profile = ProfileFactory(title="Peer Support That Stays")
    listing = admin_client.get(reverse("admin:profiles_profile_changelist"))
    assert "Peer Support That Stays" in listing.content.decode()
    page = admin_client.get(reverse("admin:profiles_profile_change", args=[profile.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
    assert 'name="title"' not in page.content.decode()
    response = admin_client.post(
        reverse("admin:profiles_profile_change", args=[profile.pk]),
        {"title": "Changed", "state": P.DRAFT},
    )
    assert response.status_code == 403
    assert Profile.objects.get(pk=profile.pk).title == "Peer Support That Stays"
    assert _state(profile) == P.PUBLISHED
    assert admin_client.get(reverse("admin:profiles_profile_add")).status_code == 403


def test_admin_edits_topics(admin_client):
    admin_client.post(
        reverse("admin:profiles_topic_add"), {"name": "Traffic safety", "slug": "traffic-safety"}
    )
    assert list(Topic.objects.values_list("name", "slug")) == [("Traffic safety", "traffic-safety")]
