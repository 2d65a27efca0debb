from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dz_awards.core"
    label = "core"
    verbose_name = "Audit trail and outbox"

    def ready(self):
        from dz_awards.core import checks  # noqa: F401, PLC0415 registers the deploy checks
