"""Which address a request came from, without trusting what the client says."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the client's address for throttling and audit.

    The socket peer (REMOTE_ADDR) is the truth unless TRUSTED_PROXY_COUNT says
    that N proxies of ours stand in front; then the address is the one the
    outermost of our proxies saw, counted from the right of X-Forwarded-For.
    Entries further left are written by the client and never used, so a forged
    header cannot change the answer.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def throttle_ip(request: HttpRequest) -> str:
    """The client's address as login throttling counts it.

    An IPv6 client usually holds a whole /64, so each address in it would get
    its own allowance of guesses; the network address of the /64 stands for
    all of them. IPv4 addresses, and anything unparsable, are used as they are.
    """
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return address
