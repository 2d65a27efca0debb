"""Where files are kept, and how a view sends a stored file.

Every file (uploads, clean copies, image sizes, PDF summaries, packets,
certificates and badges) goes through Django's default storage. With no
settings that is the filesystem under MEDIA_ROOT; with AWS_STORAGE_BUCKET_NAME
it is an S3-compatible store (django-storages), so that every app server and
worker sees the same files and no server needs a disk that outlives a deploy.
`default_storage_config` turns the environment into that choice.

Private files are sent by the app itself, after the permission check, never by
a link into the store: a signed URL is a bearer token for as long as it lives
(it can be forwarded, or kept in a proxy's log or a browser's history), the
store cannot add the headers that keep a hostile file from being run as a page
(`X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox`), and the
store need not be reachable from browsers at all. The cost is that the bytes
pass through the app; the files are small (an upload is at most tens of MB).

`stored_file_response` streams the file: on the S3 backend, `Storage.open`
downloads the whole object before the first byte can be read (into memory with
django-storages' defaults), so it reads the object's body from the store
chunk by chunk as the response is sent instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from django.http import FileResponse

if TYPE_CHECKING:
    from django.core.files.storage import Storage

# django-storages' S3Storage, writing only where no object is yet (core/s3.py).
S3_BACKEND = "dz_awards.core.s3.ExclusiveS3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
# Signed URLs (which the app does not hand out, see above) expire this soon.
SIGNED_URL_SECONDS = 300
# A file read whole through `Storage.open` (to process it) stays in memory up to
# this size and spills to a temporary file beyond it.
S3_MEMORY_BYTES = 8 * 1024 * 1024
# Bytes read from the store for each chunk sent.
CHUNK_BYTES = 64 * 1024


def default_storage_config(environ: Mapping[str, str]) -> dict[str, Any]:
    """The `STORAGES["default"]` entry for these environment variables.

    With AWS_STORAGE_BUCKET_NAME: the bucket on S3 or, with AWS_S3_ENDPOINT_URL,
    any S3-compatible server. Objects are written with no ACL, so they stay as
    private as the bucket (buckets are private by default, and buckets with ACLs
    disabled, the default on AWS, refuse most requests that carry one); an object is
    never overwritten, not even by a save racing another (a name taken gets a
    suffix, as on the filesystem: `s3.ExclusiveS3Storage`).
    Without the keys, boto3 finds credentials itself (an instance or task role).
    """
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": FILESYSTEM_BACKEND}
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": environ.get("AWS_S3_REGION_NAME", "").strip() or "us-east-1",
            "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": SIGNED_URL_SECONDS,
            "file_overwrite": False,
            "max_memory_size": S3_MEMORY_BYTES,
        },
    }


class StoredFileResponse(FileResponse):
    """A FileResponse that reads bigger chunks (a round trip to the store costs more
    than a read from disk)."""

    block_size = CHUNK_BYTES


class _ObjectBody:
    """The body of an S3 object as the file-like object FileResponse reads.

    Only `read` and `close`: FileResponse must not seek it to measure its size
    (the size comes from the store's answer instead).
    """

    def __init__(self, body: Any) -> None:
        self._body = body

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size < 0 else size)

    def close(self) -> None:
        self._body.close()


def open_stream(storage: Storage, name: str) -> tuple[IO[bytes] | _ObjectBody, int | None]:
    """The stored file `name` opened for reading from its start, and its size in bytes
    where the store said it (None: FileResponse measures the file itself).

    Raises FileNotFoundError when the file is gone, on any storage.
    """
    handle = storage.open(name, "rb")
    stored_object = getattr(handle, "obj", None)  # django-storages' S3File, looked up
    if stored_object is None:
        return handle, None
    from botocore.exceptions import ClientError  # noqa: PLC0415 only with S3 configured

    handle.close()
    try:
        answer = stored_object.get()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
            raise FileNotFoundError(name) from error
        raise
    return _ObjectBody(answer["Body"]), int(answer["ContentLength"])


def stored_file_response(
    storage: Storage,
    name: str,
    *,
    content_type: str,
    filename: str = "",
    as_attachment: bool = False,
) -> StoredFileResponse:
    """The stored file `name` streamed as a response, with its length, its type, the
    name offered (as an attachment when asked) and `nosniff`.

    Raises FileNotFoundError when the file is gone: the caller decides what that
    means (a 404, or "still being prepared").
    """
    handle, size = open_stream(storage, name)
    response = StoredFileResponse(
        handle, content_type=content_type, filename=filename, as_attachment=as_attachment
    )
    if size is not None:
        response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    return response
