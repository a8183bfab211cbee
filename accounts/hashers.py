"""Django password hashers: bcrypt_sha256 at BCRYPT_ROUNDS, and the raw bcrypt of old versions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import BCryptPasswordHasher, BCryptSHA256PasswordHasher


class BCryptSHA256Hasher(BCryptSHA256PasswordHasher):
    """Django's bcrypt_sha256 (SHA-256 first, so no 72-byte limit) with its cost read from the
    BCRYPT_ROUNDS setting. A stored hash of another cost fails ``must_update``, so the next
    successful login re-hashes it at the current cost."""

    @property
    def rounds(self) -> int:  # type: ignore[override]
        return settings.BCRYPT_ROUNDS


class LegacyBCryptHasher(BCryptPasswordHasher):
    """Django's plain bcrypt: verifies the unprefixed ``$2b$...`` hashes earlier versions stored
    (accounts.passwords reads them as ``bcrypt$<hash>``). Never preferred: a login with one
    re-hashes the password with bcrypt_sha256."""

    @property
    def rounds(self) -> int:  # type: ignore[override]
        return settings.BCRYPT_ROUNDS
