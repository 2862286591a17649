from html.parser import HTMLParser

from django.http import QueryDict


class _FormFields(HTMLParser):
    """The fields of the page's main form as a browser would post them (inputs, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data = QueryDict(mutable=True)
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "checkbox", "file"):
            self.data.appendlist(name, attrs.get("value") or "")
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.data.appendlist(name, attrs.get("value") or "on")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.appendlist(self.select, attrs.get("value") or "")
        elif tag == "textarea":
            self.textarea = name
            self.data.appendlist(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data.setlist(self.textarea, [self.data.getlist(self.textarea)[-1] + data])


def form_data(client, url: str) -> dict[str, list[str]]:
    """What saving the form at ``url`` unchanged would post (action and search forms excluded)."""
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    data = dict(parser.data.lists())
    for name in ("q", "action", "select_across", "index", "_selected_action"):
        data.pop(name, None)
    return data
