"""Real servers the tests talk to, one of each per test session: Redis and an S3 store.

Each is started on a free loopback port with nothing kept on disk and stopped
at the end. Without its program the tests that need it are skipped with the
reason, unless REQUIRE_SERVICES=1 (CI), where its absence is a failure. The
fixtures are made visible to every test by tests/conftest.py, so one server
of each kind serves the whole session (per xdist worker).

- `redis_url`: a `redis-server` (Debian package).
- `moto_endpoint`: moto's standalone server (`moto_server`, from the
  `moto[s3]` dev requirement), which speaks the S3 API over HTTP;
  `s3_settings` is `STORAGES` with the default storage in a bucket there,
  built by the same `default_storage_config` production uses.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings as django_settings

from dz_awards.core.storage import default_storage_config

START_TIMEOUT = 15.0
BUCKET = "dz-awards-test"
# moto accepts any keys; they only have to be given (and never be real ones).
S3_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(
    name: str,
    binary: str | None,
    install: str,
    command: Callable[[str], list[str]],
    answers: Callable[[], bool],
) -> Iterator[None]:
    """Run `command(binary)` until the block ends, once `answers()`; skip or fail without it."""
    if binary is None:
        reason = f"{name} is not installed ({install})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    server = subprocess.Popen(  # noqa: S603 - a fixed binary and fixed arguments
        command(binary), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not answers():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{name} did not start", pytrace=False)
            time.sleep(0.05)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- Redis -------------------------------------------------------------------------


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """redis://127.0.0.1:<port>/0 of a redis-server that lives as long as the session."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")

    def command(binary):
        return [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(workdir)]  # fmt: skip

    with running(
        "redis-server",
        shutil.which("redis-server"),
        "apt-get install redis-server",
        command,
        lambda: _redis_answers(port),
    ):
        yield f"redis://127.0.0.1:{port}/0"


# --- S3 ----------------------------------------------------------------------------


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    )


def _s3_answers(client) -> bool:
    try:
        client.list_buckets()
    except (BotoCoreError, ClientError):
        return False
    return True


def _moto_server() -> str | None:
    """The moto_server beside this Python (the virtualenv's), else one on PATH."""
    beside = Path(sys.executable).with_name("moto_server")
    return str(beside) if beside.exists() else shutil.which("moto_server")


@pytest.fixture(scope="session")
def moto_endpoint():
    """http://127.0.0.1:<port> of a moto_server that lives as long as the session."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    client = s3_client(endpoint)
    with running(
        "moto_server",
        _moto_server(),
        "pip install -r requirements-dev.txt",
        lambda binary: [binary, "-H", "127.0.0.1", "-p", str(port)],
        lambda: _s3_answers(client),
    ):
        yield endpoint


@pytest.fixture(scope="session")
def s3_settings(moto_endpoint):
    """`STORAGES` whose default storage is a bucket on the moto server (made here),
    built from the environment variables as production builds it."""
    s3_client(moto_endpoint).create_bucket(Bucket=BUCKET)
    environment = {
        **S3_KEYS,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": moto_endpoint,
    }
    return {**django_settings.STORAGES, "default": default_storage_config(environment)}
