"""Background tasks of review: thin wrappers around `reviews.processing`.

Task paths are stored with queued tasks (`reviews.tasks.check_review_copy`):
renaming one needs a migration of waiting tasks (see 0003_task_paths_top_level).
"""

from django.tasks import task

from reviews import processing


@task(queue_name="uploads")
def check_review_copy(copy_pk: int) -> int | None:
    """Background: look for the agency's identity in a review copy and its files."""
    findings = processing.review_copy_check(copy_pk)
    return None if findings is None else len(findings)
