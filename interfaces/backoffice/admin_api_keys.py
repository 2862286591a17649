"""Units' API keys in the back office: officers see every unit's keys and revoke any of them.

Revoking goes through :func:`raksa.units.services.unit_api_key_revoke` (the one the portal uses), which
writes the audit row. Keys are issued only by a unit's administrators, in the portal; nothing here adds,
edits or deletes a key, and the digest is never shown.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages

from interfaces.backoffice.site import backoffice_site
from raksa.core.errors import DomainError
from raksa.core.thaidate import format_datetime
from raksa.units.models import UnitApiKey
from raksa.units.roles import is_officer
from raksa.units.services import unit_api_key_revoke


class KeyStateFilter(admin.SimpleListFilter):
    title = "สถานะกุญแจ"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", "ใช้งานอยู่"), ("revoked", "เพิกถอนแล้ว")]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(UnitApiKey, site=backoffice_site)
class UnitApiKeyAdmin(admin.ModelAdmin):
    change_list_template = "backoffice/change_list.html"  # the back office's Thai search form
    list_display = ("unit", "label", "prefix_shown", "issued", "state")
    list_filter = (KeyStateFilter,)
    search_fields = ("unit__hcode", "unit__name", "label", "prefix")
    list_select_related = ("unit",)
    fields = ("unit", "label", "prefix_shown", "issued", "state")
    readonly_fields = fields
    ordering = ("-created_at",)
    actions = ["revoke_keys"]

    @admin.display(description="ขึ้นต้นด้วย", ordering="prefix")
    def prefix_shown(self, obj: UnitApiKey) -> str:
        return f"{obj.prefix}…"

    @admin.display(description="ออกเมื่อ", ordering="created_at")
    def issued(self, obj: UnitApiKey) -> str:
        return format_datetime(obj.created_at, language="th")

    @admin.display(description="สถานะ", ordering="revoked_at")
    def state(self, obj: UnitApiKey) -> str:
        if obj.revoked_at is None:
            return "ใช้งานอยู่"
        return f"เพิกถอนแล้วเมื่อ {format_datetime(obj.revoked_at, language='th')}"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("digest")

    def has_module_permission(self, request):
        return is_officer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_officer(request.user)

    def has_revoke_permission(self, request):
        return is_officer(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="เพิกถอนกุญแจที่เลือก", permissions=["revoke"])
    def revoke_keys(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True).order_by("pk"):
            try:
                unit_api_key_revoke(actor=request.user, api_key=api_key)
            except DomainError as exc:
                self.message_user(request, f"{api_key.prefix}…: {exc.message_th}", messages.ERROR)
            else:
                revoked += 1
        self.message_user(request, f"เพิกถอนแล้ว {revoked} กุญแจ ระบบที่ใช้กุญแจเหล่านี้จะถูกปฏิเสธภายใน "
                                   f"{settings.RAKSA_API_KEY_CACHE_SECONDS:g} วินาที", messages.SUCCESS)
