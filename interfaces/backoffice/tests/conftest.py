import pytest

from raksa.testing.factories import make_officer


@pytest.fixture
def officer(client):
    """A payer officer, logged in with the test client."""
    user = make_officer()
    client.force_login(user)
    return user
