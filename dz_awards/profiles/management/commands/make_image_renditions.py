"""Make the sizes and formats that profile images stored earlier do not have yet.

New images get every size from the background task queued when they are
chosen; images stored before a size or the modern format existed keep what
they have (pages show it) until this command adds the rest. Safe to run again:
an image with every size is skipped, and the sizes it has keep their files and
URLs.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F

from dz_awards.profiles import services
from dz_awards.profiles.images import MediaError
from dz_awards.profiles.models import ProfileImage
from dz_awards.profiles.processing import missing_rendition_keys
from dz_awards.profiles.tasks import make_profile_image_renditions


class Command(BaseCommand):
    help = (
        "Make the missing sizes (JPEG and the modern format) of every profile image, "
        "published profiles first. Images that have them all are skipped, so it is "
        "safe to run again. With --enqueue the worker makes them instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one task per image for the worker (queue 'uploads') instead.",
        )

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        rows = list(
            ProfileImage.objects.select_related("profile")
            .only(
                "pk",
                "width",
                "renditions",
                "modern_renditions",
                "profile__slug",
                "profile__state",
            )
            .order_by(
                F("profile__published_at").desc(nulls_last=True), "profile_id", "position", "pk"
            )
        )
        missing = [(row, missing_rendition_keys(row)) for row in rows]
        todo = [(row, keys) for row, keys in missing if any(keys)]
        self.stdout.write(f"{len(rows)} image(s); {len(todo)} miss some sizes.")
        failed = 0
        for number, (row, (jpeg, modern)) in enumerate(todo, start=1):
            label = f"[{number}/{len(todo)}] /programs/{row.profile.slug}/ image {row.pk}"
            if enqueue:
                make_profile_image_renditions.enqueue(str(row.pk), only_missing=True)
                self.stdout.write(f"{label}: queued")
                continue
            try:
                services.profile_image_make_renditions(row.pk, only_missing=True)
            except (MediaError, OSError) as error:
                failed += 1
                self.stderr.write(f"{label}: not made: {error}")
                continue
            self.stdout.write(f"{label}: made {len(jpeg)} JPEG and {len(modern)} modern size(s)")
        if failed:
            msg = f"{failed} image(s) could not be read (listed above); the others are done."
            raise CommandError(msg)
        verb = "Queued" if enqueue else "Made the missing sizes of"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(todo)} image(s)."))
