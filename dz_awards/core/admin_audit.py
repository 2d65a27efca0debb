"""Every add, change and delete made in the admin is an audit event too.

The admin keeps its own log (`LogEntry`), which anyone with database access
can edit unseen. The admin site here mirrors each of those entries into the
hash-chained audit trail: every model admin registered on it, the project's
own and those of installed packages alike, gets `AuditedModelAdminMixin`,
which records through `audit_record` beside the admin's own log. Hooking the
admin's log methods rather than `LogEntry`'s save also catches the bulk
"delete selected" action, whose entries Django writes with `bulk_create`
(no signals).
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import router, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from dz_awards.core.models import AuditEvent
from dz_awards.core.services import audit_record

# The audit actions of admin changes, one per kind of admin log entry.
ADMIN_ADDED = "admin_added"
ADMIN_CHANGED = "admin_changed"
ADMIN_DELETED = "admin_deleted"


def _record(request: HttpRequest, obj: Model, action: str, entry: LogEntry | None) -> None:
    # In the admin's own transaction when there is one (add, change, delete
    # pages); the changelist's delete action has none, so this makes one.
    with transaction.atomic(using=router.db_for_write(AuditEvent)):
        audit_record(
            actor=request.user,
            obj=obj,
            action=action,
            message=entry.get_change_message() if entry is not None else "Deleted.",
        )


class AuditedModelAdminMixin:
    """Records an audit event, with the admin's own message, wherever the admin logs."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> LogEntry:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        _record(request, obj, ADMIN_ADDED, entry)
        return entry

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> LogEntry:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        _record(request, obj, ADMIN_CHANGED, entry)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        # Called before the objects are deleted, while their names can still be read.
        entries = super().log_deletions(request, queryset)  # type: ignore[misc]
        for obj in queryset:
            _record(request, obj, ADMIN_DELETED, None)
        return entries


class AuditedAdminSite(admin.AdminSite):
    """The admin site whose every model admin records its changes in the audit trail."""

    def register(
        self,
        model_or_iterable: Any,
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AuditedModelAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
