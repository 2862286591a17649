"""The citizen shows their rights QR (flow 2.1): a USB scanner types it into a field, or the webcam sends frames
that the server decodes (zxing-cpp); either way ``visit_open_by_rights_qr`` checks the booking in, opens the
visit and the page goes to its authen code. Refusals (used, expired, another unit's, tampered, a cancelled
booking…) are shown with their reason; the domain rolled everything back and recorded the try.

A walk-in's QR names no service: the unit's only service is used, else staff choose one (the QR stays usable
after SERVICE_REQUIRED, so they scan again or press the button with the service chosen).
"""

from __future__ import annotations

import zxingcpp
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from interfaces.portal.forms import RightsQrForm
from interfaces.portal.permissions import staff_required
from interfaces.portal.verify_subject import json_error
from interfaces.portal.views import error_text, unit_context
from raksa.core.errors import DomainError, InvalidInput
from raksa.core.timeutil import service_day
from raksa.integrations.face.image import ImageRejected, decode_image
from raksa.units.selectors import services_for_unit
from raksa.verification.rights_qr_redeem import visit_open_by_rights_qr
from raksa.verification.services import TOKEN_PREFIX

SCAN_INTERVAL_MS = 500


def _services(request) -> list:
    return list(services_for_unit(request.portal.unit, on=service_day()))


def _service_for(services: list, code: str):
    """The service a walk-in's QR is redeemed for: the one chosen, else the unit's only one, else None (the
    domain asks for it when the QR names no booking)."""
    if code:
        return next((s for s in services if s.code == code), None)
    return services[0] if len(services) == 1 else None


def _redeem(request, token: str, service):
    return visit_open_by_rights_qr(actor=request.user, unit=request.portal.unit, token=token, service=service)


def _page(request, form, *, status: int = 200, refusal: str = "", refusal_code: str = ""):
    services = form.fields["service"].choices[1:]
    context = unit_context(request) | {
        "form": form,
        "several_services": len(services) > 1,
        "refusal": refusal,
        "refusal_code": refusal_code,
        "frame_url": reverse("portal:verify_scan_frame"),
        "scan_interval": SCAN_INTERVAL_MS,
    }
    return render(request, "portal/verify_scan.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def verify_scan(request):
    """GET: the scan page (``?service=`` preselects a walk-in's service). POST: redeem the typed/scanned code."""
    services = _services(request)
    if request.method == "GET":
        form = RightsQrForm(initial={"service": request.GET.get("service", "")}, services=services)
        return _page(request, form)
    form = RightsQrForm(request.POST, services=services)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    try:
        opened = _redeem(request, data["token"], _service_for(services, data["service"]))
    except DomainError as exc:
        keep = exc.code == "SERVICE_REQUIRED"  # the code is still usable: choose the service and send it again
        fresh = RightsQrForm(initial={"token": data["token"] if keep else "", "service": data["service"]},
                             services=services)
        if keep:
            fresh.fields["token"].widget.attrs.pop("autofocus", None)
            fresh.fields["service"].widget.attrs["autofocus"] = True
        return _page(request, fresh, status=exc.status, refusal=error_text(exc), refusal_code=exc.code)
    visit = opened.visit
    if opened.created:
        text = _("Verified by rights QR: %(name)s, authen code %(code)s.")
    else:
        text = _("%(name)s was already verified here today: authen code %(code)s.")
    messages.success(request, text % {"name": visit.citizen.full_name, "code": visit.authen_code})
    return redirect("portal:visit", visit_id=visit.pk)


# --- the webcam -----------------------------------------------------------------------------------------------

def _frame_image(upload):
    """The uploaded webcam frame as an RGB array (the face engine's decoder: JPEG, PNG or WebP, within the same
    size limits), or InvalidInput (NO_FRAMES, NOT_AN_IMAGE, IMAGE_TOO_LARGE)."""
    if upload is None or not upload.size:
        raise InvalidInput("Send one camera picture.", "กรุณาส่งภาพจากกล้องหนึ่งภาพ", code="NO_FRAMES", field="frame")
    try:
        return decode_image(upload.read(settings.RAKSA_FACE_MAX_FRAME_BYTES + 1),
                            max_bytes=settings.RAKSA_FACE_MAX_FRAME_BYTES,
                            max_pixels=settings.RAKSA_FACE_MAX_FRAME_PIXELS)
    except ImageRejected as exc:
        raise InvalidInput(exc.message_en, exc.message_th, code=exc.code, field="frame") from exc


def qr_texts(image) -> list[str]:
    """Every QR code's text in a picture (zxing-cpp)."""
    return [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@require_POST
@staff_required
def verify_scan_frame(request):
    """One webcam frame (multipart ``frame``; ``service`` for a walk-in). JSON: ``{"found": false}`` (keep
    scanning; ``text`` says when a QR that is not a rights QR is in view), ``{"found": true, "visit_url"}``
    (the visit is open), or a refusal ``{code, message, message_en, field, text}`` with its 4xx status."""
    services = _services(request)
    try:
        texts = qr_texts(_frame_image(request.FILES.get("frame")))
    except DomainError as exc:
        return json_error(exc)
    token = next((t.strip() for t in texts if t.strip().startswith(TOKEN_PREFIX)), None)
    if token is None:
        other = _("This QR code is not a Raksa rights QR. Ask the person to open their rights QR in LINE.")
        return JsonResponse({"found": False, "text": other if texts else ""})
    code = request.POST.get("service", "")
    service = _service_for(services, code)
    if code and service is None:
        return json_error(InvalidInput("Choose one of this unit's services from the list.",
                                       "กรุณาเลือกบริการของหน่วยบริการนี้จากรายการ", code="SERVICE_UNKNOWN",
                                       field="service"))
    try:
        opened = _redeem(request, token, service)
    except DomainError as exc:
        return json_error(exc)
    visit = opened.visit
    messages.success(request, _("Verified by rights QR: %(name)s, authen code %(code)s.")
                     % {"name": visit.citizen.full_name, "code": visit.authen_code})
    return JsonResponse({"found": True, "authen_code": visit.authen_code,
                         "visit_url": reverse("portal:visit", args=[visit.pk])})
