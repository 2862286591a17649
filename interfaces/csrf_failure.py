"""Django's CSRF refusal (settings.CSRF_FAILURE_VIEW), said as Raksa says things: a 403 page in Thai with
English below that tells what happened (nothing was changed) and what to do next; on the LIFF pages, to
reopen from LINE. (Django's own page is English only and speaks of cookies and referers.)"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path_info.startswith("/liff/"):
        from interfaces.line.session import frame_policy

        return frame_policy(render(request, "line/csrf_failed.html", status=403))
    return render(request, "csrf_failed.html", status=403)
