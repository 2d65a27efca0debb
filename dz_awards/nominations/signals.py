"""Files leave storage with their rows, however the row goes (service, cascade, admin)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from dz_awards.nominations.models import Evidence


@receiver(post_delete, sender=Evidence, dispatch_uid="evidence_file_cleanup")
def _delete_evidence_file(sender, instance, using, **kwargs):
    name, storage = instance.file.name, instance.file.storage
    if name:
        # After commit: a rolled-back delete must keep its file.
        transaction.on_commit(lambda: storage.delete(name), using=using)
