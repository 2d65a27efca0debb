"""Accessibility scenarios: the agency's certificate and badge, and staff's certificates page."""

from playwright.sync_api import expect

from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.recognition.models import Certificate
from reviews import services as review_services
from reviews.enums import Outcome
from tests import factories
from tests.e2e.a11y.nominations import badge_heading
from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import field, sign_in_with_session
from tests.recognition import helpers

STAFF_HEADING = "Certificates and badges"
FINALIST_TITLE = "Fitness Coaching for Every Shift"


def released(outcomes):
    """The recognition world with `outcomes` ({title: Outcome}) released by staff; the
    certificates are drawn at commit, as the worker would. Returns the world."""
    place = helpers.world()
    helpers.stage(
        place, {helpers.reviewed(place, title): outcome for title, outcome in outcomes.items()}
    )
    review_services.decisions_release(actor=place.staff, cycle=place.cycle)
    return place


@scenario(
    "recognition, agency certificate and badge ready",
    badge_heading(helpers.PROGRAM, "Winner"),
    on_phone=True,
)
def agency_certificate_ready(page):
    place = released({helpers.PROGRAM: Outcome.WINNER})
    certificate = Certificate.objects.get()
    sign_in_with_session(page, place.member)
    page.goto(f"/nominations/{certificate.nomination_id}/")
    alt = f"Destination Zero 2026 Winner, {helpers.CATEGORY} — {helpers.AGENCY}"
    expect(page.get_by_role("img", name=alt)).to_be_visible()
    expect(
        page.get_by_role("link", name="Download the certificate (PDF, one page)")
    ).to_be_visible()
    expect(field(page, "HTML to paste into your page")).to_have_value(
        f'<a href="http://127.0.0.1:8000/programs/"><img '
        f'src="destination-zero-2026-winner-badge.png" alt="{alt}" width="300" height="300"></a>'
    )


@scenario(
    "recognition, agency certificate being prepared",
    badge_heading(helpers.PROGRAM, "Finalist"),
    on_phone=True,
)
def agency_certificate_being_prepared(page):
    """The certificate issued, its render not yet run (the row as the release leaves it)."""
    place = helpers.world()
    nomination = factories.submitted_nomination(
        agency=place.agency, cycle=place.cycle, category=place.category, title=helpers.PROGRAM
    )
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.FINALIST)
    Certificate.objects.create(
        nomination=nomination,
        award=Outcome.FINALIST,
        program=helpers.PROGRAM,
        agency=helpers.AGENCY,
        category=helpers.CATEGORY,
        year=helpers.YEAR,
    )
    sign_in_with_session(page, place.member)
    page.goto(f"/nominations/{nomination.pk}/")
    expect(page.get_by_text("Its certificate and badge are being prepared")).to_be_visible()


@scenario("recognition, staff certificates after a regeneration", STAFF_HEADING, on_phone=True)
def staff_certificates(page):
    place = released({FINALIST_TITLE: Outcome.FINALIST})
    sign_in_with_session(page, place.staff)
    page.goto(f"/staff/cycles/{place.cycle.pk}/certificates/")
    row = page.get_by_role("row").filter(has_text=FINALIST_TITLE)
    row.get_by_label("Why regenerate it?").fill("The agency's name was misspelled.")
    row.get_by_role("button", name=f"Regenerate the certificate of {FINALIST_TITLE}").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Version 2 of the certificate and badge of “{FINALIST_TITLE}” is being prepared."
    )
