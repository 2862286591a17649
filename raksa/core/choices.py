"""A choice's Thai and English labels, apart.

The models' choices carry one label holding both languages, "ยกเลิก (Cancelled)" (or "ไทย — English"),
which suits the back office's lists. A message is in one language, so code that puts a choice into a
message takes the part it needs from here (Thai into ``message``, English into ``message_en``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from django.db.models import Choices

_THAI = re.compile("[\u0e00-\u0e7f]")


class Labels(NamedTuple):
    th: str
    en: str


def split_label(label: str) -> Labels:
    """``"ยกเลิก (Cancelled)"`` → ``("ยกเลิก", "Cancelled")``; ``"ไทย — English"`` likewise; a label in one
    language only ("LINE", "Walk-in") is both."""
    label = str(label)
    if " — " in label:
        th, en = label.rsplit(" — ", 1)
        return Labels(th.strip(), en.strip())
    if label.endswith(")") and " (" in label:
        th, en = label[:-1].rsplit(" (", 1)
        if not _THAI.search(en):  # "หลักประกันสุขภาพแห่งชาติ (บัตรทอง)" is Thai throughout, not a gloss
            return Labels(th.strip(), en.strip())
    return Labels(label, label)


def choice_labels(choices: type[Choices], value: str) -> Labels:
    """The Thai and English labels of ``value`` in ``choices`` (an unknown value stands for itself)."""
    label = dict(choices.choices).get(value)
    return split_label(label) if label is not None else Labels(str(value), str(value))
