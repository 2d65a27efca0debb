"""A real S3-compatible server for the storage tests, one for the session.

moto's standalone server (`moto_server`, from the `moto[server]` dev
requirement) speaks the S3 API over HTTP on a free loopback port; it is
stopped at the end. Without it the S3 tests are skipped with the reason,
unless REQUIRE_SERVICES=1 (CI), where its absence is a failure.

`backend` (parametrize a test over `BACKENDS`) points the default storage at
the filesystem under the test's MEDIA_ROOT or at a folder of its own in the
bucket, through the same `default_storage_config` the settings use.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings as django_settings

from dz_awards.core.storage import default_storage_config

BACKENDS = ["filesystem", "s3"]
BUCKET = "dz-awards-test"
START_TIMEOUT = 15.0
# moto accepts any keys; they only have to be given (and never be real ones).
ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _moto_server():
    """The moto_server beside this Python (the virtualenv's), else one on PATH."""
    beside = Path(sys.executable).with_name("moto_server")
    return str(beside) if beside.exists() else shutil.which("moto_server")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ENVIRONMENT["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=ENVIRONMENT["AWS_SECRET_ACCESS_KEY"],
    )


def _answers(client):
    try:
        client.list_buckets()
    except (BotoCoreError, ClientError):
        return False
    return True


@pytest.fixture(scope="session")
def moto_endpoint():
    """http://127.0.0.1:<port> of a moto_server that lives as long as the session."""
    binary = _moto_server()
    if binary is None:
        reason = "moto_server is not installed (pip install -r requirements-dev.txt)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - a fixed binary and fixed arguments
        [binary, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = _client(endpoint)
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(client):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("moto_server did not start", pytrace=False)
            time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def s3_settings(moto_endpoint):
    """`STORAGES` whose default storage is a bucket on the moto server (made here),
    built from the environment variables as production builds it."""
    _client(moto_endpoint).create_bucket(Bucket=BUCKET)
    environment = {
        **ENVIRONMENT,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": moto_endpoint,
    }
    return {**django_settings.STORAGES, "default": default_storage_config(environment)}


@dataclass
class Backend:
    """Where this test's files go, and what is stored there."""

    name: str
    media_root: Path
    client: object = None
    prefix: str = ""

    def stored_names(self):
        """The names of every stored file, sorted."""
        if self.name == "filesystem":
            return self.media_files()
        listed = self.client.list_objects_v2(Bucket=BUCKET, Prefix=f"{self.prefix}/")
        return sorted(o["Key"].removeprefix(f"{self.prefix}/") for o in listed.get("Contents", []))

    def media_files(self):
        """Every file under MEDIA_ROOT, relative to it, sorted."""
        if not self.media_root.exists():
            return []
        root = self.media_root
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def backend(request, settings):
    """The default storage of this test: the test's parameter, "filesystem" or "s3"
    (a folder of the bucket of its own, so its objects can be listed alone).

    Setting STORAGES through pytest-django's `settings` sends `setting_changed`,
    on which Django forgets the storages it made (`default_storage` included)
    and makes them again from the new setting; the old one comes back after.
    """
    media_root = Path(settings.MEDIA_ROOT)
    if request.param == "filesystem":
        return Backend("filesystem", media_root)
    storages = request.getfixturevalue("s3_settings")
    prefix = f"test-{uuid.uuid4().hex}"
    default = storages["default"]
    options = {**default["OPTIONS"], "location": prefix}
    settings.STORAGES = {**storages, "default": {**default, "OPTIONS": options}}
    client = _client(options["endpoint_url"])
    return Backend("s3", media_root, client=client, prefix=prefix)
