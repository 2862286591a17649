"""The public API documentation: Thai and English for every operation, and no notes for developers."""

import inspect
import json
import re

import pytest
from ninja import Schema

from interfaces.api import booking, queue, schemas, visits
from interfaces.api import urls as api_module

THAI = re.compile("[\u0e00-\u0e7f]")
LATIN_WORDS = re.compile("[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def spec():
    return api_module.api.get_openapi_schema(path_prefix="/api/v1/")


def operations(spec):
    return [(path, method, op) for path, methods in spec["paths"].items() for method, op in methods.items()]


def test_every_operation_has_a_thai_and_english_summary_and_description(spec):
    ops = operations(spec)
    assert len(ops) >= 14
    for path, method, op in ops:
        thai, english = op["summary"].split(" · ")
        assert THAI.search(thai) and not THAI.search(english) and LATIN_WORDS.search(english), (path, method)
        text_th, text_en = op["description"].split("\n\n")
        assert THAI.search(text_th) and not THAI.search(text_en), (path, method)
        assert op["tags"] and all(THAI.search(tag) and " · " in tag for tag in op["tags"]), (path, method)


def _docstrings() -> list[str]:
    """Docstrings of the API's views and schemas: notes for developers."""
    found = []
    for module in (api_module, booking, queue, schemas, visits):
        for value in vars(module).values():
            if (inspect.isfunction(value) or (inspect.isclass(value) and issubclass(value, Schema))) \
                    and value.__module__ == module.__name__ and value.__doc__:
                found.append(inspect.cleandoc(value.__doc__).splitlines()[0])
    return found


def test_no_docstring_leaks_into_the_public_documentation(spec):
    docstrings = _docstrings()
    assert len(docstrings) >= 3  # the views still have their notes; they just stay out of the document
    published = json.dumps(spec, ensure_ascii=False)
    leaked = [d for d in docstrings if d[:40] in published]
    assert not leaked


def test_the_documentation_says_how_to_get_and_use_a_key(spec, client):
    description = spec["info"]["description"]
    assert "Authorization: Bearer rk_" in description and "API keys" in description and "กุญแจ API" in description
    for code in ("INVALID_JSON", "AUTH_REQUIRED", "INVALID_API_KEY", "CSRF_FAILED", "QUEUE_EMPTY", "TICKET_STATE",
                 "NOT_FOUND", "METHOD_NOT_ALLOWED", "BODY_TOO_LARGE", "INTERNAL_ERROR", "UNIT_SUSPENDED",
                 "DATABASE_UNAVAILABLE", "QR_UNKNOWN", "QR_USED", "VISIT_NOT_FOUND", "VISIT_OPEN_ELSEWHERE"):
        assert code in description
    schemes = spec["components"]["securitySchemes"]
    assert any("rk_" in s.get("description", "") for s in schemes.values())
    assert client.get("/api/v1/openapi.json").json()["info"]["description"] == description


def test_every_operation_lists_every_error_status_it_can_answer(spec):
    """Schemathesis (test_schemathesis.py) checks the answers against these; a client generated from the
    document knows them all. 400 INVALID_JSON was once missing on /eligibility and on reschedule."""
    statuses = {"400", "401", "403", "404", "409", "413", "422", "500", "503"}
    for path, method, op in operations(spec):
        assert statuses <= set(map(str, op["responses"])), (path, method)
    assert "400" in map(str, spec["paths"]["/api/v1/eligibility"]["post"]["responses"])
    assert "400" in map(str, spec["paths"]["/api/v1/bookings/{reference}/reschedule"]["post"]["responses"])


def _properties_named(spec, name):
    """Where a client sends ``name``: request bodies' fields and parameters."""
    for schema in spec["components"]["schemas"].values():
        if schema["title"].endswith("In") and name in schema.get("properties", {}):
            yield schema["title"], schema["properties"][name]
    for path, method, op in operations(spec):
        for parameter in op.get("parameters", []):
            if parameter["name"] == name:
                yield f"{method} {path}", parameter["schema"]


def test_the_document_states_the_formats_the_server_holds_to(spec):
    """National ID: 13 digits, the last a check digit; hcode: 5 digits; dates: YYYY-MM-DD, 1900-2199."""
    national_ids = dict(_properties_named(spec, "national_id"))
    assert set(national_ids) == {"EligibilityIn", "CitizenIn", "CoverageIn", "BookingIn", "AuthenStatusIn"}
    for where, schema in national_ids.items():
        assert schema["pattern"] == "^[0-9]{13}$" and schema["format"] == "thai-national-id", where
        assert "check digit" in schema["description"] and "เลขตรวจสอบ" in schema["description"], where
    hcodes = dict(_properties_named(spec, "hcode")) | dict(_properties_named(spec, "main_hcode"))
    assert len([w for w in hcodes if "{hcode}" in w]) == 5  # every {hcode} in a path
    assert {"get /api/v1/claims", "get /api/v1/claims/{reference}"} <= set(hcodes)  # a session names its unit
    for where, schema in hcodes.items():
        assert schema["pattern"] == "^[0-9]{5}$", where
    for name in ("on", "birth_date", "valid_from", "valid_to", "day"):
        for where, schema in _properties_named(spec, name):
            text = json.dumps(schema)
            assert '"format": "date"' in text and "(19|20|21)" in text, (name, where)


def test_the_check_in_body_is_documented_as_an_object_not_null(spec):
    body = spec["paths"]["/api/v1/bookings/{reference}/check-in"]["post"]["requestBody"]
    assert body["required"] is False and "null" not in json.dumps(body)
