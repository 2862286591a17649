"""Claims in the back office: search, the review queue with each claim's whole picture and the officer's
decision, payment statements (issue, list, detail, CSV/PDF, mark paid) and the dashboards.

Every change goes through raksa.claims.review / raksa.claims.statements (which write the audit rows); binding
steps ask for confirmation first (the POST without ``confirm`` shows what will happen, nothing changes yet).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language

from interfaces.backoffice import charts
from interfaces.backoffice.admin import NoDeleteAdmin, ReadOnlyAdmin
from interfaces.backoffice.dates import BuddhistDateInput, check_year
from interfaces.backoffice.display import choice_label, display_date
from interfaces.backoffice.site import backoffice_site
from raksa.claims import selectors_backoffice as read
from raksa.claims.models import Claim, ClaimStatus, PaymentStatement, PaymentStatementStatus
from raksa.claims.review import claim_review_accept, claim_review_reject
from raksa.claims.statements import (
    statement_claims,
    statement_csv,
    statement_issue,
    statement_mark_paid,
    statement_pdf,
    statements_issue_all,
)
from raksa.core import thaidate
from raksa.core.errors import DomainError
from raksa.core.timeutil import service_day
from raksa.units.models import Unit, UnitType

QUEUE_PAGE = 200  # the oldest first; deciding them brings the next ones up
STATUS_COLOURS = {"submitted": "#6b7280", "accepted": "#137333", "rejected": "#c5221f", "in_review": "#b06000",
                  "paid": "#1a56a8"}


def _status(value: str) -> str:
    return choice_label(dict(ClaimStatus.choices).get(value, value))


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _refused(request, exc: DomainError) -> None:
    messages.error(request, f"{exc.message(get_language())} ({exc.code})")


class DecisionForm(forms.Form):
    note = forms.CharField(label="หมายเหตุ (ไม่บังคับ)", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label="เหตุผลที่ไม่อนุมัติ (หน่วยบริการจะเห็นข้อความนี้)", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "กรุณาเขียนเหตุผล หน่วยบริการจะอ่านเพื่อรู้ว่าต้องแก้ไขอะไร"})


@admin.register(Claim, site=backoffice_site)
class ClaimAdmin(ReadOnlyAdmin):
    """Claim search: by authen code or reference, unit code or name; filters by status and source; a service
    date range (from/to above the list). A claim opens on its whole picture (the review page)."""

    change_list_template = "backoffice/claims/claim_changelist.html"
    list_display = ("reference_link", "unit_name", "service_name", "service_date", "amount", "status_badge",
                    "submitted_at")
    list_filter = ("status", "source")
    search_fields = ("authen_code", "unit__hcode", "unit__name")
    search_help_text = "ค้นหาด้วยรหัสยืนยัน (PP…) หรือเลขอ้างอิงเคลม รหัสหน่วย หรือชื่อหน่วย"
    list_select_related = ("unit", "service")
    show_full_result_count = False
    ordering = ("-submitted_at",)

    @admin.display(description="เลขอ้างอิงเคลม", ordering="authen_code")
    def reference_link(self, obj: Claim):
        return format_html('<a href="{}"><code>{}</code></a>',
                           reverse("backoffice:claims_claim_review", args=[obj.pk]), obj.reference)

    @admin.display(description="หน่วยบริการ", ordering="unit__hcode")
    def unit_name(self, obj: Claim):
        return f"{obj.unit.hcode} {obj.unit.name}"

    @admin.display(description="บริการ")
    def service_name(self, obj: Claim):
        return f"{obj.service.code} {obj.service.name_th}"

    @admin.display(description="สถานะ", ordering="status")
    def status_badge(self, obj: Claim):
        return format_html('<strong style="color:{}">{}</strong>', STATUS_COLOURS.get(obj.status, "#111"),
                           _status(obj.status))

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().upper()
        if "-" in term and term.startswith("PP"):  # a reference PP0123456789-2: the code and the version
            code, _sep, version = term.rpartition("-")
            if version.isdigit():
                return queryset.filter(authen_code=code, version=int(version)), False
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request, extra_context=None):
        # The service-date range is two of the admin's own lookups (service_date__gte/__lte): kept in every
        # link of the list; a value that is not a date is refused by the admin (its "?e=1" page).
        extra = {"range_from": BuddhistDateInput().render("service_date__gte", request.GET.get("service_date__gte"),
                                                          {"id": "id_range_from"}),
                 "range_to": BuddhistDateInput().render("service_date__lte", request.GET.get("service_date__lte"),
                                                        {"id": "id_range_to"}),
                 "kept": [(k, v) for k, v in request.GET.items() if k not in ("service_date__gte",
                                                                               "service_date__lte", "p")],
                 "review_url": reverse("backoffice:claims_claim_review_queue"),
                 "dashboard_url": reverse("backoffice:claims_claim_dashboard"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("backoffice:claims_claim_review", object_id)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("review/", view(self.queue_view), name="claims_claim_review_queue"),
            path("dashboard/", view(self.dashboard_view), name="claims_claim_dashboard"),
            path("<int:pk>/review/", view(self.review_view), name="claims_claim_review"),
            path("<int:pk>/review/<slug:decision>/", view(self.decide_view), name="claims_claim_decide"),
        ] + super().get_urls()

    def _context(self, request, title: str, **more):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **more}

    def queue_view(self, request):
        _require(request, "claims.view_claim")
        now = timezone.now()
        queue = read.review_queue()
        rows = [{"claim": c, "status": _status(c.status), "reasons": read.reasons_of(c),
                 "waiting_hours": int((now - c.submitted_at).total_seconds() // 3600)} for c in queue[:QUEUE_PAGE]]
        reported = [{"claim": c, "reasons": read.reasons_of(c)} for c in read.reported_after_payment()[:QUEUE_PAGE]]
        return TemplateResponse(request, "backoffice/claims/review_queue.html", self._context(
            request, "เคลมรอเจ้าหน้าที่ตรวจสอบ", rows=rows, reported=reported,
            waiting=queue.count() if len(rows) == QUEUE_PAGE else len(rows)))

    def review_view(self, request, pk: int):
        _require(request, "claims.view_claim")
        picture = read.claim_picture(pk)
        if picture is None:
            raise Http404
        claim = picture.claim
        return TemplateResponse(request, "backoffice/claims/review_claim.html", self._context(
            request, f"เคลม {claim.reference}", p=picture, claim=claim, status=_status(claim.status),
            can_decide=claim.status == ClaimStatus.IN_REVIEW and request.user.has_perm("claims.change_claim"),
            accept_form=DecisionForm(), reject_form=RejectForm(),
            method=choice_label(claim.visit.get_method_display()) if claim.visit else "",
            visit_status=choice_label(claim.visit.get_status_display()) if claim.visit else "",
            source=choice_label(claim.get_source_display()),
            unit_type=choice_label(claim.unit.get_unit_type_display()),
            attempts=[{"a": a, "method": choice_label(a.get_method_display()),
                       "outcome": choice_label(a.get_outcome_display())} for a in picture.attempts],
            same_day_claims=[{"c": c, "status": _status(c.status)} for c in picture.same_day_claims],
            history=[{"c": c, "status": _status(c.status)} for c in picture.history]))

    def decide_view(self, request, pk: int, decision: str):
        """POST: asks first (what will happen); POST with ``confirm``: decides. Refusals say why."""
        _require(request, "claims.change_claim")
        if decision not in ("accept", "reject") or request.method != "POST":
            return redirect("backoffice:claims_claim_review", pk)
        claim = Claim.objects.select_related("unit", "service").filter(pk=pk).first()
        if claim is None:
            raise Http404
        form = (DecisionForm if decision == "accept" else RejectForm)(request.POST)
        if not form.is_valid():
            picture = read.claim_picture(pk)
            messages.error(request, "กรุณาแก้ไขข้อผิดพลาดด้านล่าง")
            return TemplateResponse(request, "backoffice/claims/confirm_decision.html", self._context(
                request, "ยืนยันการตัดสินเคลม", claim=claim, form=form, decision=decision, p=picture,
                invalid=True), status=422)
        if "confirm" not in request.POST:
            return TemplateResponse(request, "backoffice/claims/confirm_decision.html", self._context(
                request, "ยืนยันการตัดสินเคลม", claim=claim, form=form, decision=decision))
        try:
            if decision == "accept":
                claim_review_accept(actor=request.user, claim_id=pk, note=form.cleaned_data["note"])
                messages.success(request, f"อนุมัติเคลม {claim.reference} แล้ว")
            else:
                claim_review_reject(actor=request.user, claim_id=pk, reason=form.cleaned_data["reason"])
                messages.warning(request, f"ไม่อนุมัติเคลม {claim.reference} แล้ว หน่วยบริการจะเห็นเหตุผล")
        except DomainError as exc:
            _refused(request, exc)
            return redirect("backoffice:claims_claim_review", pk)
        return redirect("backoffice:claims_claim_review_queue")

    def dashboard_view(self, request):
        _require(request, "claims.view_claim")
        days, by_status = read.claims_per_day(days=30)
        per_day = charts.stacked_columns(
            chart_id="chart-per-day", title="เคลมต่อวันตามสถานะ (30 วันล่าสุด)",
            labels=[thaidate.format_date(d, short=True).rsplit(" ", 1)[0] for d in days],
            series=[charts.Series(_status(s), STATUS_COLOURS[s], by_status[s]) for s in ClaimStatus.values])
        reasons = charts.horizontal_bars(
            chart_id="chart-reasons", title="เหตุผลที่เคลมไม่ผ่านบ่อยที่สุด (30 วันล่าสุด)", value_head="จำนวนเคลม",
            rows=[(f"{title} ({code})", n, f"{n:,}") for code, title, n in read.top_rejection_reasons()],
            colour="#c5221f")
        type_names = {value: choice_label(label) for value, label in UnitType.choices}
        by_type = charts.horizontal_bars(
            chart_id="chart-unit-type", title="ปริมาณเคลมตามประเภทหน่วยบริการ (30 วันล่าสุด)",
            value_head="จำนวนเคลม (ยอดเบิก บาท)",
            rows=[(type_names.get(k, k), n, f"{n:,} ({baht:,.2f} บาท)") for k, n, baht in read.volume_by("unit_type")])
        by_province = charts.horizontal_bars(
            chart_id="chart-province", title="ปริมาณเคลมตามจังหวัด (30 วันล่าสุด)",
            value_head="จำนวนเคลม (ยอดเบิก บาท)",
            rows=[(k, n, f"{n:,} ({baht:,.2f} บาท)") for k, n, baht in read.volume_by("province")[:20]])
        buckets, median = read.hours_to_payment()
        to_payment = charts.horizontal_bars(
            chart_id="chart-hours", title="ชั่วโมงจากการรับบริการถึงการจ่ายเงิน (เคลมที่จ่ายใน 30 วันล่าสุด)",
            value_head="จำนวนเคลม", colour="#1a56a8",
            rows=[(f"{low}–{high} ชั่วโมง" if high else f"{low} ชั่วโมงขึ้นไป", n, f"{n:,}") for (low, high), n in buckets])
        return TemplateResponse(request, "backoffice/claims/dashboard.html", self._context(
            request, "แดชบอร์ดเคลม", charts=[per_day, reasons, by_type, by_province, to_payment],
            median=f"{median:,.1f}" if median is not None else None, today=display_date(service_day())))


class IssueForm(forms.Form):
    hcode = forms.CharField(label="รหัสหน่วยบริการ (เว้นว่าง: ทุกหน่วยที่มีเคลมผ่านแล้วในช่วงนี้)", max_length=5,
                            required=False)
    period_from = forms.DateField(label="วันที่รับบริการ ตั้งแต่", widget=BuddhistDateInput, validators=[check_year])
    period_to = forms.DateField(label="ถึง", widget=BuddhistDateInput, validators=[check_year])

    def clean_hcode(self):
        hcode = self.cleaned_data["hcode"].strip()
        if hcode and not Unit.objects.filter(hcode=hcode).exists():
            raise forms.ValidationError("ไม่พบหน่วยบริการรหัสนี้")
        return hcode


@admin.register(PaymentStatement, site=backoffice_site)
class PaymentStatementAdmin(NoDeleteAdmin):
    """Payment statements: issued by the "issue" page (never added or edited as a form), paid by an action that
    asks first; each has its claims, a CSV and a PDF."""

    list_display = ("reference", "unit_name", "period_from", "period_to", "claim_count", "total", "status",
                    "issued_at", "downloads")
    list_filter = ("status",)
    search_fields = ("reference", "unit__hcode", "unit__name")
    search_help_text = "ค้นหาด้วยเลขที่ใบแจ้ง รหัสหน่วย หรือชื่อหน่วย"
    list_select_related = ("unit",)
    fields = ("reference", "unit", "period_from", "period_to", "claim_count", "total", "status", "issued_at",
              "issued_by", "paid_at", "paid_by")
    readonly_fields = fields
    actions = ["mark_paid"]
    change_form_template = "backoffice/claims/statement_change_form.html"
    change_list_template = "backoffice/claims/statement_changelist.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="หน่วยบริการ", ordering="unit__hcode")
    def unit_name(self, obj):
        return f"{obj.unit.hcode} {obj.unit.name}"

    @admin.display(description="ดาวน์โหลด")
    def downloads(self, obj):
        return format_html('<a href="{}">CSV</a> · <a href="{}">PDF</a>',
                           reverse("backoffice:claims_paymentstatement_csv", args=[obj.pk]),
                           reverse("backoffice:claims_paymentstatement_pdf", args=[obj.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("issue/", view(self.issue_view), name="claims_paymentstatement_issue"),
            path("<int:pk>/csv/", view(self.csv_view), name="claims_paymentstatement_csv"),
            path("<int:pk>/pdf/", view(self.pdf_view), name="claims_paymentstatement_pdf"),
            path("<int:pk>/pay/", view(self.pay_view), name="claims_paymentstatement_pay"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {"issue_url": reverse("backoffice:claims_paymentstatement_issue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        statement = PaymentStatement.objects.filter(pk=object_id).first()
        extra = extra_context or {}
        if statement is not None:
            extra = {**extra, "statement": statement, "claims": [
                {"c": c, "status": _status(c.status)} for c in statement_claims(statement)],
                "can_pay": statement.status == PaymentStatementStatus.ISSUED
                and request.user.has_perm("claims.change_paymentstatement")}
        return super().change_view(request, object_id, form_url, extra)

    def _statement(self, request, pk: int) -> PaymentStatement:
        _require(request, "claims.view_paymentstatement")
        statement = PaymentStatement.objects.select_related("unit").filter(pk=pk).first()
        if statement is None:
            raise Http404
        return statement

    def csv_view(self, request, pk: int):
        statement = self._statement(request, pk)
        response = HttpResponse(statement_csv(statement).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{statement.reference}.csv"'
        return response

    def pdf_view(self, request, pk: int):
        statement = self._statement(request, pk)
        response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{statement.reference}.pdf"'
        return response

    def issue_view(self, request):
        _require(request, "claims.add_paymentstatement")
        form = IssueForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["hcode"]:
                    issued = [statement_issue(actor=request.user, unit=Unit.objects.get(hcode=data["hcode"]),
                                              period_from=data["period_from"], period_to=data["period_to"])]
                else:
                    issued = statements_issue_all(actor=request.user, period_from=data["period_from"],
                                                  period_to=data["period_to"])
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message(get_language()))
            else:
                if not issued:
                    form.add_error(None, "ไม่มีหน่วยบริการใดมีเคลมที่ผ่านแล้วและยังไม่อยู่ในใบแจ้งในช่วงวันที่นี้")
                else:
                    total = sum(s.total for s in issued)
                    messages.success(request, f"ออกใบแจ้ง {len(issued)} ฉบับ รวม {total:,.2f} บาท: "
                                              + ", ".join(s.reference for s in issued))
                    if len(issued) == 1:
                        return redirect("backoffice:claims_paymentstatement_change", issued[0].pk)
                    return redirect("backoffice:claims_paymentstatement_changelist")
        return TemplateResponse(request, "backoffice/claims/statement_issue.html", {
            **self.admin_site.each_context(request), "title": "ออกใบแจ้งการจ่ายเงิน", "form": form,
            "opts": self.model._meta, "media": self.media + form.media},
            status=422 if request.method == "POST" else 200)

    def pay_view(self, request, pk: int):
        """GET or POST without ``confirm``: the question; POST with ``confirm``: paid."""
        statement = self._statement(request, pk)
        _require(request, "claims.change_paymentstatement")
        if request.method == "POST" and "confirm" in request.POST:
            try:
                statement_mark_paid(actor=request.user, statement_id=statement.pk)
            except DomainError as exc:
                _refused(request, exc)
            else:
                messages.success(request, f"บันทึกการจ่ายใบแจ้ง {statement.reference} แล้ว")
            return redirect("backoffice:claims_paymentstatement_change", statement.pk)
        return TemplateResponse(request, "backoffice/claims/confirm_pay.html", {
            **self.admin_site.each_context(request), "title": "ยืนยันการจ่ายเงิน", "statements": [statement],
            "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "single": True})

    @admin.action(description="บันทึกว่าจ่ายเงินตามใบแจ้งที่เลือกแล้ว…")
    def mark_paid(self, request, queryset):
        _require(request, "claims.change_paymentstatement")
        if "confirm" not in request.POST:
            return TemplateResponse(request, "backoffice/claims/confirm_pay.html", {
                **self.admin_site.each_context(request), "title": "ยืนยันการจ่ายเงิน",
                "statements": queryset.select_related("unit"), "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME})
        done = 0
        for statement in queryset.order_by("pk"):
            try:
                statement_mark_paid(actor=request.user, statement_id=statement.pk)
                done += 1
            except DomainError as exc:
                _refused(request, exc)
        self.message_user(request, f"บันทึกการจ่ายแล้ว {done} ใบแจ้ง", messages.SUCCESS)
        return None
