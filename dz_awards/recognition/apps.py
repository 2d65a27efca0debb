from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "dz_awards.recognition"
    verbose_name = "Recognition"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: receivers import models and services, which need loaded apps.
        from dz_awards.recognition import receivers  # noqa: PLC0415

        receivers.connect()
