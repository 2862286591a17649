from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from interfaces.portal.labels import service_label
from raksa.core.errors import DomainError, InvalidInput
from raksa.core.timeutil import parse_date


class PortalLoginForm(AuthenticationForm):
    """Django's login form with the portal's own labels and a plain error in the active language."""

    error_messages = {
        "invalid_login": _("The username or password is not correct. Please try again "
                           "(letters must match upper and lower case)."),
        "inactive": _("This account has been disabled. Please contact your unit administrator."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].error_messages["required"] = _("Enter your username.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")


class RightsCheckForm(forms.Form):
    """Seed step 3.2 (ตรวจสอบบริการ): national ID, service, date. The ID is posted, never put in a URL.

    The national ID itself is validated by the domain (raksa.people.national_id), whose Thai/English
    message is added to the field with :meth:`add_domain_error`.
    """

    national_id = forms.CharField(
        label=_("National ID"),
        max_length=32,
        help_text=_("13 digits; spaces and dashes are allowed."),
        error_messages={"required": _("Enter the national ID (13 digits)."),
                        "max_length": _("A national ID has 13 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false",
                                      "placeholder": "x-xxxx-xxxxx-xx-x"}),
    )
    service = forms.ChoiceField(
        label=_("Service"),
        error_messages={"required": _("Choose a service."),
                        "invalid_choice": _("Choose one of this unit's services from the list.")},
    )
    date = forms.CharField(
        label=_("Service date"),
        max_length=32,
        error_messages={"required": _("Enter the service date.")},
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("— choose a service —"))] + [
            (service.code, service_label(service)) for service in services
        ]

    def clean_date(self):
        try:
            return parse_date(self.cleaned_data["date"], field="date")
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message(get_language()), code=exc.code) from None

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a domain error (InvalidInput, NotFound...) on its field, in the active language."""
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, forms.ValidationError(exc.message(get_language()), code=exc.code))
