"""Rate limits hold across server processes: two gunicorn servers share one count.

Each server is a separate process with production settings, pointed at the
test database, whose cache table holds the counts. Requests alternate between
them; a limit of N trips at the N+1st request in all, not at 2N.

PostgreSQL only (as the race tests in tests/races.py; CI runs the suite on both): the
servers must reach the very database the test uses, and the SQLite test
database lives in this process's memory. PostgreSQL is also what production
runs, so this is the set-up whose sharing matters.
"""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.races import WAIT_SECONDS
from tests.services import free_port

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the servers must reach the test database; SQLite's is in this process's memory",
    ),
    # Committed rows and counts: the servers read what this test wrote.
    pytest.mark.django_db(transaction=True),
]

LIMIT = 4
START_SECONDS = 60


def database_url():
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    # The server's socket folder, when the tests reach it that way (CI does).
    socket_folder = db.get("OPTIONS", {}).get("host")
    return f"{url}?host={socket_folder}" if socket_folder else url


def get(url):
    """(status, headers, body) of a GET; a 4xx is an answer here, not an error."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 our own loopback server
    try:
        with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_until_serving(process, url, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped: {log.read_text()}")
        try:
            # The front page costs no rate-limit count.
            with urllib.request.urlopen(url, timeout=WAIT_SECONDS):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server never answered: {log.read_text()}")


@pytest.fixture
def two_servers(tmp_path):
    """The base URLs of two gunicorn servers, one process each, on the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dz_awards.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        # No connection kept open between requests: the test database is emptied after.
        "CONN_MAX_AGE": "0",
        "RATE_LIMIT_OPEN_DATA": f"{LIMIT}/h",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    servers = []
    try:
        for n in range(2):
            port = free_port()
            log = tmp_path / f"server{n}.log"
            with log.open("w") as output:
                process = subprocess.Popen(  # noqa: S603 our own server, fixed arguments
                    [
                        str(gunicorn),
                        "dz_awards.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        # Its default path is one per user: two servers would share it.
                        "--no-control-socket",
                    ],
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            servers.append((process, f"http://127.0.0.1:{port}", log))
        for process, base, log in servers:
            wait_until_serving(process, f"{base}/", log)
        yield [base for _process, base, _log in servers]
    finally:
        for process, _base, _log in servers:
            process.terminate()
        for process, _base, _log in servers:
            process.wait(timeout=WAIT_SECONDS)


def test_limit_is_shared_by_two_server_processes(two_servers):
    """Alternating between the servers, the limit trips after LIMIT requests in all."""
    path = reverse("profiles:api-list")
    answers = [get(f"{two_servers[n % 2]}{path}") for n in range(LIMIT + 2)]

    assert [status for status, _headers, _body in answers] == [200] * LIMIT + [429, 429]
    # Each server answered 200 twice and then 429: neither was counting alone.
    for _status, headers, body in answers[LIMIT:]:
        assert int(headers["Retry-After"]) >= 1
        assert json.loads(body)["status"] == "limited"
