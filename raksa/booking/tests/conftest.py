import pytest
from django.db import connection


@pytest.fixture(params=["one_statement", "transaction"])
def write_path(request, monkeypatch):
    """booking_create writes in one statement on PostgreSQL and in a transaction elsewhere: run a test
    through both (on SQLite only the second exists)."""
    if request.param == "one_statement" and connection.vendor != "postgresql":
        pytest.skip("one-statement writes need PostgreSQL")
    monkeypatch.setattr("raksa.booking.services.create.writes_in_one_statement",
                        lambda: request.param == "one_statement")
    return request.param
