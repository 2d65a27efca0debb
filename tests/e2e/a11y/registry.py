"""The registry the accessibility scenarios of every app feed, and its decorator.

A scenario brings one page into one state through the browser and checks that
the state is on screen; `tests/e2e/test_accessibility.py` then hands the page
to axe-core, at a desktop's width and, for scenarios marked `on_phone`, at a
phone's width too.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    visit: Callable
    heading: str
    # The HTTP status the page is served with. Chromium logs a 4xx/5xx document as
    # a console error, which is expected for these pages and nowhere else.
    status: int = 200
    on_phone: bool = False
    # The status the page's own script gets back from the page's URL (an upload it
    # sends there, refused): Chromium logs a 4xx answer as an error, expected here.
    request_status: int | None = None
    # At a phone's width the page itself may scroll sideways: a data table wider than
    # the screen and not yet held in a scrolling box (WCAG 1.4.10 allows it for data
    # tables). Every other page fits the screen; only its scrolling boxes scroll.
    wide_on_phone: bool = False


SCENARIOS: dict[str, Scenario] = {}


def scenario(
    name, heading, *, status=200, on_phone=False, request_status=None, wide_on_phone=False
):
    """Register the decorated function as the scenario `name`; names are unique."""

    def register(visit):
        assert name not in SCENARIOS, name
        SCENARIOS[name] = Scenario(visit, heading, status, on_phone, request_status, wide_on_phone)
        return visit

    return register
