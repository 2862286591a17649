"""Finds English and Christian-era years on a back-office page (used by the tests of this package).

Three checks over the rendered HTML:

* chrome (headings, column headers, labels, filter titles, help texts, buttons, action names,
  breadcrumbs, messages, and the title/aria-label/placeholder of any element) holds no English word;
  codes are allowed (``PH001``, ``unit.verify``, ``units.unit:5``) and so are a few names (ALLOWED);
* no text node or attribute equals one of Django's English admin strings or a model field's default
  English label (``Latitude``, ``Valid from``, ``Actor label``), wherever it is, data included;
* no visible text holds a Christian-era year (``2026``, ``2026-11-29``): dates are shown with the
  Buddhist year. Input values (ISO dates in date inputs) and ``<code>`` are not visible text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
from django.apps import apps

ALLOWED = {"Raksa", "hcode", "OSS", "API", "JSON", "CSRF", "DEBUG", "Control", "Command", "Mac", "LINE", "Web"}
_WORD = re.compile(r"[A-Za-z]{2,}")
# Codes, not words: unit.verify, units.unit:5, unit_admin, PH-FEVER, UCS, 1-2345-xxxxx-xx-3 (a masked ID).
_CODE = re.compile(r"^[\w@]*[._:][\w.:@]*$|^[A-Z0-9][A-Z0-9-]*$|^[\dx]+(?:-[\dx]+)+$")
WESTERN_YEAR = re.compile(r"(?<![\w-])(?:19|20)\d{2}(?![\w-])|(?<!\w)(?:19|20)\d{2}-\d{2}-\d{2}(?!\w)")

_CHROME_TAGS = {"title", "h1", "h2", "h3", "h4", "label", "legend", "caption", "button", "thead", "summary"}
_CHROME_CLASSES = {"help", "helptext", "breadcrumbs", "paginator", "actions", "object-tools", "errornote",
                   "errorlist", "messagelist", "submit-row", "search-help", "toplinks", "module-caption"}
_SKIP = {"script", "style", "code"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_TEXT_ATTRS = ("title", "aria-label", "placeholder", "alt")


def english_words(text: str) -> list[str]:
    """The English words in ``text`` that are neither codes nor ALLOWED names."""
    found = []
    for token in text.split():
        token = token.strip("()[]{}:;,!?“”\"'…·|/")
        if not token or _CODE.match(token):
            continue
        found += [word for word in _WORD.findall(token) if word not in ALLOWED]
    return found


class PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, chrome)
        self.chrome: list[str] = []
        self.visible: list[str] = []
        self.skip = 0

    def _in_chrome(self) -> bool:
        return any(chrome for _tag, chrome in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag in _SKIP:
            self.skip += 1
        for name in _TEXT_ATTRS:
            if attrs.get(name):
                self.chrome.append(attrs[name])
                self.visible.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chrome.append(attrs["value"])
        if tag not in _VOID:
            self.stack.append((tag, tag in _CHROME_TAGS or bool(classes & _CHROME_CLASSES)))

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or self.skip:
            return
        self.visible.append(text)
        if self._in_chrome():
            self.chrome.append(text)


def _plain(msgid: str) -> str | None:
    """A Django admin msgid as it would appear on a page, or None when it cannot appear verbatim."""
    if "%" in msgid or "{" in msgid or "<" in msgid or len(msgid) < 3:
        return None
    return msgid.strip().rstrip(":").lower()


def forbidden_english() -> set[str]:
    """Django admin's English strings and every model field's default English label, lower case."""
    root = Path(django.__file__).parent / "contrib" / "admin" / "locale" / "en" / "LC_MESSAGES"
    phrases = {_plain(entry.msgid) for name in ("django.po", "djangojs.po") for entry in polib.pofile(str(root / name))}
    for model in apps.get_models():
        if model._meta.app_label in ("units", "people", "audit"):
            phrases |= {field.name.replace("_", " ") for field in model._meta.get_fields()}
            phrases.add(model._meta.model_name)
    phrases.discard(None)
    return phrases


def problems(html: str, forbidden: set[str]) -> list[str]:
    page = PageText()
    page.feed(html)
    found = [f"English in the page's labels: {text!r} ({', '.join(words)})"
             for text in page.chrome if (words := english_words(text))]
    found += [f"Django's or a field's English: {text!r}" for text in page.visible
              if text.strip().rstrip(":*").strip().lower() in forbidden]
    found += [f"Christian-era year: {text!r}" for text in page.visible if WESTERN_YEAR.search(text)]
    return found
