"""Masking of secrets in log records: sensitive keys in dicts and extras, tokens in messages."""

from __future__ import annotations

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
# Searched in the case-folded text, in a third of the time of a case-insensitive search; "author"
# rather than "authorization", since an IGNORECASE "i" also matches the Turkish dotted and
# dotless i, which case-fold to other text (test_json_logs checks every code point).
_MAYBE_SECRET = re.compile(r"bearer|pass|secret|token|author|eyj|\$2")

# key -> whether it names a secret. Keys are names from code (extras, dict keys): a few hundred
# at most, searched once each; a plain dict is read faster than an lru_cache is called.
_secret_names: dict[str, bool] = {}
_SECRET_NAMES_REMEMBERED = 1024


def is_secret_key(key: object) -> bool:
    if not isinstance(key, str):
        return False
    secret = _secret_names.get(key)
    if secret is None:
        secret = bool(_SECRET_KEY.search(key))
        if len(_secret_names) < _SECRET_NAMES_REMEMBERED:
            _secret_names[key] = secret
    return secret


def may_hold_secret(*texts: str) -> bool:
    """Whether any of ``texts`` holds a word or mark a mask needs (one search of them all: no
    pattern spans the newline that joins them). False: ``scrub`` would leave each as it is."""
    return _MAYBE_SECRET.search("\n".join(texts).casefold()) is not None


def scrub(text: str) -> str:
    """``text`` with bearer tokens, JWTs, bcrypt hashes and ``password=...`` values masked."""
    if not may_hold_secret(text):
        return text
    for pattern, replacement in _SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


_PLAIN = (int, float, bool, type(None))


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named keys masked and strings scrubbed, at any depth."""
    if isinstance(value, _PLAIN):  # numbers and None: nothing to mask, no copy to make
        return value
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: MASK if is_secret_key(k) else redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact(v) for v in value)
    if isinstance(value, bytes):
        return scrub(value.decode("utf-8", "replace"))
    return value


_EXTRA_KEYS = "_orgservice_extra_keys"  # set by RedactionFilter: which fields are extras
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "request_id",
    _EXTRA_KEYS,
}


def extra_keys(record: logging.LogRecord) -> list[str]:
    """The names of the fields a caller passed with ``extra=`` (found once per record)."""
    fields = record.__dict__
    keys = fields.get(_EXTRA_KEYS)
    if keys is None:
        keys = fields[_EXTRA_KEYS] = [k for k in fields if k not in _STANDARD]
    return keys


class RedactionFilter(logging.Filter):
    """Rewrite a record in place so that no handler can emit a secret it carries."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = redact(record.args)
        message = record.getMessage()
        record.args = ()
        fields = record.__dict__
        # The text fields are checked with the message in one search.
        texts = []
        for key in extra_keys(record):
            value = fields[key]
            if is_secret_key(key):
                fields[key] = MASK
            elif isinstance(value, str):
                texts.append(key)
            elif not isinstance(value, _PLAIN):  # a number or None is kept as it is
                fields[key] = redact(value)
        if may_hold_secret(message, *(fields[key] for key in texts)):
            message = scrub(message)
            for key in texts:
                fields[key] = scrub(fields[key])
        record.msg = message
        return True
