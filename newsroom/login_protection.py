"""The client address django-axes counts failed logins against."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: list[str]) -> list[Network]:
    """NEWSROOM_TRUSTED_PROXIES as networks; a bare address is a network of one. ValueError names a bad entry."""
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def client_ip(request: HttpRequest) -> str:
    """The nearest address in the chain that none of our own proxies is: the one who sent the request.

    Walk from REMOTE_ADDR back along X-Forwarded-For, where each trusted proxy
    appended the address it was talking to. The first address that is not a
    trusted proxy is the client's; entries left of it are the client's own
    words. Counting hops instead would believe a forged header whenever gunicorn
    can be reached directly (nginx's real_ip_recursive works the same way).
    """
    networks = trusted_networks(settings.NEWSROOM_TRUSTED_PROXIES)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    address = request.META.get("REMOTE_ADDR", "")
    while hops and is_trusted(address, networks):
        try:
            address = str(ipaddress.ip_address(hops.pop()))
        except ValueError:
            break  # trusted proxies write real addresses: the client wrote this one
    return address


def is_trusted(address: str, networks: list[Network]) -> bool:
    try:
        return any(ipaddress.ip_address(address) in network for network in networks)
    except ValueError:
        return False
