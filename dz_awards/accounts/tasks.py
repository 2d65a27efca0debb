"""Registration and reset requests are handled in the background.

The web request only queues one of these tasks, whatever the address, so a
known and an unknown address cost the request the same work and time; the
lookup, account creation and email happen here.
"""

from django.tasks import task

from dz_awards.accounts.services import account_register, account_request_password_reset


@task
def process_registration(email, full_name, job_title=""):
    account_register(email=email, full_name=full_name, job_title=job_title)


@task
def process_password_reset(email):
    account_request_password_reset(email=email)
