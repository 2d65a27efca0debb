"""Queue the clean copy and OCR of every ready PDF that has none (after an upgrade).

PDFs uploaded before clean copies existed are ready, but reviewers cannot get
them (there is no clean copy to serve) and the identity check holds them back.
This queues `reviews.tasks.prepare_review_file` for each, on the "uploads"
queue: it makes the clean copy, reads it by OCR and checks again the review
copy that shows the file. Run once after migrating; running it again queues
only what is still missing.
"""

from django.core.management.base import BaseCommand

from dz_awards.nominations.enums import EvidenceStatus
from dz_awards.nominations.models import Evidence
from reviews.tasks import prepare_review_file


class Command(BaseCommand):
    help = "Queue a clean copy and OCR for every ready PDF that has none."

    def handle(self, *args, **options):
        missing = list(
            Evidence.objects.filter(status=EvidenceStatus.READY, extension=".pdf", clean_file="")
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
        for pk in missing:
            prepare_review_file.enqueue(str(pk))
        self.stdout.write(f"Queued {len(missing)} PDF{'s' if len(missing) != 1 else ''}.")
