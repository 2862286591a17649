import pytest
from django.db import DatabaseError, transaction

from raksa.audit.models import AuditEntry
from raksa.audit.services import audit_record
from raksa.core.request_context import reset_request_id, set_request_id

pytestmark = pytest.mark.django_db


def test_audit_rows_carry_the_request_id():
    token = set_request_id("req-12345678")
    try:
        with transaction.atomic():
            entry = audit_record(actor=None, action="test.thing", object_type="x", object_id=1, after={"a": 1})
    finally:
        reset_request_id(token)
    assert entry.request_id == "req-12345678"
    assert entry.actor_label == "system"


def test_audit_must_be_written_inside_the_change_transaction(django_db_blocker):
    # pytest-django wraps tests in a transaction; emulate the outside by asking for an autocommit-only check
    from unittest import mock

    with mock.patch("raksa.audit.services.transaction.get_connection") as conn:
        conn.return_value.in_atomic_block = False
        with pytest.raises(RuntimeError):
            audit_record(actor=None, action="x", object_type="x", object_id=1)


@pytest.mark.parametrize("statement", ["UPDATE audit_auditentry SET action = 'forged'",
                                       "DELETE FROM audit_auditentry"])
def test_the_database_refuses_to_rewrite_audit_rows(statement):
    with transaction.atomic():
        audit_record(actor=None, action="test.thing", object_type="x", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic(), transaction.get_connection().cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.get().action == "test.thing"
