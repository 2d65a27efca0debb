"""A real `redis-server` for the tests of the Redis cache, one for the session.

Started on a free loopback port with nothing saved to disk, stopped at the
end. Without `redis-server` the tests are skipped with the reason, unless
REQUIRE_SERVICES=1 (CI), where its absence is a failure.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest

# The S3-compatible server of the storage tests, for /readyz and backups on S3: imported
# once here, so every module of tests/core shares one server per session.
from tests.storage.conftest import moto_endpoint, s3_settings  # noqa: F401 - fixtures

START_TIMEOUT = 10.0


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """redis://127.0.0.1:<port>/0 of a redis-server that lives as long as the session."""
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(workdir)]
    server = subprocess.Popen(  # noqa: S603 - a fixed binary and fixed arguments
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start", pytrace=False)
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
