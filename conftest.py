import os

import pytest
from django.conf import settings

# Fixtures shared by the apps' tests: the LINE stand-in as a subprocess (line_standin, line_standin_factory),
# the civil registry stand-in (civil_registry, civil_registry_factory),
# a fixed morning hour in Bangkok (bangkok_morning).
pytest_plugins = ["raksa.testing.line_standin", "raksa.testing.civil_registry", "raksa.testing.clock"]

# Django's backend, or raksa.core.postgresql (its subclass that answers at once while the database is down).
POSTGRESQL = ("django.db.backends.postgresql", "raksa.core.postgresql")


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']} {settings.DATABASES['default'].get('NAME')}"


def pytest_sessionstart(session):
    """``make test`` and CI set RAKSA_REQUIRE_POSTGRESQL: without PostgreSQL the run fails here, where
    the race and batch tests would otherwise skip (they need PostgreSQL) and the run pass without them."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("RAKSA_REQUIRE_POSTGRESQL") == "1" and engine not in POSTGRESQL:
        raise pytest.UsageError(f"RAKSA_REQUIRE_POSTGRESQL=1 but the database is {engine}: set DATABASE_URL to "
                                "a PostgreSQL database (scripts/test.sh starts one).")


@pytest.fixture(autouse=True)
def _thai_by_default(settings):
    settings.LANGUAGE_CODE = "th"


@pytest.fixture(autouse=True)
def _database_up_after_each_test():
    """A test that makes the database look down (raksa.core.db_outage) leaves it up for the next one."""
    yield
    from raksa.core.db_outage import breaker

    breaker.reset()


@pytest.fixture
def page(live_server, monkeypatch):
    """A desktop-sized page in Debian Chromium (raksa/testing/browser.py)."""
    from raksa.testing.browser import DESKTOP, chromium_page

    with chromium_page(monkeypatch, DESKTOP) as page:
        yield page


@pytest.fixture
def phone(live_server, monkeypatch):
    """A phone-sized page (360 × 740) in Debian Chromium."""
    from raksa.testing.browser import PHONE, chromium_page

    with chromium_page(monkeypatch, PHONE) as page:
        yield page
