"""The queue display board for a TV in the unit: no login, a signed link, ticket numbers only.

Never add names, national IDs or booking references here: anyone who sees the screen (or gets the
link) sees this page.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from raksa.booking.display import unit_from_display_token
from raksa.booking.models import TicketStatus
from raksa.booking.selectors import queue_today
from raksa.core.thaidate import format_date
from raksa.core.timeutil import BANGKOK

WAITING_SHOWN = 8
CALLED_SHOWN = 4
REFRESH_MS = 3000


def _board_state(unit) -> dict:
    now = timezone.now()
    queue = queue_today(unit=unit, now=now)
    called = sorted((t for t in queue["called"] if t.status == TicketStatus.CALLED),
                    key=lambda t: (t.called_at or now, t.pk), reverse=True)
    return {
        "calling": [t.label for t in called[:CALLED_SHOWN]],
        "waiting": [t.label for t in queue["waiting"][:WAITING_SHOWN]],
        "waiting_count": len(queue["waiting"]),
        "date": format_date(queue["day"], language=get_language() or "th"),
        "time": now.astimezone(BANGKOK).strftime("%H:%M"),
    }


def _not_found(request):
    return render(request, "portal/display_not_found.html", status=404)


@require_GET
@never_cache
def board(request, token: str):
    unit = unit_from_display_token(token)
    if unit is None:
        return _not_found(request)
    namespace = request.resolver_match.namespace
    context = _board_state(unit) | {
        "unit_name": unit.name,
        "live_url": reverse(f"{namespace}:live", args=[token]),
        "refresh_ms": REFRESH_MS,
    }
    return render(request, "portal/display_board.html", context)


@require_GET
@never_cache
def live(request, token: str):
    unit = unit_from_display_token(token)
    if unit is None:
        return JsonResponse({"error": "unknown board"}, status=404)
    return JsonResponse(_board_state(unit))
