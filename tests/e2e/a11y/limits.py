"""Accessibility scenario: the page a rate limit answers with (429)."""

from django.conf import settings
from django.test import override_settings
from playwright.sync_api import expect

from tests.e2e.a11y.registry import scenario
from tests.e2e.conftest import field


@scenario("too many requests", "Too many requests", status=429, on_phone=True)
def too_many_requests(page):
    """A second registration from one address under a limit of one an hour."""
    with override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "registration": "1/h"}):
        for n in range(2):
            page.goto("/accounts/register/")
            field(page, "Full name").fill("Pat Lee")
            field(page, "Work email address").fill(f"pat.lee{n}@example.org")
            with page.expect_navigation():
                page.get_by_role("button", name="Create account").click()
        expect(page.get_by_text("Try again in")).to_be_visible()
