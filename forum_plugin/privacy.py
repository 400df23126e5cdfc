"""Keeping commenters' addresses private. Pure: imports no Flask."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

# One IPv6 subscriber is given a whole /64 (RFC 6177), and picks any address in it at will.
IPV6_CLIENT_PREFIX = 64


def keyed_digest(secret: str | bytes, purpose: str, message: str) -> str:
    """An HMAC of ``message`` under the site's secret, kept apart per ``purpose``."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key + b"|" + purpose.encode(), message.encode(), hashlib.sha256).hexdigest()


def address_group(ip: str | None) -> str | None:
    """The client an address stands for: an IPv4 address itself, an IPv6
    address's /64 (``2001:db8:1:2::/64``), and an IPv4-mapped IPv6 address
    (``::ffff:192.0.2.1``) its IPv4 address. What is not an address (a Unix
    socket's name) stands for itself."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
    return str(address)


def hash_ip(secret: str | bytes, ip: str | None) -> str | None:
    """A keyed hash of the client ``ip`` stands for (see :func:`address_group`):
    equal clients match, but the address itself cannot be read back or found
    by hashing every IPv4 address."""
    group = address_group(ip)
    if group is None:
        return None
    return keyed_digest(secret, "forum-ip", group)
