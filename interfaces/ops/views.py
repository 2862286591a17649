from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """Liveness and database reachability, for the load balancer. 503 when the database is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable", "detail": type(exc).__name__},
                            status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, asked for by browsers and tools that do not read the pages' <link rel="icon">.

    A temporary redirect to the static file: its name carries a content hash in production (cached for
    a year), so the redirect itself is kept a day only and a new icon shows within a day.
    """
    return HttpResponseRedirect(static("portal/favicon.ico"))
