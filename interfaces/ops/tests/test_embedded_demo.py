"""`make run` as a newcomer gets it: embedded SQLite, demo data, the WSGI server, pages that answer.

Runs the same steps as the Makefile's run target in a temporary folder, then talks HTTP to the server.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def demo_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(RAKSA_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.dev", DJANGO_DEBUG="0")
    return env


def manage(env, *args) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_embedded_demo_starts_and_serves(demo_env, tmp_path):
    manage(demo_env, "migrate", "--noinput", "-v", "0")
    manage(demo_env, "collectstatic", "--noinput", "-v", "0")
    first = manage(demo_env, "seed_demo", "--if-empty")
    second = manage(demo_env, "seed_demo", "--if-empty")
    assert (tmp_path / "raksa.sqlite3").exists()
    assert first.stdout != second.stdout  # the second run finds data and leaves it alone
    banner = manage(demo_env, "demo_banner", "--host", "127.0.0.1", "--port", "8000").stdout
    assert "http://127.0.0.1:8000/portal/" in banner and "pharmacist" in banner

    port = free_port()
    granian = Path(sys.executable).parent / "granian"
    server = subprocess.Popen([str(granian), "--interface", "wsgi", "config.wsgi:application", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", "1", "--log-level", "warning"],
                              cwd=ROOT, env=demo_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = json.load(response)
                break
            except urllib.error.HTTPError as exc:
                raise AssertionError(exc.read().decode()[:2000]) from exc
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    why = server.stderr.read().decode() if server.poll() is not None else "timeout"
                    raise AssertionError(why) from None
                time.sleep(0.3)
        assert health == {"status": "ok", "database": "ok", "vendor": "sqlite"}
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/portal/login/", timeout=5) as response:
                page = response.read().decode()
        except urllib.error.HTTPError:
            server.terminate()
            raise AssertionError(server.stderr.read().decode()[-3000:]) from None
        assert "เข้าสู่ระบบ" in page
    finally:
        server.terminate()
        server.wait(10)
