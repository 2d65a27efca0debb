from django.apps import AppConfig


class NominationsConfig(AppConfig):
    """Nominations: the agency's form, its evidence, its revisions and staff screening."""

    name = "dz_awards.nominations"
    verbose_name = "Nominations"

    def ready(self):
        from dz_awards.nominations import signals  # noqa: F401, PLC0415 connects the file clean-up once apps load
