"""Background tasks of profiles: thin wrappers around `dz_awards.profiles.processing`.

The services import this module to queue work after commit; the work itself
lives in `processing`, which imports no service.
"""

from django.tasks import task

from dz_awards.profiles import processing


@task(queue_name="uploads")
def render_profile_pdf(profile_pk):
    """Background: render the PDF summary of a published profile's current version."""
    stored = processing.profile_render_pdf(profile_pk)
    return None if stored is None else stored.version


@task(queue_name="uploads")
def make_profile_image_renditions(image_pk, only_missing=False):
    """Background: write a public image's sizes (160 to 1600 wide, never upscaled).

    Each as a JPEG and in the modern format; `only_missing` keeps the sizes
    already made (the command `make_image_renditions --enqueue` asks for that).
    """
    image = processing.profile_image_make_renditions(image_pk, only_missing=only_missing)
    return None if image is None else sorted(image.renditions, key=int)
