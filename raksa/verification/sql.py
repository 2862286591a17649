"""The verification app's raw SQL (the rest is the ORM). Parameters are listed beside each statement."""

from raksa.audit.services import audit_insert_sql

LAPSE_REASON = "สิ้นวันโดยไม่ได้ส่งเคลม"  # shown on the visit's page (Thai): "the day ended without a claim"

# [closed_at, today] -> ids of the open visits of days before today, now lapsed
LAPSE_SQL = ("UPDATE verification_visit SET status = 'lapsed', closed_at = %s, close_reason = '" + LAPSE_REASON
             + "' WHERE status = 'open' AND day < %s RETURNING id")

# PostgreSQL: the lapse and its audit rows in one statement; [closed_at, today, *audit_insert_params]
LAPSE_AUDITED_SQL = f"WITH lapsed AS ({LAPSE_SQL}) {audit_insert_sql('lapsed')}"

# [used_at, digest, now] -> (id, citizen_id, booking_id) of the rights QR code used up by this statement
RIGHTS_QR_USE_SQL = ("UPDATE verification_rightsqrtoken SET used_at = %s WHERE digest = %s AND used_at IS NULL"
                     " AND voided_at IS NULL AND expires_at > %s RETURNING id, citizen_id, booking_id")
