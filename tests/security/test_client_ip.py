"""`client_ip`: the socket peer, unless our own proxies are counted in TRUSTED_PROXY_COUNT.

Entries the client writes at the left of X-Forwarded-For are never used.
"""

import pytest
from django.test import RequestFactory

from dz_awards.core.net import client_ip, throttle_ip

PEER = "10.0.0.2"


def request_from(forwarded_for=None):
    extra = {"REMOTE_ADDR": PEER}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "forwarded_for",
    [None, "", "203.0.113.5", "192.0.2.1, 203.0.113.5", "192.0.2.1, 192.0.2.2, 203.0.113.5"],
)
def test_client_ip_no_trusted_proxy_is_socket_peer(settings, forwarded_for):
    """With no proxy of ours, X-Forwarded-For is ignored, whatever it says."""
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from(forwarded_for)) == PEER


def test_client_ip_one_proxy_is_rightmost_entry(settings):
    """Behind one proxy, the address is the one that proxy appended (the last entry)."""
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("203.0.113.5")) == "203.0.113.5"


def test_client_ip_one_proxy_ignores_forged_leftmost_entries(settings):
    """Entries the client sent before our proxy appended its own are not used."""
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("192.0.2.66, 192.0.2.77, 203.0.113.5")) == "203.0.113.5"


def test_client_ip_two_proxies_is_second_entry_from_right(settings):
    """Behind two proxies, the outer proxy's entry (second from the right) is the client."""
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from("203.0.113.5, 10.0.0.9")) == "203.0.113.5"


def test_client_ip_two_proxies_ignores_forged_leftmost_entries(settings):
    """With two proxies, anything left of the outer proxy's entry is the client's own writing."""
    settings.TRUSTED_PROXY_COUNT = 2

    forged = "192.0.2.66, 192.0.2.77, 203.0.113.5, 10.0.0.9"
    assert client_ip(request_from(forged)) == "203.0.113.5"


def test_client_ip_ignores_spaces_and_empty_entries(settings):
    """Spaces and empty entries (", ,") do not shift the count."""
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from(" 192.0.2.66 , , 203.0.113.5 ,")) == "203.0.113.5"


@pytest.mark.parametrize("forwarded_for", [None, "", "203.0.113.5"])
def test_client_ip_fewer_entries_than_proxies_is_socket_peer(settings, forwarded_for):
    """A header shorter than the proxy chain (a request that skipped a proxy) gives the peer."""
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from(forwarded_for)) == PEER


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("203.0.113.9", "203.0.113.9"),
        ("::ffff:203.0.113.9", "::ffff:203.0.113.9"),
    ],
)
def test_throttle_ip_counts_an_ipv6_slash_64_as_one_client(settings, remote, expected):
    """Every address of one IPv6 /64 shares one throttling allowance; IPv4 is unchanged."""
    settings.TRUSTED_PROXY_COUNT = 0
    assert throttle_ip(RequestFactory().get("/", REMOTE_ADDR=remote)) == expected
