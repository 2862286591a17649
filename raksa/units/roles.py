"""Who may do what beyond a unit's daily work.

Officers (the payer's back-office staff) are Django users in the ``officers`` group; a unit's
administrators are its staff with the ``unit_admin`` role."""

from raksa.units.models import StaffMembership, StaffRole

OFFICERS_GROUP = "officers"

OFFICER_PERMISSIONS = {
    "units": ["view_unit", "change_unit", "view_province", "view_service", "add_service", "change_service",
              "view_feerate", "add_feerate", "view_unitservice", "add_unitservice", "view_staffmembership",
              "add_staffmembership", "change_staffmembership"],
    "people": ["view_citizen", "view_coverage", "reveal_national_id"],
    "audit": ["view_auditentry"],
    "messaging": ["view_outboundmessage", "view_webhookevent"],  # LINE messages and events: the failed ones
    "verification": ["view_visit", "view_verificationattempt"],  # visits, authen codes, every verification try
    # Claims: search and review (accept / reject), payment statements (issue, mark paid), the claimable items
    # and their prices (data officers edit, like the services and their rates).
    "claims": ["view_claim", "change_claim", "view_paymentstatement", "add_paymentstatement",
               "change_paymentstatement", "view_item", "add_item", "view_itemprice", "add_itemprice"],
}


def officers_group_ensure(group_model, permission_model):
    """Create the group with its permissions (idempotent). Takes the models so migrations can pass
    their historical ones."""
    group, _ = group_model.objects.get_or_create(name=OFFICERS_GROUP)
    for app_label, codenames in OFFICER_PERMISSIONS.items():
        group.permissions.add(*permission_model.objects.filter(content_type__app_label=app_label,
                                                                codename__in=codenames))
    return group


def is_officer(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.groups.filter(name=OFFICERS_GROUP).exists()))


def is_unit_admin(user, unit_id: int) -> bool:
    """An active administrator of the unit (they manage its schedule and its API keys)."""
    return bool(user.is_authenticated and StaffMembership.objects.filter(
        user=user, unit_id=unit_id, role=StaffRole.UNIT_ADMIN, active=True).exists())
