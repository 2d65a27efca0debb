"""Registration and reset requests are handled in the background.

The web request only queues one of these tasks, whatever the address, so a
known and an unknown address cost the request the same work and time; the
lookup, account creation and email happen here.

The dotted paths of these tasks are stored with queued work: renaming or
moving one strands what is already queued under the old path.
"""

from django.tasks import task

from dz_awards.accounts.services import account_register, account_request_password_reset


@task
def process_registration(email: str, full_name: str, job_title: str = "") -> None:
    account_register(email=email, full_name=full_name, job_title=job_title)


@task
def process_password_reset(email: str) -> None:
    account_request_password_reset(email=email)
