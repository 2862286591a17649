"""docs/claims.md cannot drift from the code: every rule and engine reason is in its table with its class (the
table is what scripts/claims_rules_table.py prints), and every service-record field is named."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from raksa.claims.records import RECORD_FIELDS, fields_for
from raksa.claims.rules import RULES
from raksa.claims.rules.base import ENGINE_REASONS

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "claims.md"
FIX = "run `.venv/bin/python scripts/claims_rules_table.py --write` and commit docs/claims.md"


def _script():
    spec = importlib.util.spec_from_file_location("claims_rules_table", ROOT / "scripts" / "claims_rules_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_rule_and_engine_reason_is_in_the_document_with_its_class():
    text = DOC.read_text(encoding="utf-8")
    missing = [f"{r.code} ({r.klass})" for r in [*RULES, *ENGINE_REASONS.values()]
               if f"| `{r.code}` | {r.klass} | {r.version} |" not in text]
    assert not missing, f"docs/claims.md lacks {missing}: {FIX}"


def test_the_rules_table_is_the_one_the_script_prints():
    script = _script()
    block = script.document_table(DOC.read_text(encoding="utf-8"))
    assert block is not None, f"docs/claims.md has lost the table's markers: {FIX}"
    assert block == script.rules_table(), f"docs/claims.md's rules table differs from the code: {FIX}"


def test_the_table_has_one_row_per_code_and_escapes_cells():
    table = _script().rules_table()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(RULES) + len(ENGINE_REASONS)
    assert all(line.count(" | ") == 4 for line in rows), "a text with | would break the table"
    assert _script()._cell("a | b\n c") == "a \\| b c"


def test_every_service_record_field_is_named_in_the_document():
    text = DOC.read_text(encoding="utf-8")
    names = {f.name for unit_type in RECORD_FIELDS for f in fields_for(unit_type)}
    missing = sorted(name for name in names if f"`{name}`" not in text)
    assert not missing, f"docs/claims.md does not describe the service-record fields {missing}"
