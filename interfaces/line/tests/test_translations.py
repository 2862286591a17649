"""The LIFF pages' Thai catalogue (interfaces/line/locale): complete, compiled, and covering every template."""

import re
from pathlib import Path

import polib
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "th" / "LC_MESSAGES"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+"([^"]+)"\s*(?:as\s+\w+\s*)?%}""")


def test_the_catalogue_is_complete_and_the_committed_mo_is_the_po(tmp_path):
    po = polib.pofile(str(LOCALE / "django.po"))
    assert not po.untranslated_entries() and not po.fuzzy_entries()
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    committed = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(LOCALE / "django.mo")) if e.msgid}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(fresh)) if e.msgid}
    assert committed == compiled, "the LIFF .mo is stale: run scripts/compile_messages.py"


def test_every_translate_tag_of_the_liff_templates_is_in_the_catalogue():
    msgids = {entry.msgid for entry in polib.pofile(str(LOCALE / "django.po"))}
    used = {m for path in TEMPLATES.rglob("*.html") for m in TRANSLATE_TAG.findall(path.read_text(encoding="utf-8"))}
    assert used and not sorted(used - msgids)


def test_django_loads_it():
    with translation.override("th"):
        assert translation.gettext("Book a queue") == "จองคิว"
        assert translation.gettext("Rights QR") == "QR ยืนยันสิทธิ์"
