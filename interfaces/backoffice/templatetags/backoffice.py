from django import template
from django.contrib.admin.templatetags import admin_list

from interfaces.backoffice import dates

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def thai_date_hierarchy(cl):
    """Django's date drill-down, in Thai with Buddhist years (see interfaces.backoffice.dates)."""
    return dates.date_hierarchy(cl)


@register.inclusion_tag("backoffice/search_form.html")
def thai_search_form(cl):
    """Django's search form; its own template has an untranslated alt="Search"."""
    return admin_list.search_form(cl)
