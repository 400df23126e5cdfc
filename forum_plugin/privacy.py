"""Keeping commenters' addresses private. Pure: imports no Flask."""

from __future__ import annotations

import hashlib
import hmac


def keyed_digest(secret: str | bytes, purpose: str, message: str) -> str:
    """An HMAC of ``message`` under the site's secret, kept apart per ``purpose``."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key + b"|" + purpose.encode(), message.encode(), hashlib.sha256).hexdigest()


def hash_ip(secret: str | bytes, ip: str | None) -> str | None:
    """A keyed hash of ``ip``: equal addresses match, but the address itself
    cannot be read back or found by hashing every IPv4 address."""
    if not ip:
        return None
    return keyed_digest(secret, "forum-ip", ip)
