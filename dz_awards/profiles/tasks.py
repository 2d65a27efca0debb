from django.tasks import task

from dz_awards.profiles import services


@task(queue_name="uploads")
def render_profile_pdf(profile_pk):
    """Background: render the PDF summary of a published profile's current version."""
    stored = services.profile_render_pdf(profile_pk)
    return None if stored is None else stored.version
