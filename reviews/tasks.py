from django.tasks import task

from reviews import services


@task(queue_name="uploads")
def check_review_copy(copy_pk):
    """Background: look for the agency's identity in a review copy and its files."""
    findings = services.review_copy_check(copy_pk)
    return None if findings is None else len(findings)
