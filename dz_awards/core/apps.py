from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dz_awards.core"
    label = "core"
    verbose_name = "Audit trail and outbox"
