"""`client_ip`: the socket peer, unless it is one of our proxies (TRUSTED_PROXIES).

Behind our proxies, X-Forwarded-For is walked from the right past every trusted
address; the first other address is the client. Entries the client writes at
the left are never reached, and a malformed entry stops the walk.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from dz_awards.core.checks import client_address_settings
from dz_awards.core.net import client_ip, throttle_ip

PEER = "10.0.0.2"
PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]


def request_from(forwarded_for=None, remote=PEER):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "forwarded_for",
    [None, "", "203.0.113.5", "192.0.2.1, 203.0.113.5", "192.0.2.1, 192.0.2.2, 203.0.113.5"],
)
def test_client_ip_no_trusted_proxy_is_socket_peer(settings, forwarded_for):
    """With no proxy of ours, X-Forwarded-For is ignored, whatever it says."""
    settings.TRUSTED_PROXIES = []

    assert client_ip(request_from(forwarded_for)) == PEER


@pytest.mark.parametrize("forwarded_for", [None, "203.0.113.5", "10.0.0.9, 203.0.113.5"])
def test_client_ip_peer_outside_trusted_networks_is_the_client(settings, forwarded_for):
    """A request that did not come through our proxy: the header is the client's own writing."""
    settings.TRUSTED_PROXIES = PROXIES

    assert client_ip(request_from(forwarded_for, remote="198.51.100.7")) == "198.51.100.7"


def test_client_ip_one_proxy_is_rightmost_entry(settings):
    """Behind one proxy, the address is the one that proxy appended (the last entry)."""
    settings.TRUSTED_PROXIES = PROXIES

    assert client_ip(request_from("203.0.113.5")) == "203.0.113.5"


def test_client_ip_one_proxy_ignores_forged_leftmost_entries(settings):
    """Entries the client sent before our proxy appended its own are not used."""
    settings.TRUSTED_PROXIES = PROXIES

    assert client_ip(request_from("192.0.2.66, 192.0.2.77, 203.0.113.5")) == "203.0.113.5"


def test_client_ip_walks_past_every_trusted_proxy(settings):
    """Two proxies of ours: the walk skips the inner proxy's entry and stops at the client."""
    settings.TRUSTED_PROXIES = PROXIES

    forged = "192.0.2.66, 192.0.2.77, 203.0.113.5, 10.0.0.9"
    assert client_ip(request_from(forged)) == "203.0.113.5"


def test_client_ip_forged_trusted_looking_entry_left_of_the_client_is_not_reached(settings):
    """A client writing one of our proxies' addresses gains nothing: the walk stopped before."""
    settings.TRUSTED_PROXIES = PROXIES

    assert client_ip(request_from("10.0.0.5, 203.0.113.5")) == "203.0.113.5"


def test_client_ip_ipv6_proxies_and_clients(settings):
    """IPv6 proxies and clients are walked the same way; the address is written canonically."""
    settings.TRUSTED_PROXIES = PROXIES
    request = request_from("2001:DB8:1:2:0:0:0:7, 2001:db8:ffff:1::1", remote="2001:db8:ffff::2")

    assert client_ip(request) == "2001:db8:1:2::7"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.5, not-an-address, 10.0.0.9", "10.0.0.9"),
        ("203.0.113.5, 203.0.113.6:443", PEER),
        ("203.0.113.5, unknown", PEER),
    ],
)
def test_client_ip_malformed_entry_stops_at_the_last_trusted_hop(settings, forwarded_for, expected):
    """A malformed entry ends the walk: the answer is the last proxy of ours reached."""
    settings.TRUSTED_PROXIES = PROXIES

    assert client_ip(request_from(forwarded_for)) == expected


@pytest.mark.parametrize("forwarded_for", [None, "", " , ", "10.0.0.7, 10.0.0.9"])
def test_client_ip_only_trusted_hops_is_the_outermost_proxy(settings, forwarded_for):
    """A header with no client in it (a request that started inside): the last hop reached."""
    settings.TRUSTED_PROXIES = PROXIES
    expected = "10.0.0.7" if forwarded_for and "10.0.0.7" in forwarded_for else PEER

    assert client_ip(request_from(forwarded_for)) == expected


def test_client_ip_ignores_spaces_and_empty_entries(settings):
    """Spaces and empty entries (", ,") are skipped, not read as malformed."""
    settings.TRUSTED_PROXIES = PROXIES

    assert client_ip(request_from(" 192.0.2.66 , , 203.0.113.5 ,")) == "203.0.113.5"


@pytest.mark.parametrize("remote", ["", "unix:/run/gunicorn.sock"])
def test_client_ip_unparsable_peer_is_returned_as_is(settings, remote):
    """A peer that is not an address (a Unix socket) is never a trusted proxy."""
    settings.TRUSTED_PROXIES = ["0.0.0.0/0"]

    assert client_ip(request_from("203.0.113.5", remote=remote)) == remote


def test_client_ip_ipv4_mapped_peer_is_the_ipv4_address(settings):
    """An IPv4 client on a dual-stack socket is the IPv4 client, trusted or not alike."""
    settings.TRUSTED_PROXIES = PROXIES

    assert client_ip(request_from(None, remote="::ffff:203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_from("203.0.113.5", remote="::ffff:10.0.0.2")) == "203.0.113.5"


def test_trusted_proxies_invalid_entry_is_a_configuration_error(settings, rf):
    """A typo in TRUSTED_PROXIES is refused loudly, and the system check names it."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "10.0.0.300/32"]

    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES: .*10\.0\.0\.300"):
        client_ip(request_from("203.0.113.5"))
    assert [error.id for error in client_address_settings(None)] == ["dz_awards.E001"]


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("203.0.113.9", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("unix:/run/gunicorn.sock", "unix:/run/gunicorn.sock"),
    ],
)
def test_throttle_ip_counts_an_ipv6_slash_64_as_one_client(settings, remote, expected):
    """Every address of one IPv6 /64 shares one throttling allowance; IPv4 is unchanged."""
    settings.TRUSTED_PROXIES = []
    assert throttle_ip(RequestFactory().get("/", REMOTE_ADDR=remote)) == expected
