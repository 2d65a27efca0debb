from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import AuditEvent, OutboxEmail


def audit_events_for(*objects: Model) -> QuerySet[AuditEvent]:
    """The audit trail of one or more objects, newest first."""
    condition = Q(pk__in=[])
    for obj in objects:
        condition |= Q(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return AuditEvent.objects.filter(condition).select_related("actor")


def outbox_failed_count() -> int:
    return OutboxEmail.objects.filter(status=OutboxStatus.FAILED).count()
