"""The citizen's side of the LINE confirmation QR (flow 1.1's fallback; seed 3.4): scan the unit's QR in LINE,
see the unit's name and what is being confirmed, confirm or decline.

Thin: ``raksa.verification.line_confirm`` does the work (``line_confirmation_scan`` when the page opens,
which also tells the portal "scanned"; ``line_confirmation_answer`` on the tap), as the person signed in to
this page (the LIFF session's LINE user id). A refusal answers a page saying what to do next.

Where the scanner is: "สแกน QR ที่หน่วยบริการ" (``/liff/scan``) is on the LIFF menu page, the rights-QR page
and my bookings, not on the rich menu: its four areas (2 × 2 large buttons, ``raksa/messaging/richmenu.py``)
are full, and a fifth would shrink every button the elderly aim at. A citizen needs the scanner only when
staff ask at the counter, and they say where it is.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from interfaces.line.confirm_links import LIFF_PAGE, liff_confirm_url, token_from_scan
from interfaces.line.session import liff_citizen, standin_in_use
from interfaces.line.views import page
from raksa.core.errors import DomainError
from raksa.verification.line_confirm import line_confirmation_answer, line_confirmation_scan
from raksa.verification.models import ConfirmationPurpose, Visit

MAX_TOKEN = 100  # a token is 47 characters; anything longer is not one (and is not echoed back)
IDENTITY, SERVICE = ConfirmationPurpose.IDENTITY, ConfirmationPurpose.SERVICE

# What the citizen reads for each refusal of the confirmation service: a title and what to do next. Fixed
# sentences in this app's catalogue (the domain's messages speak to staff); other refusals (not eligible, an
# open visit at another unit, a unit that may not serve) show the domain's own message.
REFUSALS = {
    "CONFIRM_UNKNOWN": (
        gettext_noop("This QR code cannot be used"),
        gettext_noop("It is not a confirmation QR code from a Raksa unit, or it was not read completely. Ask "
                     "the staff to show the QR code again, then scan it once more.")),
    "CONFIRM_EXPIRED": (
        gettext_noop("This QR code has expired"),
        gettext_noop("Each code works for a few minutes only, and a newer code replaces it. Ask the staff to "
                     "show a new QR code, then scan it.")),
    "CONFIRM_USED": (
        gettext_noop("This QR code has already been answered"),
        gettext_noop("Each code works once. If you have not confirmed yet, ask the staff to show a new QR "
                     "code.")),
    "CONFIRM_WRONG_PERSON": (
        gettext_noop("This QR code is for another person"),
        gettext_noop("Nothing was recorded. Only the person being served confirms, in the LINE account linked "
                     "to their own ID card.")),
}


def service_text(service) -> str:
    if service is None:
        return ""
    return service.name_en if (get_language() or "th").startswith("en") else service.name_th


def refused(request, exc: DomainError):
    """A refusal as a page: what happened and what to do next (nothing was recorded)."""
    title, advice = REFUSALS.get(exc.code, (gettext_noop("We could not confirm this"), ""))
    return page(request, "line/confirm_refused.html", {
        "title": _(title), "advice": _(advice) if advice else exc.message(get_language()),
        "code": exc.code, "tell_staff": exc.code not in REFUSALS, "citizen": request.liff.citizen,
    }, status=exc.status)


@require_http_methods(["GET"])
@liff_citizen
def scan(request):
    """The page with the scan button (``liff.scanCodeV2()``); the script comes back here with ``?code=`` (the
    scanned text), which goes on to the confirm page when it holds a confirmation token."""
    code = request.GET.get("code")
    error = ""
    if code is not None:
        token = token_from_scan(code)
        if token:
            return redirect(f"{LIFF_PAGE}?{urlencode({'t': token})}")
        if code.strip().startswith("RQ1."):
            error = _("This is a rights QR code: you show it at the counter and the staff scan it. Here, scan "
                      "the QR code on the unit's screen.")
        else:
            error = _("This QR code is not a confirmation QR code from a Raksa unit. Scan the QR code the staff "
                      "show on the unit's screen.")
    return page(request, "line/scan.html", {"error": error, "liff_id": settings.LINE_LIFF_ID,
                                            "liff_sdk_url": settings.LINE_LIFF_SDK_URL},
                status=422 if error else 200)


@require_http_methods(["GET", "POST"])
@liff_citizen
def confirm(request):
    """GET ``?t=<token>``: what this QR asks the citizen to confirm (scanning it tells the portal "scanned");
    POST ``t`` and ``answer`` (``confirm`` or ``decline``): the answer, then the result page."""
    data = request.POST if request.method == "POST" else request.GET
    token = data.get("t", "").strip()[:MAX_TOKEN]
    if not token:
        return redirect("/liff/scan")
    line_user_id = request.liff.line_user_id
    if request.method == "GET":
        try:
            row = line_confirmation_scan(token=token, line_user_id=line_user_id)
        except DomainError as exc:
            return refused(request, exc)
        return page(request, "line/confirm.html", {
            "token": token, "unit": row.unit, "service": service_text(row.service or getattr(row.visit, "service",
                                                                                              None)),
            "identity": row.purpose == IDENTITY, "expires_at": row.expires_at})
    answer = data.get("answer", "")
    if answer not in ("confirm", "decline"):
        return redirect(f"{LIFF_PAGE}?{urlencode({'t': token})}")  # no answer given: ask again
    try:
        row = line_confirmation_answer(token=token, line_user_id=line_user_id, confirm=answer == "confirm")
    except DomainError as exc:
        return refused(request, exc)
    if answer == "decline":
        return redirect("/liff/confirm/declined")
    return redirect(f"/liff/confirm/done/{row.visit_id}?{urlencode({'what': row.purpose})}")


@require_http_methods(["GET"])
@liff_citizen
def confirm_done(request, visit_id: int):
    """After confirming: the visit, with its authen code.

    The authen code is shown to the citizen, as NHSO's own app shows it: it is their visit, the same code is
    on the unit's receipt, and seeing it lets them recognise later a claim made in their name. It gives no
    one else anything: a claim needs the unit's own credentials, and this page answers only the citizen
    signed in (another person's visit is "not found")."""
    visit = (Visit.objects.select_related("unit", "service")
             .filter(pk=visit_id, citizen=request.liff.citizen).first())
    if visit is None:
        return page(request, "line/problem.html", {
            "error": _("This visit is not among yours. Open the Raksa menu to go on."), "back": "/liff/"},
            status=404)
    what = SERVICE if request.GET.get("what") == SERVICE and visit.service_confirmed_at else IDENTITY
    return page(request, "line/confirm_done.html", {"visit": visit, "service": service_text(visit.service),
                                                    "identity": what == IDENTITY})


@require_http_methods(["GET"])
@liff_citizen
def confirm_declined(request):
    return page(request, "line/confirm_declined.html")


@require_http_methods(["GET"])
def canonical(request):
    """``/line/confirm/?t=<token>``, the QR's own address (``confirm_links.confirm_url``): on to the LIFF page,
    through LINE's LIFF URL in production (LINE opens it signed in, in LINE), straight to ``/liff/confirm``
    with the local stand-in. Nothing is read or changed here."""
    token = request.GET.get("t", "").strip()[:MAX_TOKEN]
    if not token:
        return redirect("/liff/scan")
    if standin_in_use():
        return redirect(f"{LIFF_PAGE}?{urlencode({'t': token})}")
    return redirect(liff_confirm_url(token))
