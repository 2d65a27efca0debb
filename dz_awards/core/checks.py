"""System checks of our own: settings that would fail at the first request, and deploy checks."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register  # noqa: A004 Django's name
from django.core.exceptions import ImproperlyConfigured

from dz_awards.core.limits import rate_problems
from dz_awards.core.net import trusted_networks


@register(Tags.security, deploy=True)
def proxy_client_address(app_configs, **kwargs):
    """Behind a proxy with no TRUSTED_PROXIES, every client looks like the proxy.

    Login throttling and rate limits would then count one address for everyone:
    anyone could lock any user out by failing to sign in as them, and one
    busy client would use up everyone's allowance.
    """
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    if behind_proxy and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "PROXY_SSL_HEADER is on but TRUSTED_PROXIES is empty: every client has "
                "the proxy's address, so login throttling and rate limits cannot tell "
                "people apart.",
                hint="Set TRUSTED_PROXIES to the networks of the proxies that append to "
                "X-Forwarded-For (for example 10.0.0.0/8).",
                id="dz_awards.W001",
            )
        ]
    return []


@register(Tags.security)
def client_address_settings(app_configs, **kwargs):
    """TRUSTED_PROXIES and RATE_LIMITS are read at each request: a typo is found at start-up."""
    errors = []
    try:
        trusted_networks()
    except ImproperlyConfigured as error:
        errors.append(
            Error(
                str(error),
                hint="List networks such as 10.0.0.0/8 or 2001:db8::/32, comma-separated.",
                id="dz_awards.E001",
            )
        )
    errors += [
        Error(
            f"RATE_LIMITS {problem}.",
            hint='Write each limit as "count/period", e.g. 5/h or 100/10m, or "off".',
            id="dz_awards.E002",
        )
        for problem in rate_problems(settings.RATE_LIMITS)
    ]
    return errors
