"""The email outbox: queued in the change's transaction, delivered once, retried on failure."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from dz_awards.core.processing import retry_delay
from dz_awards.core.services import outbox_enqueue
from dz_awards.core.tasks import deliver_outbox_email
from tests.factories import AgencyFactory, UserFactory

FAILING_MAILERS = {"default": {"BACKEND": "tests.core.test_outbox.FailingEmailBackend"}}


class FailingEmailBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("451 try again later")


def enqueue(key="test:1", subject="Riverton Police Department is verified", to=None):
    """Queue the 'agency verified' email (the caller provides the transaction)."""
    user = UserFactory(full_name="Alex Kim", email=to or "alex.kim@example.org")
    agency = AgencyFactory(name="Riverton Police Department")
    return outbox_enqueue(
        key=key,
        to=user.email,
        subject=subject,
        template="agencies/email/verified.txt",
        context={"user": user, "agency": agency, "url": "https://awards.example/a/"},
    )


def pending_row(**fields):
    return OutboxEmail.objects.create(
        key=fields.pop("key", "row:1"),
        to="alex.kim@example.org",
        subject="Hello",
        body="Body",
        **fields,
    )


@pytest.mark.django_db(transaction=True)
def test_outbox_enqueue_outside_transaction_raises(mailoutbox):
    """Queueing outside a transaction is a programming error, and nothing is queued."""
    with pytest.raises(RuntimeError) as raised:
        enqueue()
    assert str(raised.value) == (
        "OutboxEmail must be written inside the transaction of the change it records."
    )
    assert OutboxEmail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_outbox_enqueue_renders_body_and_delivers_after_commit(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    """The body is rendered when queued; the email leaves only after commit, marked sent."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = enqueue()
    assert mailoutbox == []
    assert row.status == OutboxStatus.PENDING
    assert "Program staff have verified Riverton Police Department." in row.body

    for callback in callbacks:
        callback()
    [email] = mailoutbox
    assert (email.to, email.subject, email.from_email) == (
        ["alex.kim@example.org"],
        "Riverton Police Department is verified",
        settings.DEFAULT_FROM_EMAIL,
    )
    assert email.body == row.body
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 1, "")
    assert row.sent_at is not None


@pytest.mark.django_db
def test_outbox_enqueue_same_key_twice_one_row_one_email(
    django_capture_on_commit_callbacks, mailoutbox
):
    """The same key queued twice is one row and one email; the first content wins."""
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(key="same", subject="First", to="first@example.org")
        second = enqueue(key="same", subject="Second", to="second@example.org")
    assert first.pk == second.pk
    assert OutboxEmail.objects.count() == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [(["first@example.org"], "First")]


@pytest.mark.django_db
def test_outbox_enqueue_same_key_in_later_transaction_not_resent(
    django_capture_on_commit_callbacks, mailoutbox
):
    """A key already sent is not sent again when queued in a later transaction."""
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(key="same")
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(key="same", to="again@example.org")
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_deliver_outbox_email_called_twice_sends_once(mailoutbox):
    """Delivering the same row twice sends one email; the second call finds it sent."""
    row = pending_row()
    deliver_outbox_email.call(row.pk)
    deliver_outbox_email.call(row.pk)
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)


@pytest.mark.django_db
def test_deliver_outbox_email_missing_row_does_nothing(mailoutbox):
    """An id whose row is gone is skipped quietly."""
    assert deliver_outbox_email.call(987654) is None
    assert mailoutbox == []


@pytest.mark.django_db
def test_deliver_outbox_email_failed_row_not_retried(mailoutbox):
    """A row marked failed is left for staff: the task does not send it."""
    row = pending_row(status=OutboxStatus.FAILED, attempts=6)
    deliver_outbox_email.call(row.pk)
    assert mailoutbox == []
    row.refresh_from_db()
    assert row.attempts == 6


@pytest.mark.django_db(transaction=True)
def test_outbox_enqueue_rolled_back_leaves_no_row_and_no_email(mailoutbox):
    """If the change fails after queueing, the email is neither stored nor sent."""

    class ChangeFailedError(Exception):
        pass

    def change_that_fails():
        with transaction.atomic():
            enqueue()
            raise ChangeFailedError

    with pytest.raises(ChangeFailedError):
        change_that_fails()
    assert OutboxEmail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_deliver_outbox_email_smtp_failure_keeps_row_pending_then_fails(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    """A refused send is recorded and left pending; after the last attempt the row is failed."""
    settings.MAILERS = FAILING_MAILERS
    with django_capture_on_commit_callbacks(execute=True):
        row = enqueue()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (
        OutboxStatus.PENDING,
        1,
        "SMTPException: 451 try again later",
    )
    assert row.sent_at is None

    for _ in range(settings.OUTBOX_MAX_ATTEMPTS - 2):
        deliver_outbox_email.call(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, settings.OUTBOX_MAX_ATTEMPTS - 1)

    deliver_outbox_email.call(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, settings.OUTBOX_MAX_ATTEMPTS)

    deliver_outbox_email.call(row.pk)
    row.refresh_from_db()
    assert row.attempts == settings.OUTBOX_MAX_ATTEMPTS
    assert mailoutbox == []


@pytest.mark.django_db
def test_deliver_outbox_email_success_after_failure_clears_error(mailoutbox, settings):
    """Once the server accepts the email, the row is sent and the old error is cleared."""
    row = pending_row()
    settings.MAILERS = FAILING_MAILERS
    deliver_outbox_email.call(row.pk)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    deliver_outbox_email.call(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 2, "")
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (4, 8), (6, 32), (7, 60), (12, 60)]
)
def test_retry_delay_doubles_up_to_an_hour(attempts, minutes):
    """Back-off doubles from one minute and never exceeds an hour."""
    assert retry_delay(attempts) == timedelta(minutes=minutes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "subject",
    [
        "Riverton\nPolice Department is verified",
        "Riverton\r\nPolice   Department\tis verified\n",
        "  Riverton Police\rDepartment is verified",
    ],
)
def test_outbox_enqueue_subject_with_newlines_folded_to_one_line(
    subject, django_capture_on_commit_callbacks, mailoutbox
):
    """Line breaks and runs of spaces in a subject (user-typed names) become single spaces."""
    with django_capture_on_commit_callbacks(execute=True):
        row = enqueue(subject=subject)
    assert row.subject == "Riverton Police Department is verified"
    assert [m.subject for m in mailoutbox] == ["Riverton Police Department is verified"]


@pytest.mark.django_db
def test_outbox_enqueue_header_injection_in_subject_stays_in_subject(
    django_capture_on_commit_callbacks, mailoutbox
):
    """A name carrying "\\nBcc: ..." cannot add a header to the email."""
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(subject="Hi\nBcc: attacker@example.org")
    [email] = mailoutbox
    assert email.bcc == []
    message = email.message()
    assert message["Subject"] == "Hi Bcc: attacker@example.org"
    assert message["Bcc"] is None


def run_worker():
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0, stdout=StringIO()
    )


@pytest.mark.django_db(transaction=True)
def test_outbox_with_database_task_backend_sent_by_worker_once(
    settings, mailoutbox, restore_signal_handlers
):
    """With the real queue, nothing is sent until the worker runs; it sends exactly once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        row = enqueue()
    assert mailoutbox == []
    [task] = DBTaskResult.objects.all()
    assert (task.task_path, task.status) == (
        "dz_awards.core.tasks.deliver_outbox_email",
        TaskResultStatus.READY,
    )

    run_worker()
    assert [m.to for m in mailoutbox] == [["alex.kim@example.org"]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL

    run_worker()
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_outbox_with_database_task_backend_failure_deferred_retry(
    settings, mailoutbox, restore_signal_handlers
):
    """A refused send is retried through the queue, not before its back-off has passed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = FAILING_MAILERS
    with transaction.atomic():
        row = enqueue()
    before = timezone.now()
    run_worker()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after >= before + timedelta(minutes=1)
    assert mailoutbox == []


@pytest.mark.django_db
def test_outbox_retry_requeues_only_old_pending_rows(mailoutbox):
    """outbox_retry hands back pending rows older than the cutoff; recent, sent, failed stay."""
    old = timezone.now() - timedelta(minutes=30)
    stale = pending_row(key="stale")
    recent = pending_row(key="recent")
    sent = pending_row(key="sent", status=OutboxStatus.SENT, attempts=1)
    failed = pending_row(key="failed", status=OutboxStatus.FAILED, attempts=6)
    OutboxEmail.objects.filter(pk__in=[stale.pk, sent.pk, failed.pk]).update(created_at=old)

    out = StringIO()
    call_command("outbox_retry", stdout=out)

    assert out.getvalue() == "Re-queued 1 pending email(s).\n"
    assert len(mailoutbox) == 1
    statuses = dict(OutboxEmail.objects.values_list("key", "status"))
    assert statuses == {
        "stale": OutboxStatus.SENT,
        "recent": OutboxStatus.PENDING,
        "sent": OutboxStatus.SENT,
        "failed": OutboxStatus.FAILED,
    }
    recent.refresh_from_db()
    assert recent.attempts == 0


@pytest.mark.django_db
def test_outbox_retry_minutes_option_moves_cutoff(mailoutbox):
    """--minutes sets how old a pending row must be to be handed back."""
    row = pending_row()
    OutboxEmail.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    out = StringIO()
    call_command("outbox_retry", "--minutes", "5", stdout=out)
    assert out.getvalue() == "Re-queued 0 pending email(s).\n"
    call_command("outbox_retry", "--minutes", "2", stdout=out)
    assert out.getvalue().endswith("Re-queued 1 pending email(s).\n")
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_outbox_admin_never_shows_body_with_live_link(client, django_capture_on_commit_callbacks):
    """Staff see delivery status, never the body: a set-password link in it would give them
    the account."""
    from django.contrib.auth.models import Group

    from dz_awards.accounts.enums import PROGRAM_STAFF_GROUP
    from dz_awards.accounts.services import account_register
    from tests.factories import StaffFactory

    with django_capture_on_commit_callbacks(execute=True):
        account_register(email="chief@example.org", full_name="Chief Example")
    row = OutboxEmail.objects.get(to="chief@example.org")
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=PROGRAM_STAFF_GROUP))
    client.force_login(staff)
    html = client.get(f"/admin/core/outboxemail/{row.pk}/change/").content.decode()
    assert "Confirm your email" in html
    assert "/accounts/set-password/" in row.body
    assert "/accounts/set-password/" not in html
