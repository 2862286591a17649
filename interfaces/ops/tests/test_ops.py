import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.templatetags.static import static

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "vendor": connection.vendor}


@pytest.mark.django_db
def test_healthz_reports_a_broken_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_favicon_ico_leads_to_the_icon(client):
    """Browsers ask for /favicon.ico on pages without an icon link (and tools always do): no more 404s."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == static("portal/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert (icon.status_code, icon["Content-Type"]) == (200, "image/x-icon")
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/portal/login/", "/backoffice/login/"])
def test_pages_link_the_svg_icon_and_it_answers(client, path):
    html = client.get(path).content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    icon = client.get(href)
    assert (icon.status_code, icon["Content-Type"]) == (200, "image/svg+xml")
    assert b"".join(icon.streaming_content).startswith(b"<svg")


@pytest.mark.django_db
def test_one_structured_log_line_per_request_without_the_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="raksa.request"):
        response = client.get("/healthz?national_id=1101700230708", HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"
    record = next(r for r in caplog.records if r.name == "raksa.request")
    from raksa.core.logging import JsonFormatter

    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/healthz" and line["status"] == 200 and line["method"] == "GET"
    assert "1101700230708" not in json.dumps(line)
    assert isinstance(line["duration_ms"], float)


def test_check_deploy_is_clean_under_production_settings():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-0123456789",
           "RAKSA_PII_ENCRYPTION_KEY": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
           "RAKSA_PII_HMAC_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
           "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://raksa@127.0.0.1:5432/raksa"),
           "DJANGO_ALLOWED_HOSTS": "raksa.example.go.th",
           "LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef", "LINE_CHANNEL_ACCESS_TOKEN": "production-token",
           "LINE_LOGIN_CHANNEL_ID": "2000000001", "LINE_LIFF_ID": "2000000001-AbCdEfGh",
           "RAKSA_CIVIL_REGISTRY_URL": "https://registry.example.go.th", "RAKSA_CIVIL_REGISTRY_TOKEN": "registry-token"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_keys():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAKSA_PII", "DJANGO_SECRET", "LINE_"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "must be set in production" in result.stderr


def test_production_settings_refuse_the_line_stand_in_defaults():
    """Production never talks to the demo's LINE stand-in: without LINE's real channel it does not start."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "x" * 60, "RAKSA_PII_ENCRYPTION_KEY": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
           "RAKSA_PII_HMAC_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
           "DATABASE_URL": "postgres://raksa@127.0.0.1:5432/raksa"}
    env = {k: v for k, v in env.items() if not k.startswith("LINE_")}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "LINE_CHANNEL_SECRET must be set in production" in result.stderr


@pytest.mark.parametrize(("registry", "refusal"), [
    ({}, "RAKSA_CIVIL_REGISTRY_URL must be set in production"),
    ({"RAKSA_CIVIL_REGISTRY_URL": "https://registry.example.go.th"},
     "RAKSA_CIVIL_REGISTRY_TOKEN must be set in production"),
    ({"RAKSA_CIVIL_REGISTRY_URL": "http://127.0.0.1:8101", "RAKSA_CIVIL_REGISTRY_TOKEN": "t"},
     "RAKSA_CIVIL_REGISTRY_URL must be https:// in production"),
], ids=["no URL", "no token", "the stand-in's http URL"])
def test_production_settings_refuse_to_start_without_the_civil_registry(registry, refusal):
    """Production never asks the demo's civil-registry stand-in for a photo, nor asks over plain HTTP."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAKSA_CIVIL_REGISTRY")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "x" * 60,
            "RAKSA_PII_ENCRYPTION_KEY": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
            "RAKSA_PII_HMAC_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "DATABASE_URL": "postgres://raksa@127.0.0.1:5432/raksa", "LINE_CHANNEL_SECRET": "s",
            "LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_LOGIN_CHANNEL_ID": "2000000001", "LINE_LIFF_ID": "l", **registry}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert refusal in result.stderr


@pytest.mark.django_db
def test_pages_open_in_thai_even_for_an_english_browser_until_english_is_chosen(client):
    page = client.get("/portal/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "เข้าสู่ระบบ" in page
    client.cookies["django_language"] = "en"
    page = client.get("/portal/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Log in" in page


def test_error_log_lines_keep_the_path_but_never_the_query_string(rf):
    from raksa.core.logging import JsonFormatter

    request = rf.get("/api/v1/units/12345", {"national_id": "1101700230708"})
    record = logging.makeLogRecord({"name": "django.request", "msg": "Internal Server Error: %s",
                                    "args": (request.path,), "request": request, "status_code": 500})
    line = JsonFormatter().format(record)
    assert "1101700230708" not in line
    assert json.loads(line)["path"] == "/api/v1/units/12345"
