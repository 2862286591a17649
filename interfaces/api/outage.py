"""503 ``DATABASE_UNAVAILABLE`` for API operations that met a database outage (raksa.core.db_outage).

django-ninja answers an operation's exceptions itself, so the middleware's ``process_exception`` may never
see them (a catch-all handler for 500s, for one): this handler gives the same answer as the middleware and
the booking fast lane. Database errors that are not an outage go on as before.
"""

from __future__ import annotations

from django.db import Error
from ninja import NinjaAPI

from raksa.core import db_outage
from raksa.core.db_outage_middleware import database_unavailable


def install_outage_handler(api: NinjaAPI) -> None:
    @api.exception_handler(Error)
    def database_error(request, exc: Error):
        if not db_outage.is_outage(exc):
            raise exc
        db_outage.note(exc)
        return database_unavailable(request)
