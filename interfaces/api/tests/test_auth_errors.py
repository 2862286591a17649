"""What a caller without access is told, on every endpoint that needs a caller (taken from the OpenAPI
document, so a new endpoint is covered by itself)."""

import pytest
from django.test import Client

from raksa.testing.factories import StaffMembershipFactory, UnitFactory
from raksa.units.services import unit_api_key_issue, unit_api_key_revoke

pytestmark = pytest.mark.django_db

PATH_VALUES = {"{hcode}": "12345", "{reference}": "ABCD1234", "{label}": "A-001", "{authen_code}": "PP0123456789"}


def _protected_operations() -> list[tuple[str, str]]:
    from interfaces.api.urls import api

    spec = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if operation.get("security"):
                for placeholder, value in PATH_VALUES.items():
                    path = path.replace(placeholder, value)
                assert "{" not in path, f"add a value for the path parameter of {path}"
                operations.append((method, path))
    return operations


OPERATIONS = _protected_operations()


def send(client: Client, method: str, path: str, **headers):
    if method == "get":
        return client.get(path, **headers)
    return client.generic(method.upper(), path, b"{}", content_type="application/json", **headers)


def test_the_protected_operations_are_found():
    assert ("post", "/api/v1/bookings") in OPERATIONS and ("post", "/api/v1/units/12345/queue/call-next") in OPERATIONS
    assert len(OPERATIONS) >= 12


@pytest.mark.parametrize("method,path", OPERATIONS)
def test_no_credentials_get_auth_required_not_a_csrf_error(method, path):
    response = send(Client(enforce_csrf_checks=True), method, path)
    body = response.json()
    assert (response.status_code, body["code"]) == (401, "AUTH_REQUIRED"), body
    assert "Authorization: Bearer rk_" in body["message"] and "Authorization: Bearer rk_" in body["message_en"]


@pytest.mark.parametrize("method,path", OPERATIONS)
def test_a_key_that_is_not_live_gets_invalid_api_key(method, path):
    live, api_key = unit_api_key_issue(actor=None, unit=UnitFactory(), label="POS")
    unit_api_key_revoke(actor=None, api_key=api_key)
    client = Client(enforce_csrf_checks=True)
    for header in (f"Bearer {live}", "Bearer rk_unknown", "Bearer 12345", "Basic dXNlcjpwYXNz"):
        response = send(client, method, path, HTTP_AUTHORIZATION=header)
        assert (response.status_code, response.json()["code"]) == (401, "INVALID_API_KEY"), header


def test_a_bad_key_is_refused_even_with_a_logged_in_session():
    client = Client()
    client.force_login(StaffMembershipFactory().user)
    response = client.get("/api/v1/units/12345/queue", HTTP_AUTHORIZATION="Bearer rk_unknown")
    assert (response.status_code, response.json()["code"]) == (401, "INVALID_API_KEY")


def test_a_logged_in_browser_without_its_csrf_token_is_told_to_reload():
    client = Client(enforce_csrf_checks=True)
    client.force_login(StaffMembershipFactory().user)
    response = send(client, "post", "/api/v1/eligibility")
    assert (response.status_code, response.json()["code"]) == (403, "CSRF_FAILED")


def test_messages_are_in_one_language_each():
    body = Client().get("/api/v1/units/12345/queue").json()
    assert not any("\u0e00" <= ch <= "\u0e7f" for ch in body["message_en"])
    assert "required" not in body["message"].lower() and "log in" not in body["message"].lower()
