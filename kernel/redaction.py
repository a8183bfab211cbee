"""Masking of secrets in log records: sensitive keys in dicts and extras, tokens in messages."""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

MASK = "[REDACTED]"

_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?|secret|token|authorization|cookie|hash|api[_-]?key|credential|jwt",
    re.IGNORECASE,
)
_SECRET_TEXT = [
    # "Bearer <token>" in a header echoed into a message
    (re.compile(r"(Bearer\s+)[^\s\"',;]+", re.IGNORECASE), rf"\g<1>{MASK}"),
    # key=value or "key": "value" for a secret-sounding key
    (
        re.compile(
            r"((?:password|passwd|secret|token|authorization)[\"']?(?:\s*:\s*|=)[\"']?)"
            r"[^\s\"',;&}]+",
            re.IGNORECASE,
        ),
        rf"\g<1>{MASK}",
    ),
    # a JWT anywhere (three base64url parts, the first two JSON objects)
    (re.compile(r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), MASK),
    # a bcrypt hash anywhere
    (re.compile(r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}"), MASK),
]


# Every pattern above needs one of these words or marks: text without any is left as it is,
# after one search instead of four substitutions (the access line's fields, on every request).
_MAYBE_SECRET = re.compile(r"bearer|pass|secret|token|authorization|eyj|\$2", re.IGNORECASE)


def is_secret_key(key: object) -> bool:
    return isinstance(key, str) and _secret_name(key)


@functools.lru_cache(maxsize=1024)
def _secret_name(key: str) -> bool:
    # keys are names from code (extras, dict keys): a few hundred at most, searched once each
    return bool(_SECRET_KEY.search(key))


def scrub(text: str) -> str:
    """``text`` with bearer tokens, JWTs, bcrypt hashes and ``password=...`` values masked."""
    if not _MAYBE_SECRET.search(text):
        return text
    for pattern, replacement in _SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


_PLAIN = (int, float, bool, type(None))


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named keys masked and strings scrubbed, at any depth."""
    if isinstance(value, _PLAIN):  # numbers and None: nothing to mask, no copy to make
        return value
    if isinstance(value, dict):
        return {k: MASK if is_secret_key(k) else redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact(v) for v in value)
    if isinstance(value, (str, bytes)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        return scrub(text)
    return value


_EXTRA_KEYS = "_orgservice_extra_keys"  # set by RedactionFilter: which fields are extras
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "request_id",
    _EXTRA_KEYS,
}


def extras(record: logging.LogRecord) -> dict[str, Any]:
    """The fields a caller passed with ``extra=`` (found once per record, then remembered)."""
    fields = record.__dict__
    keys = fields.get(_EXTRA_KEYS)
    if keys is None:
        keys = fields[_EXTRA_KEYS] = [k for k in fields if k not in _STANDARD]
    return {k: fields[k] for k in keys}


class RedactionFilter(logging.Filter):
    """Rewrite a record in place so that no handler can emit a secret it carries."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = redact(record.args)
        record.msg = scrub(record.getMessage())
        record.args = ()
        fields = record.__dict__
        for key, value in extras(record).items():
            fields[key] = MASK if is_secret_key(key) else redact(value)
        return True
