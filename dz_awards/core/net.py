"""Which address a request came from, without trusting what the client says.

Every part of the site that counts or records a client address (login
throttling, rate limits, the audit trail) asks this module, so proxies are
handled in one place.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(text: str) -> Address | None:
    """The address written in `text`, or None if it is not one.

    An IPv4 client reaching a dual-stack socket shows as `::ffff:a.b.c.d`; it is
    the IPv4 address, so it is read as one (one client, one count).
    """
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error


def trusted_networks() -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks: the proxies of ours whose X-Forwarded-For we believe."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """Return the client's address for throttling, rate limits and audit.

    The socket peer (REMOTE_ADDR) is the truth unless it lies in one of the
    TRUSTED_PROXIES networks. Then X-Forwarded-For is walked from the right
    (each proxy appends the address it saw): addresses in trusted networks are
    our own proxies and are skipped; the first one that is not is the client.
    Entries left of it were written by the client and are never read, so a
    forged header cannot change the answer. A malformed entry stops the walk,
    and the answer is the last trusted hop reached: that proxy is the furthest
    point anyone we trust can vouch for.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    peer = parse_address(remote)
    if peer is None:
        return remote
    networks = trusted_networks()
    address = peer
    if not _trusted(address, networks):
        return str(address)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(forwarded):
        if not entry.strip():
            continue
        hop = parse_address(entry)
        if hop is None:
            break
        address = hop
        if not _trusted(address, networks):
            break
    return str(address)


def throttle_ip(request: HttpRequest) -> str:
    """The client's address as login throttling and rate limits count it.

    An IPv6 client usually holds a whole /64, so each address in it would get
    its own allowance of guesses; the network address of the /64 stands for
    all of them. IPv4 addresses, and anything unparsable, are used as they are.
    """
    address = client_ip(request)
    ip = parse_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return address
