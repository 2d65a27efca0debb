"""django-storages' S3 backend, writing an object only where none is yet.

Imported only when AWS_STORAGE_BUCKET_NAME is set (`storage.default_storage_config`
names it), so a site on the filesystem never loads boto3.
"""

from __future__ import annotations

import os
from typing import Any

from botocore.exceptions import ClientError
from storages.backends.s3 import S3Storage
from storages.utils import ReadBytesWrapper, clean_name, is_seekable

# Names tried, each a new random suffix, before a save gives up.
SAVE_ATTEMPTS = 10


class ExclusiveS3Storage(S3Storage):
    """S3Storage whose writes never replace an object.

    Django picks a free name by asking the store whether the name exists, then
    writes: two servers saving the same name at once could both find it free,
    and the second write would silently replace the first (two renders of the
    same image would then share, and one delete, the other's files). The
    filesystem storage avoids this by creating files exclusively; here each write
    is conditional (`If-None-Match: *`, which S3 and compatible stores honour),
    so a name taken meanwhile is refused by the store itself, and the save
    retries under another name, as the filesystem storage does.

    One request per file (PutObject, up to 5 GB), not a multipart upload: the
    largest files here (packet archives) are far below that.
    """

    def _save(self, name: str, content: Any) -> str:
        for _attempt in range(SAVE_ATTEMPTS):
            try:
                return self._put_new(name, content)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in {"PreconditionFailed", "412"}:
                    raise
            root, extension = os.path.splitext(name)
            name = self.get_alternative_name(root, extension)
        raise FileExistsError(f"No free name for {name} after {SAVE_ATTEMPTS} tries.")

    def _put_new(self, name: str, content: Any) -> str:
        cleaned = clean_name(name)
        key = self._normalize_name(cleaned)
        params = self._get_write_parameters(key, content)
        if is_seekable(content):
            content.seek(0, os.SEEK_SET)
        self.bucket.meta.client.put_object(
            Bucket=self.bucket_name,
            Key=key,
            Body=ReadBytesWrapper(content),
            IfNoneMatch="*",
            **params,
        )
        return cleaned
