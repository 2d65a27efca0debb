"""The staff profile editor: what it shows and saves, its refusals (in plain words, with
the typed text kept), the lifecycle buttons, and the previews of the public page and
the PDF."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dz_awards.core.selectors import audit_events_for
from dz_awards.profiles import services
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, Topic
from tests.profiles.factories import ProfileFactory, ProfileImageFactory, TopicFactory
from tests.profiles.helpers import message_texts as _messages
from tests.profiles.helpers import profile_state as _state
from tests.profiles.helpers import staff_url as _url
from tests.profiles.helpers import visible_text as _text

P = ProfileState
XSS = '<script>alert("x")</script> [click](javascript:alert(1)) <img src=x onerror=alert(2)>'


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


# The editor ------------------------------------------------------------------------------


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


# The lifecycle through the pages ---------------------------------------------------------


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


# Previews --------------------------------------------------------------------------------


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
