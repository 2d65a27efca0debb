from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "dz_awards.profiles"
    verbose_name = "Model program profiles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: receivers import models and services, which need loaded apps.
        from dz_awards.profiles import receivers  # noqa: PLC0415

        receivers.connect()
