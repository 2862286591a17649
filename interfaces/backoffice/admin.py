"""Back office (Django admin) for payer officers, in Thai.

Every save goes through a domain service so that it writes its audit row; nothing here writes a
model directly. Deleting is not offered: units are suspended, rates are superseded, history stays.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from interfaces.backoffice import labels
from interfaces.backoffice.dates import BuddhistDateInput, audit_values_html, check_year
from interfaces.backoffice.display import ThaiDisplayMixin, choice_label, display_date
from interfaces.backoffice.filters import (
    AuditActionFilter,
    ObjectTypeFilter,
    ProvinceFilter,
    RegionFilter,
    province_choices_by_region,
)
from interfaces.backoffice.opening_hours import WeeklyHoursField
from interfaces.backoffice.site import backoffice_site
from raksa.audit.models import AuditEntry
from raksa.claims import items as claim_items
from raksa.claims.models import Item, ItemPrice
from raksa.core.choices import choice_labels
from raksa.core.errors import DomainError
from raksa.messaging.models import OutboundMessage, WebhookEvent
from raksa.people import national_id as nid
from raksa.people.models import Citizen, Coverage
from raksa.people.selectors import citizen_get_by_national_id
from raksa.people.services import citizen_reveal_national_id
from raksa.units import services as unit_services
from raksa.units.models import FeeRate, Service, StaffMembership, Unit, UnitService, UnitStatus, UnitType
from raksa.verification.models import VerificationAttempt, Visit


def _domain_error(request: HttpRequest, exc: DomainError) -> None:
    """A service refused the change: show why, and make the response return to the form."""
    messages.error(request, f"{exc.message(get_language())} ({exc.code})")
    request.raksa_refused = True


class BackofficeAdmin(ThaiDisplayMixin, admin.ModelAdmin):
    """Dates in Thai with the Buddhist year (shown, in inputs' readings, in the date hierarchy), choices
    in Thai; an object's history is the audit log (every change, from any entry point), not Django's
    admin log."""

    change_list_template = "backoffice/change_list.html"
    formfield_overrides = {models.DateField: {"widget": BuddhistDateInput}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and type(db_field) is models.DateField:
            field.validators.append(check_year)
        return field

    def history_view(self, request, object_id, extra_context=None):
        query = urlencode({"object_type": self.model._meta.label_lower, "object_id": object_id})
        return redirect(f"{reverse('backoffice:audit_auditentry_changelist')}?{query}")


class NoDeleteAdmin(BackofficeAdmin):
    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "raksa_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "raksa_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(label="เหตุผล (เจ้าหน้าที่หน่วยจะเห็นข้อความนี้)", max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}))


class UnitServiceInline(ThaiDisplayMixin, admin.TabularInline):
    model = UnitService
    extra = 0
    fields = ("service", "valid_from", "valid_to")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service")


@admin.register(Unit, site=backoffice_site)
class UnitAdmin(NoDeleteAdmin):
    list_display = ("hcode", "name", "unit_type", "province", "district", "status_badge", "claims_link")
    list_filter = ("status", "unit_type", RegionFilter, ProvinceFilter)
    search_fields = ("hcode", "name", "province__name_th")
    search_help_text = "ค้นหาด้วยรหัสหน่วย ชื่อหน่วย หรือชื่อจังหวัด"
    list_select_related = ("province",)
    readonly_fields = ("status", "status_reason", "status_changed_at", "created_at")
    fields = ("hcode", "name", "unit_type", "province", "district", "address", "latitude", "longitude", "phone",
              "opening_hours", "status", "status_reason", "status_changed_at", "created_at")
    actions = ["verify_units", "suspend_units"]
    inlines = [UnitServiceInline]

    @admin.display(description="สถานะ", ordering="status")
    def status_badge(self, obj: Unit):
        colour = {"verified": "#137333", "pending": "#b06000", "suspended": "#c5221f"}[obj.status]
        return format_html('<strong style="color:{}">{}</strong>', colour, choice_label(obj.get_status_display()))

    @admin.display(description="เคลมของหน่วย")
    def claims_link(self, obj: Unit):
        query = urlencode({"q": obj.hcode})
        return format_html('<a href="{}?{}">ดูเคลม</a>', reverse("backoffice:claims_claim_changelist"), query)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return self._thai(fields + ["hcode", "unit_type"]) if obj else fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "opening_hours":
            return WeeklyHoursField(label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "province":
            field.choices = province_choices_by_region()  # 77 provinces under their 13 regions
        return field

    def save_model(self, request, obj, form, change):
        try:
            if change:
                editable = unit_services.UNIT_EDITABLE_FIELDS
                changes = {f: form.cleaned_data[f] for f in form.changed_data if f in editable}
                if changes:
                    unit_services.unit_update(actor=request.user, unit=obj, **changes)
                if "opening_hours" in form.changed_data:
                    unit_services.unit_set_opening_hours(actor=request.user, unit=obj,
                                                         opening_hours=form.cleaned_data["opening_hours"])
            else:
                created = unit_services.unit_register(
                    actor=request.user, hcode=obj.hcode, name=obj.name, unit_type=obj.unit_type,
                    province=obj.province, address=obj.address, district=obj.district, latitude=obj.latitude,
                    longitude=obj.longitude, opening_hours=obj.opening_hours, phone=obj.phone)
                obj.pk = created.pk
        except DomainError as exc:
            _domain_error(request, exc)

    def save_related(self, request, form, formsets, change):
        pass  # contracts are added through their own page, each through a service

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)  # the read-only contracts were not saved

    def _confirm_units(self, request, queryset, *, action: str, title: str, question: str, apply_label: str,
                       form=None):
        return TemplateResponse(request, "backoffice/confirm_units.html", {
            **self.admin_site.each_context(request), "title": title, "units": queryset, "form": form,
            "question": question, "apply_label": apply_label, "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "opts": self.model._meta,
        })

    @admin.action(description="ยืนยันหน่วยบริการที่เลือก…")
    def verify_units(self, request, queryset):
        """Binding (the units may then serve and claim): asks first, on a page listing the units."""
        if "apply" not in request.POST:
            return self._confirm_units(
                request, queryset, action="verify_units", title="ยืนยันหน่วยบริการ",
                question="หน่วยบริการต่อไปนี้จะได้รับการยืนยัน ให้บริการและเบิกจ่ายได้ทันที:",
                apply_label="ยืนยันหน่วยบริการเหล่านี้")
        done = 0
        for unit in queryset.order_by("pk"):
            if unit.status != UnitStatus.VERIFIED:
                unit_services.unit_verify(actor=request.user, unit=unit, reason="ยืนยันโดยเจ้าหน้าที่")
                done += 1
        self.message_user(request, f"ยืนยันแล้ว {done} หน่วย", messages.SUCCESS)
        return None

    @admin.action(description="ระงับหน่วยบริการที่เลือก…")
    def suspend_units(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for unit in queryset.order_by("pk"):
                unit_services.unit_suspend(actor=request.user, unit=unit, reason=form.cleaned_data["reason"])
            self.message_user(request, f"ระงับแล้ว {queryset.count()} หน่วย", messages.WARNING)
            return None
        return self._confirm_units(
            request, queryset, action="suspend_units", title="ระงับหน่วยบริการ", form=form,
            question="หน่วยบริการต่อไปนี้จะถูกระงับ ให้บริการและเบิกจ่ายไม่ได้จนกว่าจะยืนยันอีกครั้ง:",
            apply_label="ยืนยันการระงับ")


@admin.register(Service, site=backoffice_site)
class ServiceAdmin(NoDeleteAdmin):
    list_display = ("code", "name_th", "name_en", "unit_type", "active", "illustrative", "current_rate")
    list_filter = ("unit_type", "active", "illustrative")
    search_fields = ("code", "name_th", "name_en")

    @admin.display(description="อัตราปัจจุบัน (บาท)")
    def current_rate(self, obj: Service):
        rate = obj.fee_rates.filter(effective_to__isnull=True).first()
        return rate.amount_baht if rate else "—"

    def save_model(self, request, obj, form, change):
        try:
            unit_services.service_save(actor=request.user, service=obj)
        except DomainError as exc:
            _domain_error(request, exc)


@admin.register(FeeRate, site=backoffice_site)
class FeeRateAdmin(NoDeleteAdmin):
    """Rates are never edited in place: a new rate supersedes the open one from its start date."""

    list_display = ("service", "amount_baht", "effective_from", "to_be", "illustrative", "note")
    list_filter = ("illustrative", "service__unit_type")
    search_fields = ("service__code", "service__name_th")
    list_select_related = ("service",)
    fields = ("service", "amount_baht", "effective_from", "note", "illustrative")

    @admin.display(description="ถึง", ordering="effective_to")
    def to_be(self, obj):
        return display_date(obj.effective_to) if obj.effective_to else "ปัจจุบัน"

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            created = unit_services.fee_rate_set(
                actor=request.user, service=obj.service, amount_baht=obj.amount_baht,
                effective_from=obj.effective_from, note=obj.note, illustrative=obj.illustrative)
            obj.pk = created.pk
        except DomainError as exc:
            _domain_error(request, exc)


class ItemForm(forms.ModelForm):
    unit_types = forms.MultipleChoiceField(label="ประเภทหน่วยที่เบิกได้",
                                           choices=[(v, choice_labels(UnitType, v).th) for v in UnitType.values],
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Item
        fields = ("code", "name_th", "name_en", "unit_types", "unit_label", "max_quantity", "illustrative")


@admin.register(Item, site=backoffice_site)
class ItemAdmin(NoDeleteAdmin):
    """Claimable items (medicines, supplies, further tests). Added through ``item_create``; an item is never edited
    in place (claims name it by code): a new code replaces it."""

    list_display = ("code", "name_th", "name_en", "unit_types_th", "unit_label", "max_quantity", "current_price",
                    "illustrative")

    @admin.display(description="ประเภทหน่วยที่เบิกได้")
    def unit_types_th(self, obj: Item):
        return ", ".join(choice_labels(UnitType, t).th for t in obj.unit_types)
    list_filter = ("illustrative", "active")
    search_fields = ("code", "name_th", "name_en")
    form = ItemForm

    @admin.display(description="ราคาปัจจุบัน (บาท)")
    def current_price(self, obj: Item):
        price = obj.prices.filter(effective_to__isnull=True).first()
        return price.baht_per_unit if price else "—"

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            created = claim_items.item_create(
                actor=request.user, code=obj.code, name_th=obj.name_th, name_en=obj.name_en,
                unit_types=obj.unit_types, unit_label=obj.unit_label, max_quantity=obj.max_quantity,
                illustrative=obj.illustrative)
            obj.pk = created.pk
        except DomainError as exc:
            _domain_error(request, exc)


@admin.register(ItemPrice, site=backoffice_site)
class ItemPriceAdmin(NoDeleteAdmin):
    """Prices are never edited in place: a new price supersedes the open one from its start date."""

    list_display = ("item", "baht_per_unit", "effective_from", "effective_to", "illustrative")
    list_filter = ("illustrative",)
    search_fields = ("item__code", "item__name_th")
    list_select_related = ("item",)
    fields = ("item", "baht_per_unit", "effective_from", "illustrative")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            created = claim_items.item_price_set(actor=request.user, item=obj.item, baht_per_unit=obj.baht_per_unit,
                                                 effective_from=obj.effective_from, illustrative=obj.illustrative)
            obj.pk = created.pk
        except DomainError as exc:
            _domain_error(request, exc)


@admin.register(UnitService, site=backoffice_site)
class UnitServiceAdmin(NoDeleteAdmin):
    list_display = ("unit", "service", "valid_from", "valid_to")
    search_fields = ("unit__hcode", "unit__name", "service__code")
    list_select_related = ("unit", "service")
    autocomplete_fields = ("unit", "service")
    fields = ("unit", "service", "valid_from")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            created = unit_services.unit_service_contract(actor=request.user, unit=obj.unit, service=obj.service,
                                                          valid_from=obj.valid_from)
            obj.pk = created.pk
        except DomainError as exc:
            _domain_error(request, exc)


@admin.register(StaffMembership, site=backoffice_site)
class StaffMembershipAdmin(NoDeleteAdmin):
    list_display = ("user", "unit", "role", "active")
    list_filter = ("role", "active")
    search_fields = ("user__username", "unit__hcode", "unit__name")
    list_select_related = ("user", "unit")
    autocomplete_fields = ("unit",)
    fields = ("user", "unit", "role")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            created = unit_services.staff_add(actor=request.user, user=obj.user, unit=obj.unit, role=obj.role)
            obj.pk = created.pk
        except DomainError as exc:
            _domain_error(request, exc)


class CoverageInline(ThaiDisplayMixin, admin.TabularInline):
    model = Coverage
    extra = 0
    can_delete = False
    fields = ("scheme", "subtype", "main_unit", "valid_from", "valid_to")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class FindForm(forms.Form):
    national_id = forms.CharField(label="เลขประจำตัวประชาชน 13 หลัก", max_length=20)


class RevealForm(forms.Form):
    purpose = forms.CharField(label="เหตุผลที่ต้องดูเลขประจำตัวเต็ม (บันทึกในบันทึกการตรวจสอบ)", max_length=200)


@admin.register(Citizen, site=backoffice_site)
class CitizenAdmin(ReadOnlyAdmin):
    """Masked everywhere. Search accepts a full national ID (exact match through the HMAC column)
    or a name; reading the full ID is a separate, audited step."""

    list_display = ("cid_masked", "full_name", "birth_date", "sex")
    search_fields = ("first_name_th", "last_name_th")
    search_help_text = "ค้นหาด้วยชื่อหรือนามสกุล (เลขประจำตัว: ใช้หน้า ค้นหาด้วยเลขประจำตัว)"
    change_list_template = "backoffice/citizen_changelist.html"
    fields = ("cid_masked", "title_th", "first_name_th", "last_name_th", "birth_date", "sex", "phone",
              "created_at", "reveal_link")
    readonly_fields = fields
    inlines = [CoverageInline]
    show_full_result_count = False  # COUNT(*) over millions of citizens on every page is wasted work

    @admin.display(description="ชื่อ-นามสกุล", ordering="first_name_th")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description="เลขประจำตัวเต็ม")
    def reveal_link(self, obj):
        url = reverse("backoffice:people_citizen_reveal", args=[obj.pk])
        return format_html('<a class="button" href="{}">แสดงเลขเต็ม (บันทึกการเข้าถึง)</a>', url)

    def get_search_results(self, request, queryset, search_term):
        digits = search_term.replace("-", "").replace(" ", "")
        if digits.isdigit() and len(digits) >= 6:
            # National IDs must not travel in URLs (logs, history): they are looked up by POST instead.
            messages.warning(request, "ค้นหาด้วยเลขประจำตัวประชาชนที่หน้า 'ค้นหาด้วยเลขประจำตัว'")
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request, extra_context=None):
        extra = {"find_url": reverse("backoffice:people_citizen_find"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def get_urls(self):
        return [
            path("<int:pk>/reveal/", self.admin_site.admin_view(self.reveal_view), name="people_citizen_reveal"),
            path("find/", self.admin_site.admin_view(self.find_view), name="people_citizen_find"),
        ] + super().get_urls()

    def find_view(self, request):
        """Exact lookup by full national ID through the HMAC column, by POST (never in a URL)."""
        form = FindForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                citizen = citizen_get_by_national_id(form.cleaned_data["national_id"])
            except DomainError as exc:
                form.add_error("national_id", exc.message(get_language()))
            else:
                return redirect("backoffice:people_citizen_change", citizen.pk)
        return TemplateResponse(request, "backoffice/find_citizen.html", {
            **self.admin_site.each_context(request), "title": "ค้นหาประชาชนด้วยเลขประจำตัว", "form": form,
            "opts": self.model._meta,
        })

    def reveal_view(self, request, pk: int):
        if not request.user.has_perm("people.reveal_national_id"):
            raise PermissionDenied
        citizen = get_object_or_404(Citizen, pk=pk)
        form = RevealForm(request.POST or None)
        revealed = None
        if request.method == "POST" and form.is_valid():
            value = citizen_reveal_national_id(actor=request.user, citizen=citizen,
                                               purpose=form.cleaned_data["purpose"])
            revealed = nid.format_full(value)
        elif request.method not in ("GET", "POST"):
            return redirect("backoffice:people_citizen_change", pk)
        return TemplateResponse(request, "backoffice/reveal_national_id.html", {
            **self.admin_site.each_context(request), "title": "เลขประจำตัวประชาชนเต็ม", "citizen": citizen,
            "form": form, "revealed": revealed, "opts": self.model._meta,
        })


@admin.register(AuditEntry, site=backoffice_site)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "action_th", "actor_th", "object_th", "request_id")
    list_filter = (AuditActionFilter, ObjectTypeFilter)
    search_fields = ("object_id", "actor_label", "request_id")
    search_help_text = "ค้นหาด้วยรหัสข้อมูล ชื่อผู้ใช้ หรือรหัสคำขอ"
    date_hierarchy = "at"
    fields = ("at", "actor_th", "action_th", "object_th", "before_th", "after_th", "request_id")
    readonly_fields = fields
    list_select_related = ("actor",)
    show_full_result_count = False

    @admin.display(description="การดำเนินการ", ordering="action")
    def action_th(self, obj):
        return format_html('{}<br><code>{}</code>', labels.audit_action_label(obj.action), obj.action)

    @admin.display(description="ผู้ดำเนินการ", ordering="actor_label")
    def actor_th(self, obj):
        return labels.actor_label(obj.actor_label)

    @admin.display(description="ข้อมูลที่เปลี่ยน", ordering="object_type")
    def object_th(self, obj):
        return f"{labels.object_type_label(obj.object_type)} {obj.object_id}"

    @admin.display(description="ก่อนเปลี่ยน")
    def before_th(self, obj):
        return audit_values_html(obj.before)

    @admin.display(description="หลังเปลี่ยน")
    def after_th(self, obj):
        return audit_values_html(obj.after)


@admin.register(OutboundMessage, site=backoffice_site)
class OutboundMessageAdmin(ReadOnlyAdmin):
    """Every LINE push Raksa made, newest first; the failed ones (after their retries) are the ones to act
    on: filter by status "ส่งไม่สำเร็จ". Read-only: the jobs write these rows."""

    list_display = ("created_at", "kind", "status", "attempts", "recipient", "citizen", "summary", "error")
    list_filter = ("status", "kind")
    search_fields = ("line_user_id", "dedupe_key")
    search_help_text = "ค้นหาด้วยรหัสผู้ใช้ LINE หรือกุญแจกันส่งซ้ำ"
    fields = ("created_at", "kind", "status", "attempts", "sent_at", "recipient", "citizen", "summary", "error",
              "retry_key_code")
    readonly_fields = fields
    list_select_related = ("citizen",)
    show_full_result_count = False
    ordering = ("-created_at",)

    @admin.display(description="ผู้รับ (LINE)", ordering="line_user_id")
    def recipient(self, obj):
        return format_html("<code>{}</code>", obj.line_user_id)

    @admin.display(description="ข้อความ")
    def summary(self, obj):
        return " / ".join(m.get("altText") or m.get("text") or "" for m in obj.messages if isinstance(m, dict))

    @admin.display(description="ข้อผิดพลาดล่าสุด")
    def error(self, obj):
        return format_html("<code>{}</code>", obj.last_error) if obj.last_error else "-"

    @admin.display(description="กุญแจส่งซ้ำของ LINE")
    def retry_key_code(self, obj):
        return format_html("<code>{}</code>", obj.retry_key)


@admin.register(WebhookEvent, site=backoffice_site)
class WebhookEventAdmin(ReadOnlyAdmin):
    """What LINE sent Raksa (follows, taps, messages), newest first, with what came of each; one that failed
    after its tries (outcome "ผิดพลาด") is a citizen's action to follow up. Read-only: the jobs write these rows."""

    list_display = ("received_at", "type", "outcome", "attempts", "sender", "detail")
    list_filter = ("outcome", "type")
    search_fields = ("webhook_event_id",)
    search_help_text = "ค้นหาด้วยรหัสเหตุการณ์ของ LINE"
    fields = ("received_at", "type", "outcome", "attempts", "handled_at", "sender", "detail", "webhook_event_id")
    readonly_fields = fields
    show_full_result_count = False
    ordering = ("-received_at",)

    @admin.display(description="ผู้ส่ง (LINE)")
    def sender(self, obj):
        return format_html("<code>{}</code>", (obj.payload.get("source") or {}).get("userId", "-"))


@admin.register(Visit, site=backoffice_site)
class VisitAdmin(ReadOnlyAdmin):
    """Visits and their authen codes, newest first: who was verified where, how and by whom, and how the visit
    ended. Read-only: the counter's services write these rows (raksa/verification)."""

    list_display = ("opened_at", "authen_code", "unit", "citizen", "method", "status", "verified_by_label",
                    "face_distance")
    list_filter = ("status", "method")
    search_fields = ("authen_code", "unit__hcode")
    search_help_text = "ค้นหาด้วยรหัสยืนยันการเข้ารับบริการหรือรหัสหน่วย"
    fields = ("authen_code", "day", "opened_at", "unit", "citizen", "service", "booking", "method",
              "verified_by_label", "face_distance", "rights", "status", "closed_at", "close_reason",
              "service_confirmed_at")
    readonly_fields = fields
    list_select_related = ("unit", "citizen")
    show_full_result_count = False
    ordering = ("-opened_at",)


@admin.register(VerificationAttempt, site=backoffice_site)
class VerificationAttemptAdmin(ReadOnlyAdmin):
    """Every verification try at a counter, successful or not: many failed face tries at one unit, or tries
    for people the unit never served, are what an officer looks into. No image is kept."""

    list_display = ("at", "unit", "citizen", "method", "outcome", "code", "face_distance", "actor_label")
    list_filter = ("outcome", "method")
    search_fields = ("unit__hcode", "code")
    search_help_text = "ค้นหาด้วยรหัสหน่วยหรือรหัสเหตุผล"
    fields = ("at", "unit", "citizen", "staff", "actor_label", "method", "outcome", "code", "face_distance", "visit")
    readonly_fields = fields
    list_select_related = ("unit", "citizen")
    show_full_result_count = False
    ordering = ("-at",)
