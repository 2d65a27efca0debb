"""Program staff return twenty nominations with one message, in a real browser."""

from playwright.sync_api import expect

from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from tests import factories
from tests.e2e.conftest import field, sign_in_with_session
from tests.reviews import bulk_worlds

S = NominationState
MESSAGE = "Add your 2024 injury figures to the outcomes table."


def test_staff_filter_select_all_and_return_twenty(open_page, live_server):
    staff = factories.StaffFactory()
    cycle = factories.CycleFactory()
    wellness = factories.CategoryFactory(cycle=cycle, label="Officer Wellness")
    driving = factories.CategoryFactory(cycle=cycle, label="Driving Safety")
    chosen = bulk_worlds.nominations(20, cycle=cycle, category=wellness, title="Peer Support")
    others = [
        *bulk_worlds.nominations(5, cycle=cycle, category=driving, title="Night Driving"),
        *bulk_worlds.nominations(
            3, cycle=cycle, category=wellness, state=S.RETURNED, title="Fitness"
        ),
    ]

    page = open_page()
    sign_in_with_session(page, staff)
    page.goto("/staff/nominations/")
    expect(page.get_by_text("28 nominations.")).to_be_visible()
    field(page, "Category").select_option(label=f"Officer Wellness ({cycle.year})")
    field(page, "Workflow status").select_option(label="Submitted")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("20 nominations.")).to_be_visible()

    page.get_by_label("Choose every nomination on this page").check()
    expect(page.locator("input[data-select-row]:checked")).to_have_count(20)
    field(page, "With the chosen nominations").select_option(label="Return for changes")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Return 20 nominations for changes")
    field(page, "What should each agency change?").fill(MESSAGE)
    page.get_by_role("button", name="Return 20 nominations for changes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Return for changes")
    expect(page.get_by_text("Return for changes: 20 done, 0 refused.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Done")).to_have_count(20)

    ids = [n.pk for n in chosen]
    returned = Nomination.objects.filter(pk__in=ids, state=S.RETURNED, staff_message=MESSAGE)
    assert returned.count() == 20
    assert AuditEvent.objects.filter(action="nomination_returned").count() == 20
    assert OutboxEmail.objects.filter(key__startswith="nomination-returned:").count() == 20
    assert {n.state for n in Nomination.objects.filter(pk__in=[n.pk for n in others])} == {
        S.SUBMITTED,
        S.RETURNED,
    }
    assert not Nomination.objects.filter(pk__in=[n.pk for n in others], staff_message=MESSAGE)

    # Back on the list, the filter is kept: now nothing submitted is left in the category.
    page.get_by_role("link", name="Back to the list").click()
    expect(page.get_by_text("No nomination matches these filters.")).to_be_visible()
