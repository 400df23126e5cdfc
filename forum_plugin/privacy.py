"""Keeping commenters' addresses private. Pure: imports no Flask."""

from __future__ import annotations

import hashlib
import hmac


def hash_ip(secret: str | bytes, ip: str | None) -> str | None:
    """A keyed hash of ``ip``: equal addresses match, but the address itself
    cannot be read back or found by hashing every IPv4 address."""
    if not ip:
        return None
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key + b"|forum-ip", ip.encode(), hashlib.sha256).hexdigest()
