"""Every page, in every state a person meets it, passes axe-core at WCAG 2.2 AA.

Each scenario (in `tests/e2e/a11y/`, one module per app) builds its data,
brings the page into one state through the browser (signing in, submitting
forms as a person would), checks that the intended state is on screen, and
hands the page to axe. The main pages are checked again at a phone's width,
where the navigation collapses and the page must fit the screen: only its
scrolling boxes (wide tables) scroll sideways.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.utils.text import slugify
from playwright.sync_api import expect

from tests.e2e.a11y import SCENARIO_MODULES
from tests.e2e.a11y.registry import SCENARIOS

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    # Passes and incomplete results are not used; leaving them out makes axe faster.
    "resultTypes": ["violations"],
}
# With HTML_CAPTURE_DIR set (CI sets it), each scenario's page as served is saved
# there, and CI hands the folder to the W3C Nu HTML validator.
HTML_CAPTURE_DIR = os.environ.get("HTML_CAPTURE_DIR", "")
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


def page_width(page):
    """How wide the page's content is, in CSS pixels (wider than the window: it scrolls)."""
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_scenario_module_registers_scenarios():
    """A module listed but emptied (or whose scenarios moved elsewhere) is noticed."""
    registered = {case.visit.__module__ for case in SCENARIOS.values()}
    assert registered == {module.__name__ for module in SCENARIO_MODULES}


def run_axe(page):
    """axe-core's findings on the page as it is now.

    axe is put into the document once: the phone's check of the same document
    (the window narrowed) runs the axe already there instead of parsing its half
    megabyte of script again. A page that navigated since has a new document,
    without it, and gets it afresh.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(Axe().axe_script)
    return AxeResults(page.evaluate("options => axe.run(options)", AXE_OPTIONS))


def check_page(page, browser_errors, case, statuses, viewport):
    """The page is in the scenario's state, fits the width, and axe finds no violation."""
    expect(page.get_by_role("heading", level=1)).to_have_text(case.heading)
    assert statuses[-1] == case.status
    if case.status != 200:
        browser_errors.allow_error_status(page.url, case.status)
    if case.request_status:
        browser_errors.allow_error_status(page.url, case.request_status)
    if viewport == "phone" and not case.wide_on_phone:
        assert page_width(page) <= VIEWPORTS["phone"]["width"], "The page scrolls sideways"
    results = run_axe(page)
    assert results.violations_count == 0, f"At a {viewport}'s width:\n" + results.generate_report()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_page_has_no_axe_violations(open_page, browser_errors, name):
    """axe-core finds no WCAG 2.0, 2.1 or 2.2 A/AA violation on the page in this state, at
    a desktop's width and, for the main pages, at a phone's.

    The phone's check is the same page in the same state with the window narrowed:
    the layout is CSS, whose media queries apply as the window changes, so the page
    need not be built again. (The one script that reads the width as the page loads,
    the library's filter folding, has its own browser test in test_layout.py.)
    """
    case = SCENARIOS[name]
    page = open_page(viewport=VIEWPORTS["desktop"])
    statuses = []
    documents = []

    def record_document_status(response):
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            statuses.append(response.status)
            documents.append(response)

    page.on("response", record_document_status)

    case.visit(page)

    check_page(page, browser_errors, case, statuses, "desktop")
    if HTML_CAPTURE_DIR:
        # The page as the server sent it (the validator reads markup, not the live DOM).
        name_on_disk = slugify(name) or "page"
        (Path(HTML_CAPTURE_DIR) / f"{name_on_disk}.html").write_text(documents[-1].text())
    if case.on_phone:
        page.set_viewport_size(VIEWPORTS["phone"])
        check_page(page, browser_errors, case, statuses, "phone")
