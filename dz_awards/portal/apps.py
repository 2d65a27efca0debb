from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The page shell: home page, after-sign-in routing, navigation and the staff home.

    It stands above every domain app (it shows their work side by side) and below
    the demo data.
    """

    name = "dz_awards.portal"
    label = "portal"
    verbose_name = "Home pages and navigation"
