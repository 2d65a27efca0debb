from django.apps import AppConfig


class MailingsConfig(AppConfig):
    name = "dz_awards.mailings"
    label = "mailings"
    verbose_name = "Emails to agencies"
