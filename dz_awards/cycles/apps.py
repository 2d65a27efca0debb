from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "dz_awards.cycles"
    label = "cycles"
    verbose_name = "Award cycles"
