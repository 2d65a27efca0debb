"""A winner's public profile in a real browser, from the staff editor to an anonymous reader.

Staff member A creates the cycle's profiles from the staff list, edits the
public copy (title, summary, Markdown results, a key figure, a new topic),
makes the agency's photo public with its alternative text and sends the
proof. The agency's member opens the proof from their nomination's page,
reads it and approves it. Staff member A cannot publish (two-person rule) and
the page says why; staff member B publishes, and the PDF summary is rendered
at once. An anonymous visitor finds the profile in /programs/ by keyword and
by filters, reads it and downloads its PDF. Staff retract it: it leaves the
directory and its address answers 404.

Set up directly, because it is not part of this journey: the cycle, the
agency and its member, and the nomination the member submitted with a photo
and a PDF (through the nomination services, so the photo is checked and
ready); its review and the decision that made it a winner are written as
their result.
"""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dz_awards.core.models import OutboxEmail
from dz_awards.nominations import services as nomination_services
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, ProfilePdf
from tests import factories
from tests.e2e.conftest import DATABASE_LOCK, field, link_path, sign_in
from tests.files import image_bytes, pdf_upload, upload
from tests.profiles.factories import ProfileFactory

P = ProfileState
CYCLE_NAME = "2031 Destination Zero Awards"
CATEGORY = "Officer Wellness"
AGENCY = "Harbor City Police Department"
NOMINATION_TITLE = "Peer Support and Early Warning Program"
TITLE = "Peer Support Within a Day of Every Critical Incident"
SUMMARY = (
    "Fourteen trained peers contact every officer within 24 hours of a critical incident. "
    "Stress-related resignations fell from eleven to two in three years."
)
RESULTS = (
    "Stress-related resignations fell from **11 to 2** between 2021 and 2024.\n\n"
    "- 92% of officers met a peer at least once\n"
    "- Sick days after critical incidents fell by a third"
)
FIGURE, FIGURE_LABEL = "82%", "fewer stress-related resignations"
TOPIC = "Peer support"
AGENCY_ALT_TEXT = "Peer team at the station."
ALT_TEXT = "Fourteen peer support officers standing in front of the Harbor City station"
KEYWORDS = "stress-related resignations"
TWO_PERSON = "You prepared this proof, so another staff member must publish it (two-person rule)."


def heading(page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def world(transactional_db):
    """A winner whose agency submitted a photo (checked, ready) and a general order."""
    cycle = factories.CycleFactory(year=2031, name=CYCLE_NAME)
    category = factories.CategoryFactory(cycle=cycle, label=CATEGORY, position=1)
    agency = factories.AgencyFactory(
        name=AGENCY, city="Harbor City", state="OH", sworn_officers=180
    )
    member = factories.OwnerFactory(agency=agency, user__full_name="Sam Member").user
    nomination = factories.NominationFactory(
        agency=agency, cycle=cycle, category=category, complete=True, title=NOMINATION_TITLE
    )
    photo = nomination_services.evidence_add(
        user=member,
        nomination=nomination,
        upload=upload("peer-team.png", image_bytes("PNG", size=(800, 600)), "image/png"),
        kind=EvidenceKind.IMAGE,
        alt_text=AGENCY_ALT_TEXT,
    )
    nomination_services.evidence_add(
        user=member,
        nomination=nomination,
        upload=pdf_upload("general-order-3-14.pdf"),
        kind=EvidenceKind.DOCUMENT,
        description="The general order that makes a peer contact automatic.",
    )
    nomination_services.nomination_submit(user=member, nomination=nomination)
    photo.refresh_from_db()
    # Checked and re-encoded in the background as it was uploaded (ImmediateBackend).
    assert photo.status == EvidenceStatus.READY
    # The review and the released decision, as their result: the nomination won.
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.WINNER)
    return {
        "cycle": cycle,
        "agency": agency,
        "member": member,
        "nomination": Nomination.objects.get(pk=nomination.pk),
        "preparer": factories.StaffFactory(
            full_name="Alex Program", email="alex.program@example.org"
        ),
        "publisher": factories.StaffFactory(
            full_name="Robin Second", email="robin.second@example.org"
        ),
    }


# Staff member A --------------------------------------------------------------------------


def staff_creates_the_profile(page, staff):
    sign_in(page, staff.email)
    page.goto("/staff/")
    page.get_by_role("link", name="Prepare, proof and publish the profiles").click()
    expect(heading(page)).to_have_text("Profiles")
    expect(page.get_by_text(f"{CYCLE_NAME}: 1 without a profile.")).to_be_visible()
    page.get_by_role(
        "button", name=re.compile("^Create profiles for this cycle's finalists and winners")
    ).click()
    expect(
        page.get_by_text(re.compile(rf"^1 draft profile created for {CYCLE_NAME}"))
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text=NOMINATION_TITLE)
    expect(row).to_contain_text("Draft")
    expect(row).to_contain_text(AGENCY)
    row.get_by_role("link", name=NOMINATION_TITLE).click()
    expect(heading(page)).to_have_text(f"Profile: {NOMINATION_TITLE}")


def staff_edits_the_copy(page):
    # The copy starts from what the agency wrote.
    expect(field(page, "Program title")).to_have_value(NOMINATION_TITLE)
    field(page, "Program title").fill(TITLE)
    field(page, "Summary").fill(SUMMARY)
    field(page, "Results").fill(RESULTS)
    field(page, "Figure 1").fill(FIGURE)
    field(page, "What figure 1 measures").fill(FIGURE_LABEL)
    field(page, "Add topics").fill(TOPIC)
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_text("The profile is saved (version 2).")).to_be_visible()
    expect(heading(page)).to_have_text(f"Profile: {TITLE}")
    # What was saved comes back in the form.
    expect(field(page, "Results")).to_have_value(RESULTS)
    expect(field(page, "What figure 1 measures")).to_have_value(FIGURE_LABEL)
    expect(page.get_by_role("checkbox", name=TOPIC)).to_be_checked()


def staff_chooses_the_image(page):
    page.get_by_role("navigation", name="Profile pages").get_by_role(
        "link", name="Images and resources"
    ).click()
    expect(heading(page)).to_have_text("Images and resources")
    photo = page.get_by_role("group", name="peer-team.png")
    # The agency's own description starts the public one.
    expect(field(photo, "Alternative text")).to_have_value(AGENCY_ALT_TEXT)
    photo.get_by_label("Make public").check()
    field(photo, "Alternative text").fill(ALT_TEXT)
    page.get_by_role("button", name="Save the images").click()
    expect(
        page.get_by_text("The images are saved. Their sizes for the public page are being made.")
    ).to_be_visible()
    expect(page.get_by_role("group", name="peer-team.png")).to_contain_text("public now")


def staff_previews_and_sends_the_proof(page):
    page.get_by_role("link", name="Preview the page").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_text("Preview for staff")).to_be_visible()
    expect(page.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    page.get_by_role("link", name="Back to the editor").click()
    page.get_by_role("button", name="Send the proof to the agency").click()
    expect(page.get_by_text(re.compile("^The proof is sent"))).to_be_visible()
    expect(page.get_by_role("button", name="Send the proof to the agency")).to_have_count(0)


# The agency ------------------------------------------------------------------------------


def agency_approves_the_proof(page, member, nomination, email_path):
    sign_in(page, member.email)
    page.goto(f"/nominations/{nomination.pk}/")
    proof = page.get_by_role("region", name="Public profile")
    expect(proof).to_contain_text("The proof of your program's public profile is ready")
    proof.get_by_role("link", name="Read the proof").click()
    # The link on the nomination's page and the one in the email are the same page.
    expect(page).to_have_url(re.compile(rf"{re.escape(email_path)}$"))
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_text("Proof: this page is not public yet")).to_be_visible()
    expect(page.get_by_text(AGENCY).first).to_be_visible()
    expect(page.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    expect(page.get_by_text(FIGURE, exact=True)).to_be_visible()
    page.get_by_role("button", name="Approve this profile").click()
    expect(page.get_by_text("Approved — program staff will publish it.").first).to_be_visible()
    expect(page.get_by_role("button", name="Approve this profile")).to_have_count(0)


# Publishing -----------------------------------------------------------------------------


def preparer_cannot_publish(page):
    page.reload()
    expect(page.get_by_text("Approved by the agency").first).to_be_visible()
    publish = page.get_by_role("button", name="Publish")
    expect(publish).to_be_disabled()
    expect(publish).to_have_accessible_description(TWO_PERSON)
    # The server refuses it too: the form sent anyway (as a script could) publishes nothing.
    with page.expect_navigation():
        page.locator("form[action$='/publish/']").evaluate("form => form.submit()")
    expect(page.get_by_text(f"The profile was not published. {TWO_PERSON}")).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_be_disabled()


def second_staff_publishes(page, staff, profile):
    sign_in(page, staff.email)
    page.goto(f"/staff/profiles/{profile.pk}/")
    expect(heading(page)).to_have_text(f"Profile: {TITLE}")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile("^The profile is published"))).to_be_visible()
    # The PDF was rendered when the publication committed.
    expect(page.get_by_text(f"Current: shows version {profile.version}.")).to_be_visible()


# The visitor ------------------------------------------------------------------------------


def result_link(page):
    return page.get_by_role("link", name=TITLE)


def visitor_finds_it(page, other_title):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Model programs").click()
    expect(heading(page)).to_have_text("Model programs")
    expect(page.get_by_role("heading", name="2 programs")).to_be_visible()

    # By keyword: the other program does not match.
    field(page, "Keywords").fill(KEYWORDS)
    page.get_by_role("button", name="Show programs").click()
    expect(page.get_by_role("heading", name="1 program matches")).to_be_visible()
    expect(result_link(page)).to_be_visible()
    expect(page.get_by_role("link", name=other_title)).to_have_count(0)
    assert "q=stress-related+resignations" in page.url

    # By filters alone: state and award, kept in the URL.
    page.get_by_role("link", name="Clear all", exact=True).click()
    field(page, "State").select_option(label="Ohio")
    field(page, "Award").select_option(label="Winner")
    page.get_by_role("button", name="Show programs").click()
    expect(page.get_by_role("heading", name="1 program matches")).to_be_visible()
    expect(page.get_by_text("State: Ohio", exact=True)).to_be_visible()
    expect(page.get_by_text("Award: Winner", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=other_title)).to_have_count(0)
    assert "state=OH" in page.url
    assert "award=winner" in page.url

    result_link(page).click()


def visitor_reads_it_and_downloads_the_pdf(page):
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_text(f"{AGENCY} · Harbor City, Ohio")).to_be_visible()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    results = page.get_by_role("region", name="Results")
    expect(results.locator("strong").filter(has_text="11 to 2")).to_be_visible()
    expect(results.get_by_role("listitem").filter(has_text=FIGURE)).to_contain_text(FIGURE_LABEL)
    expect(results.get_by_text("92% of officers met a peer at least once")).to_be_visible()
    expect(page.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    expect(page.get_by_role("link", name=TOPIC)).to_be_visible()
    expect(page.locator("script[type='application/ld+json']")).to_have_count(1)

    link = page.get_by_role("link", name="PDF summary")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    assert 1 <= len(reader.pages) <= 2
    assert TITLE in text
    assert AGENCY in text
    assert "11 to 2" in text
    return page.url


def visitor_no_longer_finds_it(page, profile_url, browser_errors):
    page.goto("/programs/")
    expect(page.get_by_role("heading", name="1 program", exact=True)).to_be_visible()
    expect(result_link(page)).to_have_count(0)
    field(page, "Keywords").fill(KEYWORDS)
    page.get_by_role("button", name="Show programs").click()
    expect(page.get_by_role("heading", name="No programs match")).to_be_visible()
    browser_errors.allow_error_status(profile_url, 404)
    response = page.goto(profile_url)
    assert response.status == 404
    expect(heading(page)).to_have_text("Page not found")


def staff_retracts(page):
    page.reload()
    field(page, "Why is this profile retracted?").fill(
        "The agency asked to take it down while the program is reorganised."
    )
    page.get_by_role("button", name="Retract the profile").click()
    expect(page.get_by_text(re.compile("^The profile is retracted"))).to_be_visible()


# The journey -----------------------------------------------------------------------------


def test_a_winner_becomes_a_public_profile_then_is_retracted(open_page, browser_errors, world):
    # Another published program, from another state, that the filters and search leave out.
    other = ProfileFactory(
        title="Annual Fitness Coaching for Every Officer",
        summary="A coach meets each officer twice a year.",
        results="Injuries on duty fell by a fifth.",
        state_code="WY",
        award="finalist",
        year=2030,
    )
    preparer, publisher, member = world["preparer"], world["publisher"], world["member"]

    # The database is read while a page may still be loading its images: under the
    # live server's lock (see tests/e2e/conftest.py).
    staff_a = open_page()
    staff_creates_the_profile(staff_a, preparer)
    with DATABASE_LOCK:
        profile = Profile.objects.get(nomination=world["nomination"])
        assert profile.state == P.DRAFT
    staff_edits_the_copy(staff_a)
    staff_chooses_the_image(staff_a)
    with DATABASE_LOCK:
        image = profile.images.get()
        assert image.alt_text == ALT_TEXT
        assert image.renditions  # made in the background when the choice was saved
    staff_previews_and_sends_the_proof(staff_a)

    with DATABASE_LOCK:
        profile.refresh_from_db()
        assert profile.state == P.PROOF_SENT
        assert profile.prepared_by == preparer
        email = OutboxEmail.objects.get(key__startswith=f"profile-proof:{profile.pk}:")
        assert email.to == member.email
    email_path = link_path(email, "/profiles/")

    agency_approves_the_proof(open_page(), member, world["nomination"], email_path)
    with DATABASE_LOCK:
        profile.refresh_from_db()
        assert profile.state == P.AGENCY_APPROVED
        assert profile.approved_by == member

    preparer_cannot_publish(staff_a)
    with DATABASE_LOCK:
        profile.refresh_from_db()
        assert profile.state == P.AGENCY_APPROVED
        assert profile.published_by is None
    staff_b = open_page()
    second_staff_publishes(staff_b, publisher, profile)
    with DATABASE_LOCK:
        profile.refresh_from_db()
        assert profile.state == P.PUBLISHED
        assert profile.published_by == publisher
        pdf = ProfilePdf.objects.get(profile=profile)
        assert pdf.is_current
        assert 1 <= pdf.pages <= 2

    visitor = open_page()
    visitor_finds_it(visitor, other.title)
    profile_url = visitor_reads_it_and_downloads_the_pdf(visitor)

    staff_retracts(staff_b)
    with DATABASE_LOCK:
        profile.refresh_from_db()
        assert profile.state == P.RETRACTED
    visitor_no_longer_finds_it(visitor, profile_url, browser_errors)
