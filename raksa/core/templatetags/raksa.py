from django import template
from django.utils.translation import get_language

from raksa.core import thaidate

register = template.Library()


@register.filter
def thai_date(value, fmt: str = ""):
    """``{{ d|thai_date }}`` or ``{{ d|thai_date:"short" }}``: Buddhist year in Thai, CE in English."""
    return thaidate.format_date(value, language=get_language() or "th", short=fmt == "short")


@register.filter
def thai_datetime(value):
    return thaidate.format_datetime(value, language=get_language() or "th")
