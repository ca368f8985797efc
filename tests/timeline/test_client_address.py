"""Who the client is: X-Forwarded-For trusted exactly as far as DJANGO_NUM_PROXIES says, never further."""

import pytest
from django.test import RequestFactory

from timeline.client_address import client_address

PROXY = "10.0.0.5"  # the connecting address behind a proxy: the proxy itself


def address(forwarded: str | None, *, proxies: int, settings, remote: str = PROXY) -> str | None:
    settings.NUM_PROXIES = proxies
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


@pytest.mark.parametrize(
    ("forwarded", "proxies", "client"),
    [
        # No proxy trusted: the connecting address, whatever the header claims.
        (None, 0, PROXY),
        ("203.0.113.9", 0, PROXY),
        # One proxy: the entry it appended (the last); what the client wrote before it is ignored.
        ("203.0.113.9", 1, "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", 1, "203.0.113.9"),
        ("198.51.100.1,203.0.113.9", 1, "203.0.113.9"),
        # Two proxies: the second from the right; the last is the outer proxy's own address.
        ("198.51.100.1, 203.0.113.9, 10.0.0.4", 2, "203.0.113.9"),
        # Fewer entries than proxies: the leftmost, written by the outermost proxy passed.
        ("203.0.113.9", 2, "203.0.113.9"),
        # No header (a probe sent straight to the app): the connecting address.
        (None, 1, PROXY),
        ("", 1, PROXY),
        # Not an address (a misconfigured proxy): the connecting address, not a made-up client.
        ("198.51.100.1, unknown", 1, PROXY),
        # Addresses as proxies write them: with a port, IPv6 in brackets or not.
        ("203.0.113.9:51234", 1, "203.0.113.9"),
        ("[2001:db8::1]:443", 1, "2001:db8::1"),
        ("2001:DB8::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_trusted_proxies_wrote(forwarded, proxies, client, settings):
    assert address(forwarded, proxies=proxies, settings=settings) == client


def test_a_client_cannot_choose_its_identity_by_sending_the_header(settings):
    """Behind one proxy, every made-up first entry still yields the address the proxy saw."""
    seen = {address(f"203.0.113.{n}, 198.51.100.7", proxies=1, settings=settings) for n in range(20)}
    assert seen == {"198.51.100.7"}
