"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One browser for the folder, a fresh context (cookies, storage) per page. Every page
records console errors, uncaught script errors and Content Security Policy
violations; a test whose pages logged any fails at teardown, so a template
that slips in an inline script or style cannot pass here unnoticed.

Without Chromium the tests are skipped with the reason, unless REQUIRE_BROWSER=1
(CI sets it): then they fail, so a broken CI image cannot pass silently.
"""

import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from tests import factories

CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).parent
# Short waits: a page of this app renders in milliseconds; a missing element
# should fail in seconds, not after Playwright's default 30.
TIMEOUT_MS = 5_000
LOGIN_PATH = "/accounts/login/"
LOGIN_CODE_PATH = "/accounts/login/code/"


def _browser_required():
    return os.environ.get("REQUIRE_BROWSER") == "1"


def _missing_browser_reason():
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return ""


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`; skip them, with the reason, without Chromium."""
    reason = _missing_browser_reason()
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if reason and not _browser_required():
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the tests in this folder (one per xdist worker: a process each).

    Playwright's sync API runs an event loop in the test's thread, and Django
    refuses ORM calls from such a thread unless DJANGO_ALLOW_ASYNC_UNSAFE says it
    is intended. It is set here only, and only while the browser runs: set for
    the whole session it would leak into other tests' subprocesses, where
    `check --deploy` rightly warns about it.
    """
    reason = _missing_browser_reason()
    if reason:
        # Only reached with REQUIRE_BROWSER=1: otherwise collection marked the tests skipped.
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _fast_live_server_responses():
    """Send the live server's small writes at once (TCP_NODELAY).

    Django's test server writes a response's headers and body separately; with
    Nagle's algorithm the second write waits for the browser's delayed ACK, which
    added ~40 ms to every request, page and static file alike.
    """
    from django.test.testcases import QuietWSGIRequestHandler

    QuietWSGIRequestHandler.disable_nagle_algorithm = True
    yield
    del QuietWSGIRequestHandler.disable_nagle_algorithm


# The live server's threads and the test share the test database's one in-memory
# SQLite connection, which is not safe to use from two threads at once: requests
# that overlap (a page's images, each answered by a view) failed at random with
# "bad parameter or other API misuse". The server answers one request at a time;
# a test that reads the database while the browser may still be loading holds it too.
DATABASE_LOCK = threading.Lock()


@pytest.fixture(scope="session")
def _one_request_at_a_time():
    """The live server answers one request at a time, its whole body included."""
    from django.core.servers.basehttp import ThreadedWSGIServer

    get_app = ThreadedWSGIServer.get_app

    def locked_app(server):
        app = get_app(server)

        def answer(environ, start_response):
            with DATABASE_LOCK:
                result = app(environ, start_response)
                try:
                    return list(result)  # a streamed body may read the database too
                finally:
                    if hasattr(result, "close"):
                        result.close()

        return answer

    ThreadedWSGIServer.get_app = locked_app
    yield
    ThreadedWSGIServer.get_app = get_app


@pytest.fixture(scope="session")
def live_server(django_db_setup, _fast_live_server_responses, _one_request_at_a_time, live_server):
    """pytest-django's live server, started only once the test database exists.

    Otherwise the session-scoped server can start first, see the file database's
    name, and not hand the in-memory SQLite test connection to its threads: each
    request would open (and leak) a connection of its own.
    """
    return live_server


class BrowserErrors:
    """What the pages of one test logged as errors; the test fails at teardown if anything."""

    def __init__(self):
        self.errors = []
        self._allowed = []

    def allow_error_status(self, url, status):
        """Expect the console error Chromium logs when the document at `url` has an error status."""
        self._allowed.append(
            re.compile(
                rf"\(from {re.escape(url)}\): Failed to load resource: "
                rf"the server responded with a status of {status} "
            )
        )

    def on_console(self, message):
        if message.type == "error":
            page_url = message.page.url if message.page else ""
            source = message.location.get("url", "")
            self.errors.append(f"console error on {page_url} (from {source}): {message.text}")

    def on_page_error(self, error):
        self.errors.append(f"uncaught error: {error}")

    def unexpected(self):
        return [e for e in self.errors if not any(p.search(e) for p in self._allowed)]


@pytest.fixture
def browser_errors():
    return BrowserErrors()


@pytest.fixture
def open_page(browser, live_server, browser_errors):
    """Open a page in a new browser context: `open_page(java_script_enabled=False)`.

    Each call is a separate person (own cookies). Pages start on the live
    server, so `page.goto("/dashboard/")` works. Console errors, uncaught
    errors and CSP violations (which Chromium logs as console errors saying
    "Content Security Policy") fail the test at teardown.
    """
    contexts = []

    def open_(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        # Where `sign_in_with_session` sets the session cookie.
        context.live_server_url = live_server.url
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", browser_errors.on_console)
        page.on("pageerror", browser_errors.on_page_error)
        return page

    yield open_
    for context in contexts:
        context.close()
    if unexpected := browser_errors.unexpected():
        pytest.fail("The browser logged errors:\n" + "\n".join(unexpected), pytrace=False)


@pytest.fixture
def page(open_page):
    return open_page()


def sign_in(page, email, password=factories.PASSWORD):
    """Sign in through the real login form (django-axes refuses `client.login`).

    Someone with two-factor sign-in on (program staff always) is then asked for
    a code: this types the one their authenticator app shows now, computed from
    their device's key (`factories.totp_code`). Returns once the browser has
    left the sign-in pages, signed in.
    """
    page.goto(LOGIN_PATH)
    field(page, "Email address").fill(email)
    field(page, "Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Event-driven, unlike polling `expect`: returns as soon as the next page has loaded.
    page.wait_for_url(lambda url: urlsplit(url).path != LOGIN_PATH)
    if urlsplit(page.url).path == LOGIN_CODE_PATH:
        user = get_user_model().objects.get(email__iexact=email)
        with DATABASE_LOCK:
            code = factories.totp_code(user)
        field(page, "Code").fill(code)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: urlsplit(url).path != LOGIN_CODE_PATH)
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def sign_in_with_session(page, user):
    """Sign `user` in on `page`'s browser without the sign-in form; the page does not move.

    For tests about the pages behind the sign-in, not about signing in, which
    `sign_in` and the sign-in pages' own tests cover: Django's test client opens
    the session (`force_login`) and the browser is given its cookie. That spares
    each such test the login page, the form's round trip and the landing page.
    For people with a device (program staff), the session is also marked as
    having given the second factor (`_force_login_gives_second_factor` in
    tests/conftest.py).
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": page.context.live_server_url}]
    )


def field(page, label):
    """The form control labelled `label` (crispy forms adds "*" to required fields' labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def link_path(message, path_start):
    """The site path of the one link in `message` whose path starts with `path_start`.

    Links in emails are absolute (SITE_URL); the browser follows their path on
    the live server.
    """
    links = re.findall(rf"{re.escape(settings.SITE_URL)}({re.escape(path_start)}\S*)", message.body)
    assert len(links) == 1, message.body
    return links[0]
