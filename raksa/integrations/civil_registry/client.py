"""The civil registry's reference photo over HTTPS (HTTP to the stand-in), standard library only.

Protocol (Raksa's assumption; docs/architecture.md, "Civil registry"):

    POST {RAKSA_CIVIL_REGISTRY_URL}/v1/photo
    Authorization: Bearer {RAKSA_CIVIL_REGISTRY_TOKEN}
    Content-Type: application/json
    {"pid": "<13-digit national ID>"}

    200 {"pid": "...", "content_type": "image/jpeg", "photo": "<base64 of the JPEG>"}
    404 no photo for this person; 401/403 the token; other 4xx the request; 5xx the registry

One try per call, ``RAKSA_CIVIL_REGISTRY_TIMEOUT`` seconds to connect and again to read: staff wait at the
counter, and the caller offers the try again. Nothing is logged with the national ID or the photo.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from .errors import CivilRegistryError, PersonUnknown, RegistryRefused, RegistryUnavailable

log = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 8 * 1024 * 1024  # a portrait is tens to hundreds of KB; base64 adds a third
PHOTO_TYPES = ("image/jpeg", "image/png")


def photo_fetch(national_id: str, *, base_url: str | None = None, token: str | None = None,
                timeout: float | None = None) -> bytes:
    """The registry's photo of ``national_id`` (13 digits) as image bytes (JPEG, or PNG if the registry says so).
    Raises PersonUnknown, RegistryUnavailable or RegistryRefused (all CivilRegistryError)."""
    base_url = (settings.RAKSA_CIVIL_REGISTRY_URL if base_url is None else base_url).rstrip("/")
    token = settings.RAKSA_CIVIL_REGISTRY_TOKEN if token is None else token
    timeout = settings.RAKSA_CIVIL_REGISTRY_TIMEOUT if timeout is None else timeout
    if not base_url:
        raise RegistryRefused("RAKSA_CIVIL_REGISTRY_URL is not set")
    request = urllib.request.Request(
        f"{base_url}/v1/photo", data=json.dumps({"pid": national_id}).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status, body = answer.status, answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        status = error.code
        detail = _error_detail(error)
        error.close()
        log.warning("civil registry answered %s", status)
        if status == 404:
            raise PersonUnknown(detail, status=status) from None
        if status >= 500:
            raise RegistryUnavailable(detail, status=status) from None
        raise RegistryRefused(detail, status=status) from None
    except (OSError, http.client.HTTPException) as error:  # URLError, timeouts, refused, reset, TLS; a broken answer
        reason = getattr(error, "reason", error)
        log.warning("civil registry unreachable: %s", type(reason).__name__)
        raise RegistryUnavailable(str(reason)) from None
    if status != 200:
        raise RegistryRefused(f"unexpected status {status}", status=status)
    return _photo(body)


def _error_detail(error: urllib.error.HTTPError) -> str:
    try:
        payload = json.loads(error.read(4096))
        return str(payload.get("code") or payload.get("message") or "")
    except (ValueError, AttributeError, OSError):
        return ""


def _photo(body: bytes) -> bytes:
    if len(body) > MAX_ANSWER_BYTES:
        raise RegistryRefused(f"the answer is over {MAX_ANSWER_BYTES} bytes", status=200)
    try:
        payload = json.loads(body)
        content_type = payload.get("content_type", "image/jpeg")
        photo = base64.b64decode(payload["photo"], validate=True)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        raise RegistryRefused("the answer is not {\"photo\": <base64>}", status=200) from None
    if content_type not in PHOTO_TYPES or not photo:
        raise RegistryRefused(f"the answer's photo is {content_type!r}, {len(photo)} bytes", status=200)
    return photo


__all__ = ["photo_fetch", "CivilRegistryError", "PersonUnknown", "RegistryRefused", "RegistryUnavailable"]
