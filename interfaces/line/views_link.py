"""Link this LINE account to a citizen (seed 0.1/0.2), and unlink it: the linking part's services."""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from interfaces.line.forms import LinkForm
from interfaces.line.session import liff_signed_in, safe_next
from interfaces.line.views import page, problem
from raksa.core.errors import DomainError
from raksa.people.selectors import citizen_by_line_user
from raksa.people.services import citizen_line_link, citizen_line_unlink


@require_http_methods(["GET", "POST"])
@liff_signed_in
def link(request):
    line_user_id = request.liff.line_user_id
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    linked = citizen_by_line_user(line_user_id)
    if linked is not None:
        return page(request, "line/link_done.html", {"citizen": linked, "next": next_url})
    form = LinkForm(request.POST if request.method == "POST" else None)
    status, refusal = 200, ""
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                citizen_line_link(line_user_id=line_user_id, national_id=data["national_id"],
                                  birth_date=data["birth_date"], laser_code=data["laser_code"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status, refusal = exc.status, exc.code
            else:
                separator = "&" if "?" in next_url else "?"
                return redirect(f"{next_url}{separator}ok=linked")
        else:
            status = 422
    return page(request, "line/link.html", {"form": form, "next": next_url, "refusal": refusal}, status=status)


@require_http_methods(["GET", "POST"])
@liff_signed_in
def unlink(request):
    """GET asks to confirm; POST unlinks (the citizen's bookings stay; LINE messages stop)."""
    citizen = citizen_by_line_user(request.liff.line_user_id)
    if citizen is None:
        return redirect("/liff/link")
    if request.method == "POST":
        try:
            citizen_line_unlink(line_user_id=request.liff.line_user_id)
        except DomainError as exc:
            return problem(request, exc)
        return redirect("/liff/link?ok=unlinked")
    return page(request, "line/unlink.html", {"citizen": citizen})
