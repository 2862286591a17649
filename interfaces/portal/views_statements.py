"""The unit's payment statements (issued by the payer's officers) with CSV and PDF downloads; a unit sees and
downloads only its own (another unit's statement is 404, never 403: its existence is not told)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from interfaces.portal.permissions import staff_required
from interfaces.portal.views import unit_context
from raksa.claims.models import PaymentStatement, PaymentStatementStatus
from raksa.claims.statements import statement_csv, statement_pdf
from raksa.core.choices import choice_labels


def _own(request, statement_id: int) -> PaymentStatement:
    statement = (PaymentStatement.objects.select_related("unit")
                 .filter(pk=statement_id, unit=request.portal.unit).first())
    if statement is None:
        raise Http404
    return statement


# A suspended unit still reads what it was paid for earlier claims: not only verified units.
@require_GET
@staff_required(require_verified=False)
def statements(request):
    english = (get_language() or "th").startswith("en")
    rows = [{"s": s, "status": getattr(choice_labels(PaymentStatementStatus, s.status), "en" if english else "th")}
            for s in PaymentStatement.objects.filter(unit=request.portal.unit).order_by("-issued_at")[:200]]
    return render(request, "portal/statements.html", unit_context(request) | {"rows": rows})


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@staff_required(require_verified=False)
def statement_csv_download(request, statement_id: int):
    statement = _own(request, statement_id)
    return _download(statement_csv(statement).encode("utf-8"), "text/csv; charset=utf-8", f"{statement.reference}.csv")


@require_GET
@staff_required(require_verified=False)
def statement_pdf_download(request, statement_id: int):
    statement = _own(request, statement_id)
    return _download(statement_pdf(statement), "application/pdf", f"{statement.reference}.pdf")
