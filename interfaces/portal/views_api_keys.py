"""API keys for the unit's own software (unit administrators only): issue (shown once), list, revoke.

The new key is shown in the answer to the POST that issued it and nowhere else: it is not put in the
session or a message (both are stored), and the page is never cached. Only its digest is kept.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from interfaces.portal.forms import DomainErrorsMixin
from interfaces.portal.permissions import staff_required
from interfaces.portal.views import error_text, unit_context
from raksa.core.errors import DomainError
from raksa.units.models import StaffRole
from raksa.units.selectors import unit_api_key_get, unit_api_keys
from raksa.units.services import API_KEY_LABEL_MAX, unit_api_key_issue, unit_api_key_revoke

ADMINS_ONLY = {"roles": (StaffRole.UNIT_ADMIN,),
               "refused_because": gettext_lazy("Only a unit administrator can issue and revoke the unit's API keys.")}


class ApiKeyForm(DomainErrorsMixin, forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Name of the key"), max_length=API_KEY_LABEL_MAX,
        help_text=gettext_lazy("The system that will use it, e.g. “Stock system, counter 1”."),
        error_messages={"required": gettext_lazy("Name the key after the system that will use it."),
                        "max_length": gettext_lazy("A key's name has at most %(limit_value)d characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}))


def _revocation_seconds() -> str:
    """How long other server processes may still accept a revoked key (they remember live keys)."""
    return f"{settings.RAKSA_API_KEY_CACHE_SECONDS:g}"


def _render(request, form, *, new_key: str | None = None):
    context = unit_context(request) | {
        "form": form,
        "new_key": new_key,
        "keys": list(unit_api_keys(request.portal.unit)),
        "cache_seconds": _revocation_seconds(),
        "docs_url": request.build_absolute_uri("/api/v1/docs"),
    }
    return render(request, "portal/api_keys.html", context)


@require_http_methods(["GET", "POST"])
@staff_required(**ADMINS_ONLY)
def api_keys(request):
    if request.method == "GET":
        return _render(request, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            key, _api_key = unit_api_key_issue(actor=request.user, unit=request.portal.unit,
                                               label=form.cleaned_data["label"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return _render(request, ApiKeyForm(), new_key=key)
    return _render(request, form)


@require_POST
@staff_required(**ADMINS_ONLY)
def api_key_revoke(request, key_id: int):
    try:
        api_key = unit_api_key_revoke(actor=request.user, api_key=unit_api_key_get(request.portal.unit, key_id))
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The key “%(label)s” (%(prefix)s…) is revoked: it stops working within "
                                    "%(seconds)s seconds.") % {"label": api_key.label, "prefix": api_key.prefix,
                                                               "seconds": _revocation_seconds()})
    return redirect("portal:api_keys")
