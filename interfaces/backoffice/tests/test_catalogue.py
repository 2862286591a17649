"""Django admin's own strings are Thai: Django's Thai catalogue plus the project's fill-ins
(locale/th/LC_MESSAGES/django.po and djangojs.po, see interfaces/backoffice/django_catalogue.py)."""

import re
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from interfaces.backoffice.tests.thai_check import english_words

ADMIN_LOCALE = Path(django.__file__).parent / "contrib" / "admin" / "locale"
PROJECT_LOCALE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"
# The site titles Raksa overrides (BackofficeSite); "Django" would be the only word left in them anyway.
NOT_SHOWN = {"Django site admin", "Django administration"}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}|<[^>]+>")


def _thai_problem(entry: polib.POEntry, thai: str) -> str | None:
    if thai in (entry.msgid, entry.msgid_plural) and english_words(_PLACEHOLDER.sub(" ", thai)):
        return "not translated"
    if words := english_words(_PLACEHOLDER.sub(" ", thai)):
        return f"English left in it: {words}"
    if sorted(_PLACEHOLDER.findall(entry.msgid)) != sorted(_PLACEHOLDER.findall(thai)) and "%" in entry.msgid:
        return "placeholders differ"
    return None


def _problems(entries, gettext, ngettext, pgettext) -> list[str]:
    found = []
    for entry in entries:
        if entry.msgid in NOT_SHOWN or not entry.msgid:
            continue
        if entry.msgid_plural:
            thai = ngettext(entry.msgid, entry.msgid_plural, 2)
        elif entry.msgctxt:
            thai = pgettext(entry.msgctxt, entry.msgid)
        else:
            thai = gettext(entry.msgid)
        if problem := _thai_problem(entry, thai):
            found.append(f"{entry.msgid!r} -> {thai!r}: {problem}")
    return found


def test_every_django_admin_string_is_thai():
    entries = polib.pofile(str(ADMIN_LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    with translation.override("th"):
        found = _problems(entries, translation.gettext, translation.ngettext, translation.pgettext)
    assert not found, "\n".join(found)


def test_every_django_admin_javascript_string_is_thai():
    """What /backoffice/jsi18n/ serves: Django's Thai djangojs catalogue under the project's (``0 of 60 selected``)."""
    entries = polib.pofile(str(ADMIN_LOCALE / "en" / "LC_MESSAGES" / "djangojs.po"))
    catalogue = DjangoTranslation("th", domain="djangojs", localedirs=[str(ADMIN_LOCALE)])
    found = _problems(entries, catalogue.gettext, catalogue.ngettext, catalogue.pgettext)
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_is_served_in_thai(client):
    from raksa.testing.factories import make_officer

    client.force_login(make_officer())
    script = client.get("/backoffice/jsi18n/").content.decode()
    assert '"%(sel)s of %(cnt)s selected": [\n      "\\u0e40\\u0e25\\u0e37\\u0e2d\\u0e01 %(sel)s' in script  # เลือก


@pytest.mark.parametrize("name", ["django", "djangojs"])
def test_committed_mo_is_the_compiled_po(tmp_path, name):
    po = polib.pofile(str(PROJECT_LOCALE / f"{name}.po"))
    assert not po.untranslated_entries() and not po.fuzzy_entries()
    fresh = tmp_path / f"{name}.mo"
    po.save_as_mofile(str(fresh))
    def messages(path):
        return {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(path))}

    stale = f"locale/th/LC_MESSAGES/{name}.mo is stale: run scripts/compile_messages.py"
    assert messages(PROJECT_LOCALE / f"{name}.mo") == messages(fresh), stale
