from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: sits on top of every other app and is imported by none of them."""

    name = "dz_awards.demo"
    label = "demo"
    verbose_name = "Demo data"
