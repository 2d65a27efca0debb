from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "dz_awards.accounts"
    label = "accounts"

    def ready(self):
        from dz_awards.accounts.idle import start_idle_clock  # noqa: PLC0415 needs the registry
        from dz_awards.accounts.roles import ensure_role_groups  # noqa: PLC0415 needs the registry

        # After the last app migrates, so every permission row exists.
        post_migrate.connect(ensure_role_groups, dispatch_uid="dz_awards.ensure_role_groups")
        # Signed-in sessions: the idle clock starts and the absolute end is set at sign-in.
        user_logged_in.connect(start_idle_clock, dispatch_uid="dz_awards.start_idle_clock")
