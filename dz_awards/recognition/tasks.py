"""Background tasks of recognition: thin wrappers around `dz_awards.recognition.processing`.

The services import this module to queue work after commit; the work itself
lives in `processing`, which imports no service.
"""

from django.tasks import task

from dz_awards.recognition import processing


@task(queue_name="uploads")
def render_certificate(certificate_pk: str) -> int | None:
    """Background: draw the certificate's PDF and badge for its current version; the version
    stored, or None when a newer version (or no certificate) made this render moot."""
    certificate = processing.certificate_render(certificate_pk)
    return None if certificate is None else certificate.version
