"""The Messaging API through line-bot-sdk v3: push, reply, profile, rich menu. Plain values in and out.

Messages and menus are LINE's own JSON shapes (camelCase dicts, as in messaging-api.yml); they are turned
into the SDK's models with ``from_dict``, so a shape LINE would refuse fails here, before any request.

Hosts come from settings: LINE_API_BASE_URL (api.line.me) and LINE_API_DATA_BASE_URL (api-data.line.me,
where rich menu images go). The SDK sends every call of an ApiClient whose Configuration has a ``host`` to
that host, ignoring the operation's own server, so each host gets its own ApiClient.

One try per call: the SDK's urllib3 retries are off and timeouts are short. Retrying is the caller's job
(raksa.messaging re-enqueues a push with the same X-Line-Retry-Key, so LINE delivers it once).
"""

import functools
import logging
import uuid

import urllib3
from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
)
from pydantic.v1 import ValidationError

from .errors import LineApiError

log = logging.getLogger(__name__)

TIMEOUT = (2.0, 5.0)  # (connect, read) seconds: a worker is not held by a slow LINE; the push is retried
UPLOAD_TIMEOUT = (2.0, 20.0)  # a rich menu image is up to 1 MB


@functools.lru_cache(maxsize=8)
def _api_client(host: str, access_token: str) -> ApiClient:
    """One ApiClient (one urllib3 connection pool, thread-safe) per host and token, for the process."""
    configuration = Configuration(host=host.rstrip("/"), access_token=access_token)
    configuration.retries = False  # one try: the caller retries (see the module docstring)
    return ApiClient(configuration)


def _messaging_api() -> MessagingApi:
    return MessagingApi(_api_client(settings.LINE_API_BASE_URL, settings.LINE_CHANNEL_ACCESS_TOKEN))


def _messaging_api_blob() -> MessagingApiBlob:
    return MessagingApiBlob(_api_client(settings.LINE_API_DATA_BASE_URL, settings.LINE_CHANNEL_ACCESS_TOKEN))


def _model(model_class, data: dict):
    """A LINE JSON shape as the SDK's model; a shape LINE would refuse is a non-retryable error."""
    try:
        return model_class.from_dict(data)
    except (ValueError, TypeError, KeyError, AttributeError) as error:  # pydantic's ValidationError is a ValueError
        raise LineApiError(f"not a valid {model_class.__name__}: {error}", status=None, retryable=False) from error


def _api_error(error: Exception) -> LineApiError:
    """What a failed call raises: network errors, timeouts, 5xx and 429 may succeed later; other 4xx won't,
    nor will anything else (a 2xx answer the SDK's models cannot read, a header that is not ASCII…)."""
    if isinstance(error, ApiException):
        status = error.status or None  # the SDK says 0 for a TLS failure
        detail = (error.body if isinstance(error.body, str) else "") or str(error.reason or "")
        retryable = status is None or status >= 500 or status in (408, 429)
        return LineApiError(detail[:500], status=status, retryable=retryable)
    retryable = isinstance(error, (urllib3.exceptions.HTTPError, OSError))
    return LineApiError(f"{type(error).__name__}: {error}"[:500], status=None, retryable=retryable)


# ApiException: LINE answered, not 2xx. urllib3's HTTPError, OSError: no answer. ValueError: anything else
# (pydantic's ValidationError, a ValueError, when the SDK's models refuse LINE's 2xx answer).
_CALL_ERRORS = (ApiException, urllib3.exceptions.HTTPError, OSError, ValueError)


def _sent_anyway(error: Exception) -> bool:
    """LINE answered 2xx to a message call, with a body the SDK's models refuse: LINE took the messages.
    (The SDK reads the body of 2xx answers only; the call's own arguments are models validated beforehand.)"""
    if isinstance(error, ValidationError):
        log.warning("LINE took the messages; its answer was not understood: %s", error)
        return True
    return False


def push_message(*, to: str, messages: list[dict], retry_key: str) -> None:
    """Push ``messages`` to the user ``to``. ``retry_key`` (a UUID) is sent as X-Line-Retry-Key: a retry of a
    push LINE already accepted answers 409, which counts as delivered."""
    request = _model(PushMessageRequest, {"to": to, "messages": messages})
    try:
        retry_key = str(uuid.UUID(str(retry_key)))  # LINE refuses anything but a UUID; a uuid.UUID is welcome
    except ValueError as error:
        raise LineApiError(f"retry key {retry_key!r} is not a UUID", status=None, retryable=False) from error
    try:
        _messaging_api().push_message(request, x_line_retry_key=retry_key, _request_timeout=TIMEOUT)
    except ApiException as error:
        if error.status == 409:
            accepted = (error.headers or {}).get("x-line-accepted-request-id")
            log.info("LINE push %s already accepted (request %s): delivered", retry_key, accepted)
            return
        raise _api_error(error) from error
    except _CALL_ERRORS as error:
        if not _sent_anyway(error):
            raise _api_error(error) from error


def reply_message(*, reply_token: str, messages: list[dict]) -> None:
    """Reply to a webhook event with its ``reply_token`` (usable once, for a short time)."""
    request = _model(ReplyMessageRequest, {"replyToken": reply_token, "messages": messages})
    try:
        _messaging_api().reply_message(request, _request_timeout=TIMEOUT)
    except _CALL_ERRORS as error:
        if not _sent_anyway(error):
            raise _api_error(error) from error


def profile_get(*, user_id: str) -> dict:
    """The user's LINE profile: {"user_id", "display_name", "picture_url" (None when the user has none)}."""
    try:
        profile = _messaging_api().get_profile(user_id, _request_timeout=TIMEOUT)
    except _CALL_ERRORS as error:
        raise _api_error(error) from error
    return {"user_id": profile.user_id, "display_name": profile.display_name, "picture_url": profile.picture_url}


def rich_menu_setup(*, menu: dict, image_png: bytes) -> str:
    """Create the rich menu ``menu``, upload its PNG image, make it every user's default, then delete the
    older menus with the same ``name`` (Raksa's earlier versions; other menus are left alone). Returns the
    new richMenuId. A failure before it is the default deletes the half-made menu and raises."""
    request = _model(RichMenuRequest, menu)
    api = _messaging_api()
    try:
        rich_menu_id = api.create_rich_menu(request, _request_timeout=TIMEOUT).rich_menu_id
    except _CALL_ERRORS as error:
        raise _api_error(error) from error
    try:
        _messaging_api_blob().set_rich_menu_image(
            rich_menu_id, image_png, _headers={"Content-Type": "image/png"}, _request_timeout=UPLOAD_TIMEOUT
        )  # without the header the SDK would try to send the bytes as JSON
        api.set_default_rich_menu(rich_menu_id, _request_timeout=TIMEOUT)
    except _CALL_ERRORS as error:
        try:
            api.delete_rich_menu(rich_menu_id, _request_timeout=TIMEOUT)
        except _CALL_ERRORS:
            log.warning("LINE rich menu %s half-made and not deleted", rich_menu_id)
        raise _api_error(error) from error
    try:
        for older in api.get_rich_menu_list(_request_timeout=TIMEOUT).richmenus:
            if older.name == request.name and older.rich_menu_id != rich_menu_id:
                api.delete_rich_menu(older.rich_menu_id, _request_timeout=TIMEOUT)
    except _CALL_ERRORS as error:
        raise _api_error(error) from error
    return rich_menu_id
