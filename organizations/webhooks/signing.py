"""Standard Webhooks signatures: secrets (``whsec_`` + base64 key) and the ``webhook-*`` headers.

The signature is ``v1,`` + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")); during a
rotation's overlap the header carries one signature per secret, space-separated, newest first.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
KEY_BYTES = 24


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets_: list[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers for a message signed with each of ``secrets_``."""
    signed = " ".join(signature(s, msg_id, timestamp, body) for s in secrets_)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signed,
    }
