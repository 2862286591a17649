import pytest
from django.conf import settings


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']} {settings.DATABASES['default'].get('NAME')}"


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
