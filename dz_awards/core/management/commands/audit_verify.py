"""`manage.py audit_verify`: walk the audit trail's hash chain and say whether it holds."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dz_awards.core.audit_chain import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain: print how many events verify and the head "
        "hash, or the first event that does not match (and exit non-zero)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if report.broken is not None:
            broken = report.broken
            when = timezone.localtime(broken.created_at).isoformat(timespec="seconds")
            msg = (
                f"Audit event {broken.id} ({when}, {broken.action}) does not match: "
                f"{broken.reason}. {report.verified} events before it verify."
            )
            raise CommandError(msg)
        self.stdout.write(
            f"{report.verified} audit events verify. Head hash: {report.head or '(empty trail)'}"
        )
