from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "dz_awards.recognition"
    verbose_name = "Recognition"
    default_auto_field = "django.db.models.BigAutoField"
