"""The LINE endpoints Raksa calls (messaging-api.yml): push, reply, profile, rich menu; and LINE Login's
JWKS and verify. Bodies, headers and errors as LINE answers them."""

from __future__ import annotations

import hmac
import json
import secrets
import sqlite3
import uuid
from urllib.parse import parse_qs

from line_standin.app import App
from line_standin.http import Handler, Request, Response, Router, json_response, line_error
from line_standin.store import now_ms
from line_standin.validate import USER_ID, messages_errors, object_body, raise_if, rich_menu_errors

MESSAGE_ID_BASE = 500_000_000_000_000_000  # LINE's message IDs are numeric strings
UNAUTHORIZED = ("Authentication failed due to the following reason: invalid token. "
                "Confirm that the access token in the authorization header is valid.")
RICH_MENU_IMAGE_TYPES = ("image/png", "image/jpeg")
RICH_MENU_IMAGE_MAX = 1024 * 1024


def routes(router: Router, app: App) -> None:
    api = MessagingApi(app)
    bot = api.authorized
    router.add("POST", "/v2/bot/message/push", bot(api.push))
    router.add("POST", "/v2/bot/message/reply", bot(api.reply))
    router.add("GET", "/v2/bot/profile/{user_id}", bot(api.profile))
    router.add("POST", "/v2/bot/richmenu", bot(api.rich_menu_create))
    router.add("GET", "/v2/bot/richmenu/list", bot(api.rich_menu_list))
    router.add("GET", "/v2/bot/richmenu/{rich_menu_id}", bot(api.rich_menu_get))
    router.add("DELETE", "/v2/bot/richmenu/{rich_menu_id}", bot(api.rich_menu_delete))
    router.add("POST", "/v2/bot/richmenu/{rich_menu_id}/content", bot(api.rich_menu_image_upload))
    router.add("GET", "/v2/bot/richmenu/{rich_menu_id}/content", bot(api.rich_menu_image_download))
    router.add("POST", "/v2/bot/user/all/richmenu/{rich_menu_id}", bot(api.rich_menu_default_set))
    router.add("GET", "/v2/bot/user/all/richmenu", bot(api.rich_menu_default_get))
    router.add("DELETE", "/v2/bot/user/all/richmenu", bot(api.rich_menu_default_cancel))
    router.add("GET", "/oauth2/v2.1/certs", api.certs)
    router.add("POST", "/oauth2/v2.1/verify", api.verify)


class MessagingApi:
    def __init__(self, app: App):
        self.app = app
        self.store = app.store

    def authorized(self, handler: Handler) -> Handler:
        """The handler behind LINE's Bearer check of the channel access token."""
        expected = f"Bearer {self.app.config.channel_access_token}".encode()

        def check(request: Request) -> Response:
            given = (request.header("Authorization") or "").encode()
            if not hmac.compare_digest(given, expected):
                return line_error(401, UNAUTHORIZED)
            return handler(request)

        return check

    # --- messages ---------------------------------------------------------------------------------

    def _deliver(self, db: sqlite3.Connection, *, user_id: str, via: str, messages: list[dict],
                 request: Request, retry_key: str | None) -> list[dict]:
        """Puts the messages in the user's chat; returns LINE's sentMessages."""
        self.store.user_ensure(db, user_id)
        sent = []
        for message in messages:
            row_id = self.store.chat_add(db, user_id=user_id, sender="bot", via=via, message=message,
                                         retry_key=retry_key, request_id=request.request_id)
            sent_message = {"id": str(MESSAGE_ID_BASE + row_id)}
            if message.get("type") in ("text", "textV2", "sticker", "image", "video"):
                sent_message["quoteToken"] = secrets.token_urlsafe(48)
            sent.append(sent_message)
        return sent

    def push(self, request: Request) -> Response:
        body = object_body(request.json())
        errors = []
        to = body.get("to")
        if not isinstance(to, str) or not to:
            errors.append({"message": "must be specified", "property": "to"})
        elif not USER_ID.match(to):
            errors.append({"message": "The property, 'to', in the request body is invalid", "property": "to"})
        errors += messages_errors(body.get("messages"))
        raise_if(errors)
        retry_key = request.header("X-Line-Retry-Key")
        if retry_key is not None:
            retry_key = retry_key.strip().lower()
            if not _is_uuid(retry_key):
                return line_error(400, "The value for the 'X-Line-Retry-Key' header is invalid")
        with self.store.write() as db:
            if retry_key is not None:
                accepted = db.execute("SELECT request_id, sent_messages FROM push_requests WHERE retry_key = ?",
                                      (retry_key,)).fetchone()
                if accepted:
                    return json_response(
                        409, {"message": "The retry key is already accepted",
                              "sentMessages": json.loads(accepted["sent_messages"])},
                        {"X-Line-Accepted-Request-Id": accepted["request_id"]})
            sent = self._deliver(db, user_id=to, via="push", messages=body["messages"], request=request,
                                 retry_key=retry_key)
            db.execute("INSERT INTO push_requests (request_id, retry_key, to_user, sent_messages, created_at) "
                       "VALUES (?, ?, ?, ?, ?)", (request.request_id, retry_key, to, json.dumps(sent), now_ms()))
        return json_response(200, {"sentMessages": sent})

    def reply(self, request: Request) -> Response:
        body = object_body(request.json())
        errors = []
        token = body.get("replyToken")
        if not isinstance(token, str) or not token:
            errors.append({"message": "must be specified", "property": "replyToken"})
        errors += messages_errors(body.get("messages"))
        raise_if(errors)
        with self.store.write() as db:
            row = db.execute("SELECT user_id, expires_at, used_at FROM reply_tokens WHERE token = ?",
                             (token,)).fetchone()
            if row is None or row["used_at"] is not None or row["expires_at"] < now_ms():
                return line_error(400, "Invalid reply token")
            db.execute("UPDATE reply_tokens SET used_at = ? WHERE token = ?", (now_ms(), token))
            sent = self._deliver(db, user_id=row["user_id"], via="reply", messages=body["messages"],
                                 request=request, retry_key=None)
        return json_response(200, {"sentMessages": sent})

    def profile(self, request: Request) -> Response:
        with self.store.read() as db:
            row = db.execute("SELECT * FROM users WHERE user_id = ?", (request.params["user_id"],)).fetchone()
        if row is None:
            return line_error(404, "Not found")
        return json_response(200, self.app.profile(row))

    # --- rich menus -------------------------------------------------------------------------------

    def rich_menu_create(self, request: Request) -> Response:
        menu = object_body(request.json())
        raise_if(rich_menu_errors(menu))
        rich_menu_id = "richmenu-" + secrets.token_hex(16)
        kept = {k: menu[k] for k in ("size", "selected", "name", "chatBarText", "areas")}
        with self.store.write() as db:
            db.execute("INSERT INTO rich_menus (rich_menu_id, body, created_at) VALUES (?, ?, ?)",
                       (rich_menu_id, json.dumps(kept, ensure_ascii=False), now_ms()))
        return json_response(200, {"richMenuId": rich_menu_id})

    def rich_menu_list(self, request: Request) -> Response:
        with self.store.read() as db:
            rows = db.execute("SELECT rich_menu_id, body FROM rich_menus ORDER BY created_at").fetchall()
        return json_response(200, {"richmenus": [_rich_menu(row) for row in rows]})

    def _rich_menu_row(self, db: sqlite3.Connection, rich_menu_id: str) -> sqlite3.Row | None:
        return db.execute("SELECT * FROM rich_menus WHERE rich_menu_id = ?", (rich_menu_id,)).fetchone()

    def rich_menu_get(self, request: Request) -> Response:
        with self.store.read() as db:
            row = self._rich_menu_row(db, request.params["rich_menu_id"])
        if row is None:
            return line_error(404, "Not found")
        return json_response(200, _rich_menu(row))

    def rich_menu_delete(self, request: Request) -> Response:
        rich_menu_id = request.params["rich_menu_id"]
        with self.store.write() as db:
            if db.execute("DELETE FROM rich_menus WHERE rich_menu_id = ?", (rich_menu_id,)).rowcount == 0:
                return line_error(404, "Not found")
            if self.store.meta_get(db, "default_rich_menu") == rich_menu_id:
                self.store.meta_set(db, "default_rich_menu", None)
        return json_response(200, {})

    def rich_menu_image_upload(self, request: Request) -> Response:
        content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in RICH_MENU_IMAGE_TYPES:
            return line_error(415, "Unsupported Media Type: the image must be image/png or image/jpeg")
        if not request.body:
            return line_error(400, "The request body is empty")
        if len(request.body) > RICH_MENU_IMAGE_MAX:
            return line_error(413, "Image is too large: at most 1 MB")
        with self.store.write() as db:
            row = self._rich_menu_row(db, request.params["rich_menu_id"])
            if row is None:
                return line_error(404, "Not found")
            if row["image"] is not None:
                return line_error(400, "An image has already been uploaded to the richmenu")
            db.execute("UPDATE rich_menus SET image = ?, image_type = ? WHERE rich_menu_id = ?",
                       (request.body, content_type, row["rich_menu_id"]))
        return json_response(200, {})

    def rich_menu_image_download(self, request: Request) -> Response:
        with self.store.read() as db:
            row = self._rich_menu_row(db, request.params["rich_menu_id"])
        if row is None or row["image"] is None:
            return line_error(404, "Not found")
        return Response(200, bytes(row["image"]), row["image_type"])

    def rich_menu_default_set(self, request: Request) -> Response:
        with self.store.write() as db:
            row = self._rich_menu_row(db, request.params["rich_menu_id"])
            if row is None:
                return line_error(404, "Not found")
            if row["image"] is None:
                return line_error(400, "must upload richmenu image before applying it to user")
            self.store.meta_set(db, "default_rich_menu", row["rich_menu_id"])
        return json_response(200, {})

    def rich_menu_default_get(self, request: Request) -> Response:
        with self.store.read() as db:
            rich_menu_id = self.store.meta_get(db, "default_rich_menu")
        if rich_menu_id is None:
            return line_error(404, "no default richmenu")
        return json_response(200, {"richMenuId": rich_menu_id})

    def rich_menu_default_cancel(self, request: Request) -> Response:
        with self.store.write() as db:
            self.store.meta_set(db, "default_rich_menu", None)
        return json_response(200, {})

    # --- LINE Login -------------------------------------------------------------------------------

    def certs(self, request: Request) -> Response:
        return json_response(200, self.app.tokens.jwks(), {"Cache-Control": "max-age=60"})

    def verify(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if not form.get("id_token") or not form.get("client_id"):
            return json_response(400, {"error": "invalid_request", "error_description": "id_token and client_id "
                                                                                        "are required"})
        try:
            claims = self.app.tokens.verify(id_token=form["id_token"], client_id=form["client_id"],
                                            nonce=form.get("nonce"))
        except ValueError as exc:
            return json_response(400, {"error": "invalid_request", "error_description": str(exc)})
        return json_response(200, claims)


def _rich_menu(row: sqlite3.Row) -> dict:
    return {"richMenuId": row["rich_menu_id"], **json.loads(row["body"])}


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False
