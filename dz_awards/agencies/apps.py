from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "dz_awards.agencies"
    label = "agencies"
