"""Encryption and keyed hashing of personal identifiers (PDPA).

* ``encrypt``/``decrypt``: AES-256-GCM; the stored value is ``version(1) | nonce(12) | ciphertext+tag``,
  so keys can be rotated later by version.
* ``lookup_hash``: HMAC-SHA256 with a separate key: exact lookup through a unique index without
  storing the identifier in clear, and without a plain hash that a 13-digit space makes reversible.

Keys come from settings (base64 of 32 bytes). Development and tests derive them from SECRET_KEY;
production settings refuse to start without explicit keys.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_VERSION = 1


def _key(setting_name: str, label: bytes) -> bytes:
    configured = getattr(settings, setting_name, "")
    if configured:
        key = base64.b64decode(configured)
        if len(key) != 32:
            raise ImproperlyConfigured(f"{setting_name} must be base64 of 32 bytes")
        return key
    return hashlib.sha256(label + settings.SECRET_KEY.encode()).digest()


@functools.cache
def _aead() -> AESGCM:
    return AESGCM(_key("RAKSA_PII_ENCRYPTION_KEY", b"raksa-pii-encryption:"))


@functools.cache
def _hmac_key() -> bytes:
    return _key("RAKSA_PII_HMAC_KEY", b"raksa-pii-hmac:")


def reset_key_cache() -> None:
    _aead.cache_clear()
    _hmac_key.cache_clear()


def encrypt(plaintext: str, *, context: bytes = b"") -> bytes:
    return encrypt_bytes(plaintext.encode(), context=context)


def decrypt(token: bytes, *, context: bytes = b"") -> str:
    return decrypt_bytes(token, context=context).decode()


def encrypt_bytes(plaintext: bytes, *, context: bytes = b"") -> bytes:
    """As :func:`encrypt`, for binary values (a face encoding)."""
    nonce = os.urandom(12)
    return bytes([_VERSION]) + nonce + _aead().encrypt(nonce, plaintext, context)


def decrypt_bytes(token: bytes, *, context: bytes = b"") -> bytes:
    token = bytes(token)
    if token[0] != _VERSION:
        raise ValueError(f"unknown PII encryption version {token[0]}")
    return _aead().decrypt(token[1:13], token[13:], context)


def lookup_hash(value: str) -> bytes:
    return hmac.new(_hmac_key(), value.encode(), hashlib.sha256).digest()
