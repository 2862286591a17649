from django.contrib.auth import views as auth_views
from django.urls import path

from interfaces.portal import (
    views,
    views_api_keys,
    views_booking,
    views_claims,
    views_face,
    views_queue,
    views_rights_qr,
    views_schedule,
    views_statements,
    views_verify,
    views_visit,
)
from interfaces.portal.forms import PortalLoginForm

app_name = "portal"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=PortalLoginForm,
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("registration/", views.registration, name="registration"),
    path("unit/switch/", views.switch_unit, name="switch_unit"),
    # Today's queue (seed 3.1)
    path("queue/", views_queue.queue, name="queue"),
    path("queue/live/", views_queue.queue_live, name="queue_live"),
    path("queue/walk-in/", views_queue.queue_walk_in, name="queue_walk_in"),
    path("queue/call-next/", views_queue.queue_call_next, name="queue_call_next"),
    path("queue/tickets/<int:ticket_id>/", views_queue.ticket_change, name="ticket_change"),
    # Verification at the counter (flow 1.1, 2.1) and the visit with its authen code
    path("verify/", views_verify.verify, name="verify"),
    path("verify/face/", views_face.verify_face, name="verify_face"),
    path("verify/face/reference/", views_face.verify_face_reference, name="verify_face_reference"),
    path("verify/line/", views_verify.verify_line, name="verify_line"),
    path("verify/line/<int:confirmation_id>/state/", views_verify.confirmation_state, name="confirmation_state"),
    path("verify/scan/", views_rights_qr.verify_scan, name="verify_scan"),
    path("verify/scan/frame/", views_rights_qr.verify_scan_frame, name="verify_scan_frame"),
    path("visits/<int:visit_id>/", views_visit.visit, name="visit"),
    path("visits/<int:visit_id>/close/", views_visit.visit_close_view, name="visit_close"),
    path("visits/<int:visit_id>/line/", views_visit.visit_line_service, name="visit_line_service"),
    # The service record sent as the visit's claim (flow 1.2), the unit's claims and their corrections
    path("visits/<int:visit_id>/record/", views_claims.visit_record, name="visit_record"),
    path("claims/", views_claims.claims, name="claims"),
    path("claims/<int:claim_id>/", views_claims.claim, name="claim"),
    path("claims/<int:claim_id>/correct/", views_claims.claim_correct_view, name="claim_correct"),
    # Booking for a citizen (seed 2.2), search and one booking
    path("book/", views_booking.book, name="book"),
    path("bookings/", views_booking.bookings, name="bookings"),
    path("bookings/<str:reference>/", views_booking.booking, name="booking"),
    path("bookings/<str:reference>/move/", views_booking.booking_move, name="booking_move"),
    path("bookings/<str:reference>/<slug:action>/", views_booking.booking_action, name="booking_action"),
    # Schedule editor (unit administrators)
    path("schedule/", views_schedule.schedule, name="schedule"),
    path("schedule/closure/", views_schedule.closure, name="closure"),
    # API keys for the unit's own software (unit administrators)
    path("api-keys/", views_api_keys.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", views_api_keys.api_key_revoke, name="api_key_revoke"),
    # The unit's payment statements (the back office issues them), with their PDF and CSV
    path("statements/", views_statements.statements, name="statements"),
    path("statements/<int:statement_id>/pdf/", views_statements.statement_pdf_download, name="statement_pdf"),
    path("statements/<int:statement_id>/csv/", views_statements.statement_csv_download, name="statement_csv"),
]
