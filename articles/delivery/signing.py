"""How a webhook delivery is signed, so its receiver can tell it came from us and was not replayed.

The signature is HMAC-SHA256, keyed with the webhook's secret, of the timestamp header's value,
a full stop, and the body's bytes: `X-Newsroom-Signature: sha256=<hex>`. Receivers check it
and that the timestamp is recent (docs/webhooks.md has the code).
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Newsroom-Signature"
TIMESTAMP_HEADER = "X-Newsroom-Timestamp"
EVENT_HEADER = "X-Newsroom-Event"
DELIVERY_HEADER = "X-Newsroom-Delivery"
# How old a timestamp verify() accepts, in seconds.
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, *, timestamp: str, signature_header: str, body: bytes, now: float | None = None) -> bool:
    """What a receiver does (and the tests check): the signature matches and the timestamp is recent."""
    if not timestamp.isdigit() or abs((now or time.time()) - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), signature_header)
