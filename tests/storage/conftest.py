"""Where a storage test's files go: the filesystem or a bucket on the moto server.

`backend` (parametrize a test over `BACKENDS`) points the default storage at
the filesystem under the test's MEDIA_ROOT or at a folder of its own in the
bucket (`s3_settings`, tests/services.py), through the same
`default_storage_config` the settings use.
"""

import uuid
from dataclasses import dataclass

import pytest

from tests.nominations.view_helpers import stored_files
from tests.services import BUCKET, s3_client

BACKENDS = ["filesystem", "s3"]


@dataclass
class Backend:
    """Where this test's files go, and what is stored there."""

    name: str
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
        return stored_files()


@pytest.fixture
def backend(request, settings):
    """The default storage of this test: the test's parameter, "filesystem" or "s3"
    (a folder of the bucket of its own, so its objects can be listed alone).

    Setting STORAGES through pytest-django's `settings` sends `setting_changed`,
    on which Django forgets the storages it made (`default_storage` included)
    and makes them again from the new setting; the old one comes back after.
    """
    if request.param == "filesystem":
        return Backend("filesystem")
    storages = request.getfixturevalue("s3_settings")
    prefix = f"test-{uuid.uuid4().hex}"
    default = storages["default"]
    options = {**default["OPTIONS"], "location": prefix}
    settings.STORAGES = {**storages, "default": {**default, "OPTIONS": options}}
    client = s3_client(options["endpoint_url"])
    return Backend("s3", client=client, prefix=prefix)
