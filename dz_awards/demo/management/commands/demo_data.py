from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dz_awards.demo.content.world import DEMO_PASSWORD
from dz_awards.demo.loaders.world import load_demo_data


class Command(BaseCommand):
    help = "Load the demo world (idempotent) and print one demo login per role."

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
