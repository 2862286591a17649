from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from raksa.core import db_outage
from raksa.core.db_outage_middleware import unavailable


@require_GET
def healthz(request):
    """Liveness and database reachability, for the load balancer: 503 when the database is down.

    Answers within 1 s: while the breaker (raksa.core.db_outage) says the database is down, at once
    without touching it; otherwise it waits at most HEALTHZ_WAIT_SECONDS for a pooled connection."""
    if db_outage.is_down():
        return _unhealthy(db_outage.DatabaseUnavailable.__name__)
    try:
        with db_outage.waiting_at_most(db_outage.HEALTHZ_WAIT_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        db_outage.note(exc)
        return _unhealthy(type(exc).__name__)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def _unhealthy(detail: str) -> JsonResponse:
    return unavailable(JsonResponse({"status": "error", "database": "unreachable", "detail": detail}, status=503))


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, asked for by browsers and tools that do not read the pages' <link rel="icon">.

    A temporary redirect to the static file: its name carries a content hash in production (cached for
    a year), so the redirect itself is kept a day only and a new icon shows within a day.
    """
    return HttpResponseRedirect(static("portal/favicon.ico"))
