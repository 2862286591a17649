"""Compile locale/*/LC_MESSAGES/*.po (django.po, djangojs.po) and the apps' own catalogues
(interfaces/*/locale/…, e.g. the LIFF pages') to .mo with polib (no system gettext needed)."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
for po_path in sorted([*ROOT.glob("locale/*/LC_MESSAGES/*.po"), *ROOT.glob("interfaces/*/locale/*/LC_MESSAGES/*.po")]):
    po_file = polib.pofile(str(po_path))
    po_file.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path.relative_to(ROOT)} ({len(po_file.translated_entries())} messages)")
