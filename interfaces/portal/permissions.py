"""Who may use the unit-staff portal, and which unit they are working for.

``staff_required`` lets through only users with an active StaffMembership. It puts a
:class:`PortalContext` on ``request.portal``: every membership of the user and the current one (the
unit chosen with the switcher, kept in the session; the first membership by default). Unless a view
says ``require_verified=False``, staff of a unit whose registration is not verified (pending or
suspended) are sent to the registration page: such a unit may not serve or claim. A view may also
name the ``roles`` allowed (e.g. only unit administrators edit the schedule): other staff get a 403
page that says why.

Two tabs share one session, so the current unit may change under a page that is still open. Every form
of the portal therefore carries the unit its page was made for (``{% portal_form %}`` writes it next to
the CSRF token) and a POST whose unit is not the current one is refused with a page that says so and
changes nothing (409), instead of acting on the unit chosen in the other tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from interfaces.portal import labels
from raksa.units.models import StaffMembership, StaffRole, Unit
from raksa.units.roles import is_officer
from raksa.units.selectors import memberships_for_user

SESSION_UNIT_KEY = "portal_unit_id"
FORM_UNIT_FIELD = "on_unit"


@dataclass(frozen=True)
class PortalContext:
    memberships: tuple[StaffMembership, ...]
    membership: StaffMembership

    @property
    def unit(self) -> Unit:
        return self.membership.unit

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_unit_admin(self) -> bool:
        return self.membership.role == StaffRole.UNIT_ADMIN

    @property
    def can_switch(self) -> bool:
        return len(self.memberships) > 1

    def membership_for(self, unit_id: object) -> StaffMembership | None:
        return next((m for m in self.memberships if str(m.unit_id) == str(unit_id)), None)


def portal_context_for(request) -> PortalContext | None:
    """The user's portal context, or None if they are not active staff of any unit."""
    memberships = tuple(memberships_for_user(request.user))
    if not memberships:
        return None
    chosen = request.session.get(SESSION_UNIT_KEY)
    current = next((m for m in memberships if m.unit_id == chosen), memberships[0])
    return PortalContext(memberships=memberships, membership=current)


def not_staff_response(request):
    return render(request, "portal/not_staff.html", {"is_officer": is_officer(request.user)}, status=403)


def page_context(request) -> dict:
    """What every portal page shows about the current unit and the user's role in it (views add more)."""
    portal = request.portal
    return {"portal": portal, "unit": portal.unit,
            "unit_status_label": labels.unit_status_label(portal.unit.status),
            "role_label": labels.role_label(portal.role),
            "switch_choices": [(m.unit_id, f"{m.unit.hcode} {m.unit.name}") for m in portal.memberships]}


def role_refused_response(request, because=None):
    """403 for staff whose role at the current unit may not use the page, saying which role may
    (``because``: what only that role may do; the schedule by default)."""
    context = page_context(request) | {"refused_because": because}
    return render(request, "portal/role_refused.html", context, status=403)


def wants_json(request) -> bool:
    """The page's script asked (``fetch`` with ``Accept: application/json``): answer JSON, not a page."""
    return request.headers.get("Accept", "").startswith("application/json")


def unit_changed_response(request, posted_for: StaffMembership | None):
    """409: the form was made for another unit than the current one (switched in another tab)."""
    if wants_json(request):
        return JsonResponse({"code": "UNIT_CHANGED", "field": None,
                             "message": "หน่วยบริการปัจจุบันถูกเปลี่ยนในแท็บหรือหน้าต่างอื่น กรุณาโหลดหน้านี้ใหม่",
                             "message_en": "The current unit was switched in another tab or window: reload this page."},
                            status=409)
    context = page_context(request) | {"posted_unit": posted_for.unit if posted_for else None}
    return render(request, "portal/unit_changed.html", context, status=409)


def staff_required(view=None, *, require_verified: bool = True, roles: tuple[str, ...] | None = None,
                   check_unit: bool = True, refused_because=None):
    """``@staff_required``, ``@staff_required(require_verified=False)`` or
    ``@staff_required(roles=(StaffRole.UNIT_ADMIN,), refused_because=_("Only … can …"))``. Pages are never
    cached: they may show personal data.
    A POST must name the current unit in ``on_unit`` unless ``check_unit=False`` (the unit switcher)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            context = portal_context_for(request)
            if context is None:
                return not_staff_response(request)
            request.portal = context
            if check_unit and request.method == "POST" and \
                    request.POST.get(FORM_UNIT_FIELD, "") != str(context.unit.pk):
                return unit_changed_response(request, context.membership_for(request.POST.get(FORM_UNIT_FIELD)))
            if require_verified and not context.unit.is_verified:
                return redirect("portal:registration")
            if roles is not None and context.role not in roles:
                return role_refused_response(request, refused_because)
            return view_func(request, *args, **kwargs)

        return never_cache(wrapper)

    if view is not None:
        return decorator(view)
    return decorator
