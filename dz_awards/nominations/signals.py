"""Signals of the nomination lifecycle, and the receivers nominations keeps for itself.

Files leave storage with their rows, however the row goes (service, cascade, admin).
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from dz_awards.nominations.models import Evidence

# Sent by the decision release for each nomination that became a finalist or a
# winner, inside the release's transaction and after the nomination was saved in
# its new state. Arguments: `actor` (who released), `nomination`, `outcome` (the
# released outcome's value). A receiver that raises makes the whole release fail:
# nothing is released. Apps above nominations answer it (profiles starts the draft
# public profile), so the app that decides needs no knowledge of what follows.
decision_released = Signal()


@receiver(post_delete, sender=Evidence, dispatch_uid="evidence_file_cleanup")
def _delete_evidence_file(sender, instance, using, **kwargs):
    # The upload and the clean copy (a PDF's second file) both go.
    for stored in (instance.file, instance.clean_file):
        name, storage = stored.name, stored.storage
        if name:
            # After commit: a rolled-back delete must keep its file.
            transaction.on_commit(lambda s=storage, n=name: s.delete(n), using=using)
