from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "dz_awards.profiles"
    verbose_name = "Model program profiles"
    default_auto_field = "django.db.models.BigAutoField"
