"""The stand-in's state: one SQLite file (WAL) under --state-dir, so a restart loses nothing it answered.

Reads use pooled connections; writes go one at a time (a process lock, then BEGIN IMMEDIATE), so the
threads never meet SQLITE_BUSY. An answer is sent only after its write committed.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from line_standin.demo_users import DEMO_USERS

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    hint_th TEXT NOT NULL DEFAULT '',
    hint_en TEXT NOT NULL DEFAULT '',
    following INTEGER NOT NULL DEFAULT 0,
    ever_followed INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
-- One row per accepted push request; a retry key is accepted once (NULLs do not collide).
CREATE TABLE IF NOT EXISTS push_requests (
    request_id TEXT PRIMARY KEY,
    retry_key TEXT UNIQUE,
    to_user TEXT NOT NULL,
    sent_messages TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
-- A user's chat as they see it: what the bot sent (push, reply), what they sent, and notes.
CREATE TABLE IF NOT EXISTS chat (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    sender TEXT NOT NULL CHECK (sender IN ('bot', 'user', 'system')),
    via TEXT NOT NULL,
    message TEXT NOT NULL,
    retry_key TEXT,
    request_id TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chat_user ON chat (user_id, id);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_event_id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    event TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deliveries INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER
);
CREATE TABLE IF NOT EXISTS reply_tokens (
    token TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE TABLE IF NOT EXISTS signing_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kid TEXT NOT NULL UNIQUE,
    jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rich_menus (
    rich_menu_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    image BLOB,
    image_type TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def now_ms() -> int:
    return int(time.time() * 1000)


class Store:
    def __init__(self, state_dir: Path):
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / "line-standin.sqlite3"
        self._pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._write_lock = threading.Lock()
        with self._write_lock, self._connection() as db:
            db.executescript(SCHEMA)
        self._seed_demo_users()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a committed write survives the process
        db.execute("PRAGMA foreign_keys=ON")
        return db

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            db = self._pool.get_nowait()
        except queue.Empty:
            db = self._connect()
        try:
            yield db
        finally:
            self._pool.put(db)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            yield db

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction at a time, committed when the block ends (rolled back on error)."""
        with self._write_lock, self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _seed_demo_users(self) -> None:
        with self.write() as db:
            if db.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone():
                return
            for user in DEMO_USERS:
                db.execute("INSERT OR IGNORE INTO users (user_id, display_name, hint_th, hint_en, created_at) "
                           "VALUES (?, ?, ?, ?, ?)", (user.user_id, user.display_name, user.hint_th, user.hint_en,
                                                      now_ms()))
            db.execute("INSERT INTO meta (key, value) VALUES ('seeded', '1')")

    # --- small shared queries ---------------------------------------------------------------------

    def meta_get(self, db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def meta_set(self, db: sqlite3.Connection, key: str, value: str | None) -> None:
        if value is None:
            db.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
                       (key, value, value))

    def user_ensure(self, db: sqlite3.Connection, user_id: str) -> sqlite3.Row:
        """The user, created as a friend of the bot when Raksa names an ID the stand-in has not seen (tests
        make their own users)."""
        row = db.execute("SELECT * FROM users WHERE user_id = ?", (user_id,)).fetchone()
        if row is None:
            db.execute("INSERT INTO users (user_id, display_name, following, ever_followed, created_at) "
                       "VALUES (?, ?, 1, 1, ?)", (user_id, f"ผู้ใช้ LINE {user_id[1:7]}", now_ms()))
            row = db.execute("SELECT * FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return row

    def chat_add(self, db: sqlite3.Connection, *, user_id: str, sender: str, via: str, message: dict,
                 retry_key: str | None = None, request_id: str | None = None) -> int:
        cursor = db.execute(
            "INSERT INTO chat (user_id, sender, via, message, retry_key, request_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user_id, sender, via, json.dumps(message, ensure_ascii=False), retry_key, request_id, now_ms()))
        return int(cursor.lastrowid)
