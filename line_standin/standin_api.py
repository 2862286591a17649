"""The stand-in's own endpoints (/_standin/…), the chat viewer and its static files.

A demo visitor (or a test) acts as a LINE user here: follow/unfollow, send a text, tap a postback button;
each becomes a webhook event signed and posted to Raksa as LINE would.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import unicodedata
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from line_standin.app import LOCAL_HOSTS, App
from line_standin.http import BadRequest, Handler, Request, Response, Router, json_response, line_error
from line_standin.store import now_ms
from line_standin.validate import USER_ID, object_body
from line_standin.webhook import EVENT_TYPES, build_event

STATIC = Path(__file__).parent / "static"
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}
CHAT_FIRST_ITEMS = 200
AVATAR_COLOURS = ("#06c755", "#3d8bfd", "#f59f00", "#e8590c", "#ae3ec9", "#0ca678", "#d6336c", "#1c7ed6")


def routes(router: Router, app: App) -> None:
    api = StandinApi(app)
    router.add("GET", "/", api.viewer)
    router.add("GET", "/liff-login", api.page("liff-login.html"))
    router.add("GET", "/static/{name}", api.static)
    router.add("GET", "/_standin/health", api.health)
    router.add("GET", "/_standin/config", api.viewer_config)
    router.add("GET", "/_standin/users", api.users)
    router.add("POST", "/_standin/users", api.user_add)
    router.add("GET", "/_standin/avatar/{name}", api.avatar)
    router.add("POST", "/_standin/id-token", api.id_token)
    router.add("POST", "/_standin/rotate-key", api.rotate_key)
    router.add("GET", "/_standin/messages", api.messages)
    router.add("GET", "/_standin/chat", api.chat)
    router.add("GET", "/_standin/stats", api.stats)
    router.add("POST", "/_standin/webhook", api.webhook)
    router.add("POST", "/_standin/redeliver", api.redeliver)
    router.add("GET", "/_standin/rich-menu", api.rich_menu)
    router.add("GET", "/_standin/rich-menu/{rich_menu_id}/image", api.rich_menu_image)


def _user_id(value: object, prop: str = "user_id") -> str:
    if not isinstance(value, str) or not USER_ID.match(value):
        raise BadRequest("The request body has 1 error(s)",
                         [{"message": "must be a LINE user ID (U and 32 hex digits)", "property": prop}])
    return value


class StandinApi:
    def __init__(self, app: App):
        self.app = app
        self.store = app.store

    # --- pages and files --------------------------------------------------------------------------

    def page(self, name: str) -> Handler:
        def handler(request: Request) -> Response:
            return Response(200, (STATIC / name).read_bytes(), CONTENT_TYPES[".html"],
                            {"Cache-Control": "no-cache"})
        return handler

    def viewer(self, request: Request) -> Response:
        """The chat viewer, on the host name of Raksa's URL: the phone frame's LIFF pages keep their session
        cookie (SameSite=Lax) only when the viewer and Raksa are the same site (localhost ≠ 127.0.0.1)."""
        raksa_host = urlsplit(self.app.config.raksa_url).hostname
        asked = urlsplit(f"http://{request.header('Host') or ''}")
        if asked.hostname in LOCAL_HOSTS and raksa_host in LOCAL_HOSTS and asked.hostname != raksa_host:
            host = f"[{raksa_host}]" if ":" in raksa_host else raksa_host
            port = f":{asked.port}" if asked.port else ""
            return Response(302, headers={"Location": f"http://{host}{port}/"})
        return self.page("viewer.html")(request)

    def static(self, request: Request) -> Response:
        name = request.params["name"]
        path = STATIC / name
        if "/" in name or name.startswith(".") or path.suffix not in CONTENT_TYPES or not path.is_file():
            return line_error(404, "Not found")
        return Response(200, path.read_bytes(), CONTENT_TYPES[path.suffix], {"Cache-Control": "no-cache"})

    def health(self, request: Request) -> Response:
        return json_response(200, {"ok": True})

    def viewer_config(self, request: Request) -> Response:
        config = self.app.config
        return json_response(200, {"raksaUrl": config.raksa_url, "liffUrl": config.liff_url,
                                   "webhookUrl": config.webhook_url, "standinUrl": config.public_url})

    # --- users ------------------------------------------------------------------------------------

    def _user_json(self, row: sqlite3.Row) -> dict:
        return {**self.app.profile(row), "following": bool(row["following"]),
                "hint": {"th": row["hint_th"], "en": row["hint_en"]}}

    def users(self, request: Request) -> Response:
        """The users, each with the bot's latest message to them (the viewer marks chats with news)."""
        with self.store.read() as db:
            rows = db.execute("SELECT * FROM users ORDER BY created_at, rowid").fetchall()
            latest = {row["user_id"]: row for row in db.execute(
                "SELECT chat.user_id, chat.id, chat.message FROM chat JOIN "
                "(SELECT user_id, max(id) AS id FROM chat WHERE sender = 'bot' GROUP BY user_id) AS last "
                "ON chat.id = last.id")}
        users = []
        for row in rows:
            user = self._user_json(row)
            last = latest.get(row["user_id"])
            if last is not None:
                message = json.loads(last["message"])
                user["lastBotMessage"] = {"id": last["id"], "preview": _preview(message)}
            users.append(user)
        return json_response(200, {"users": users})

    def user_add(self, request: Request) -> Response:
        body = object_body(request.json())
        name = body.get("display_name")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 20:
            raise BadRequest("The request body has 1 error(s)",
                             [{"message": "Length must be between 1 and 20", "property": "display_name"}])
        user_id = "U" + secrets.token_hex(16)
        with self.store.write() as db:
            db.execute("INSERT INTO users (user_id, display_name, created_at) VALUES (?, ?, ?)",
                       (user_id, name.strip(), now_ms()))
            row = db.execute("SELECT * FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return json_response(201, self._user_json(row))

    def avatar(self, request: Request) -> Response:
        user_id = request.params["name"].removesuffix(".svg")
        with self.store.read() as db:
            row = db.execute("SELECT display_name FROM users WHERE user_id = ?", (user_id,)).fetchone()
        if row is None:
            return line_error(404, "Not found")
        name = row["display_name"]
        initial = name[:1] + "".join(c for c in name[1:3] if unicodedata.category(c) == "Mn")
        colour = AVATAR_COLOURS[int(hashlib.sha256(user_id.encode()).hexdigest(), 16) % len(AVATAR_COLOURS)]
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="32" '
               f'fill="{colour}"/><text x="32" y="43" font-size="30" text-anchor="middle" fill="#fff" '
               f'font-family="sans-serif">{escape(initial)}</text></svg>')
        return Response(200, svg.encode(), CONTENT_TYPES[".svg"], {"Cache-Control": "max-age=300"})

    # --- LIFF: ID tokens --------------------------------------------------------------------------

    def id_token(self, request: Request) -> Response:
        """An ID token for the user, as LIFF's getIDToken() gives (ES256, iss/aud as LINE, exp 1 h), and what the
        LIFF app allows (LIFF's context ``availability``: here only "Scan QR", for scanCodeV2)."""
        body = object_body(request.json())
        user_id = _user_id(body.get("user_id"))
        nonce = body.get("nonce")
        if nonce is not None and not isinstance(nonce, str):
            raise BadRequest("The request body has 1 error(s)", [{"message": "must be a string", "property": "nonce"}])
        with self.store.write() as db:
            row = self.store.user_ensure(db, user_id)
        profile = self.app.profile(row)
        token = self.app.tokens.id_token(user_id=user_id, display_name=profile["displayName"],
                                         picture_url=profile["pictureUrl"], nonce=nonce)
        scan = {"permission": self.app.config.liff_scan_qr}
        return json_response(200, {"id_token": token, "profile": profile,
                                   "availability": {"scanCodeV2": scan, "subwindowOpen": scan}})

    def rotate_key(self, request: Request) -> Response:
        return json_response(200, {"kid": self.app.tokens.rotate()})

    # --- what users received ----------------------------------------------------------------------

    def messages(self, request: Request) -> Response:
        """What the user received from the bot, in order: [{id, via (push|reply), retry_key, timestamp,
        message}]."""
        user_id = request.query.get("user_id", "")
        if not USER_ID.match(user_id):
            return line_error(400, "user_id must be a LINE user ID", [{"message": "invalid", "property": "user_id"}])
        with self.store.read() as db:
            rows = db.execute("SELECT * FROM chat WHERE user_id = ? AND sender = 'bot' ORDER BY id",
                              (user_id,)).fetchall()
        return json_response(200, {"user_id": user_id, "messages": [
            {"id": row["id"], "via": row["via"], "retry_key": row["retry_key"], "timestamp": row["created_at"],
             "message": json.loads(row["message"])} for row in rows]})

    def chat(self, request: Request) -> Response:
        """The viewer's poll: the user, the chat items after ``after`` (bot, user and system), the rich menu."""
        user_id = request.query.get("user_id", "")
        if not USER_ID.match(user_id):
            return line_error(400, "user_id must be a LINE user ID", [{"message": "invalid", "property": "user_id"}])
        try:
            after = int(request.query.get("after", "0"))
        except ValueError:
            return line_error(400, "after must be a number", [{"message": "invalid", "property": "after"}])
        with self.store.read() as db:
            user = db.execute("SELECT * FROM users WHERE user_id = ?", (user_id,)).fetchone()
            if user is None:
                return line_error(404, "Not found")
            if after:
                rows = db.execute("SELECT * FROM chat WHERE user_id = ? AND id > ? ORDER BY id LIMIT 500",
                                  (user_id, after)).fetchall()
            else:  # the first look at a chat: its latest items (a benchmark's user has thousands)
                rows = db.execute("SELECT * FROM chat WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                                  (user_id, CHAT_FIRST_ITEMS)).fetchall()[::-1]
            rich_menu_id = self.store.meta_get(db, "default_rich_menu")
        return json_response(200, {
            "user": self._user_json(user), "richMenuId": rich_menu_id,
            "items": [{"id": row["id"], "sender": row["sender"], "via": row["via"], "timestamp": row["created_at"],
                       "message": json.loads(row["message"])} for row in rows]})

    def stats(self, request: Request) -> Response:
        """pushes_delivered: accepted push requests (a retry key counts once); retry_keys: distinct keys."""
        with self.store.read() as db:
            pushes = db.execute("SELECT count(*) AS n, count(retry_key) AS keys FROM push_requests").fetchone()
            replies = db.execute("SELECT count(*) AS n FROM reply_tokens WHERE used_at IS NOT NULL").fetchone()
            events = db.execute("SELECT count(*) AS n FROM events").fetchone()
        return json_response(200, {"pushes_delivered": pushes["n"], "retry_keys": pushes["keys"],
                                   "replies_delivered": replies["n"], "webhook_events": events["n"]})

    # --- webhook events ---------------------------------------------------------------------------

    def webhook(self, request: Request) -> Response:
        """{"user_id", "type": follow|unfollow|message|postback, "text"?, "data"?, "label"?} → the event, signed
        and posted to Raksa; answers with Raksa's status (502 when Raksa did not answer)."""
        body = object_body(request.json())
        user_id = _user_id(body.get("user_id"))
        kind = body.get("type")
        if kind not in EVENT_TYPES:
            raise BadRequest("The request body has 1 error(s)",
                             [{"message": "must be one of " + ", ".join(EVENT_TYPES), "property": "type"}])
        text, data, label = body.get("text"), body.get("data"), body.get("label")
        if kind == "message" and (not isinstance(text, str) or not text.strip() or len(text) > 5000):
            raise BadRequest("The request body has 1 error(s)",
                             [{"message": "Length must be between 1 and 5000", "property": "text"}])
        if kind == "postback" and (not isinstance(data, str) or not data or len(data) > 300):
            raise BadRequest("The request body has 1 error(s)",
                             [{"message": "Length must be between 1 and 300", "property": "data"}])
        if label is not None and not isinstance(label, str):
            raise BadRequest("The request body has 1 error(s)", [{"message": "must be a string", "property": "label"}])
        with self.store.write() as db:
            user = self.store.user_ensure(db, user_id)
            event = build_event(kind=kind, user_id=user_id, text=text, data=data,
                                is_unblocked=bool(user["ever_followed"]) and not user["following"])
            if kind != "unfollow":
                event["replyToken"] = secrets.token_hex(16)
            self.app.delivery.record(db, event)
            if kind == "follow":
                db.execute("UPDATE users SET following = 1, ever_followed = 1 WHERE user_id = ?", (user_id,))
                self.store.chat_add(db, user_id=user_id, sender="system", via="follow", message={
                    "type": "note", "th": "คุณเพิ่มบัญชีเป็นเพื่อนแล้ว", "en": "You added the account as a friend"})
            elif kind == "unfollow":
                db.execute("UPDATE users SET following = 0 WHERE user_id = ?", (user_id,))
                self.store.chat_add(db, user_id=user_id, sender="system", via="unfollow", message={
                    "type": "note", "th": "คุณบล็อกบัญชีนี้แล้ว", "en": "You blocked the account"})
            elif kind == "message":
                self.store.chat_add(db, user_id=user_id, sender="user", via="message", message=event["message"])
            else:
                self.store.chat_add(db, user_id=user_id, sender="user", via="postback",
                                    message={"type": "postback", "data": data, "label": label or ""})
        return self._delivered(event)

    def redeliver(self, request: Request) -> Response:
        """{"webhookEventId"?, "user_id"?}: a past event again (same webhookEventId, isRedelivery true): the
        given one, else the user's latest, else the latest of all."""
        body = object_body(request.json() if request.body else {})
        event_id, user_id = body.get("webhookEventId"), body.get("user_id")
        if user_id is not None:
            _user_id(user_id)
        event = self.app.delivery.past_event(webhook_event_id=event_id if isinstance(event_id, str) else None,
                                             user_id=user_id)
        if event is None:
            return line_error(404, "No webhook event to redeliver")
        return self._delivered(event)

    def _delivered(self, event: dict) -> Response:
        status, answer = self.app.delivery.deliver(event)
        return json_response(status or 502, {"status": status, "answer": answer,
                                             "webhookEventId": event["webhookEventId"], "event": event})

    # --- the rich menu as the viewer draws it -----------------------------------------------------

    def rich_menu(self, request: Request) -> Response:
        with self.store.read() as db:
            rich_menu_id = self.store.meta_get(db, "default_rich_menu")
            row = db.execute("SELECT body FROM rich_menus WHERE rich_menu_id = ?", (rich_menu_id,)).fetchone() \
                if rich_menu_id else None
        if row is None:
            return json_response(200, {"richMenu": None})
        return json_response(200, {"richMenu": {"richMenuId": rich_menu_id, **json.loads(row["body"]),
                                                "imageUrl": f"/_standin/rich-menu/{rich_menu_id}/image"}})

    def rich_menu_image(self, request: Request) -> Response:
        with self.store.read() as db:
            row = db.execute("SELECT image, image_type FROM rich_menus WHERE rich_menu_id = ?",
                             (request.params["rich_menu_id"],)).fetchone()
        if row is None or row["image"] is None:
            return line_error(404, "Not found")
        return Response(200, bytes(row["image"]), row["image_type"], {"Cache-Control": "max-age=3600"})


def _preview(message: dict) -> str:
    """A short line for a message in the user list: its text or its alt text."""
    text = message.get("text") or message.get("altText") or f"[{message.get('type', '?')}]"
    return text if len(text) <= 60 else text[:59] + "…"
