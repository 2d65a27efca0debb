"""Accessibility scenarios: the public library, the agency's proof and the staff's profile pages."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.nominations.models import Nomination
from dz_awards.profiles import services as profile_services
from dz_awards.profiles.enums import ProfileState
from tests import factories
from tests.e2e.a11y.common import error_summary, open_cycle, signed_in_staff
from tests.e2e.a11y.nominations import submit
from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import field, sign_in_with_session
from tests.files import png_upload
from tests.profiles.factories import (
    ProfileFactory,
    ProfileImageFactory,
    ProfilePdfFactory,
    ProfileResourceFactory,
    TopicFactory,
)

DIRECTORY_HEADING = "Model programs"
PROGRAM = "Peer Support Within a Day of Every Critical Incident"
PROOF_AGENCY = "Harbor City Police Department"


def topic(name):
    return TopicFactory(slug=name.lower().replace(" ", "-"), name=name)


def library():
    """Published profiles across states, years, awards, categories and topics; some with a
    photo (thumbnails in the directory), one draft and one retracted (never listed)."""
    peer, fitness = topic("Peer support"), topic("Physical fitness")
    lines = [
        (PROGRAM, "OH", 2031, "winner", "officer-wellness", "Officer Wellness", 180, [peer]),
        (
            "Peer Check-ins After Every Shooting",
            "OH",
            2030,
            "finalist",
            "officer-wellness",
            "Comprehensive Officer Wellness",
            35,
            [peer],
        ),
        (
            "Annual Fitness Coaching",
            "WY",
            2031,
            "winner",
            "officer-wellness",
            "Officer Wellness",
            12,
            [fitness],
        ),
        (
            "Tactical Medicine Kits in Every Patrol Car",
            "TX",
            2029,
            "finalist",
            "officer-safety",
            "Officer Safety",
            1400,
            [],
        ),
        (
            "Seat Belts, Every Time",
            "CA",
            2030,
            "winner",
            "traffic-safety",
            "Traffic Safety",
            650,
            [],
        ),
    ]
    profiles = {}
    for title, state, year, award, code, label, sworn, topics in lines:
        profiles[title] = ProfileFactory(
            title=title,
            state_code=state,
            year=year,
            award=award,
            category_code=code,
            category_label=label,
            sworn_officers=sworn,
            topics=topics,
        )
    # Its sizes made by the task, so the card has its <picture> with the modern format.
    image = ProfileImageFactory(
        profile=profiles[PROGRAM], alt_text="Peer team members outside the station", renditions={}
    )
    profile_services.profile_image_make_renditions(image.pk)
    ProfileImageFactory(
        profile=profiles["Annual Fitness Coaching"], alt_text="An officer with a fitness coach"
    )
    ProfileFactory(state=ProfileState.DRAFT, title="A Draft Nobody Sees")
    ProfileFactory(state=ProfileState.RETRACTED, title="A Retracted Program")
    return profiles


@scenario("profiles directory", DIRECTORY_HEADING, on_phone=True)
def profiles_directory(page):
    library()
    page.goto("/programs/")
    expect(page.get_by_role("heading", name="5 programs", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Peer team members outside the station")).to_be_visible()


@scenario("profiles directory, keyword and filters", DIRECTORY_HEADING, on_phone=True)
def profiles_directory_filtered(page):
    library()
    page.goto("/programs/")
    field(page, "Keywords").fill("peer")
    # On a phone the filters are folded away: opened as a person would.
    if not page.locator("details.directory-more-filters").evaluate("details => details.open"):
        page.get_by_text("More filters").click()
    field(page, "Award").select_option(label="Winner")
    field(page, "State").select_option(label="Ohio")
    field(page, "Agency size").select_option(label="100 to 499 sworn officers")
    field(page, "Topic").select_option(label="Peer support")
    page.get_by_role("button", name="Show programs").click()
    expect(page.get_by_role("heading", name="1 program matches")).to_be_visible()
    expect(page.get_by_role("link", name=PROGRAM)).to_be_visible()
    expect(page.get_by_role("link", name="Remove the filter State: Ohio")).to_be_visible()


@scenario("profiles directory, no results", DIRECTORY_HEADING)
def profiles_directory_empty(page):
    library()
    page.goto("/programs/")
    field(page, "Keywords").fill("helicopter")
    field(page, "Category").select_option(label="Traffic Safety")
    page.get_by_role("button", name="Show programs").click()
    expect(page.get_by_role("heading", name="No programs match")).to_be_visible()
    expect(page.get_by_role("link", name="see every program")).to_be_visible()


@scenario("profiles directory, nothing published yet", DIRECTORY_HEADING)
def profiles_directory_nothing(page):
    page.goto("/programs/")
    expect(page.get_by_text("No programs have been published yet.")).to_be_visible()


@scenario("profiles directory, several pages", DIRECTORY_HEADING)
def profiles_directory_paginated(page):
    ProfileFactory.create_batch(23)
    page.goto("/programs/?sort=agency")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()


def full_profile(**fields):
    """A published profile with everything its page can show, and a current PDF."""
    profile = ProfileFactory(
        **{
            "title": PROGRAM,
            "agency_name": PROOF_AGENCY,
            "city": "Harbor City",
            "state_code": "OH",
            "sworn_officers": 180,
            "results": "Resignations fell from **11 to 2**.\n\n- 92% met a peer\n- [The "
            "report](https://example.org/report)",
            "key_figures": [
                {"figure": "82%", "label": "fewer stress-related resignations"},
                {"figure": "24 h", "label": "to reach every officer after an incident"},
                {"figure": "14", "label": "trained peers"},
            ],
            "video_url": "https://video.example.org/peer-support",
            "topics": [topic("Peer support"), topic("Critical incidents")],
            **fields,
        }
    )
    main = ProfileImageFactory(
        profile=profile, alt_text="Fourteen peer support officers", position=0, renditions={}
    )
    profile_services.profile_image_make_renditions(main.pk)
    ProfileImageFactory(profile=profile, alt_text="A peer check-in in a patrol car", position=1)
    ProfileImageFactory(
        profile=profile, alt_text="Training day in the briefing room", caption="", position=2
    )
    ProfileResourceFactory(profile=profile, title="Peer support general order")
    ProfileResourceFactory(
        profile=profile,
        title="The state's peer support toolkit",
        file="",
        extension="",
        size=None,
        url="https://example.org/toolkit",
    )
    if profile.state == ProfileState.PUBLISHED:
        ProfilePdfFactory(profile=profile)
    return profile


@scenario("profile page, images, figures, resources, video and topics", PROGRAM, on_phone=True)
def profile_page(page):
    profile = full_profile()
    page.goto(profile.get_absolute_url())
    expect(page.get_by_role("img", name="Fourteen peer support officers")).to_be_visible()
    expect(page.get_by_role("img", name="Training day in the briefing room")).to_be_visible()
    expect(page.get_by_role("link", name="PDF summary")).to_be_visible()
    expect(page.get_by_role("link", name="Peer support general order")).to_be_visible()
    expect(page.get_by_role("link", name="Watch the video about this program")).to_be_visible()
    expect(page.get_by_role("link", name="Critical incidents")).to_be_visible()
    expect(page.get_by_text("82%", exact=True)).to_be_visible()


@scenario("profile PDF summary, being prepared", "The PDF summary is being prepared", status=503)
def profile_pdf_pending(page):
    profile = ProfileFactory(title=PROGRAM)
    page.goto(f"{profile.get_absolute_url()}summary.pdf")


def proof_world():
    """A draft with photos and figures for the agency's member; the proof, once sent."""
    agency = factories.AgencyFactory(name=PROOF_AGENCY, city="Harbor City", state="OH")
    member = factories.OwnerFactory(agency=agency).user
    profile = full_profile(state=ProfileState.DRAFT, agency=agency)
    profile_services.profile_send_proof(actor=factories.StaffFactory(), profile=profile)
    return member, profile


def open_proof(page):
    member, profile = proof_world()
    sign_in_with_session(page, member)
    page.goto(f"/profiles/{profile.pk}/proof/")
    return profile


@scenario("profile proof, sent to the agency", PROGRAM, on_phone=True)
def profile_proof(page):
    open_proof(page)
    expect(page.get_by_text("Proof: this page is not public yet")).to_be_visible()
    expect(page.get_by_role("button", name="Approve this profile")).to_be_visible()
    expect(page.get_by_role("img", name="Fourteen peer support officers")).to_be_visible()


@scenario("profile proof, approved", PROGRAM)
def profile_proof_approved(page):
    open_proof(page)
    page.get_by_role("button", name="Approve this profile").click()
    expect(page.get_by_text("Approved — program staff will publish it.").first).to_be_visible()
    expect(page.get_by_role("button", name="Approve this profile")).to_have_count(0)


@scenario("profile proof, changes asked without a comment", PROGRAM, status=400)
def profile_proof_errors(page):
    open_proof(page)
    field(page, "What should change?").fill("   ")
    page.get_by_role("button", name="Ask for changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Your comments were not sent")


# Profile pages: program staff ------------------------------------------------------


def staff_profile(**fields):
    """A draft of an agency with a member, with figures and topics."""
    agency = factories.AgencyFactory(name=PROOF_AGENCY, city="Harbor City", state="OH")
    factories.OwnerFactory(agency=agency)
    return ProfileFactory(
        **{
            "state": ProfileState.DRAFT,
            "agency": agency,
            "title": PROGRAM,
            "agency_name": PROOF_AGENCY,
            "state_code": "OH",
            "video_url": "https://video.example.org/peer-support",
            "topics": [topic("Peer support")],
            **fields,
        }
    )


def editor_heading(title=PROGRAM):
    return f"Profile: {title}"


@scenario("staff profiles list", "Profiles")
def staff_profiles_list(page):
    cycle = open_cycle()
    factories.NominationFactory(
        cycle=cycle,
        category=cycle.categories.first(),
        complete=True,
        state="winner",
        submitted_at=timezone.now(),
    )
    for state in ProfileState.values:
        ProfileFactory(state=state, title=f"A profile in state {state}")
    ProfilePdfFactory(profile=ProfileFactory(title="A published profile with its PDF"))
    signed_in_staff(page)
    page.goto("/staff/profiles/")
    expect(
        page.get_by_role("button", name=re.compile("^Create profiles for this cycle's"))
    ).to_be_visible()
    expect(page.get_by_text("6 profiles.")).to_be_visible()


@scenario("staff profiles list, filtered, none", "Profiles")
def staff_profiles_list_empty(page):
    ProfileFactory(year=2030)
    signed_in_staff(page)
    page.goto("/staff/profiles/")
    field(page, "Status").select_option(label="Retracted")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No profile matches these filters.")).to_be_visible()


@scenario("staff profile editor, changes asked by the agency", editor_heading(), on_phone=True)
def staff_profile_editor(page):
    profile = staff_profile()
    member = profile.agency.memberships.get().user
    profile_services.profile_send_proof(actor=factories.StaffFactory(), profile=profile)
    profile_services.profile_request_changes(
        user=member, profile=profile, comment="Please name our peer team's coordinator."
    )
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/")
    expect(page.get_by_role("heading", name="The agency asked for changes")).to_be_visible()
    expect(page.get_by_role("button", name="Send the proof to the agency")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Peer support")).to_be_checked()


@scenario("staff profile editor, with errors", editor_heading(), on_phone=True)
def staff_profile_editor_errors(page):
    profile = staff_profile()
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/")
    field(page, "Figure 1").fill("82%")
    field(page, "What figure 1 measures").fill("")
    field(page, "Video link").fill("http://video.example.org/peer-support")
    page.get_by_role("button", name="Save the profile").click()
    expect(error_summary(page).first).to_contain_text("Say what this figure measures.")
    expect(page.locator("[aria-invalid=true]")).not_to_have_count(0)


@scenario("staff profile editor, publishing barred (two-person rule)", editor_heading())
def staff_profile_editor_barred(page):
    profile = staff_profile()
    member = profile.agency.memberships.get().user
    staff = factories.StaffFactory()
    profile_services.profile_send_proof(actor=staff, profile=profile)
    profile_services.profile_approve(user=member, profile=profile)
    sign_in_with_session(page, staff)
    page.goto(f"/staff/profiles/{profile.pk}/")
    expect(page.get_by_role("button", name="Publish")).to_be_disabled()
    expect(page.get_by_text("another staff member must publish it")).to_be_visible()


@scenario("staff profile editor, published", editor_heading())
def staff_profile_editor_published(page):
    profile = staff_profile(state=ProfileState.PUBLISHED)
    ProfilePdfFactory(profile=profile)
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/")
    expect(page.get_by_role("button", name="Retract the profile")).to_be_visible()
    expect(page.get_by_text("Current: shows version 1.")).to_be_visible()


def winner_with_files():
    """A winner's draft profile whose nomination was submitted with a photo and a PDF."""
    cycle = open_cycle()
    owner = factories.OwnerFactory(agency__name=PROOF_AGENCY).user
    nomination = factories.NominationFactory(
        agency=owner.memberships.get().agency,
        cycle=cycle,
        category=cycle.categories.get(label="Officer Wellness"),
        complete=True,
        title=PROGRAM,
    )
    nomination_services.evidence_add(
        user=owner,
        nomination=nomination,
        upload=png_upload("peer-team.png", size=(800, 600)),
        kind=EvidenceKind.IMAGE,
        alt_text="The peer team.",
    )
    nomination = submit(nomination)
    # Its review and decision, as their result.
    Nomination.objects.filter(pk=nomination.pk).update(state="winner")
    nomination.refresh_from_db()
    return profile_services.profile_create_for(
        actor=factories.StaffFactory(), nomination=nomination
    )


@scenario("staff profile media", "Images and resources")
def staff_profile_media(page):
    profile = winner_with_files()
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/media/")
    expect(page.get_by_role("group", name="peer-team.png")).to_be_visible()
    expect(page.get_by_role("group", name="general-order-3-14.pdf")).to_be_visible()


@scenario("staff profile media, image without alternative text", "Images and resources")
def staff_profile_media_errors(page):
    profile = winner_with_files()
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/media/")
    photo = page.get_by_role("group", name="peer-team.png")
    photo.get_by_label("Make public").check()
    field(photo, "Alternative text").fill("")
    page.get_by_role("button", name="Save the images").click()
    expect(page.get_by_role("alert")).to_contain_text("Write what this image shows")


@scenario("staff profile preview", PROGRAM)
def staff_profile_preview(page):
    profile = full_profile(state=ProfileState.DRAFT)
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/preview/")
    expect(page.get_by_text("Preview for staff")).to_be_visible()
    expect(page.get_by_role("img", name="Fourteen peer support officers")).to_be_visible()


@scenario("staff profile retract", "Retract this profile")
def staff_profile_retract(page):
    profile = staff_profile(state=ProfileState.PUBLISHED)
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/retract/")
    expect(field(page, "Why is this profile retracted?")).to_be_visible()


@scenario("staff profile retract, without a reason", "Retract this profile")
def staff_profile_retract_errors(page):
    profile = staff_profile(state=ProfileState.PUBLISHED)
    signed_in_staff(page)
    page.goto(f"/staff/profiles/{profile.pk}/retract/")
    page.get_by_role("button", name="Retract the profile").click()
    expect(error_summary(page).first).to_contain_text("Give the reason for retracting.")
