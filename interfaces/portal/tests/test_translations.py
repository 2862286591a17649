"""The Thai catalogue: complete, and the committed .mo is the compiled .po (run scripts/compile_messages.py)."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"
PO_PATH = LOCALE / "django.po"
MO_PATH = LOCALE / "django.mo"
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", Path(__file__).resolve().parent.parent / "templates"]
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+"([^"]+)"\s*(?:as\s+\w+\s*)?%}""")


def _catalogue(entries) -> dict[tuple[str | None, str], str]:
    return {(entry.msgctxt, entry.msgid): entry.msgstr for entry in entries if entry.msgid}


def test_every_thai_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO_PATH))
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    assert po.metadata.get("Language") == "th"


def test_committed_mo_matches_the_po(tmp_path):
    po = polib.pofile(str(PO_PATH))
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    committed = polib.mofile(str(MO_PATH))
    compiled = polib.mofile(str(fresh))
    message = "locale/th/LC_MESSAGES/django.mo is stale: run `.venv/bin/python scripts/compile_messages.py`"
    assert len(committed) == len(compiled) == len(po.translated_entries()), message
    assert _catalogue(committed) == _catalogue(compiled) == _catalogue(po.translated_entries()), message


def test_every_translate_tag_in_the_templates_is_in_the_po():
    msgids = {entry.msgid for entry in polib.pofile(str(PO_PATH))}
    used = {match for directory in TEMPLATE_DIRS for path in directory.rglob("*.html")
            for match in TRANSLATE_TAG.findall(path.read_text(encoding="utf-8"))}
    assert used, "no {% translate %} tags found: is the pattern still right?"
    missing = sorted(used - msgids)
    assert not missing, f"run makemessages (see the .po header) and translate: {missing}"


def test_django_loads_the_thai_catalogue():
    with translation.override("th"):
        assert translation.gettext("Home") == "หน้าหลัก"
        assert translation.gettext("Check service") == "ตรวจสอบบริการ"
        assert translation.gettext("Go to Web OSS") == "ไปที่ Web OSS"
    with translation.override("en"):
        assert translation.gettext("Home") == "Home"
