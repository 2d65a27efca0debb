"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register  # noqa: A004 Django's name


@register(Tags.security, deploy=True)
def proxy_client_address(app_configs, **kwargs):
    """Behind a proxy with TRUSTED_PROXY_COUNT=0, every client looks like the proxy.

    Login throttling would then count one address for everyone, and anyone
    could lock any user out by failing to sign in as them.
    """
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    if behind_proxy and settings.TRUSTED_PROXY_COUNT <= 0:
        return [
            Warning(
                "PROXY_SSL_HEADER is on but TRUSTED_PROXY_COUNT is 0: every client has "
                "the proxy's address, so login throttling cannot tell people apart.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
                "X-Forwarded-For (usually 1).",
                id="dz_awards.W001",
            )
        ]
    return []
