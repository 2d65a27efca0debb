from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dz_awards.demo.content.world import DEMO_PASSWORD, DEMO_TWO_FACTOR
from dz_awards.demo.loaders.world import load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo world (idempotent) and print one demo login per role, with the "
        "authenticator secret and backup codes of the staff logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off. Demo accounts have a published password.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            msg = (
                "Refusing to create demo accounts with a published password while DEBUG is "
                "off. Pass --allow-production if this really is a demo site."
            )
            raise CommandError(msg)
        for role, email in load_demo_data():
            self.stdout.write(f"demo login: {role} {email} {DEMO_PASSWORD}")
            if email in DEMO_TWO_FACTOR:
                # Staff must give a second factor: what an authenticator app needs, and spares.
                secret, backup_codes = DEMO_TWO_FACTOR[email]
                self.stdout.write(f"    authenticator secret: {secret}")
                self.stdout.write(f"    backup codes (each works once): {' '.join(backup_codes)}")
